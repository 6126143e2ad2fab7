/**
 * RandomZoom: in training, each image scaled about its centre by a random factor (heightFactor -0.3:
 * up to 30% zoomed in; positive: zoomed out, the border filled by `fillMode`); without widthFactor the
 * width follows the height (aspect kept). Inference: the identity.
 */
import type { LayerConfig } from '../../../engine/layer';
import { optionKeys } from '../../../engine/options';
import { layerArgs } from '../../../engine/positional';
import { Factor, factorRange } from './factors';
import { RANDOM_AFFINE_KEYS, RandomAffineLayer, RandomAffineLayerArgs } from './random_affine_layer';
import { Draw, uniforms } from './random_image_layer';

export interface RandomZoomArgs extends RandomAffineLayerArgs {
  /** Vertical zoom: f for [-f, f], or [lower, upper], within (-1, 1]; negative zooms in. Keras: `height_factor` */
  heightFactor: Factor;
  /** Horizontal zoom, as heightFactor. Keras: `width_factor` @default undefined (the height's zoom, aspect kept) */
  widthFactor?: Factor;
}

export class RandomZoom extends RandomAffineLayer {
  static override readonly optionKeys = optionKeys<RandomZoomArgs>()(...RANDOM_AFFINE_KEYS, 'heightFactor', 'widthFactor');
  static override readonly positional = ['heightFactor'];
  readonly className = 'RandomZoom';
  readonly heightFactor: Factor;
  readonly widthFactor: Factor | undefined;
  private readonly heightRange: [number, number];
  private readonly widthRange: [number, number] | undefined;

  constructor(heightFactor: Factor, options?: Omit<RandomZoomArgs, 'heightFactor'>);
  constructor(args: RandomZoomArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<RandomZoomArgs>(new.target, given);
    super(args);
    const owner = `RandomZoom '${this.name}'`;
    this.heightRange = factorRange(args?.heightFactor, [-1, 1], 'heightFactor', owner, true);
    this.widthRange = args.widthFactor === undefined ? undefined : factorRange(args.widthFactor, [-1, 1], 'widthFactor', owner, true);
    this.heightFactor = args.heightFactor;
    this.widthFactor = args.widthFactor;
  }

  protected matrices(n: number, height: number, width: number, draw: Draw): number[] {
    const zy = uniforms(draw, n, 1 + this.heightRange[0], 1 + this.heightRange[1]);
    const zx = this.widthRange === undefined ? zy : uniforms(draw, n, 1 + this.widthRange[0], 1 + this.widthRange[1]);
    return zx.flatMap((x, i) => [x, 0, ((width - 1) / 2) * (1 - x), 0, zy[i], ((height - 1) / 2) * (1 - zy[i]), 0, 0]);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), heightFactor: this.heightFactor, widthFactor: this.widthFactor ?? null };
  }
}
