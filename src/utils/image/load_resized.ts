/**
 * One image file as the dataset loader gives it on the main thread: bilinear through ./load_bilinear
 * (decode, PIL's colour conversion, TensorFlow's half-pixel resize straight from the bytes: tfjs-core's
 * values exactly, far faster); nearest decodes the same way, then goes through tfjs-core's
 * resizeNearestNeighbor with half-pixel centres. Written into a caller's buffer (one image of a batch).
 * The image workers (./image_workers) run loadBilinear off the main thread instead.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { padResize, resizeImages } from '../../ops/image_resize';
import { decodeAs, loadBilinear, type ResizeSpec } from './load_bilinear';
import { smartResize } from './smart_resize';

export type { ResizeSpec } from './load_bilinear';

/** Decodes `file` and writes its resized float32 pixels [h, w, c] into `out` from `offset`. */
export async function loadResized(file: string, spec: ResizeSpec, where: string, out: Float32Array, offset: number): Promise<void> {
  if (spec.interpolation === 'bilinear') return loadBilinear(file, spec, where, out, offset);
  const img = await decodeAs(file, spec.mode, where, spec.hint);
  const [height, width] = spec.imageSize;
  const resized = tfc.tidy(() => {
    const x = tfc.tensor3d(new Float32Array(img.data), [img.height, img.width, img.channels]);
    if (spec.crop) return smartResize(x, spec.imageSize, { interpolation: 'nearest' });
    const batch = tfc.expandDims<tfc.Tensor4D>(x, 0);
    return spec.pad ? padResize(batch, height, width, 'nearest', 0) : resizeImages(batch, height, width, 'nearest');
  });
  out.set(await resized.data(), offset);
  resized.dispose();
}
