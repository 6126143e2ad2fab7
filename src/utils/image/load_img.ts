/**
 * loadImg: Keras's keras.utils.load_img. Reads a file (or bytes), decodes it (./decode), converts it
 * to the colour mode asked as PIL's convert does, and, with targetSize, resizes it as PIL's resize
 * does (./pil_resize; default 'nearest', antialiased when shrinking for the other filters), cropping
 * first to the target's aspect ratio with keepAspectRatio. Asynchronous, unlike Keras's: decoding
 * runs on libvips's threads, not the event loop.
 */
import * as fs from 'fs';
import { ValueError } from '../../engine/errors';
import { DEFAULT_MAX_PIXELS, decodeImage } from './decode';
import { KerasImage, modeOf, type ImageMode } from './keras_image';
import { pilResize, type PilInterpolation } from './pil_resize';

/** Options of {@link loadImg}. */
export interface LoadImgOptions {
  /** The channels of the result: 'grayscale' (1), 'rgb' (3) or 'rgba' (4). Keras: `color_mode`. @default 'rgb' */
  colorMode?: 'grayscale' | 'rgb' | 'rgba';
  /** [height, width] to resize to; null keeps the file's size. Keras: `target_size`. @default null */
  targetSize?: [number, number] | null;
  /** PIL's resampling filter for targetSize. Keras: `interpolation`. @default 'nearest' */
  interpolation?: PilInterpolation;
  /** Crop the largest centred box of the target's aspect ratio before resizing. Keras: `keep_aspect_ratio`. @default false */
  keepAspectRatio?: boolean;
  /** Refuse files whose header declares more pixels than this, before decoding. Keras: none (PIL's MAX_IMAGE_PIXELS plays this part). @default 16383 * 16383 */
  maxPixels?: number;
}

const MODES: Record<string, ImageMode> = { grayscale: 'L', rgb: 'RGB', rgba: 'RGBA' };
const INTERPOLATIONS: PilInterpolation[] = ['nearest', 'bilinear', 'bicubic', 'hamming', 'box', 'lanczos'];

function checkOptions(o: LoadImgOptions): void {
  if (o.colorMode !== undefined && MODES[o.colorMode] === undefined) {
    throw new ValueError(`loadImg: colorMode must be 'grayscale', 'rgb' or 'rgba', got ${JSON.stringify(o.colorMode)}. help: e.g. {colorMode: 'rgb'}.`);
  }
  if (o.interpolation !== undefined && !INTERPOLATIONS.includes(o.interpolation)) {
    throw new ValueError(`loadImg: unknown interpolation ${JSON.stringify(o.interpolation)}. help: use one of ${INTERPOLATIONS.join(', ')}.`);
  }
  const t = o.targetSize;
  if (t !== undefined && t !== null && !(Array.isArray(t) && t.length === 2 && t.every((v) => Number.isInteger(v) && v > 0))) {
    throw new ValueError(`loadImg: targetSize must be [height, width] of positive integers, got ${JSON.stringify(t)}. help: e.g. {targetSize: [224, 224]}.`);
  }
  if (o.maxPixels !== undefined && !(Number.isInteger(o.maxPixels) && o.maxPixels > 0)) {
    throw new ValueError(`loadImg: maxPixels must be a positive integer, got ${o.maxPixels}. help: e.g. {maxPixels: 100_000_000}.`);
  }
}

async function readBytes(file: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await fs.promises.readFile(file));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ValueError(`loadImg: no such file '${file}'. help: check the path.`);
    if (code === 'EISDIR') throw new ValueError(`loadImg: '${file}' is a folder. help: pass an image file; for a folder of images use imageDatasetFromDirectory.`);
    throw e;
  }
}

/** Keras's crop box for keep_aspect_ratio: the largest centred box of the target's aspect ratio, [x0, y0, x1, y1]. */
function aspectBox(width: number, height: number, targetW: number, targetH: number): number[] {
  const cropH = Math.min(height, Math.floor((width * targetH) / targetW));
  const cropW = Math.min(width, Math.floor((height * targetW) / targetH));
  const y0 = Math.floor((height - cropH) / 2);
  const x0 = Math.floor((width - cropW) / 2);
  return [x0, y0, x0 + cropW, y0 + cropH];
}

/**
 * Loads an image file (a path, or the file's bytes) as a {@link KerasImage}, as Keras's load_img.
 * JPEG, PNG, GIF (first frame), WebP, BMP and TIFF are read; anything else, or a corrupt or truncated
 * file, is a ValueError naming the file.
 */
export async function loadImg(source: string | Uint8Array, options: LoadImgOptions = {}): Promise<KerasImage> {
  checkOptions(options);
  if (typeof source !== 'string' && !(source instanceof Uint8Array)) {
    throw new ValueError(`loadImg: expected a file path or a Uint8Array of file bytes, got ${source === null ? 'null' : typeof source}. help: pass e.g. 'cat.jpg' or fs.readFileSync('cat.jpg').`);
  }
  const name = typeof source === 'string' ? `'${source}'` : `the given bytes (${source.length} bytes)`;
  const bytes = typeof source === 'string' ? await readBytes(source) : source;
  const raw = await decodeImage(bytes, name, options.maxPixels ?? DEFAULT_MAX_PIXELS);
  let img = new KerasImage(raw.width, raw.height, modeOf(raw.channels, 'loadImg'), raw.data);
  const mode = MODES[options.colorMode ?? 'rgb'];
  if (img.mode !== mode) img = img.convert(mode);
  const target = options.targetSize ?? null;
  if (target !== null && (img.width !== target[1] || img.height !== target[0])) {
    const [h, w] = target;
    const box = options.keepAspectRatio === true ? aspectBox(img.width, img.height, w, h) : [0, 0, img.width, img.height];
    img = pilResize(img, w, h, options.interpolation ?? 'nearest', box);
  }
  return img;
}
