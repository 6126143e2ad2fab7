/**
 * Small PNG files decoded in JS (pngjs, zlib's inflate), for the dataset loader: a sharp call costs
 * about 0.4 ms of CPU whatever the image (libvips's pipeline set up, two threads handing over), while a
 * 28x28 PNG inflates and unfilters in a few tens of microseconds. Only files whose pixels are the
 * bytes stored are taken: 8 bits per sample, grey, grey + alpha, RGB or RGBA (no palette, no tRNS
 * transparency, which libvips turns into an alpha channel), at most SMALL_PNG_PIXELS pixels. Anything
 * else, or a file pngjs cannot read, gives null and goes to sharp, which decodes it or says why not.
 * The pixels equal sharp's (and PIL's): the same channels, the stored values (ICC profiles and gAMA
 * are ignored by all three here).
 */
import { PNG } from 'pngjs';
import type { RawImage } from './decode';

/** The largest image (width x height) decoded here: 64 x 64, where JS is still faster than a sharp call. */
export const SMALL_PNG_PIXELS = 64 * 64;

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Channels by PNG colour type: grey, RGB, grey + alpha, RGBA. */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

/** The pixels of a small 8-bit PNG (see the module header) of at most `maxPixels` pixels, or null when the file is not one. */
export function decodeSmallPng(bytes: Uint8Array, maxPixels: number): RawImage | null {
  if (bytes.length < 33 || !SIGNATURE.every((v, i) => bytes[i] === v)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const channels = CHANNELS[bytes[25]];
  if (bytes[24] !== 8 || channels === undefined || width * height > Math.min(SMALL_PNG_PIXELS, maxPixels) || width * height === 0 || hasTrns(bytes, view)) return null;
  let rgba: Uint8Array;
  try {
    rgba = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).data;
  } catch {
    return null;
  }
  if (rgba.length !== width * height * 4) return null;
  const data = new Uint8Array(width * height * channels);
  for (let p = 0, o = 0; p < rgba.length; p += 4) {
    if (channels === 1) data[o++] = rgba[p];
    else if (channels === 2) (data[o++] = rgba[p]), (data[o++] = rgba[p + 3]);
    else for (let c = 0; c < channels; c++) data[o++] = rgba[p + c];
  }
  return { width, height, channels, data };
}

/** Whether a tRNS chunk comes before the image data (walking the chunk headers). */
function hasTrns(bytes: Uint8Array, view: DataView): boolean {
  for (let at = 8; at + 8 <= bytes.length; ) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]);
    if (type === 'tRNS') return true;
    if (type === 'IDAT' || type === 'IEND') return false;
    at += 12 + length;
  }
  return false;
}
