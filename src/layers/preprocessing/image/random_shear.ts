/**
 * RandomShear: in training, each image sheared along x and y about its top-left corner (output pixel
 * (x, y) reads the input at (x + sx·y, y + sy·x)) by factors drawn per image from `xFactor` and
 * `yFactor`, both negated for about half the images, as Keras 3 does; the uncovered part filled by
 * `fillMode`. Inference: the identity.
 */
import type { LayerConfig } from '../../../engine/layer';
import { optionKeys } from '../../../engine/options';
import { layerArgs } from '../../../engine/positional';
import { Factor, factorRange } from './factors';
import { RANDOM_AFFINE_KEYS, RandomAffineLayer, RandomAffineLayerArgs } from './random_affine_layer';
import { Draw, uniforms } from './random_image_layer';

export interface RandomShearArgs extends RandomAffineLayerArgs {
  /** The x shear (x moves by xFactor·y): f in [0, 1] for [-f, f], or [lower, upper] within [-1, 1]. Keras: `x_factor` @default 0 */
  xFactor?: Factor;
  /** The y shear (y moves by yFactor·x): f in [0, 1] for [-f, f], or [lower, upper] within [-1, 1]. Keras: `y_factor` @default 0 */
  yFactor?: Factor;
}

/**
 * Keras's `_set_factor_with_name`: a number f in [0, 1] is the range [-f, f]; a pair is sorted. Keras
 * refuses negative pair values, so its own config of a number does not load back; here pairs may lie
 * in [-1, 1], so that configs (Keras's and ours) round-trip.
 */
function shearRange(factor: Factor | undefined, field: string, owner: string): [number, number] {
  if (Array.isArray(factor)) return factorRange(factor, [-1, 1], field, owner);
  const f = factorRange(factor ?? 0, [0, 1], field, owner)[1];
  return [-f, f];
}

export class RandomShear extends RandomAffineLayer {
  static override readonly optionKeys = optionKeys<RandomShearArgs>()(...RANDOM_AFFINE_KEYS, 'xFactor', 'yFactor');
  static override readonly positional = ['xFactor'];
  readonly className = 'RandomShear';
  /** [lower, upper], as Keras keeps them. */
  readonly xFactor: [number, number];
  readonly yFactor: [number, number];

  constructor(xFactor?: Factor, options?: Omit<RandomShearArgs, 'xFactor'>);
  constructor(args?: RandomShearArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<RandomShearArgs | undefined>(new.target, given);
    super(args);
    const owner = `RandomShear '${this.name}'`;
    this.xFactor = shearRange(args?.xFactor, 'xFactor', owner);
    this.yFactor = shearRange(args?.yFactor, 'yFactor', owner);
  }

  protected matrices(n: number, height: number, width: number, draw: Draw): number[] {
    void height;
    void width;
    const sign = uniforms(draw, n, 0, 1).map((u) => (u > 0.5 ? -1 : 1));
    const sy = uniforms(draw, n, ...this.yFactor);
    const sx = uniforms(draw, n, ...this.xFactor);
    return sign.flatMap((s, i) => [1, s * sx[i], 0, s * sy[i], 1, 0, 0, 0]);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), xFactor: this.xFactor, yFactor: this.yFactor };
  }
}
