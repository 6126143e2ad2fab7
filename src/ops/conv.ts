/**
 * Convolution arithmetic as plain tfjs-core ops, so every backend runs it with its fast Conv2D and
 * every piece has a gradient: the two backprops of a convolution, and a filter dilated explicitly.
 */
import * as tfc from '@tensorflow/tfjs-core';

/** Inserts (s - 1) zeros between neighbouring rows and columns: the input-side view of a strided output. */
export function dilateSpatial(t: tfc.Tensor4D, sh: number, sw: number): tfc.Tensor4D {
  if (sh === 1 && sw === 1) return t;
  const [n, h, w, c] = t.shape;
  const spread = tfc.pad(tfc.reshape(t, [n, h, 1, w, 1, c]), [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]);
  return tfc.slice(tfc.reshape(spread, [n, h * sh, w * sw, c]), [0, 0, 0, 0], [n, (h - 1) * sh + 1, (w - 1) * sw + 1, c]) as tfc.Tensor4D;
}

/** Pads (positive) or crops (negative) the two spatial axes. */
export function padOrCrop(t: tfc.Tensor4D, top: number, bottom: number, left: number, right: number): tfc.Tensor4D {
  const padded = tfc.pad(t, [[0, 0], [Math.max(top, 0), Math.max(bottom, 0)], [Math.max(left, 0), Math.max(right, 0)], [0, 0]]);
  const [n, h, w, c] = padded.shape;
  const [ct, cb, cl, cr] = [top, bottom, left, right].map((v) => Math.max(-v, 0));
  return ct + cb + cl + cr === 0 ? padded : tfc.slice(padded, [0, ct, cl, 0], [n, h - ct - cb, w - cl - cr, c]);
}

/**
 * dL/dx as a plain convolution: the output gradient, spread by the stride and padded, correlated
 * with the filter turned 180° and its in/out channels swapped.
 */
export function inputGradient(dy: tfc.Tensor4D, filter: tfc.Tensor4D, info: tfc.backend_util.Conv2DInfo): tfc.Tensor4D {
  const { filterHeight: kh, filterWidth: kw, inHeight: h, inWidth: w, padInfo, strideHeight: sh, strideWidth: sw } = info;
  const spread = dilateSpatial(dy, sh, sw);
  const top = kh - 1 - padInfo.top;
  const left = kw - 1 - padInfo.left;
  const bottom = h + kh - 1 - top - spread.shape[1];
  const right = w + kw - 1 - left - spread.shape[2];
  const flipped = tfc.transpose(tfc.reverse(filter, [0, 1]), [0, 1, 3, 2]) as tfc.Tensor4D;
  return tfc.conv2d(padOrCrop(spread, top, bottom, left, right), flipped, 1, 'valid');
}

/**
 * dL/dfilter as a plain convolution with batch and channels swapped: the padded input, seen as C
 * images of N channels, correlated with the output gradient as an OH×OW filter dilated by the stride.
 */
export function filterGradient(x: tfc.Tensor4D, dy: tfc.Tensor4D, info: tfc.backend_util.Conv2DInfo): tfc.Tensor4D {
  const { filterHeight: kh, filterWidth: kw, padInfo, strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow } = info;
  // Only the rows and columns the forward pass read: (OH - 1)·s + KH of them.
  const bottom = (oh - 1) * sh + kh - (x.shape[1] + padInfo.top);
  const right = (ow - 1) * sw + kw - (x.shape[2] + padInfo.left);
  const padded = padOrCrop(x, padInfo.top, bottom, padInfo.left, right);
  const images = tfc.transpose(padded, [3, 1, 2, 0]) as tfc.Tensor4D; // [C, H', W', N]
  const kernel = tfc.transpose(dy, [1, 2, 0, 3]) as tfc.Tensor4D; // [OH, OW, N, F]
  const out = tfc.conv2d(images, kernel, 1, 'valid', 'NHWC', [sh, sw]); // [C, KH, KW, F]
  return tfc.transpose(out, [1, 2, 0, 3]) as tfc.Tensor4D;
}

/** The filter a dilated convolution applies: (d - 1) zeros between taps, [KH', KW', C, F]. */
export function dilateFilter(filter: tfc.Tensor4D, dh: number, dw: number): tfc.Tensor4D {
  if (dh === 1 && dw === 1) return filter;
  const [kh, kw, c, f] = filter.shape;
  const spread = tfc.pad(tfc.reshape(filter, [kh, 1, kw, 1, c, f]), [[0, 0], [0, dh - 1], [0, 0], [0, dw - 1], [0, 0], [0, 0]]);
  return tfc.slice(tfc.reshape(spread, [kh * dh, kw * dw, c, f]), [0, 0, 0, 0], [(kh - 1) * dh + 1, (kw - 1) * dw + 1, c, f]) as tfc.Tensor4D;
}

/** Spreads `t` along each axis `axes[i]` by `rates[i]`: (r - 1) zeros between neighbours (no trailing zeros). */
export function spreadAxes<T extends tfc.Tensor>(t: T, axes: number[], rates: number[]): T {
  let out: tfc.Tensor = t;
  axes.forEach((axis, i) => {
    const r = rates[i];
    if (r === 1) return;
    const shape = out.shape;
    const len = shape[axis];
    const split = [...shape.slice(0, axis + 1), 1, ...shape.slice(axis + 1)];
    const pads = split.map((_, j): [number, number] => (j === axis + 1 ? [0, r - 1] : [0, 0]));
    const spread = tfc.reshape(tfc.pad(tfc.reshape(out, split), pads), shape.map((d, j) => (j === axis ? d * r : d)));
    out = tfc.slice(spread, shape.map(() => 0), shape.map((d, j) => (j === axis ? (len - 1) * r + 1 : d)));
  });
  return out as T;
}

/** Pads (positive) or crops (negative) each axis by [before, after]. */
export function padOrCropAxes<T extends tfc.Tensor>(t: T, margins: Array<[number, number]>): T {
  const padded = tfc.pad(t, margins.map(([a, b]) => [Math.max(a, 0), Math.max(b, 0)] as [number, number]));
  const crop = margins.map(([a, b]) => [Math.max(-a, 0), Math.max(-b, 0)]);
  if (crop.every(([a, b]) => a + b === 0)) return padded as T;
  return tfc.slice(padded, crop.map(([a]) => a), padded.shape.map((d, i) => d - crop[i][0] - crop[i][1])) as T;
}

/**
 * A 3-D transposed convolution of x [N, D, H, W, C] with filter [KD, KH, KW, F, C] (Keras's layout)
 * to `outSpatial`: x spread by the stride, padded, and correlated with the filter turned 180° and
 * its channel axes swapped, as one forward conv3d (so it has a gradient on every backend).
 */
export function convTranspose3d(x: tfc.Tensor5D, filter: tfc.Tensor5D, strides: number[], padding: 'valid' | 'same', outSpatial: number[]): tfc.Tensor5D {
  const spread = spreadAxes(x, [1, 2, 3], strides);
  const margins = outSpatial.map((len, i): [number, number] => {
    const k = filter.shape[i];
    const out = padding === 'valid' ? Math.ceil((len - k + 1) / strides[i]) : Math.ceil(len / strides[i]);
    const before = padding === 'valid' ? 0 : Math.floor(Math.max((out - 1) * strides[i] + k - len, 0) / 2);
    const top = k - 1 - before;
    return [top, len + k - 1 - top - spread.shape[i + 1]];
  });
  const padded = padOrCropAxes(spread, [[0, 0], ...margins, [0, 0]]);
  const flipped = tfc.transpose(tfc.reverse(filter, [0, 1, 2]), [0, 1, 2, 4, 3]) as tfc.Tensor5D;
  return tfc.conv3d(padded, flipped, 1, 'valid');
}
