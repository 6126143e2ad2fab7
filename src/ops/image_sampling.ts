/**
 * Reading images at arbitrary points, the one sampler behind the geometric ops (affine_transform.ts,
 * displacement_transform.ts), as Keras's `ops.image.map_coordinates` under its NumPy/JAX backends:
 *
 *   samplePoints(images [n, h, w, c], xs, ys, options)   xs, ys: n·h·w input points, one per output pixel
 *
 * The input is extended beyond its edges by `fillMode` (Keras's four: 'reflect' d c b a | a b c d | d c b a,
 * 'wrap' a b c d | a b c d, 'nearest' a a | a b c d | d d, 'constant' k k | a b c d | k k with
 * k = `fillValue`) and read 'bilinear'ly or 'nearest' (round half up).
 *
 * How: where the backend has keras-ts's ImageSample kernel (the native CPU backend), that kernel and
 * its gradient do the whole read, with the arithmetic written below. Elsewhere the sample indices and weights are plain JavaScript arithmetic on the points (they do not
 * depend on the pixels), and the pixels are read with one tfjs-core `gather` over the whole batch
 * (or, where the backend's profile says slowGather, summed in JavaScript on the host, with the same
 * gradient as tfjs-core ops). So it runs on every backend and takes a gradient with respect to the images.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { capabilities } from '../backend/profile';
import { FusedKernel, hasKernel, runFused } from '../engine/fused_kernels';

export type FillMode = 'reflect' | 'wrap' | 'constant' | 'nearest';
export type AffineInterpolation = 'bilinear' | 'nearest';
export const FILL_MODES: readonly FillMode[] = ['reflect', 'wrap', 'constant', 'nearest'];
export const AFFINE_INTERPOLATIONS: readonly AffineInterpolation[] = ['bilinear', 'nearest'];

export interface SamplingOptions {
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

function samples(shape: [number, number, number], xs: ArrayLike<number>, ys: ArrayLike<number>, o: Required<SamplingOptions>): Samples {
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
  for (let p = 0; p < count; p++) {
    const base = Math.floor(p / (h * w)) * h * w;
    const [xin, yin] = [xs[p], ys[p]];
    if (taps === 1) {
      put(0, p, base, Math.floor(yin + 0.5), Math.floor(xin + 0.5), 1);
      continue;
    }
    const y0 = Math.floor(yin);
    const x0 = Math.floor(xin);
    const dy = yin - y0;
    const dx = xin - x0;
    put(0, p, base, y0, x0, (1 - dy) * (1 - dx));
    put(1, p, base, y0, x0 + 1, (1 - dy) * dx);
    put(2, p, base, y0 + 1, x0, dy * (1 - dx));
    put(3, p, base, y0 + 1, x0 + 1, dy * dx);
  }
  return s;
}

/**
 * `images` [n, h, w, c] read at the points (xs[p], ys[p]) (p = the output pixel (b, y, x) in row-major
 * order), as float32 [n, h, w, c]. The caller checks the shapes.
 */
export function samplePoints(images: tfc.Tensor4D, xs: ArrayLike<number>, ys: ArrayLike<number>, options: SamplingOptions = {}): tfc.Tensor4D {
  const o: Required<SamplingOptions> = { interpolation: 'bilinear', fillMode: 'constant', fillValue: 0, ...options };
  const [n, h, w, c] = images.shape;
  return tfc.tidy(() => {
    if (hasKernel(FusedKernel.ImageSample)) return inKernel(tfc.cast(images, 'float32') as tfc.Tensor4D, xs, ys, o);
    const s = samples([n, h, w], xs, ys, o);
    const pixels = tfc.reshape(tfc.cast(images, 'float32'), [n * h * w, c]);
    const out = capabilities().slowGather ? sampledOnHost(pixels, s, o.fillValue) : sampled(pixels, s, o.fillValue);
    return tfc.reshape(out, [n, h, w, c]);
  });
}

/** The backend's own kernel, forward and gradient (the same arithmetic as samples() and sampled()). */
function inKernel(images: tfc.Tensor4D, xs: ArrayLike<number>, ys: ArrayLike<number>, o: Required<SamplingOptions>): tfc.Tensor4D {
  const f64 = (v: ArrayLike<number>): Float64Array => (v instanceof Float64Array ? v : Float64Array.from(v));
  const attrs = { xs: f64(xs), ys: f64(ys), interpolation: o.interpolation, fillMode: o.fillMode, fillValue: o.fillValue };
  const sample = tfc.customGrad((...args: Array<tfc.Tensor | tfc.GradSaveFunc>) => ({
    value: runFused(FusedKernel.ImageSample, { images: args[0] as tfc.Tensor }, attrs)[0],
    gradFunc: (dy: tfc.Tensor) => runFused(FusedKernel.ImageSampleGrad, { dy }, attrs)[0],
  }));
  return sample(images) as tfc.Tensor4D;
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
