/**
 * Images resampled through a per-pixel displacement field, the op under RandomElasticTransform (the
 * sampling step of Keras's `ops.image.elastic_transform`, whose random field the layer draws):
 *
 *   displacementTransform(images [n, h, w, c] or [h, w, c], dx, dy, options)
 *
 * dx and dy hold n·h·w numbers (row-major over [n, h, w]); output pixel (x, y) of image b reads the
 * input at (x + dx, y + dy), through the sampler the affine op uses (image_sampling.ts: Keras's four
 * fill modes, 'bilinear' or 'nearest'). A zero field gives the images back exactly.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { samplePoints, SamplingOptions } from './image_sampling';

export function displacementTransform(images: tfc.Tensor, dx: ArrayLike<number>, dy: ArrayLike<number>, options: SamplingOptions = {}): tfc.Tensor {
  if (images.rank !== 3 && images.rank !== 4) {
    throw new ValueError(`displacementTransform: images must be [h, w, c] or [n, h, w, c], got shape [${images.shape}]. help: pass one image or a batch.`);
  }
  const [n, h, w, c] = (images.rank === 4 ? images.shape : [1, ...images.shape]) as [number, number, number, number];
  const count = n * h * w;
  if (dx.length !== count || dy.length !== count) {
    throw new ValueError(
      `displacementTransform: dx and dy must hold n·h·w = ${count} numbers each, got ${dx.length} and ${dy.length}. help: one displacement per output pixel, row-major over [n, h, w].`,
    );
  }
  const xs = new Float64Array(count);
  const ys = new Float64Array(count);
  for (let p = 0; p < count; p++) {
    xs[p] = (p % w) + dx[p];
    ys[p] = (Math.floor(p / w) % h) + dy[p];
  }
  return tfc.tidy(() => tfc.reshape(samplePoints(tfc.reshape(images, [n, h, w, c]), xs, ys, { fillMode: 'constant', ...options }), images.shape));
}
