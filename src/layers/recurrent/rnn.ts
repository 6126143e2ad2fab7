/**
 * RNN: runs a cell over the steps of a sequence (batch, steps, features), as Keras's RNN layer; a
 * cell whose steps have spatial axes (ConvLSTMCell: stepRank > 2) gets (batch, steps, ...step).
 * Built-in cells run their written-out fast path (ops/recurrent.ts); other cells run step by step
 * under autograd. Masked steps leave the states as they were and repeat the previous output.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';
import { CallContext, Layer, LAYER_KEYS, LayerArgs, LayerConfig, optionsOf } from '../../engine/layer';
import { checkMaskShape, firstMask, maskAsFloat, MaskArg } from '../../engine/masking';
import { checkOptions, optionKeys } from '../../engine/options';
import { layerArgs } from '../../engine/positional';
import { formatShape, Shape } from '../../engine/symbolic_tensor';
import type { Weight } from '../../engine/weight';
import { RNNCell } from './cell';
import { SequenceLayer, sequenceOf } from './sequence_layer';
import { deserializeCell, serializeCell, StackedRNNCells } from './stacked_cells';

/** The options of every recurrent layer (RNN, SimpleRNN, LSTM, GRU). */
export interface RNNOptions extends LayerArgs {
  /**
   * Output every step's output (batch, steps, units) rather than the last (batch, units). Keras:
   * `return_sequences` @default false
   */
  returnSequences?: boolean;
  /**
   * Also output the final states: [output, ...states] (LSTM: [output, h, c]). Keras: `return_state` @default false
   */
  returnState?: boolean;
  /**
   * Run the sequence from its end; the output sequence is then in reverse order. Keras: `go_backwards`
   * @default false
   */
  goBackwards?: boolean;
  /**
   * Carry the final states of a batch over as the next batch's initial states (see resetStates). Keras:
   * `stateful` @default false
   */
  stateful?: boolean;
  /** Accepted for Keras compatibility: the loop always runs step by step here. Keras: `unroll` @default false */
  unroll?: boolean;
  /**
   * Output zeros at masked steps instead of repeating the previous output. Keras: `zero_output_for_mask`
   * @default false
   */
  zeroOutputForMask?: boolean;
}

export const RNN_OPTION_KEYS = [...LAYER_KEYS, 'returnSequences', 'returnState', 'goBackwards', 'stateful', 'unroll', 'zeroOutputForMask'] as const;

export interface RNNArgs extends RNNOptions {
  /** The cell to run at each step (a list becomes a StackedRNNCells). Keras: `cell` */
  cell: RNNCell | RNNCell[];
}

/** What an RNN's call returns: the output, or [output, ...states] with returnState (S = true). */
export type RNNOutput<S extends boolean> = S extends true ? tfc.Tensor[] : tfc.Tensor;

/**
 * `S` is the returnState flag as a type, inferred from the options (`new LSTM({units, returnState:
 * true})` is an LSTM<true>), so `apply` is typed as one tensor or as [output, ...states].
 */
export class RNN<S extends boolean = false> extends SequenceLayer {
  static override readonly optionKeys: readonly string[] = optionKeys<RNNArgs>()('cell', ...RNN_OPTION_KEYS);
  readonly className: string = 'RNN';
  readonly cell: RNNCell;
  readonly returnSequences: boolean;
  readonly returnState: S;
  readonly goBackwards: boolean;
  readonly stateful: boolean;
  readonly unroll: boolean;
  /** Bidirectional sets it to its returnSequences, as Keras. */
  zeroOutputForMask: boolean;
  override supportsMasking = true;
  private stateVariables: tfc.Variable[] | null = null;

  static override readonly positional = ['cell'];

  constructor(cell: RNNCell | RNNCell[], options?: Omit<RNNArgs, 'cell'> & { returnState?: S });
  constructor(args: RNNArgs & { returnState?: S });
  constructor(...given: unknown[]) {
    const args = layerArgs<RNNArgs & { returnState?: S }>(new.target, given);
    if (new.target === RNN) checkOptions('RNN', args, RNN.optionKeys);
    super(layerArgsOf(args));
    const cell = Array.isArray(args?.cell) ? new StackedRNNCells({ cells: args.cell }) : args?.cell;
    if (!(cell instanceof RNNCell)) {
      throw new ValueError(
        `${new.target.name} '${this.name}': \`cell\` must be an RNN cell (or a list of them), got ${String(cell)}. ` +
          'help: e.g. new RNN({cell: new LSTMCell({units: 32})}); a custom cell extends RNNCell and implements step().',
      );
    }
    this.cell = cell;
    this.returnSequences = args.returnSequences ?? false;
    this.returnState = (args.returnState ?? false) as S;
    this.goBackwards = args.goBackwards ?? false;
    this.stateful = args.stateful ?? false;
    this.unroll = args.unroll ?? false;
    this.zeroOutputForMask = args.zeroOutputForMask ?? false;
  }

  /** The sequence shape of the inputs ([x, ...initialStates] or x), checked to be rank 3 (a convolutional cell's: higher). */
  private sequenceShape(inputShape: Shape | Shape[]): Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const rank = this.cell.stepRank + 1;
    if (shape.length !== rank) {
      const axes = rank === 3 ? '(batch, timesteps, features)' : `(batch, timesteps, ${rank - 3} spatial axes, channels)`;
      throw new ValueError(
        `${this.name} (${this.className}): expected input of rank ${rank} ${axes}, got ${formatShape(shape)}. ` +
          `help: give each sample a time axis, e.g. Reshape to [steps, ${rank === 3 ? 'features' : '...'}] or Input({shape: [steps, ...]}).`,
      );
    }
    return shape;
  }

  /** One step's input shape: the sequence's without its time axis. */
  private stepShape(sequence: Shape): Shape {
    return [sequence[0], ...sequence.slice(2)];
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = this.sequenceShape(inputShape);
    if (this.unroll && shape[1] === null) {
      throw new ValueError(`${this.name} (${this.className}): unroll needs a known number of timesteps, got ${formatShape(shape)}. help: give the Input its steps, or leave unroll out.`);
    }
    this.cell.ensureBuilt(this.stepShape(shape));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const shape = this.sequenceShape(inputShape);
    const step = this.cell.stepOutputShape(this.stepShape(shape));
    const out: Shape = this.returnSequences ? [shape[0], shape[1], ...step.slice(1)] : step;
    return this.returnState ? [out, ...this.cell.stateShapes(this.stepShape(shape))] : out;
  }

  override computeMask(inputs: tfc.Tensor[], mask: MaskArg | undefined): MaskArg {
    void inputs;
    const out = this.returnSequences ? firstMask(mask) : null;
    return this.returnState ? [out, ...this.cell.stateSize.map(() => null)] : out;
  }

  call(inputs: tfc.Tensor[], ctx: CallContext): RNNOutput<S> {
    const [x, ...initialStates] = inputs;
    this.sequenceShape(x.shape);
    const [batch, steps] = x.shape;
    const features = x.shape[x.rank - 1];
    const mask = firstMask(ctx.mask);
    if (mask) checkMaskShape(`${this.name} (${this.className})`, x, mask);
    const given = initialStates.length > 0 ? initialStates : (ctx.args?.initialState as tfc.Tensor[] | tfc.Tensor | undefined);
    const initial = given === undefined ? null : Array.isArray(given) ? given : [given];
    const states = initial ?? (this.stateful ? this.statesFor(batch) : this.cell.initialStates(batch));
    this.checkStates(states, this.stepShape(x.shape));
    const timeMajor = [1, 0, ...x.shape.slice(2).map((_, i) => i + 2)];
    let xt = tfc.transpose(x, timeMajor) as tfc.Tensor3D;
    let mt = mask ? tfc.transpose(maskAsFloat(mask)) : null;
    if (this.goBackwards) {
      xt = tfc.reverse(xt, 0);
      mt = mt ? tfc.reverse(mt, 0) : null;
    }
    this.cell.beginSequence(batch, features, ctx);
    let run: { outputs: tfc.Tensor; states: tfc.Tensor[] };
    try {
      const fast = this.cell.runSequence(xt, states, mt, ctx);
      run = fast ? { outputs: fast.hs, states: fast.finalStates } : this.loop(xt, states, mt, ctx);
    } finally {
      this.cell.endSequence();
    }
    let outputs = run.outputs;
    if (mt) {
      // A masked step repeats the previous output, zeros before the first real step (Keras).
      const m = stepMask(mt, x.rank);
      const carriedGiven = initial !== null || this.stateful; // the fast path repeats the given h, not zeros
      const keep = this.zeroOutputForMask ? m : carriedGiven ? tfc.cast(tfc.greater(tfc.cumsum(m, 0), 0), 'float32') : null;
      if (keep) outputs = tfc.mul(outputs, keep);
    }
    if (this.stateful) this.keepStates(run.states);
    const last = tfc.squeeze(tfc.slice(outputs, [steps - 1], [1]), [0]);
    const output = this.returnSequences ? tfc.transpose(outputs, timeMajor) : last;
    return (this.returnState ? [output, ...run.states] : output) as RNNOutput<S>;
  }

  /** Step by step under autograd, for cells without a fast path: [T, B, out] outputs and the final states. */
  private loop(xt: tfc.Tensor3D, initial: tfc.Tensor[], mt: tfc.Tensor | null, ctx: CallContext): { outputs: tfc.Tensor; states: tfc.Tensor[] } {
    const xs = tfc.unstack(xt);
    const ms = mt ? tfc.unstack(stepMask(mt, xt.rank)) : null;
    let states = initial;
    let previous: tfc.Tensor | null = null;
    const outputs: tfc.Tensor[] = [];
    xs.forEach((xStep, t) => {
      const out = this.cell.step(xStep, states, ctx);
      const m = ms?.[t];
      if (!m) {
        states = out.states;
        outputs.push(out.output);
        return;
      }
      const blend = (now: tfc.Tensor, before: tfc.Tensor): tfc.Tensor => tfc.add(before, tfc.mul(m, tfc.sub(now, before)));
      states = out.states.map((s, i) => blend(s, states[i]));
      outputs.push(blend(out.output, previous ?? tfc.zerosLike(out.output)));
      previous = outputs[outputs.length - 1];
    });
    return { outputs: tfc.stack(outputs), states };
  }

  private checkStates(states: tfc.Tensor[], stepShape: Shape): void {
    const shapes = this.cell.stateShapes(stepShape);
    const bad = states.length !== shapes.length || states.some((s, i) => s.rank !== shapes[i].length || s.shape.some((d, j) => d !== shapes[i][j]));
    if (bad) {
      throw new ValueError(
        `${this.name} (${this.className}): the initial states must be ${shapes.length} tensor(s) of shape ${shapes.map((s) => `[${s.join(', ')}]`).join(', ')}, ` +
          `got ${states.map((s) => `[${s.shape}]`).join(', ') || 'none'}. help: pass one [batch, size] tensor per state (LSTM: h and c).`,
      );
    }
  }

  /** The stateful layer's current states, created as zeros for this batch size on first use. */
  private statesFor(batch: number): tfc.Variable[] {
    if (this.stateVariables === null) {
      this.stateVariables = tfc.tidy(() => this.cell.initialStates(batch)).map((z) => {
        const v = tfc.variable(z, false);
        z.dispose();
        return v;
      });
    }
    const have = this.stateVariables[0].shape[0];
    if (have !== batch) {
      throw new ValueError(
        `${this.name} (${this.className}): a stateful layer keeps states for batches of ${have}, got a batch of ${batch}. ` +
          'help: feed batches of the same size (fit with that batchSize and shuffle: false), or call resetStates() after disposing the old states.',
      );
    }
    return this.stateVariables;
  }

  private keepStates(states: tfc.Tensor[]): void {
    const vars = this.statesFor(states[0].shape[0]);
    vars.forEach((v, i) => v.assign(states[i]));
  }

  /** The states of a stateful layer (copies, owned by the caller), or null before its first batch. */
  getStates(): tfc.Tensor[] | null {
    return this.stateVariables?.map((v) => tfc.clone(v)) ?? null;
  }

  /** Sets a stateful layer's states to zeros, or to `states` (one [batch, size] per state). */
  resetStates(states?: tfc.Tensor[]): void {
    if (!this.stateful) {
      throw new ValueError(`${this.name} (${this.className}): resetStates is for stateful layers. help: create the layer with {stateful: true}.`);
    }
    if (states !== undefined) {
      const built = this.builtInputShape === undefined ? null : sequenceOf(this.builtInputShape);
      this.checkStates(states, [states[0]?.shape[0] ?? 0, ...(built?.slice(2) ?? [null])]);
      this.stateVariables?.forEach((v) => v.dispose());
      this.stateVariables = null;
      this.statesFor(states[0].shape[0]).forEach((v, i) => v.assign(states[i]));
      return;
    }
    this.stateVariables?.forEach((v) => tfc.tidy(() => v.assign(tfc.zerosLike(v))));
  }

  override get trainableWeights(): Weight[] {
    return this.trainable ? this.cell.trainableWeights : [];
  }

  override get nonTrainableWeights(): Weight[] {
    return this.trainable ? this.cell.nonTrainableWeights : this.cell.weights;
  }

  override dispose(): void {
    this.cell.dispose();
    this.stateVariables?.forEach((v) => v.dispose());
    this.stateVariables = null;
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      returnSequences: this.returnSequences,
      returnState: this.returnState,
      goBackwards: this.goBackwards,
      stateful: this.stateful,
      unroll: this.unroll,
      zeroOutputForMask: this.zeroOutputForMask,
      cell: serializeCell(this.cell),
    };
  }

  /**
   * An RNN's cell comes as a config, rebuilt through the registry (LSTM, GRU and SimpleRNN have no
   * `cell` in theirs: their config is their options).
   */
  static override fromConfig<T extends Layer>(this: new (options: never) => T, config: LayerConfig): T {
    const options = optionsOf(config);
    return new this((config.cell === undefined ? options : { ...options, cell: deserializeCell(config.cell) }) as never);
  }
}

/** A [T, B] step mask shaped to broadcast over a time-major sequence of rank `rank`: [T, B, 1, ...]. */
function stepMask(mt: tfc.Tensor, rank: number): tfc.Tensor {
  return tfc.reshape(mt, [...mt.shape, ...Array<number>(rank - 2).fill(1)]);
}

/** The options the Layer base takes (a subclass's own options stay with it). */
function layerArgsOf(args: RNNArgs): LayerArgs {
  const { name, trainable, inputShape, batchInputShape, dtype, dtypePolicy, activityRegularizer } = args ?? ({} as RNNArgs);
  return { name, trainable, inputShape, batchInputShape, dtype, dtypePolicy, activityRegularizer };
}

/** Splits a recurrent layer's options into the RNN's and its cell's (the cell gets the dtype and trainable flag too). */
export function splitRecurrentArgs<T extends RNNOptions>(args: T): { rnn: RNNOptions; cell: Omit<T, keyof RNNOptions> & LayerArgs } {
  const { returnSequences, returnState, goBackwards, stateful, unroll, zeroOutputForMask, name, trainable, inputShape, batchInputShape, dtype, dtypePolicy, activityRegularizer, ...cell } = args;
  return {
    rnn: { returnSequences, returnState, goBackwards, stateful, unroll, zeroOutputForMask, name, trainable, inputShape, batchInputShape, dtype, dtypePolicy, activityRegularizer },
    cell: { ...cell, dtype, dtypePolicy, trainable } as Omit<T, keyof RNNOptions> & LayerArgs,
  };
}

/** A recurrent layer's config: the RNN's flags and its cell's options, flat (as Keras's LSTM, GRU, SimpleRNN). */
export function flatRecurrentConfig(layer: RNN<boolean>, rnnConfig: LayerConfig): LayerConfig {
  const { cell, ...rest } = rnnConfig;
  void cell;
  const { name, trainable, dtype, ...cellConfig } = layer.cell.getConfig();
  void name;
  void trainable;
  void dtype;
  return { ...rest, ...cellConfig };
}
