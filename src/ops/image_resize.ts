/**
 * Resizing images as Keras's `ops.image.resize` on TensorFlow: half-pixel centres (TF's rule),
 * 'bilinear' or 'nearest', with Keras's two ways to keep the aspect ratio: crop the largest centred
 * window of the target's ratio first (`smart_resize`, cropToAspectRatio) or pad the image with a
 * value to that ratio first (padToAspectRatio). Images are [n, h, w, c], float32.
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

/** The largest centred window of an h x w image with the ratio height : width, as Keras's smart_resize: [top, left, rows, cols]. */
export function aspectCropBox(h: number, w: number, height: number, width: number): [number, number, number, number] {
  const rows = Math.max(Math.min(h, Math.trunc((w * height) / width)), 1);
  const cols = Math.max(Math.min(w, Math.trunc((h * width) / height)), 1);
  return [Math.trunc((h - rows) / 2), Math.trunc((w - cols) / 2), rows, cols];
}

/** Keras's smart_resize: the largest centred window of the target's aspect ratio, resized to it. */
export function smartResize(images: tfc.Tensor4D, height: number, width: number, interpolation: ResizeInterpolation): tfc.Tensor4D {
  const [, h, w, c] = images.shape;
  const [top, left, rows, cols] = aspectCropBox(h, w, height, width);
  return tfc.tidy(() => resizeImages(tfc.slice(images, [0, top, left, 0], [-1, rows, cols, c]), height, width, interpolation));
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
