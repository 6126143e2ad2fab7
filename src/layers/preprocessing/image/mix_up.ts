/**
 * MixUp: in training, each image becomes w · x + (1 - w) · x[p] with p a random permutation of the batch
 * and w drawn per image from Beta(alpha, alpha), as Keras 3; given [images, labels] the labels are mixed
 * with the same w and p (see batch_mix_layer.ts). One image alone is mixed with itself: unchanged.
 * Inference: the identity.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../../engine/errors';
import type { LayerConfig } from '../../../engine/layer';
import { optionKeys } from '../../../engine/options';
import { layerArgs } from '../../../engine/positional';
import { BatchMix, BatchMixLayer } from './batch_mix_layer';
import { Draw, RANDOM_IMAGE_KEYS, RandomImageLayerArgs } from './random_image_layer';
import { beta, permutation } from './sampling';

export interface MixUpArgs extends RandomImageLayerArgs {
  /** The shape of the Beta(alpha, alpha) distribution of the mixing weights, positive. Keras: `alpha` @default 0.2 */
  alpha?: number;
}

export class MixUp extends BatchMixLayer {
  static override readonly optionKeys = optionKeys<MixUpArgs>()(...RANDOM_IMAGE_KEYS, 'alpha');
  static override readonly positional = ['alpha'];
  readonly className = 'MixUp';
  readonly alpha: number;

  constructor(alpha?: number, options?: Omit<MixUpArgs, 'alpha'>);
  constructor(args?: MixUpArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<MixUpArgs | undefined>(new.target, given);
    super(args);
    this.alpha = args?.alpha ?? 0.2;
    if (typeof this.alpha !== 'number' || !(this.alpha > 0) || !Number.isFinite(this.alpha)) {
      throw new ValueError(`MixUp '${this.name}': \`alpha\` must be a positive number, got ${args?.alpha}. help: e.g. {alpha: 0.2}.`);
    }
  }

  protected mix(images: tfc.Tensor4D, draw: Draw): BatchMix {
    const n = images.shape[0];
    const order = permutation(draw, n);
    const weights = Array.from({ length: n }, () => beta(draw, this.alpha, this.alpha));
    const w = tfc.tensor4d(weights, [n, 1, 1, 1]);
    const mixed = tfc.add(tfc.mul(w, images), tfc.mul(tfc.sub(1, w), tfc.gather(images, order)));
    return { images: mixed, weights, order };
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}
