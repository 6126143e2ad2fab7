/**
 * One image file as the dataset loader gives it: read and decoded by sharp on libuv's pool and
 * libvips's threads (./decode's decodeFile), converted to the colour mode as PIL's convert, and resized as TensorFlow's
 * tf.image.resize to float32 values 0..255, written into a caller's buffer (one image of a batch).
 * Bilinear goes straight from the bytes (./tf_resize: tfjs-core's values exactly, far faster);
 * nearest goes through tfjs-core's resizeNearestNeighbor with half-pixel centres.
 * A file that cannot be read or decoded is an error naming it.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';
import { padResize, resizeImages } from '../../ops/image_resize';
import { DEFAULT_MAX_PIXELS, decodeFile, type DecodeHint, type RawImage } from './decode';
import { KerasImage, modeOf, type ImageMode } from './keras_image';
import { smartCrop, smartResize } from './smart_resize';
import { padRegion, resizeBilinearBytes } from './tf_resize';

/** How every image of a dataset is made. */
export interface ResizeSpec {
  mode: ImageMode;
  imageSize: [number, number];
  interpolation: 'bilinear' | 'nearest';
  crop: boolean;
  pad: boolean;
  /** What the decoder has learnt of the dataset's files (./decode's DecodeHint), kept across its images. */
  hint?: DecodeHint;
}

/** Decodes `file` and writes its resized float32 pixels [h, w, c] into `out` from `offset`. */
export async function loadResized(file: string, spec: ResizeSpec, where: string, out: Float32Array, offset: number): Promise<void> {
  let raw: RawImage;
  try {
    raw = await decodeFile(file, DEFAULT_MAX_PIXELS, spec.hint);
  } catch (e) {
    const message = (e as Error).message.replace(/^loadImg: /, '');
    throw new ValueError(`${where}: cannot decode '${file}': ${message}${/help:/.test(message) ? '' : ' help: remove or replace the file.'}`);
  }
  const decoded = new KerasImage(raw.width, raw.height, modeOf(raw.channels, where), raw.data);
  const img = decoded.mode === spec.mode ? decoded : decoded.convert(spec.mode);
  const [height, width] = spec.imageSize;
  if (spec.interpolation === 'bilinear') {
    const [top, left, cropH, cropW] = spec.crop ? smartCrop(img.height, img.width, height, width) : [0, 0, img.height, img.width];
    const region = spec.pad ? padRegion(img.height, img.width, height, width) : { top, left, height: cropH, width: cropW };
    resizeBilinearBytes(img.data, img.height, img.width, img.channels, height, width, region, out, offset);
    return;
  }
  const resized = tfc.tidy(() => {
    const x = tfc.tensor3d(new Float32Array(img.data), [img.height, img.width, img.channels]);
    if (spec.crop) return smartResize(x, spec.imageSize, { interpolation: 'nearest' });
    const batch = tfc.expandDims<tfc.Tensor4D>(x, 0);
    return spec.pad ? padResize(batch, height, width, 'nearest', 0) : resizeImages(batch, height, width, 'nearest');
  });
  out.set(await resized.data(), offset);
  resized.dispose();
}
