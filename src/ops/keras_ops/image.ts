/**
 * `k.ops.image`: Keras 3's `ops.image.resize` and `ops.image.affine_transform` (the rest in image_ops.ts and
 * map_coordinates.ts, re-exported here) over the image ops
 * the preprocessing layers use (src/ops/image_resize.ts, affine_transform.ts). Images are
 * channels-last, [n, h, w, c] or one [h, w, c]; results are float32 of the same rank.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';
import { affineTransform as sampleAffine, type AffineInterpolation, type FillMode } from '../affine_transform';
import { padResize, resizeImages, type ResizeInterpolation } from '../image_resize';
import { run, toTensor, type TensorInput } from './tensor_input';

/** Options of {@link resize}. */
export interface ResizeOptions {
  /** 'bilinear' or 'nearest' (half-pixel centres, as TensorFlow). Keras: `interpolation`. @default 'bilinear' */
  interpolation?: ResizeInterpolation;
  /** Pad with `fillValue` to the target's aspect ratio before resizing. Keras: `pad_to_aspect_ratio`. @default false */
  padToAspectRatio?: boolean;
  /** The padding value. Keras: `fill_value`. @default 0 */
  fillValue?: number;
}

/** `images` resized to `size` = [height, width]. */
export function resize(images: TensorInput, size: [number, number], options: ResizeOptions = {}): tfc.Tensor {
  const { interpolation = 'bilinear', padToAspectRatio = false, fillValue = 0 } = options;
  if (interpolation !== 'bilinear' && interpolation !== 'nearest') {
    throw new ValueError(`ops.image.resize: interpolation '${String(interpolation)}' is not supported. help: use 'bilinear' or 'nearest'.`);
  }
  return run(() => {
    const t = tfc.cast(toTensor(images), 'float32');
    if (t.rank !== 3 && t.rank !== 4) throw new ValueError(`ops.image.resize: images must be [h, w, c] or [n, h, w, c], got shape [${t.shape}]. help: pass one image or a batch.`);
    const batch = (t.rank === 3 ? tfc.expandDims(t, 0) : t) as tfc.Tensor4D;
    const out = padToAspectRatio ? padResize(batch, size[0], size[1], interpolation, fillValue) : resizeImages(batch, size[0], size[1], interpolation);
    return t.rank === 3 ? tfc.squeeze(out, [0]) : out;
  });
}

/** Options of {@link affineTransform}. */
export interface AffineTransformOpOptions {
  /** 'bilinear' or 'nearest'. Keras: `interpolation`. @default 'bilinear' */
  interpolation?: AffineInterpolation;
  /** 'constant', 'nearest', 'wrap' or 'reflect'. Keras: `fill_mode`. @default 'constant' */
  fillMode?: FillMode;
  /** The value outside the image for fillMode 'constant'. Keras: `fill_value`. @default 0 */
  fillValue?: number;
}

/**
 * `images` transformed by `transform`: 8 numbers [a0, a1, a2, b0, b1, b2, c0, c1] (or one row per
 * image) mapping each output pixel (x, y) to the input point ((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k),
 * k = c0 x + c1 y + 1.
 */
export function affineTransform(images: TensorInput, transform: TensorInput, options: AffineTransformOpOptions = {}): tfc.Tensor {
  const rows = transform instanceof tfc.Tensor ? transform.dataSync() : toTensorValues(transform);
  return run(() => sampleAffine(tfc.cast(toTensor(images), 'float32'), rows, options));
}

function toTensorValues(x: tfc.TensorLike): Float32Array {
  const t = tfc.tensor(x);
  const values = t.dataSync() as Float32Array;
  t.dispose();
  return values;
}

export * from './image_ops';
export { mapCoordinates, type MapFillMode } from './map_coordinates';
export { scaleAndTranslate, type ScaleMethod } from './scale_and_translate';
