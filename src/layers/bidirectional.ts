import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { CallContext, Layer, LAYER_KEYS, LayerArgs, LayerConfig } from '../engine/layer';
import { firstMask, MaskArg } from '../engine/masking';
import { optionKeys } from '../engine/options';
import { layerArgs } from '../engine/positional';
import { Shape } from '../engine/symbolic_tensor';
import type { Weight } from '../engine/weight';
import { rebuildLayer, LayerSpec } from '../engine/rebuild';
import { RNN } from './recurrent/rnn';
import { SequenceLayer } from './recurrent/sequence_layer';

export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave' | null;
const MERGE_MODES: readonly MergeMode[] = ['concat', 'sum', 'mul', 'ave', null];

export interface BidirectionalArgs extends LayerArgs {
  /** The recurrent layer; a copy runs forward, another (goBackwards flipped) backward. Keras: `layer` */
  layer: RNN<boolean>;
  /**
   * How the two directions' outputs combine ('concat', 'sum', 'mul', 'ave'); null returns both. Keras:
   * `merge_mode` @default 'concat'
   */
  mergeMode?: MergeMode;
  /**
   * The backward layer, instead of a copy of `layer` (its goBackwards must differ). Keras: `backward_layer`
   * @default undefined (a copy of `layer` with goBackwards flipped)
   */
  backwardLayer?: RNN<boolean>;
}

/**
 * Runs a recurrent layer over the sequence in both directions and merges the two outputs (the
 * backward one put back in time order). With returnState the outputs are [merged, ...forward
 * states, ...backward states]; initial states are split the same way, half and half.
 */
export class Bidirectional<S extends boolean = false> extends SequenceLayer {
  static override readonly optionKeys: readonly string[] = optionKeys<BidirectionalArgs>()('layer', 'mergeMode', 'backwardLayer', ...LAYER_KEYS);
  readonly className = 'Bidirectional';
  readonly forwardLayer: RNN<boolean>;
  readonly backwardLayer: RNN<boolean>;
  readonly mergeMode: MergeMode;
  override supportsMasking = true;

  static override readonly positional = ['layer'];

  /** `S` is the wrapped layer's returnState, as a type: with it, apply is typed [output, ...states]. */
  constructor(layer: RNN<S>, options?: Omit<BidirectionalArgs, 'layer'>);
  constructor(args: BidirectionalArgs & { layer: { readonly returnState: S } });
  constructor(...given: unknown[]) {
    const args = layerArgs<BidirectionalArgs & { layer: { readonly returnState: S } }>(new.target, given);
    super(args);
    const owner = `Bidirectional '${this.name}'`;
    if (!(args?.layer instanceof RNN)) {
      throw new ValueError(`${owner}: \`layer\` must be a recurrent layer (RNN, LSTM, GRU, SimpleRNN), got ${String(args?.layer)}. help: e.g. new Bidirectional({layer: new LSTM({units: 32})}).`);
    }
    if (args.backwardLayer !== undefined && !(args.backwardLayer instanceof RNN)) {
      throw new ValueError(`${owner}: \`backwardLayer\` must be a recurrent layer, got ${String(args.backwardLayer)}.`);
    }
    const mode = args.mergeMode === undefined ? 'concat' : args.mergeMode;
    if (!MERGE_MODES.includes(mode)) {
      throw new ValueError(`${owner}: unknown \`mergeMode\` ${JSON.stringify(args.mergeMode)}. help: use 'concat', 'sum', 'mul', 'ave' or null.`);
    }
    this.mergeMode = mode;
    const layer = args.layer;
    this.forwardLayer = copyOf(layer, { name: `forward_${layer.name.replace(/^forward_/, '')}` }, owner);
    this.backwardLayer = args.backwardLayer ?? copyOf(layer, { name: `backward_${layer.name.replace(/^backward_/, '')}`, goBackwards: !layer.goBackwards }, owner);
    this.checkPair(owner);
    // As Keras: with whole sequences out, masked steps output zeros in both directions.
    for (const l of [this.forwardLayer, this.backwardLayer]) l.zeroOutputForMask = l.returnSequences;
  }

  private checkPair(owner: string): void {
    const [f, b] = [this.forwardLayer, this.backwardLayer];
    if (f.goBackwards === b.goBackwards) {
      throw new ValueError(`${owner}: the forward and backward layers must differ in goBackwards, both have ${f.goBackwards}. help: give the backward layer {goBackwards: ${!f.goBackwards}}.`);
    }
    for (const key of ['stateful', 'returnSequences', 'returnState'] as const) {
      if (f[key] !== b[key]) {
        throw new ValueError(`${owner}: the forward and backward layers must have the same ${key}, got ${f[key]} and ${b[key]}. help: create both with the same ${key}.`);
      }
    }
  }

  get returnSequences(): boolean {
    return this.forwardLayer.returnSequences;
  }
  get returnState(): boolean {
    return this.forwardLayer.returnState;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    this.forwardLayer.ensureBuilt(shape);
    this.backwardLayer.ensureBuilt(shape);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const fwd = this.forwardLayer.computeOutputShape(shape);
    const [out, ...states] = (this.returnState ? fwd : [fwd]) as Shape[];
    const merged: Shape[] = this.mergeMode === null ? [out, out] : [this.mergeMode === 'concat' ? [...out.slice(0, -1), (out[out.length - 1] as number) * 2] : out];
    const all = this.returnState ? [...merged, ...states, ...states] : merged;
    return all.length === 1 ? all[0] : all;
  }

  override computeMask(inputs: tfc.Tensor[], mask: MaskArg | undefined): MaskArg {
    void inputs;
    const m = this.returnSequences ? firstMask(mask) : null;
    const outs = this.mergeMode === null ? [m, m] : [m];
    const states = this.returnState ? this.forwardLayer.cell.stateSize.flatMap(() => [null, null]) : [];
    const all = [...outs, ...states];
    return all.length === 1 ? all[0] : all;
  }

  call(inputs: tfc.Tensor[], ctx: CallContext): S extends true ? tfc.Tensor[] : tfc.Tensor | tfc.Tensor[] {
    const [x, ...initial] = inputs;
    const given = initial.length > 0 ? initial : (ctx.args?.initialState as tfc.Tensor[] | undefined);
    const n = this.forwardLayer.cell.stateSize.length;
    if (given !== undefined && given.length !== 2 * n) {
      throw new ValueError(
        `${this.name} (Bidirectional): expected ${2 * n} initial states (the forward layer's ${n}, then the backward layer's), got ${given.length}. ` +
          'help: pass [...forwardStates, ...backwardStates].',
      );
    }
    const run = (layer: RNN<boolean>, states: tfc.Tensor[] | undefined): tfc.Tensor[] =>
      layer.callOnTensors(x, { ...ctx, mask: firstMask(ctx.mask), args: states ? { initialState: states } : {} });
    const [y, ...fStates] = run(this.forwardLayer, given?.slice(0, n));
    const [yBack, ...bStates] = run(this.backwardLayer, given?.slice(n));
    const yRev = this.returnSequences ? tfc.reverse(yBack, 1) : yBack;
    const merged = this.merge(y, yRev);
    const outs = Array.isArray(merged) ? merged : [merged];
    const all = this.returnState ? [...outs, ...fStates, ...bStates] : outs;
    return (all.length === 1 ? all[0] : all) as S extends true ? tfc.Tensor[] : tfc.Tensor | tfc.Tensor[];
  }

  private merge(y: tfc.Tensor, yRev: tfc.Tensor): tfc.Tensor | tfc.Tensor[] {
    switch (this.mergeMode) {
      case 'concat':
        return tfc.concat([y, yRev], -1);
      case 'sum':
        return tfc.add(y, yRev);
      case 'mul':
        return tfc.mul(y, yRev);
      case 'ave':
        return tfc.div(tfc.add(y, yRev), 2);
      default:
        return [y, yRev];
    }
  }

  /** Sets both layers' states to zeros, or to `states` (the forward layer's, then the backward layer's). */
  resetStates(states?: tfc.Tensor[]): void {
    const n = this.forwardLayer.cell.stateSize.length;
    this.forwardLayer.resetStates(states?.slice(0, n));
    this.backwardLayer.resetStates(states?.slice(n));
  }

  override get trainableWeights(): Weight[] {
    return this.trainable ? [...this.forwardLayer.trainableWeights, ...this.backwardLayer.trainableWeights] : [];
  }

  override get nonTrainableWeights(): Weight[] {
    if (!this.trainable) return [...this.forwardLayer.weights, ...this.backwardLayer.weights];
    return [...this.forwardLayer.nonTrainableWeights, ...this.backwardLayer.nonTrainableWeights];
  }

  /** Keras orders a Bidirectional's weights: the forward layer's, then the backward layer's. */
  override get weights(): Weight[] {
    return [...this.forwardLayer.weights, ...this.backwardLayer.weights];
  }

  override dispose(): void {
    this.forwardLayer.dispose();
    this.backwardLayer.dispose();
  }

  override getConfig(): LayerConfig {
    const spec = (l: RNN<boolean>): LayerSpec => ({ className: l.className, config: l.getConfig() });
    return { ...super.getConfig(), layer: spec(this.forwardLayer), backwardLayer: spec(this.backwardLayer), mergeMode: this.mergeMode };
  }

  /** The two layers come as configs, rebuilt through the registry. */
  static override fromConfig<T extends Layer>(this: new (options: never) => T, config: LayerConfig): T {
    const rebuild = (spec: unknown): Layer | undefined => (spec === undefined || spec === null ? undefined : rebuildLayer(spec, 'Bidirectional.fromConfig'));
    return new this({ ...config, layer: rebuild(config.layer), backwardLayer: rebuild(config.backwardLayer) } as never);
  }
}

/** A fresh layer from `layer`'s config with some options changed (Keras copies the layer it wraps). */
function copyOf(layer: RNN<boolean>, changes: Record<string, unknown>, owner: string): RNN<boolean> {
  try {
    return (layer.constructor as unknown as { fromConfig(c: LayerConfig): RNN<boolean> }).fromConfig({ ...layer.getConfig(), ...changes } as LayerConfig);
  } catch (e) {
    throw new ValueError(
      `${owner}: cannot copy layer '${layer.name}' for the two directions: ${(e as Error).message} ` +
        'help: give both directions yourself with {layer, backwardLayer}.',
    );
  }
}
