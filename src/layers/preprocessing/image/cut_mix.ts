/**
 * CutMix: in training, each image gets a rectangle pasted from another image of the batch (a random
 * permutation), as Keras 3: alpha is drawn once per call from [lower, upper] of `factor` (plus 1e-6),
 * a weight w per image from Beta(alpha, alpha), and the rectangle has sides sqrt(1 - w) times the
 * image's, at a uniform position; it covers the pixels whose row and column indices fall in
 * [start, start + side). Given [images, labels], the labels are mixed with the weight 1 - area / image
 * area (see batch_mix_layer.ts). One image alone is left as it is. Inference: the identity.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { LayerConfig } from '../../../engine/layer';
import { optionKeys } from '../../../engine/options';
import { layerArgs } from '../../../engine/positional';
import { BatchMix, BatchMixLayer } from './batch_mix_layer';
import { Factor, factorRange } from './factors';
import { Draw, RANDOM_IMAGE_KEYS, RandomImageLayerArgs } from './random_image_layer';
import { beta, permutation } from './sampling';

export interface CutMixArgs extends RandomImageLayerArgs {
  /** The range of the Beta distribution's alpha: f for [0, f] or [lower, upper], within [0, 1]. Keras: `factor` @default 1 */
  factor?: Factor;
}

/** [start, end) of a side of `ratio` times `length` at a uniform position, one per image. */
function spans(draw: Draw, length: number, ratios: number[]): Array<[number, number]> {
  return ratios.map((r) => {
    const side = r * length;
    const start = draw() * (length - side);
    return [start, start + side];
  });
}

export class CutMix extends BatchMixLayer {
  static override readonly optionKeys = optionKeys<CutMixArgs>()(...RANDOM_IMAGE_KEYS, 'factor');
  static override readonly positional = ['factor'];
  readonly className = 'CutMix';
  /** [lower, upper], as Keras keeps it. */
  readonly factor: [number, number];

  constructor(factor?: Factor, options?: Omit<CutMixArgs, 'factor'>);
  constructor(args?: CutMixArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<CutMixArgs | undefined>(new.target, given);
    super(args);
    this.factor = factorRange(args?.factor ?? 1, [0, 1], 'factor', `CutMix '${this.name}'`);
  }

  protected mix(images: tfc.Tensor4D, draw: Draw): BatchMix {
    const [n, h, w, c] = images.shape;
    if (n === 1) return { images: tfc.clone(images), weights: [1], order: [0] };
    const alpha = this.factor[0] + (this.factor[1] - this.factor[0]) * draw() + 1e-6;
    const ratios = Array.from({ length: n }, () => Math.sqrt(1 - beta(draw, alpha, alpha)));
    const xs = spans(draw, w, ratios);
    const ys = spans(draw, h, ratios);
    const order = permutation(draw, n);
    const inside = (v: number, [start, end]: [number, number]): boolean => v >= start && v < end;
    const mask = new Uint8Array(n * h * w);
    for (let i = 0; i < n; i++) {
      for (let r = 0; r < h; r++) for (let col = 0; col < w; col++) mask[(i * h + r) * w + col] = inside(r, ys[i]) && inside(col, xs[i]) ? 1 : 0;
    }
    const pasted = tfc.broadcastTo(tfc.tensor4d(mask, [n, h, w, 1], 'bool'), [n, h, w, c]);
    const weights = xs.map(([x0, x1], i) => 1 - ((x1 - x0) * (ys[i][1] - ys[i][0])) / (w * h));
    return { images: tfc.where(pasted, tfc.gather(images, order), images), weights, order };
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), factor: this.factor };
  }
}
