/**
 * smartResize: Keras's keras.utils.smart_resize. Crops the largest centred window of the target's
 * aspect ratio, then resizes it as TensorFlow's tf.image.resize does (half-pixel centres, no
 * antialiasing), through tfjs-core's resizeBilinear / resizeNearestNeighbor with halfPixelCenters.
 * This is the TensorFlow resize path (as the dataset loader and the Resizing layer), not loadImg's PIL one.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ensureRegistered } from '../../backend/backend';
import { ValueError } from '../../engine/errors';
import { smartCrop } from './tf_resize';

/** Options of {@link smartResize}. */
export interface SmartResizeOptions {
  /** 'bilinear' or 'nearest' (Keras also has bicubic, lanczos3, lanczos5 and area, not available here). Keras: `interpolation`. @default 'bilinear' */
  interpolation?: 'bilinear' | 'nearest';
}

/**
 * An image [h, w, c] or a batch [n, h, w, c] resized to `size` = [height, width] without distorting
 * its aspect ratio, as Keras's smart_resize. Returns a new float32 tensor (bilinear) or one of the
 * input's dtype (nearest); the input is not disposed.
 */
export function smartResize<T extends tfc.Tensor3D | tfc.Tensor4D>(x: T, size: [number, number], options: SmartResizeOptions = {}): T {
  if (!Array.isArray(size) || size.length !== 2 || !size.every((v) => Number.isInteger(v) && v > 0)) {
    throw new ValueError(`smartResize: size must be [height, width] of positive integers, got ${JSON.stringify(size)}. help: e.g. smartResize(x, [224, 224]).`);
  }
  if (!(x instanceof tfc.Tensor) || x.rank < 3 || x.rank > 4) {
    const shape = x instanceof tfc.Tensor ? `of shape [${x.shape.join(', ')}]` : typeof x;
    throw new ValueError(`smartResize: expected an image tensor [height, width, channels] or a batch [n, height, width, channels], got ${shape}. help: pass e.g. imgToArray(await loadImg(path)).`);
  }
  const interpolation = options.interpolation ?? 'bilinear';
  if (interpolation !== 'bilinear' && interpolation !== 'nearest') {
    throw new ValueError(`smartResize: interpolation ${JSON.stringify(interpolation)} is not available (tfjs-core resizes with bilinear and nearest only). help: use 'bilinear' or 'nearest'.`);
  }
  ensureRegistered();
  return tfc.tidy(() => {
    const [height, width] = x.rank === 4 ? x.shape.slice(1, 3) : x.shape.slice(0, 2);
    const [top, left, cropH, cropW] = smartCrop(height, width, size[0], size[1]);
    const crop = x.rank === 4 ? tfc.slice(x, [0, top, left, 0], [-1, cropH, cropW, -1]) : tfc.slice(x, [top, left, 0], [cropH, cropW, -1]);
    const img = crop as tfc.Tensor3D | tfc.Tensor4D;
    return (interpolation === 'bilinear' ? tfc.image.resizeBilinear(img, size, false, true) : tfc.image.resizeNearestNeighbor(img, size, false, true)) as T;
  });
}
