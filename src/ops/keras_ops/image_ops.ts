/**
 * More of `k.ops.image` (Keras 3's keras/src/ops/image.py), over the image code the preprocessing
 * layers use (src/ops/color.ts, gaussian_blur.ts, homography.ts, affine_transform.ts,
 * displacement_transform.ts: one implementation each): colour conversions, gaussianBlur,
 * sobelEdges, cropImages, padImages, extractPatches (2-D and 3-D), perspectiveTransform,
 * elasticTransform and ssim. Images are [n, h, w, c] or one [h, w, c] ('channels_last', the
 * default) or channels first with `dataFormat: 'channels_first'`; results are float32.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';
import { affineTransform as sampleAffine, type AffineInterpolation, type FillMode } from '../affine_transform';
import { hsvToRgb as hsvToRgbOp, rgbToGrayscale as grayOp, rgbToHsv as rgbToHsvOp } from '../color';
import { displacementTransform } from '../displacement_transform';
import { gaussianBlur as blurOp, gaussianKernel1d } from '../gaussian_blur';
import { homography, type Quad } from '../homography';

export type { Quad };
import { normal } from '../../random/random_ops';
import { run, toTensor, type TensorInput } from './tensor_input';

export type ImageDataFormat = 'channels_last' | 'channels_first';

/** Runs `f` on a float32 [n, h, w, c] batch and gives the result back in the input's rank and format. */
function onBatch(op: string, images: TensorInput, dataFormat: ImageDataFormat | null, f: (x: tfc.Tensor4D) => tfc.Tensor): tfc.Tensor {
  return run(() => {
    let x = toTensor(images, 'float32');
    if (x.rank !== 3 && x.rank !== 4) throw new ValueError(`ops.image.${op}: images must be [h, w, c] or [n, h, w, c], got shape [${x.shape}]. help: pass one image or a batch.`);
    const single = x.rank === 3;
    if (single) x = tfc.expandDims(x, 0);
    const first = dataFormat === 'channels_first';
    if (first) x = tfc.transpose(x, [0, 2, 3, 1]);
    let y = f(x as tfc.Tensor4D);
    if (first && y.rank >= 4) y = tfc.transpose(y, [0, 3, 1, 2, ...Array.from({ length: y.rank - 4 }, (_, i) => i + 4)]);
    return single ? tfc.squeeze(y, [0]) : y;
  });
}

/** 0.2989 R + 0.5870 G + 0.1140 B, one channel. */
export function rgbToGrayscale(images: TensorInput, dataFormat: ImageDataFormat | null = null): tfc.Tensor {
  return onBatch('rgbToGrayscale', images, dataFormat, (x) => grayOp(x));
}

/** RGB to HSV, each in [0, 1] for [0, 1] input (Keras's formulas). */
export function rgbToHsv(images: TensorInput, dataFormat: ImageDataFormat | null = null): tfc.Tensor {
  return onBatch('rgbToHsv', images, dataFormat, (x) => rgbToHsvOp(x));
}

/** HSV to RGB, the inverse of rgbToHsv. */
export function hsvToRgb(images: TensorInput, dataFormat: ImageDataFormat | null = null): tfc.Tensor {
  return onBatch('hsvToRgb', images, dataFormat, (x) => hsvToRgbOp(x));
}

/** A Gaussian blur with `kernelSize` [kx, ky] taps and `sigma` [sx, sy], zeros beyond the edges (as Keras's). */
export function gaussianBlur(images: TensorInput, kernelSize: [number, number] = [3, 3], sigma: [number, number] = [1, 1], dataFormat: ImageDataFormat | null = null): tfc.Tensor {
  return onBatch('gaussianBlur', images, dataFormat, (x) => blurOp(x, kernelSize, sigma));
}

/**
 * Sobel gradients [dy, dx] in a new last axis: (n, h, w, c, 2). The edges are extended symmetrically
 * (d c b a | a b c d), as SciPy's ndimage.sobel under Keras's NumPy and JAX backends
 * (TensorFlow's own sobel_edges mirrors without repeating the edge, so borders differ there).
 */
export function sobelEdges(images: TensorInput, dataFormat: ImageDataFormat | null = null): tfc.Tensor {
  return onBatch('sobelEdges', images, dataFormat, (x) => {
    const c = x.shape[3];
    const padded = tfc.mirrorPad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], 'symmetric');
    const kernel = (k: number[][]): tfc.Tensor4D => tfc.tile(tfc.reshape(tfc.tensor2d(k), [3, 3, 1, 1]), [1, 1, c, 1]) as tfc.Tensor4D;
    const dy = tfc.depthwiseConv2d(padded, kernel([[-1, -2, -1], [0, 0, 0], [1, 2, 1]]), 1, 'valid');
    const dx = tfc.depthwiseConv2d(padded, kernel([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]), 1, 'valid');
    return tfc.stack([dy, dx], 4);
  });
}

/** Options of {@link cropImages} and {@link padImages}: give each side, or one side and the target size. */
export interface CropPadOptions {
  /** Rows removed (cropImages) or added (padImages) at the top. Keras: `top_cropping` / `top_padding`. @default from the target, else 0 */
  top?: number | null;
  /** Columns at the left. Keras: `left_cropping` / `left_padding`. @default from the target, else 0 */
  left?: number | null;
  /** Rows at the bottom. Keras: `bottom_cropping` / `bottom_padding`. @default from the target, else 0 */
  bottom?: number | null;
  /** Columns at the right. Keras: `right_cropping` / `right_padding`. @default from the target, else 0 */
  right?: number | null;
  /** The output height. Keras: `target_height`. @default from the sides */
  targetHeight?: number | null;
  /** The output width. Keras: `target_width`. @default from the sides */
  targetWidth?: number | null;
  /** Keras: `data_format`. @default 'channels_last' */
  dataFormat?: ImageDataFormat | null;
}

/** The two margins of one axis from (start, end, target) where at most one of them is missing. */
function margins(op: string, size: number, start: number | null | undefined, end: number | null | undefined, target: number | null | undefined, crop: boolean): [number, number] {
  const sign = crop ? -1 : 1;
  if ([start, end, target].filter((v) => v !== null && v !== undefined).length === 3) throw new ValueError(`ops.image.${op}: both margins and the target size were given for one axis. help: give at most two of them.`);
  let [s, e] = [start ?? null, end ?? null];
  if (target !== null && target !== undefined) {
    if (s === null && e === null) s = 0;
    if (s === null) s = sign * (target - size) - (e as number);
    else e = sign * (target - size) - s;
  }
  const out: [number, number] = [s ?? 0, e ?? 0];
  if (out.some((v) => !Number.isInteger(v) || v < 0) || (crop && out[0] + out[1] >= size)) {
    throw new ValueError(`ops.image.${op}: margins [${out}] do not fit an axis of ${size} (target ${target ?? 'none'}). help: pass non-negative margins${crop ? ' that leave at least one pixel' : ''}.`);
  }
  return out;
}

/** Crops rows and columns off each image's sides. */
export function cropImages(images: TensorInput, options: CropPadOptions = {}): tfc.Tensor {
  return onBatch('cropImages', images, options.dataFormat ?? null, (x) => {
    const [n, h, w, c] = x.shape;
    const [t, b] = margins('cropImages', h, options.top, options.bottom, options.targetHeight, true);
    const [l, r] = margins('cropImages', w, options.left, options.right, options.targetWidth, true);
    return tfc.slice(x, [0, t, l, 0], [n, h - t - b, w - l - r, c]);
  });
}

/** Pads each image's sides with zeros. */
export function padImages(images: TensorInput, options: CropPadOptions = {}): tfc.Tensor {
  return onBatch('padImages', images, options.dataFormat ?? null, (x) => {
    const [, h, w] = x.shape;
    const [t, b] = margins('padImages', h, options.top, options.bottom, options.targetHeight, false);
    const [l, r] = margins('padImages', w, options.left, options.right, options.targetWidth, false);
    return tfc.pad(x, [[0, 0], [t, b], [l, r], [0, 0]]);
  });
}

/** Options of {@link extractPatches}. */
export interface ExtractPatchesOptions {
  /** Keras: `strides`. @default the patch size */
  strides?: number | number[] | null;
  /** Keras: `dilation_rate`. @default 1 */
  dilationRate?: number | number[];
  /** 'valid' or 'same'. Keras: `padding`. @default 'valid' */
  padding?: 'valid' | 'same';
  /** Keras: `data_format`. @default 'channels_last' */
  dataFormat?: ImageDataFormat | null;
}

/** Each patch (row-major, then channels, as TensorFlow's extract_patches) flattened into the channel axis: (n, h', w', ph * pw * c). */
export function extractPatches(images: TensorInput, size: number | [number, number], options: ExtractPatchesOptions = {}): tfc.Tensor {
  const [ph, pw] = typeof size === 'number' ? [size, size] : size;
  const strides = options.strides ?? [ph, pw];
  const dil = options.dilationRate ?? 1;
  return onBatch('extractPatches', images, options.dataFormat ?? null, (x) => {
    const c = x.shape[3];
    const depth = ph * pw * c;
    const eye = tfc.reshape(tfc.eye(depth), [ph, pw, c, depth]) as tfc.Tensor4D; // output channel (i, j, ch) reads tap (i, j) of channel ch
    const s = typeof strides === 'number' ? [strides, strides] : strides;
    const d = typeof dil === 'number' ? [dil, dil] : dil;
    return tfc.conv2d(x, eye, s as [number, number], options.padding ?? 'valid', 'NHWC', d as [number, number]);
  });
}

/** 3-D patches of a volume batch (n, d, h, w, c) flattened into the channel axis: (n, d', h', w', pd * ph * pw * c). */
export function extractPatches3d(volumes: TensorInput, size: number | [number, number, number], strides: number | [number, number, number] | null = null, dilationRate: number | [number, number, number] = 1, padding: 'valid' | 'same' = 'valid'): tfc.Tensor {
  return run(() => {
    const x = toTensor(volumes, 'float32');
    if (x.rank !== 5) throw new ValueError(`ops.image.extractPatches3d: volumes must be (n, d, h, w, c), got shape [${x.shape}]. help: add the batch and channel axes.`);
    const k = typeof size === 'number' ? [size, size, size] : size;
    const c = x.shape[4] as number;
    const depth = k[0] * k[1] * k[2] * c;
    const eye = tfc.reshape(tfc.eye(depth), [k[0], k[1], k[2], c, depth]) as tfc.Tensor5D;
    const s = strides === null ? k : typeof strides === 'number' ? [strides, strides, strides] : strides;
    const d = typeof dilationRate === 'number' ? [dilationRate, dilationRate, dilationRate] : dilationRate;
    return tfc.conv3d(x as tfc.Tensor5D, eye, s as [number, number, number], padding, 'NDHWC', d as [number, number, number]);
  });
}

/** Options of {@link perspectiveTransform}. */
export interface PerspectiveOptions {
  /** Keras: `interpolation`. @default 'bilinear' */
  interpolation?: AffineInterpolation;
  /** Keras: `fill_value`. @default 0 */
  fillValue?: number;
  /** Keras: `data_format`. @default 'channels_last' */
  dataFormat?: ImageDataFormat | null;
}

/** Moves each image's four `startPoints` ([x, y]) to `endPoints` (one quad for all, or one per image), zeros (fillValue) outside. */
export function perspectiveTransform(images: TensorInput, startPoints: Quad | Quad[], endPoints: Quad | Quad[], options: PerspectiveOptions = {}): tfc.Tensor {
  return onBatch('perspectiveTransform', images, options.dataFormat ?? null, (x) => {
    const n = x.shape[0];
    const per = (q: Quad | Quad[], i: number): Quad => (Array.isArray(q[0][0]) ? (q as Quad[])[i] : (q as Quad));
    const rows = Array.from({ length: n }, (_, i) => homography(per(startPoints, i), per(endPoints, i))).flat();
    return sampleAffine(x, rows, { interpolation: options.interpolation ?? 'bilinear', fillMode: 'constant', fillValue: options.fillValue ?? 0 });
  });
}

/** Options of {@link elasticTransform}. */
export interface ElasticTransformOptions {
  /** The displacement scale. Keras: `alpha`. @default 20 */
  alpha?: number;
  /** The smoothing Gaussian's standard deviation. Keras: `sigma`. @default 5 */
  sigma?: number;
  /** Keras: `interpolation`. @default 'bilinear' */
  interpolation?: AffineInterpolation;
  /** Keras: `fill_mode`. @default 'reflect' */
  fillMode?: FillMode;
  /** Keras: `fill_value`. @default 0 */
  fillValue?: number;
  /** Keras: `seed`. @default the global seed generator */
  seed?: number;
  /** Keras: `data_format`. @default 'channels_last' */
  dataFormat?: ImageDataFormat | null;
}

/**
 * Keras's elastic distortion: a normal noise field (per pixel, dx and dy, scaled by sigma) blurred
 * by a Gaussian of sigma with int(6 sigma) | 1 taps, times alpha, read through the shared sampler.
 * (The draws are keras-ts's, not the same numbers as Keras's for a seed.)
 */
export function elasticTransform(images: TensorInput, options: ElasticTransformOptions = {}): tfc.Tensor {
  const { alpha = 20, sigma = 5, interpolation = 'bilinear', fillMode = 'reflect', fillValue = 0 } = options;
  return onBatch('elasticTransform', images, options.dataFormat ?? null, (x) => {
    const [n, h, w] = x.shape;
    const size = Math.floor(6 * sigma) | 1;
    const noise = tfc.mul(normal([2 * n, h, w, 1], options.seed === undefined ? {} : { seed: options.seed }), sigma) as tfc.Tensor4D;
    const field = tfc.mul(blurOp(noise, [size, size], [sigma, sigma]), alpha).dataSync();
    const count = n * h * w;
    return displacementTransform(x, field.subarray(0, count), field.subarray(count), { interpolation, fillMode, fillValue });
  });
}

/**
 * The structural similarity of two images (Keras's: an 11-tap Gaussian window of sigma 1.5,
 * 'valid' filtering, averaged over the pixels and channels): one number per image.
 */
export function ssim(image1: TensorInput, image2: TensorInput, maxVal = 1, filterSize = 11, filterSigma = 1.5, k1 = 0.01, k2 = 0.03, dataFormat: ImageDataFormat | null = null): tfc.Tensor {
  return run(() => {
    const toBatch = (t: tfc.Tensor): tfc.Tensor4D => {
      if (t.rank !== 3 && t.rank !== 4) throw new ValueError(`ops.image.ssim: images must be rank 3 or 4, got shape [${t.shape}]. help: pass one image or a batch.`);
      let b = t.rank === 3 ? tfc.expandDims(t, 0) : t;
      if (dataFormat === 'channels_first') b = tfc.transpose(b, [0, 2, 3, 1]);
      const [n, h, w, c] = b.shape as [number, number, number, number];
      return tfc.reshape(tfc.transpose(b, [0, 3, 1, 2]), [n * c, h, w, 1]) as tfc.Tensor4D;
    };
    const [a, b] = [toTensor(image1, 'float32'), toTensor(image2, 'float32')];
    if (a.shape.join() !== b.shape.join()) throw new ValueError(`ops.image.ssim: the images differ in shape, [${a.shape}] and [${b.shape}]. help: pass two images of the same shape.`);
    const [x, y] = [toBatch(a), toBatch(b)];
    const g = gaussianKernel1d(filterSize, filterSigma);
    const kernel = tfc.reshape(tfc.outerProduct(tfc.tensor1d(g), tfc.tensor1d(g)), [filterSize, filterSize, 1, 1]) as tfc.Tensor4D;
    const blur = (t: tfc.Tensor): tfc.Tensor => tfc.conv2d(t as tfc.Tensor4D, kernel, 1, 'valid');
    const [mu1, mu2] = [blur(x), blur(y)];
    const [c1, c2] = [(k1 * maxVal) ** 2, (k2 * maxVal) ** 2];
    const s1 = tfc.sub(blur(tfc.square(x)), tfc.square(mu1));
    const s2 = tfc.sub(blur(tfc.square(y)), tfc.square(mu2));
    const s12 = tfc.sub(blur(tfc.mul(x, y)), tfc.mul(mu1, mu2));
    const num = tfc.mul(tfc.add(tfc.mul(2, tfc.mul(mu1, mu2)), c1), tfc.add(tfc.mul(2, s12), c2));
    const den = tfc.mul(tfc.add(tfc.add(tfc.square(mu1), tfc.square(mu2)), c1), tfc.add(tfc.add(s1, s2), c2));
    const perPlane = tfc.mean(tfc.div(num, den), [1, 2, 3]);
    const batched = a.rank === 4 ? a.shape[0] : 1;
    const perImage = tfc.mean(tfc.reshape(perPlane, [batched, -1]), 1);
    return a.rank === 3 ? tfc.squeeze(perImage, [0]) : perImage;
  });
}
