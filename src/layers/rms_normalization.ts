/**
 * RMSNormalization: x / sqrt(mean(x², axis) + epsilon) · scale, the root-mean-square normalization
 * of "Root Mean Square Layer Normalization" (Zhang & Sennrich, 2019), with a learned `scale`
 * (initialized to ones) over the normalized axes. Keras 3's defaults: axis -1, epsilon 1e-6.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { LAYER_KEYS, LayerArgs, LayerConfig } from '../engine/layer';
import { optionKeys } from '../engine/options';
import { layerArgs } from '../engine/positional';
import { ShapePreservingLayer } from '../engine/shape_preserving_layer';
import { formatShape, Shape } from '../engine/symbolic_tensor';
import { Weight } from '../engine/weight';

export interface RMSNormalizationArgs extends LayerArgs {
  /** The axis or axes normalized over (and scaled). Keras: `axis` @default -1 */
  axis?: number | number[];
  /** Added to the mean square to avoid dividing by zero. Keras: `epsilon` @default 1e-6 */
  epsilon?: number;
}

/** `axis` (an integer or several) as sorted non-negative axes of a rank-`rank` input, checked. */
export function resolveAxes(axis: number | number[], shape: Shape, owner: string): number[] {
  const list = Array.isArray(axis) ? axis : [axis];
  const resolved = list.map((a) => (a < 0 ? shape.length + a : a));
  if (resolved.some((a, i) => !Number.isInteger(list[i]) || a <= 0 || a >= shape.length)) {
    throw new ValueError(`${owner}: axis ${JSON.stringify(axis)} is out of range for input ${formatShape(shape)}. help: use feature axes (not the batch axis), e.g. -1.`);
  }
  return [...resolved].sort((a, b) => a - b);
}

export class RMSNormalization extends ShapePreservingLayer {
  static override readonly optionKeys = optionKeys<RMSNormalizationArgs>()(...LAYER_KEYS, 'axis', 'epsilon');
  readonly className = 'RMSNormalization';
  readonly axis: number | number[];
  readonly epsilon: number;
  scale: Weight | null = null;

  static override readonly positional = ['axis'];

  constructor(axis: number | number[], options?: Omit<RMSNormalizationArgs, 'axis'>);
  constructor(args?: RMSNormalizationArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<RMSNormalizationArgs>(new.target, given) ?? {};
    super(args);
    this.axis = args.axis ?? -1;
    this.epsilon = args.epsilon ?? 1e-6;
    if (!(this.epsilon > 0)) throw new ValueError(`RMSNormalization '${this.name}': \`epsilon\` must be positive, got ${args.epsilon}. help: e.g. {epsilon: 1e-6}.`);
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    const axes = resolveAxes(this.axis, shape, `${this.name} (RMSNormalization)`);
    if (axes.some((a) => shape[a] === null)) {
      throw new ValueError(`${this.name} (RMSNormalization): the normalized axes of ${formatShape(shape)} must have known sizes. help: give the input a full shape.`);
    }
    this.scale = this.addWeight({ name: 'scale', shape: axes.map((a) => shape[a] as number), initializer: 'ones' });
  }

  call(x: tfc.Tensor): tfc.Tensor {
    const axes = resolveAxes(this.axis, x.shape, `${this.name} (RMSNormalization)`);
    const inverse = tfc.rsqrt(tfc.add(tfc.mean(tfc.square(x), axes, true), this.epsilon));
    const broadcast = x.shape.map((d, i) => (axes.includes(i) ? d : 1));
    return tfc.mul(tfc.mul(x, inverse), tfc.reshape((this.scale as Weight).value, broadcast));
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), axis: this.axis, epsilon: this.epsilon };
  }
}
