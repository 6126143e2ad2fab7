/**
 * RandomRotation: in training, each image turned about its centre by a random angle, a fraction of a
 * full turn (factor 0.1: up to ±36 degrees; positive: counter-clockwise), the uncovered part filled by
 * `fillMode`. Inference: the identity.
 */
import type { LayerConfig } from '../../../engine/layer';
import { optionKeys } from '../../../engine/options';
import { layerArgs } from '../../../engine/positional';
import { Factor, factorRange } from './factors';
import { RANDOM_AFFINE_KEYS, RandomAffineLayer, RandomAffineLayerArgs } from './random_affine_layer';
import { Draw, uniforms } from './random_image_layer';

export interface RandomRotationArgs extends RandomAffineLayerArgs {
  /** The angle as a fraction of 2π: f for [-f, f], or [lower, upper], within [-1, 1]. Keras: `factor` */
  factor: Factor;
}

/** Keras's rotation about the centre ((w - 1) / 2, (h - 1) / 2) by `angle` radians, as an affine row. */
export function rotationMatrix(angle: number, height: number, width: number): number[] {
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  return [cos, -sin, cx - cx * cos + cy * sin, sin, cos, cy - cx * sin - cy * cos, 0, 0];
}

export class RandomRotation extends RandomAffineLayer {
  static override readonly optionKeys = optionKeys<RandomRotationArgs>()(...RANDOM_AFFINE_KEYS, 'factor');
  static override readonly positional = ['factor'];
  readonly className = 'RandomRotation';
  /** [lower, upper], as Keras keeps it. */
  readonly factor: [number, number];

  constructor(factor: Factor, options?: Omit<RandomRotationArgs, 'factor'>);
  constructor(args: RandomRotationArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<RandomRotationArgs>(new.target, given);
    super(args);
    this.factor = factorRange(args?.factor, [-1, 1], 'factor', `RandomRotation '${this.name}'`);
  }

  protected matrices(n: number, height: number, width: number, draw: Draw): number[] {
    const turns = uniforms(draw, n, ...this.factor);
    return turns.flatMap((t) => rotationMatrix(2 * Math.PI * t, height, width));
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), factor: this.factor };
  }
}
