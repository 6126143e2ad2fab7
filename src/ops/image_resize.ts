/**
 * Resizing images as Keras's `ops.image.resize` on TensorFlow: half-pixel centres (TF's rule),
 * 'bilinear' or 'nearest', and Keras's pad_to_aspect_ratio (pad with a value to the target's ratio
 * first). Its other way to keep the ratio, crop_to_aspect_ratio, is utils/image/smart_resize.ts.
 * Images are [n, h, w, c], float32.
 */
import * as tfc from '@tensorflow/tfjs-core';

export type ResizeInterpolation = 'bilinear' | 'nearest';
export const RESIZE_INTERPOLATIONS: readonly ResizeInterpolation[] = ['bilinear', 'nearest'];

/** `images` [n, h, w, c] resized to [n, height, width, c]. */
export function resizeImages(images: tfc.Tensor4D, height: number, width: number, interpolation: ResizeInterpolation): tfc.Tensor4D {
  if (images.shape[1] === height && images.shape[2] === width) return tfc.clone(images);
  return interpolation === 'nearest'
    ? tfc.image.resizeNearestNeighbor(images, [height, width], false, true)
    : tfc.image.resizeBilinear(images, [height, width], false, true);
}

/** Keras's pad_to_aspect_ratio: `fillValue` borders (the same on both sides) to the target's ratio, then the resize. */
export function padResize(images: tfc.Tensor4D, height: number, width: number, interpolation: ResizeInterpolation, fillValue: number): tfc.Tensor4D {
  const [, h, w] = images.shape;
  const top = Math.trunc((Math.max(h, Math.trunc((w * height) / width)) - h) / 2);
  const left = Math.trunc((Math.max(w, Math.trunc((h * width) / height)) - w) / 2);
  return tfc.tidy(() => {
    const padded = tfc.pad(images, [[0, 0], [top, top], [left, left], [0, 0]], fillValue);
    return resizeImages(padded, height, width, interpolation);
  });
}
