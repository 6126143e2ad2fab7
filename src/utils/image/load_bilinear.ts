/**
 * One image file as the dataset loader gives it (bilinear or nearest), all on the CPU and without
 * tfjs-core (so the image workers, ./image_worker.js, load it alone): read and decoded by ./decode's
 * decodeFile (the native addon's decoders, or sharp; small PNGs and BMPs in JS), converted to the
 * colour mode as PIL's convert, cropped (smart_resize's window) or padded (Keras's
 * pad_to_aspect_ratio) and resized as TensorFlow's tf.image.resize ('bilinear' or 'nearest') to
 * float32 values 0..255 (./tf_resize), written into a caller's buffer (one image of a batch). The
 * same function runs on the main thread or in a worker, so both give the same bits. A file that
 * cannot be read or decoded is a ValueError naming it. loadBilinearBatch makes many at once: where
 * the native addon loads (./native_codec), its loadImages reads, decodes, converts and resizes the
 * JPEG and PNG files in one call, with the same bits, and the files it leaves go through loadBilinear.
 */
import { ValueError } from '../../engine/errors';
import { DEFAULT_MAX_PIXELS, decodeFile, type DecodeHint, type RawImage } from './decode';
import { KerasImage, modeOf, type ImageMode } from './keras_image';
import { nativeImageCodec } from './native_codec';
import { padRegion, resizeBilinearBytes, resizeNearestBytes, smartCrop } from './tf_resize';

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

/** `file` decoded and converted to `mode`; an error names `where` and the file. */
export async function decodeAs(file: string, mode: ImageMode, where: string, hint?: DecodeHint): Promise<KerasImage> {
  let raw: RawImage;
  try {
    raw = await decodeFile(file, DEFAULT_MAX_PIXELS, hint);
  } catch (e) {
    const message = (e as Error).message.replace(/^loadImg: /, '');
    throw new ValueError(`${where}: cannot decode '${file}': ${message}${/help:/.test(message) ? '' : ' help: remove or replace the file.'}`);
  }
  const decoded = new KerasImage(raw.width, raw.height, modeOf(raw.channels, where), raw.data);
  return decoded.mode === mode ? decoded : decoded.convert(mode);
}

/** Decodes `file` and writes its resized float32 pixels [h, w, c] (bilinear, or nearest as spec says) into `out` from `offset`. */
export async function loadBilinear(file: string, spec: ResizeSpec, where: string, out: Float32Array, offset: number): Promise<void> {
  const img = await decodeAs(file, spec.mode, where, spec.hint);
  const [height, width] = spec.imageSize;
  const [top, left, cropH, cropW] = spec.crop ? smartCrop(img.height, img.width, height, width) : [0, 0, img.height, img.width];
  const region = spec.pad ? padRegion(img.height, img.width, height, width) : { top, left, height: cropH, width: cropW };
  const resize = spec.interpolation === 'nearest' ? resizeNearestBytes : resizeBilinearBytes;
  resize(img.data, img.height, img.width, img.channels, height, width, region, out, offset);
}

const CHANNELS: Record<ImageMode, number> = { L: 1, LA: 2, RGB: 3, RGBA: 4 };

/** loadBilinear for each file, into `out` from offsets[i]: the native addon's loadImages first where it loads (see the module header). */
export async function loadBilinearBatch(files: string[], spec: ResizeSpec, where: string, out: Float32Array, offsets: number[]): Promise<void> {
  const codec = nativeImageCodec();
  const channels = CHANNELS[spec.mode];
  let done: Uint8Array | null = null;
  if (codec !== null && channels !== 2 && !(spec.crop && spec.pad)) {
    const paths = Buffer.from(files.map((f) => `${f}\0`).join(''), 'utf8');
    const nearest = spec.interpolation === 'nearest' ? 1 : 0;
    done = codec.loadImages(paths, out, offsets, [channels, spec.imageSize[0], spec.imageSize[1], spec.crop ? 1 : 0, spec.pad ? 1 : 0, DEFAULT_MAX_PIXELS, nearest]);
  }
  await Promise.all(files.map((file, i) => (done !== null && done[i] === 1 ? undefined : loadBilinear(file, spec, where, out, offsets[i]))));
}
