/**
 * Colour-space conversions of images, as Keras's `ops.image.rgb_to_hsv` / `hsv_to_rgb` /
 * `rgb_to_grayscale` (channels last, any batch rank, float32):
 *
 *   rgbToHsv(x [..., 3]) -> [..., 3] hue in [0, 1), saturation in [0, 1], value = max(r, g, b)
 *   hsvToRgb(x [..., 3]) -> [..., 3], its inverse (the hue taken modulo 1)
 *   rgbToGrayscale(x [..., 3]) -> [..., 1], 0.2989 R + 0.5870 G + 0.1140 B (TensorFlow's weights)
 *
 * The formulas are Keras 3's (after dm_pix): values with |x| below float32's epsilon count as 0, a grey
 * pixel (max = min) has hue 0 and a black one saturation 0. Saturation and hue do not depend on the scale
 * of the values, and value is the largest channel, so [0, 1] and [0, 255] images both convert.
 * Plain tfjs-core ops: every backend, differentiable, no host reads.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';

const FLOAT32_EPS = 2 ** -23;
const LUMA = [0.2989, 0.587, 0.114];

function channels(x: tfc.Tensor, op: string): [tfc.Tensor, tfc.Tensor, tfc.Tensor] {
  if (x.rank < 1 || x.shape[x.rank - 1] !== 3) {
    throw new ValueError(`${op}: expected 3 channels on the last axis, got shape [${x.shape}]. help: pass RGB (or HSV) images [..., height, width, 3].`);
  }
  const float = x.dtype === 'float32' ? x : tfc.cast(x, 'float32');
  return tfc.split(float, 3, -1) as [tfc.Tensor, tfc.Tensor, tfc.Tensor];
}

/** RGB -> HSV on the last axis, as Keras's ops.image.rgb_to_hsv. */
export function rgbToHsv(images: tfc.Tensor): tfc.Tensor {
  return tfc.tidy(() => {
    const [r, g, b] = channels(images, 'rgbToHsv').map((c) => tfc.where(tfc.less(tfc.abs(c), FLOAT32_EPS), tfc.zerosLike(c), c));
    const value = tfc.maximum(tfc.maximum(r, g), b);
    const range = tfc.sub(value, tfc.minimum(tfc.minimum(r, g), b));
    const one = tfc.onesLike(value);
    const positive = tfc.greater(value, 0);
    const spread = tfc.greater(range, 0);
    const saturation = tfc.where(positive, tfc.div(range, tfc.where(positive, value, one)), tfc.zerosLike(value));
    const norm = tfc.div(1, tfc.mul(6, tfc.where(spread, range, one)));
    let hue = tfc.where(tfc.equal(value, g), tfc.add(tfc.mul(norm, tfc.sub(b, r)), 2 / 6), tfc.add(tfc.mul(norm, tfc.sub(r, g)), 4 / 6));
    hue = tfc.where(tfc.equal(value, r), tfc.mul(norm, tfc.sub(g, b)), hue);
    hue = tfc.add(tfc.where(spread, hue, tfc.zerosLike(hue)), tfc.cast(tfc.less(hue, 0), 'float32'));
    return tfc.concat([hue, saturation, value], -1);
  });
}

/** HSV -> RGB on the last axis, as Keras's ops.image.hsv_to_rgb. */
export function hsvToRgb(images: tfc.Tensor): tfc.Tensor {
  return tfc.tidy(() => {
    const [hue, saturation, value] = channels(images, 'hsvToRgb');
    const dh = tfc.mul(tfc.mod(hue, 1), 6);
    const dr = tfc.clipByValue(tfc.sub(tfc.abs(tfc.sub(dh, 3)), 1), 0, 1);
    const dg = tfc.clipByValue(tfc.sub(2, tfc.abs(tfc.sub(dh, 2))), 0, 1);
    const db = tfc.clipByValue(tfc.sub(2, tfc.abs(tfc.sub(dh, 4))), 0, 1);
    const oneMinusS = tfc.sub(1, saturation);
    const plane = (d: tfc.Tensor): tfc.Tensor => tfc.mul(value, tfc.add(oneMinusS, tfc.mul(saturation, d)));
    return tfc.concat([plane(dr), plane(dg), plane(db)], -1);
  });
}

/** The luma of RGB images, one channel: 0.2989 R + 0.5870 G + 0.1140 B (Keras's ops.image.rgb_to_grayscale). */
export function rgbToGrayscale(images: tfc.Tensor): tfc.Tensor {
  return tfc.tidy(() => {
    const [r, g, b] = channels(images, 'rgbToGrayscale');
    return tfc.addN([tfc.mul(r, LUMA[0]), tfc.mul(g, LUMA[1]), tfc.mul(b, LUMA[2])]);
  });
}
