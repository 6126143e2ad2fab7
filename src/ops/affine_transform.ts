/**
 * One projective transform of images, the op the geometric augmentation layers share (RandomTranslation,
 * RandomRotation, RandomZoom, RandomShear, RandomPerspective), as Keras's `ops.image.affine_transform`:
 *
 *   affineTransform(images [n, h, w, c] or [h, w, c], transforms: n rows of 8 numbers, options)
 *
 * Each row [a0, a1, a2, b0, b1, b2, c0, c1] maps an output pixel (x, y) to the input point
 * ((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k), k = c0 x + c1 y + 1 (TensorFlow's convention);
 * one row serves every image. The input is read there by the shared sampler (image_sampling.ts:
 * Keras's four fill modes, 'bilinear' or 'nearest'), as Keras's NumPy/JAX backends do (np.pad with
 * that mode, then map_coordinates); homography.ts makes a row from four point correspondences.
 *
 * Not tfjs-core's `tf.image.transform`: on its cpu backend (4.22) every image after the first of a
 * batch comes back as zeros.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { samplePoints, SamplingOptions } from './image_sampling';

export { AFFINE_INTERPOLATIONS, FILL_MODES, mapIndex } from './image_sampling';
export type { AffineInterpolation, FillMode } from './image_sampling';

export type AffineTransformOptions = SamplingOptions;

/** The input points (xs, ys) each output pixel of the batch [n, h, w] reads under `transforms`. */
function affinePoints(shape: [number, number, number], transforms: ArrayLike<number>): [Float64Array, Float64Array] {
  const [n, h, w] = shape;
  const xs = new Float64Array(n * h * w);
  const ys = new Float64Array(n * h * w);
  for (let b = 0; b < n; b++) {
    const m = transforms.length === 8 ? 0 : 8 * b;
    const [a0, a1, a2, b0, b1, b2, c0, c1] = Array.from({ length: 8 }, (_, i) => transforms[m + i]);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const p = (b * h + y) * w + x;
        const k = c0 * x + c1 * y + 1;
        xs[p] = (a0 * x + a1 * y + a2) / k;
        ys[p] = (b0 * x + b1 * y + b2) / k;
      }
    }
  }
  return [xs, ys];
}

/**
 * `images` ([n, h, w, c] or [h, w, c]) transformed by `transforms` (n·8 numbers, or 8 for all),
 * as float32 of the same shape.
 */
export function affineTransform(images: tfc.Tensor, transforms: ArrayLike<number>, options: AffineTransformOptions = {}): tfc.Tensor {
  if (images.rank !== 3 && images.rank !== 4) {
    throw new ValueError(`affineTransform: images must be [h, w, c] or [n, h, w, c], got shape [${images.shape}]. help: pass one image or a batch.`);
  }
  const [n, h, w, c] = (images.rank === 4 ? images.shape : [1, ...images.shape]) as [number, number, number, number];
  if (transforms.length !== 8 && transforms.length !== 8 * n) {
    throw new ValueError(`affineTransform: expected 8 or ${8 * n} transform numbers for ${n} images, got ${transforms.length}. help: one row of 8 per image.`);
  }
  const [xs, ys] = affinePoints([n, h, w], transforms);
  return tfc.tidy(() => tfc.reshape(samplePoints(tfc.reshape(images, [n, h, w, c]), xs, ys, { fillMode: 'constant', ...options }), images.shape));
}
