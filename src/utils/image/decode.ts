/**
 * File bytes -> 8-bit pixels. JPEG and PNG are decoded by the native addon where it loads
 * (./native_codec: libjpeg-turbo and libpng, PIL's own libraries, for the files they take whole);
 * those it leaves, and GIF (first frame), WebP and TIFF, by sharp (libvips); BMP, which libvips
 * cannot read, by ./bmp. The format is recognised from the file's first bytes, never its name.
 * Bounded: the pixel count the header declares is checked against `maxPixels` before any pixels are
 * decoded (sharp's `limitInputPixels`, the native decoders' own check), and a corrupt or truncated
 * file is a ValueError that names the file (sharp runs with failOn: 'error', so a truncated JPEG or
 * PNG is refused, not silently padded with grey).
 * Pixels are the values stored in the file, as PIL's Image.open gives them: an embedded ICC profile is
 * ignored (sharp's default would convert to sRGB: a mean of 9 levels off PIL on a Display P3 PNG), no
 * EXIF rotation is applied, 16-bit files are read at 8 bits. Measured against Debian's Pillow 9.4: JPEG
 * pixels identical (quality 75-95, 4:2:0 and 4:4:4; the tests allow a mean |diff| < 1.5 for other
 * libjpeg builds). CMYK JPEGs differ: libvips converts them to sRGB with a CMYK profile, PIL's
 * convert('RGB') uses a naive formula (mean |diff| 12.8 between the two on an RGB image written as CMYK
 * by sharp; libvips's is the closer to the original, 8.1).
 * Small 8-bit PNGs (up to 64x64) are decoded in JS (./png_small: the same pixels, a tenth of a sharp
 * call's CPU). decodeFile (the dataset loader's path) hands sharp the file's path, so that reading and
 * decoding are one job on libuv's pool; a file sharp refuses (a BMP, a corrupt file), and each PNG
 * after a small one (a `hint` the caller keeps per dataset), is read into memory and goes through
 * decodeImage, which gives the same pixels or the same error as for its bytes.
 */
import * as fs from 'fs';
import { ValueError } from '../../engine/errors';
import { decodeBmp, isBmp } from './bmp';
import { nativeDecodes, nativeImageCodec } from './native_codec';
import { decodeSmallPng, SMALL_PNG_PIXELS } from './png_small';
import { sharpModule } from './sharp_module';

/** Decoded pixels, row-major height x width x channels (1 grey, 2 grey + alpha, 3 RGB, 4 RGBA). */
export interface RawImage {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array;
}

/** The default bound on an image's declared pixels: sharp's own default, 16383 x 16383. */
export const DEFAULT_MAX_PIXELS = 0x3fff * 0x3fff;

/** The formats recognised from the first bytes of a file. */
function sniff(b: Uint8Array): string | null {
  const at = (i: number, ...v: number[]): boolean => v.every((x, j) => b[i + j] === x);
  if (at(0, 0xff, 0xd8, 0xff)) return 'jpeg';
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (at(0, 0x47, 0x49, 0x46, 0x38)) return 'gif';
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'webp';
  if (at(0, 0x49, 0x49, 0x2a, 0x00) || at(0, 0x4d, 0x4d, 0x00, 0x2a)) return 'tiff';
  if (isBmp(b)) return 'bmp';
  return null;
}

/** Decodes `bytes` (the contents of `name`, used in errors) to 8-bit pixels with the file's own channels. */
export async function decodeImage(bytes: Uint8Array, name: string, maxPixels: number): Promise<RawImage> {
  const format = sniff(bytes);
  if (format === null) {
    throw new ValueError(`loadImg: ${name} is not a JPEG, PNG, GIF, WebP, BMP or TIFF file (its first bytes are ${Array.from(bytes.subarray(0, 8), (x) => x.toString(16).padStart(2, '0')).join(' ') || 'missing'}). help: check the path, or convert the file to PNG.`);
  }
  if (format === 'bmp') return decodeBmp(bytes, name, maxPixels);
  const native = nativeDecodes(format) ? nativeImageCodec()!.decodeImage(bytes, maxPixels) : null;
  if (native !== null) return native;
  const small = format === 'png' ? decodeSmallPng(bytes, maxPixels) : null;
  if (small !== null) return small;
  try {
    return await sharpDecode(bytes, maxPixels);
  } catch (e) {
    const why = (e as Error).message.split('\n')[0];
    if (/pixel limit/i.test(why)) {
      throw new ValueError(`loadImg: ${name} declares more pixels than the limit of ${maxPixels} (${why}). help: pass a larger maxPixels if you trust the file.`);
    }
    throw new ValueError(`loadImg: cannot decode ${name} as ${format.toUpperCase()}: ${why}. help: the file is corrupt or truncated; re-save or re-download it.`);
  }
}

/** sharp's decode of a file's bytes or path (one job on libuv's pool) to 8-bit pixels. */
async function sharpDecode(input: Uint8Array | string, maxPixels: number): Promise<RawImage> {
  const sharp = sharpModule('loadImg');
  // pages: 1, page: 0 is the first frame of a GIF or animated WebP; ignoreIcc keeps the stored values, as PIL does.
  const { data, info } = await sharp(input, { limitInputPixels: maxPixels, failOn: 'error', pages: 1, page: 0, ignoreIcc: true })
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: info.channels, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

/** What decodeFile has seen of a dataset's files: whether its last PNG was small (then the next PNG is read into memory first). */
export interface DecodeHint {
  smallPng: boolean;
}

/**
 * The file at `file` decoded as decodeImage decodes its bytes. sharp reads it itself (read and decode
 * in one job on libuv's pool, no copy through JS); what sharp refuses is read into memory and decoded
 * (or refused, with decodeImage's error) from its bytes. A .bmp file, and a .png file when the last
 * PNG of `hint` was small (likely small too: decoded in JS), go to the bytes path at once.
 */
export async function decodeFile(file: string, maxPixels: number, hint: DecodeHint = { smallPng: false }): Promise<RawImage> {
  const png = /\.png$/i.test(file);
  const native = nativeDecodes(png ? 'png' : 'jpeg') && /\.(png|jpe?g)$/i.test(file); // the bytes to the addon
  if (!native && !/\.bmp$/i.test(file) && !(png && hint.smallPng)) {
    try {
      const raw = await sharpDecode(file, maxPixels);
      if (png) hint.smallPng = raw.width * raw.height <= SMALL_PNG_PIXELS;
      return raw;
    } catch {
      // decodeImage below recognises the format from the bytes, decodes it or says why it cannot.
    }
  }
  const raw = await decodeImage(new Uint8Array(await fs.promises.readFile(file)), file, maxPixels);
  if (png) hint.smallPng = raw.width * raw.height <= SMALL_PNG_PIXELS;
  return raw;
}
