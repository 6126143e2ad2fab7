/**
 * RandomTranslation: in training, each image shifted by a random fraction of its height and width
 * (positive: down / right), the uncovered part filled by `fillMode`. Inference: the identity.
 */
import type { LayerConfig } from '../../../engine/layer';
import { optionKeys } from '../../../engine/options';
import { layerArgs } from '../../../engine/positional';
import { Factor, factorRange } from './factors';
import { RANDOM_AFFINE_KEYS, RandomAffineLayer, RandomAffineLayerArgs } from './random_affine_layer';
import { Draw, uniforms } from './random_image_layer';

export interface RandomTranslationArgs extends RandomAffineLayerArgs {
  /** Vertical shift as a fraction of the height: f for [-f, f], or [lower, upper], within [-1, 1]. Keras: `height_factor` */
  heightFactor: Factor;
  /** Horizontal shift as a fraction of the width: f for [-f, f], or [lower, upper], within [-1, 1]. Keras: `width_factor` */
  widthFactor: Factor;
}

export class RandomTranslation extends RandomAffineLayer {
  static override readonly optionKeys = optionKeys<RandomTranslationArgs>()(...RANDOM_AFFINE_KEYS, 'heightFactor', 'widthFactor');
  static override readonly positional = ['heightFactor', 'widthFactor'];
  readonly className = 'RandomTranslation';
  readonly heightFactor: Factor;
  readonly widthFactor: Factor;
  private readonly heightRange: [number, number];
  private readonly widthRange: [number, number];

  constructor(heightFactor: Factor, widthFactor: Factor, options?: Omit<RandomTranslationArgs, 'heightFactor' | 'widthFactor'>);
  constructor(args: RandomTranslationArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<RandomTranslationArgs>(new.target, given);
    super(args);
    const owner = `RandomTranslation '${this.name}'`;
    this.heightRange = factorRange(args?.heightFactor, [-1, 1], 'heightFactor', owner);
    this.widthRange = factorRange(args.widthFactor, [-1, 1], 'widthFactor', owner);
    this.heightFactor = args.heightFactor;
    this.widthFactor = args.widthFactor;
  }

  protected matrices(n: number, height: number, width: number, draw: Draw): number[] {
    const dy = uniforms(draw, n, ...this.heightRange);
    const dx = uniforms(draw, n, ...this.widthRange);
    return dx.flatMap((x, i) => [1, 0, -x * width, 0, 1, -dy[i] * height, 0, 0]);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), heightFactor: this.heightFactor, widthFactor: this.widthFactor };
  }
}
