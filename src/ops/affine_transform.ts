/**
 * One projective transform of images, the op the geometric augmentation layers share (RandomTranslation,
 * RandomRotation, RandomZoom), as Keras's `ops.image.affine_transform`:
 *
 *   affineTransform(images [n, h, w, c] or [h, w, c], transforms: n rows of 8 numbers, options)
 *
 * Each row [a0, a1, a2, b0, b1, b2, c0, c1] maps an output pixel (x, y) to the input point
 * ((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k), k = c0 x + c1 y + 1 (TensorFlow's convention);
 * one row serves every image. The input is extended beyond its edges by `fillMode` (Keras's four:
 * 'reflect' d c b a | a b c d | d c b a, 'wrap' a b c d | a b c d, 'nearest' a a | a b c d | d d,
 * 'constant' k k | a b c d | k k with k = `fillValue`) and sampled there 'bilinear'ly or 'nearest'
 * (round half up), as Keras's NumPy/JAX backends do (np.pad with that mode, then map_coordinates).
 *
 * How: the sample indices and weights are plain JavaScript arithmetic on the matrices (they depend on
 * shapes and the matrices only), and the pixels are read with one tfjs-core `gather` over the whole
 * batch (or, where the backend's profile says slowGather, summed in JavaScript on the host, with
 * the same gradient as tfjs-core ops). So it runs on every backend, takes a gradient with respect
 * to the images, and handles a batch with one matrix per image. Not tfjs-core's `tf.image.transform`: on its cpu backend (4.22)
 * every image after the first of a batch comes back as zeros.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { capabilities } from '../backend/profile';
import { ValueError } from '../engine/errors';

export type FillMode = 'reflect' | 'wrap' | 'constant' | 'nearest';
export type AffineInterpolation = 'bilinear' | 'nearest';
export const FILL_MODES: readonly FillMode[] = ['reflect', 'wrap', 'constant', 'nearest'];
export const AFFINE_INTERPOLATIONS: readonly AffineInterpolation[] = ['bilinear', 'nearest'];

export interface AffineTransformOptions {
  /** @default 'bilinear' */
  interpolation?: AffineInterpolation;
  /** @default 'constant' */
  fillMode?: FillMode;
  /** The value outside the image for fillMode 'constant'. @default 0 */
  fillValue?: number;
}

/** The in-image index that `i` reads under `mode`, or -1 when it reads the fill value. */
export function mapIndex(i: number, size: number, mode: FillMode): number {
  if (i >= 0 && i < size) return i;
  switch (mode) {
    case 'constant':
      return -1;
    case 'nearest':
      return i < 0 ? 0 : size - 1;
    case 'wrap':
      return ((i % size) + size) % size;
    case 'reflect': {
      const m = ((i % (2 * size)) + 2 * size) % (2 * size);
      return m < size ? m : 2 * size - 1 - m;
    }
  }
}

/** Indices into the flattened pixels and their weights: `taps` samples per output pixel. */
interface Samples {
  taps: number;
  index: Int32Array; // [taps, n·h·w], pixel row in [n·h·w] (0 where the fill value is read)
  weight: Float32Array; // [taps, n·h·w], 0 where the fill value is read
  fill: Float32Array; // [n·h·w], the total weight of the fill value
}

function samples(shape: [number, number, number], transforms: ArrayLike<number>, o: Required<AffineTransformOptions>): Samples {
  const [n, h, w] = shape;
  const count = n * h * w;
  const taps = o.interpolation === 'bilinear' ? 4 : 1;
  const s: Samples = { taps, index: new Int32Array(taps * count), weight: new Float32Array(taps * count), fill: new Float32Array(count) };
  const put = (tap: number, p: number, base: number, yi: number, xi: number, wt: number): void => {
    const y = mapIndex(yi, h, o.fillMode);
    const x = mapIndex(xi, w, o.fillMode);
    if (y < 0 || x < 0) {
      s.fill[p] += wt;
      return;
    }
    s.index[tap * count + p] = base + y * w + x;
    s.weight[tap * count + p] = wt;
  };
  for (let b = 0; b < n; b++) {
    const m = transforms.length === 8 ? 0 : 8 * b;
    const [a0, a1, a2, b0, b1, b2, c0, c1] = Array.from({ length: 8 }, (_, i) => transforms[m + i]);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const p = (b * h + y) * w + x;
        const k = c0 * x + c1 * y + 1;
        const xin = (a0 * x + a1 * y + a2) / k;
        const yin = (b0 * x + b1 * y + b2) / k;
        if (taps === 1) {
          put(0, p, b * h * w, Math.floor(yin + 0.5), Math.floor(xin + 0.5), 1);
          continue;
        }
        const y0 = Math.floor(yin);
        const x0 = Math.floor(xin);
        const dy = yin - y0;
        const dx = xin - x0;
        put(0, p, b * h * w, y0, x0, (1 - dy) * (1 - dx));
        put(1, p, b * h * w, y0, x0 + 1, (1 - dy) * dx);
        put(2, p, b * h * w, y0 + 1, x0, dy * (1 - dx));
        put(3, p, b * h * w, y0 + 1, x0 + 1, dy * dx);
      }
    }
  }
  return s;
}

/**
 * `images` ([n, h, w, c] or [h, w, c]) transformed by `transforms` (n·8 numbers, or 8 for all),
 * as float32 of the same shape.
 */
export function affineTransform(images: tfc.Tensor, transforms: ArrayLike<number>, options: AffineTransformOptions = {}): tfc.Tensor {
  const o: Required<AffineTransformOptions> = { interpolation: 'bilinear', fillMode: 'constant', fillValue: 0, ...options };
  if (images.rank !== 3 && images.rank !== 4) {
    throw new ValueError(`affineTransform: images must be [h, w, c] or [n, h, w, c], got shape [${images.shape}]. help: pass one image or a batch.`);
  }
  const [n, h, w, c] = (images.rank === 4 ? images.shape : [1, ...images.shape]) as [number, number, number, number];
  if (transforms.length !== 8 && transforms.length !== 8 * n) {
    throw new ValueError(`affineTransform: expected 8 or ${8 * n} transform numbers for ${n} images, got ${transforms.length}. help: one row of 8 per image.`);
  }
  return tfc.tidy(() => {
    const s = samples([n, h, w], transforms, o);
    const pixels = tfc.reshape(tfc.cast(images, 'float32'), [n * h * w, c]);
    const out = capabilities().slowGather ? sampledOnHost(pixels, s, o.fillValue) : sampled(pixels, s, o.fillValue);
    return tfc.reshape(out, images.shape);
  });
}

/** The weighted taps read with Gather: [n·h·w, c]. */
function sampled(pixels: tfc.Tensor, s: Samples, fillValue: number): tfc.Tensor {
  const [count, c] = pixels.shape;
  const read = tfc.reshape(tfc.gather(pixels, tfc.tensor1d(s.index, 'int32')), [s.taps, count, c]);
  const out = tfc.sum(tfc.mul(read, tfc.tensor3d(s.weight, [s.taps, count, 1])), 0);
  return fillValue === 0 ? out : tfc.add(out, tfc.mul(tfc.tensor2d(s.fill, [count, 1]), fillValue));
}

/**
 * The same sum computed in JavaScript on the pixels' values, for backends whose data lives on the
 * host and whose Gather is slow (tfjs cpu: 3.8 s against 0.2 s for 32 images of 224 x 224 x 3); its
 * gradient (the taps' weights scattered back with UnsortedSegmentSum) runs as tfjs-core ops.
 */
function sampledOnHost(pixels: tfc.Tensor, s: Samples, fillValue: number): tfc.Tensor {
  const [count, c] = pixels.shape;
  const forward = tfc.customGrad((...args: Array<tfc.Tensor | tfc.GradSaveFunc>) => {
    const values = (args[0] as tfc.Tensor).dataSync();
    const out = new Float32Array(count * c);
    for (let t = 0; t < s.taps; t++) {
      for (let p = 0; p < count; p++) {
        const wt = s.weight[t * count + p];
        if (wt === 0) continue;
        const from = s.index[t * count + p] * c;
        for (let ch = 0; ch < c; ch++) out[p * c + ch] += wt * values[from + ch];
      }
    }
    if (fillValue !== 0) for (let p = 0; p < count; p++) for (let ch = 0; ch < c; ch++) out[p * c + ch] += s.fill[p] * fillValue;
    const gradFunc = (dy: tfc.Tensor): tfc.Tensor => {
      const weighted = tfc.mul(tfc.tile(dy, [s.taps, 1]), tfc.tensor2d(s.weight, [s.taps * count, 1]));
      return tfc.unsortedSegmentSum(weighted, tfc.tensor1d(s.index, 'int32'), count);
    };
    return { value: tfc.tensor2d(out, [count, c]), gradFunc };
  });
  return forward(pixels);
}
