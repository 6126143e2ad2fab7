/**
 * saveImg: Keras's keras.utils.save_img. The array goes through arrayToImg, is encoded by sharp
 * (PNG, JPEG, WebP, GIF, TIFF) and written atomically (temporary file, then rename: a crash never
 * leaves half an image where a good one was). As in Keras, an RGBA image saved as JPEG loses its
 * alpha with a warning. BMP, which libvips cannot write, is written by ./bmp_encode.
 */
import * as path from 'path';
import type * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';
import { writeFileAtomic } from '../../saving/io/files';
import { warn } from '../logger';
import { arrayToImg } from './array_img';
import { encodeBmp } from './bmp_encode';
import { sharpModule } from './sharp_module';

/** Options of {@link saveImg}. */
export interface SaveImgOptions {
  /** 'png', 'jpeg' (or 'jpg'), 'webp', 'gif', 'bmp' or 'tiff'; null takes it from the path's extension. Keras: `file_format`. @default null */
  fileFormat?: 'png' | 'jpeg' | 'jpg' | 'webp' | 'gif' | 'bmp' | 'tiff' | null;
  /** Rescale the values to 0..255 first, as arrayToImg. Keras: `scale`. @default true */
  scale?: boolean;
}

const FORMATS = ['png', 'jpeg', 'jpg', 'webp', 'gif', 'bmp', 'tiff', 'tif'];

/** Saves an image array [height, width, 1 | 3 | 4] to `file`, as Keras's save_img. */
export async function saveImg(file: string, x: tfc.Tensor | number[][][], options: SaveImgOptions = {}): Promise<void> {
  const format = (options.fileFormat ?? path.extname(file).slice(1)).toLowerCase();
  if (!FORMATS.includes(format)) {
    throw new ValueError(`saveImg: cannot write '${file}' as ${JSON.stringify(format || '(no extension)')}. help: use a .png, .jpg, .webp, .gif, .bmp or .tiff path, or pass {fileFormat: 'png'}.`);
  }
  let img = arrayToImg(x, { scale: options.scale ?? true });
  const jpeg = format === 'jpeg' || format === 'jpg';
  if (jpeg && img.mode === 'RGBA') {
    warn('saveImg: the JPG format does not support RGBA images, converting to RGB.');
    img = img.convert('RGB');
  }
  if (format === 'bmp') {
    writeFileAtomic(file, encodeBmp(img));
    return;
  }
  let pipeline = sharpModule('saveImg')(img.data, { raw: { width: img.width, height: img.height, channels: img.channels as 1 | 3 | 4 } });
  // PIL's defaults: JPEG quality 75, lossy WebP quality 80.
  if (jpeg) pipeline = pipeline.jpeg({ quality: 75 });
  else if (format === 'webp') pipeline = pipeline.webp({ quality: 80 });
  else if (format === 'tiff' || format === 'tif') pipeline = pipeline.tiff();
  else if (format === 'gif') pipeline = pipeline.gif();
  else pipeline = pipeline.png();
  const bytes = await pipeline.toBuffer();
  writeFileAtomic(file, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}
