/**
 * imgToArray and arrayToImg: Keras's img_to_array and array_to_img, between a KerasImage and a
 * float32 tensor [height, width, channels] (channels last; values 0..255 as the image's bytes).
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ensureRegistered } from '../../backend/backend';
import { ValueError } from '../../engine/errors';
import { KerasImage, modeOf } from './keras_image';

/** Options of {@link arrayToImg}. */
export interface ArrayToImgOptions {
  /** Rescale the values to 0..255 (subtract the minimum, divide by the maximum, times 255). Keras: `scale`. @default true */
  scale?: boolean;
}

/** The image as a float32 tensor [height, width, channels] of 0..255 values, as Keras's img_to_array. */
export function imgToArray(img: KerasImage): tfc.Tensor3D {
  if (!(img instanceof KerasImage)) {
    throw new ValueError(`imgToArray: expected a KerasImage, got ${img === null ? 'null' : typeof img}. help: pass what loadImg or arrayToImg returns.`);
  }
  ensureRegistered(); // may be a program's first keras-ts call that makes a tensor
  return tfc.tensor3d(Float32Array.from(img.data), [img.height, img.width, img.channels], 'float32');
}

/**
 * A tensor [height, width, 1 | 3 | 4] (or its nested arrays) as a KerasImage ('L', 'RGB' or 'RGBA'),
 * as Keras's array_to_img. With scale, values are shifted and stretched to 0..255 first. Values are
 * then truncated to integers as NumPy's astype('uint8') does; values outside 0..255 are clamped (NumPy
 * would wrap them around).
 */
export function arrayToImg(x: tfc.Tensor | number[][][], options: ArrayToImgOptions = {}): KerasImage {
  const shape = x instanceof tfc.Tensor ? x.shape : [x.length, x[0]?.length ?? 0, x[0]?.[0]?.length ?? 0];
  if (shape.length !== 3) {
    throw new ValueError(`arrayToImg: expected an image array of rank 3 [height, width, channels], got shape [${shape.join(', ')}]. help: take one image of a batch, e.g. x.squeeze([0]) or x.slice(...).`);
  }
  const [h, w, c] = shape;
  const mode = modeOf(c, 'arrayToImg');
  const values = x instanceof tfc.Tensor ? Float64Array.from(x.dataSync()) : Float64Array.from(x.flat(2));
  if (values.length !== h * w * c) {
    throw new ValueError(`arrayToImg: the nested arrays are ragged (${values.length} values for shape [${h}, ${w}, ${c}]). help: every row needs ${w} pixels of ${c} channels.`);
  }
  if (options.scale ?? true) {
    let min = Infinity;
    for (const v of values) min = Math.min(min, v);
    let max = -Infinity;
    for (let i = 0; i < values.length; i++) max = Math.max(max, (values[i] -= min));
    if (max !== 0) for (let i = 0; i < values.length; i++) values[i] = (values[i] / max) * 255;
  }
  const data = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) data[i] = Math.min(255, Math.max(0, Math.trunc(values[i])));
  return new KerasImage(w, h, mode, data);
}
