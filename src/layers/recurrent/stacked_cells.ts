import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';
import { CallContext, Layer, LAYER_KEYS, LayerArgs, LayerConfig } from '../../engine/layer';
import { optionKeys } from '../../engine/options';
import { layerArgs } from '../../engine/positional';
import { Shape } from '../../engine/symbolic_tensor';
import type { Weight } from '../../engine/weight';
import { rebuildLayer } from '../../engine/rebuild';
import { RNNCell, StepResult } from './cell';

export interface StackedRNNCellsArgs extends LayerArgs {
  /** The cells, run one after the other at each step (each feeds the next). Keras: `cells` */
  cells: RNNCell[];
}

/**
 * Several cells as one: each step runs them in order, each feeding its output to the next. The
 * states are every cell's states, in order (flat: an LSTM then a GRU carry [h1, c1, h2]).
 */
export class StackedRNNCells extends RNNCell {
  static override readonly optionKeys: readonly string[] = optionKeys<StackedRNNCellsArgs>()('cells', ...LAYER_KEYS);
  readonly className = 'StackedRNNCells';
  readonly cells: RNNCell[];

  static override readonly positional = ['cells'];

  constructor(cells: RNNCell[], options?: Omit<StackedRNNCellsArgs, 'cells'>);
  constructor(args: StackedRNNCellsArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<StackedRNNCellsArgs>(new.target, given);
    super(args);
    if (!Array.isArray(args?.cells) || args.cells.length === 0 || !args.cells.every((c) => c instanceof RNNCell)) {
      throw new ValueError(
        `StackedRNNCells '${this.name}': \`cells\` must be a non-empty list of RNN cells. help: e.g. {cells: [new LSTMCell({units: 8}), new LSTMCell({units: 8})]}.`,
      );
    }
    this.cells = args.cells;
  }

  get stateSize(): number[] {
    return this.cells.flatMap((c) => c.stateSize);
  }

  get outputSize(): number {
    return this.cells[this.cells.length - 1].outputSize;
  }

  override build(inputShape: Shape | Shape[]): void {
    let shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    for (const cell of this.cells) {
      cell.ensureBuilt(shape);
      shape = [shape[0], cell.outputSize];
    }
  }

  override initialStates(batch: number): tfc.Tensor[] {
    return this.cells.flatMap((c) => c.initialStates(batch));
  }

  override beginSequence(batch: number, features: number, ctx: CallContext): void {
    let f = features;
    for (const cell of this.cells) {
      cell.beginSequence(batch, f, ctx);
      f = cell.outputSize;
    }
  }

  override endSequence(): void {
    this.cells.forEach((c) => c.endSequence());
  }

  step(x: tfc.Tensor, states: tfc.Tensor[], ctx: CallContext): StepResult {
    let input = x;
    let at = 0;
    const next: tfc.Tensor[] = [];
    for (const cell of this.cells) {
      const n = cell.stateSize.length;
      const out = cell.step(input, states.slice(at, at + n), ctx);
      next.push(...out.states);
      input = out.output;
      at += n;
    }
    return { output: input, states: next };
  }

  override get trainableWeights(): Weight[] {
    return this.trainable ? this.cells.flatMap((c) => c.trainableWeights) : [];
  }

  override get nonTrainableWeights(): Weight[] {
    return this.trainable ? this.cells.flatMap((c) => c.nonTrainableWeights) : this.cells.flatMap((c) => c.weights);
  }

  override dispose(): void {
    this.cells.forEach((c) => c.dispose());
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), cells: this.cells.map(serializeCell) };
  }

  /** The cells come as configs, rebuilt through the registry. */
  static override fromConfig<T extends Layer>(this: new (options: never) => T, config: LayerConfig): T {
    const cells = (config.cells as unknown[]).map(deserializeCell);
    return new this({ ...config, cells } as never);
  }
}

export function serializeCell(cell: RNNCell): { className: string; config: LayerConfig } {
  return { className: cell.className, config: cell.getConfig() };
}

/** A cell from its { className, config }, through the registry (a registered custom cell too). */
export function deserializeCell(spec: unknown): RNNCell {
  const cell = rebuildLayer(spec, 'RNN: the cell');
  if (!(cell instanceof RNNCell)) {
    throw new ValueError(`RNN: the config's cell '${cell.className}' is not an RNN cell. help: give a cell such as LSTMCell, or a class that extends RNNCell.`);
  }
  return cell;
}
