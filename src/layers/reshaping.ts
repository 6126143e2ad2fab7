/** Reshape, Permute and RepeatVector: layers that move values without computing. */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { CallContext, Layer, LAYER_KEYS, LayerArgs, LayerConfig } from '../engine/layer';
import { optionKeys } from '../engine/options';
import { layerArgs } from '../engine/positional';
import { formatShape, Shape } from '../engine/symbolic_tensor';
import { positiveInt } from './args';

export interface ReshapeArgs extends LayerArgs {
  /** The shape of each sample, without the batch axis; one entry may be -1 (inferred). Keras: `target_shape` */
  targetShape: number[];
}

export class Reshape extends Layer {
  static override readonly optionKeys = optionKeys<ReshapeArgs>()(...LAYER_KEYS, 'targetShape');
  readonly className = 'Reshape';
  readonly targetShape: number[];

  static override readonly positional = ['targetShape'];

  constructor(targetShape: number[], options?: Omit<ReshapeArgs, 'targetShape'>);
  constructor(args: ReshapeArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<ReshapeArgs>(new.target, given);
    super(args);
    const t = args?.targetShape;
    const ok = Array.isArray(t) && t.every((d) => d === -1 || (Number.isInteger(d) && d > 0)) && t.filter((d) => d === -1).length <= 1;
    if (!ok) {
      throw new ValueError(
        `Reshape '${this.name}': \`targetShape\` must be positive integers with at most one -1, got ${JSON.stringify(t)}. help: e.g. {targetShape: [28, 28, 1]}.`,
      );
    }
    this.targetShape = [...t];
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    const rest = shape.slice(1);
    const known = rest.every((d) => d !== null);
    const size = known ? (rest as number[]).reduce((a, b) => a * b, 1) : null;
    const fixed = this.targetShape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    const hasFree = this.targetShape.includes(-1);
    if (size !== null && (hasFree ? size % fixed !== 0 : size !== fixed)) {
      throw new ValueError(
        `${this.name} (Reshape): cannot reshape input ${formatShape(shape)} (${size} values per sample) to ${JSON.stringify(this.targetShape)} ` +
          `(${hasFree ? `a multiple of ${fixed}` : fixed} values). help: choose a target shape with ${size} values, or use -1 for one dimension.`,
      );
    }
    return [shape[0], ...this.targetShape.map((d) => (d === -1 ? (size === null ? null : size / fixed) : d))];
  }

  call(x: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    void ctx;
    this.computeOutputShape(x.shape);
    return tfc.reshape(x, [x.shape[0], ...this.targetShape]);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), targetShape: this.targetShape };
  }
}

export interface PermuteArgs extends LayerArgs {
  /** A permutation of the sample axes, numbered from 1 (the batch axis stays first): e.g. [2, 1]. Keras: `dims` */
  dims: number[];
}

export class Permute extends Layer {
  static override readonly optionKeys = optionKeys<PermuteArgs>()(...LAYER_KEYS, 'dims');
  readonly className = 'Permute';
  readonly dims: number[];

  static override readonly positional = ['dims'];

  constructor(dims: number[], options?: Omit<PermuteArgs, 'dims'>);
  constructor(args: PermuteArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<PermuteArgs>(new.target, given);
    super(args);
    const d = args?.dims;
    const ok = Array.isArray(d) && [...d].sort((a, b) => a - b).every((v, i) => v === i + 1);
    if (!ok) {
      throw new ValueError(`Permute '${this.name}': \`dims\` must be a permutation of 1..n, got ${JSON.stringify(d)}. help: e.g. {dims: [2, 1]}.`);
    }
    this.dims = [...d];
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    if (shape.length !== this.dims.length + 1) {
      throw new ValueError(`${this.name} (Permute): dims ${JSON.stringify(this.dims)} need inputs of rank ${this.dims.length + 1}, got ${formatShape(shape)}.`);
    }
    return [shape[0], ...this.dims.map((d) => shape[d])];
  }

  call(x: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    void ctx;
    return tfc.transpose(x, [0, ...this.dims]);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), dims: this.dims };
  }
}

export interface RepeatVectorArgs extends LayerArgs {
  /** How many times the input vector is repeated (the output is [batch, n, features]). Keras: `n` */
  n: number;
}

/** (batch, features) -> (batch, n, features). */
export class RepeatVector extends Layer {
  static override readonly optionKeys = optionKeys<RepeatVectorArgs>()(...LAYER_KEYS, 'n');
  readonly className = 'RepeatVector';
  readonly n: number;

  static override readonly positional = ['n'];

  constructor(n: number, options?: Omit<RepeatVectorArgs, 'n'>);
  constructor(args: RepeatVectorArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<RepeatVectorArgs>(new.target, given);
    super(args);
    this.n = positiveInt(args?.n, 'n', `RepeatVector '${this.name}'`, 3);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    if (shape.length !== 2) throw new ValueError(`${this.name} (RepeatVector): expected input of rank 2 (batch, features), got ${formatShape(shape)}.`);
    return [shape[0], this.n, shape[1]];
  }

  call(x: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    void ctx;
    return tfc.tile(tfc.expandDims(x, 1), [1, this.n, 1]);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), n: this.n };
  }
}
