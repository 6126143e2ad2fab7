/**
 * A small, bounded BMP decoder. It exists because libvips (and so sharp) has no BMP loader, and
 * Keras's image_dataset_from_directory lists .bmp among its formats. It reads what PIL's
 * BmpImagePlugin reads for the common cases and refuses the rest with a clear error:
 *   - 1, 4 and 8-bit paletted, BI_RGB (palette entries B, G, R, reserved);
 *   - 24-bit BI_RGB (B, G, R); 32-bit BI_RGB (B, G, R, ignored byte: RGB, as PIL reads it);
 *   - 32-bit BI_BITFIELDS / BI_ALPHABITFIELDS whose masks are 8-bit fields (RGBA when an alpha mask is set).
 * Refused: RLE and JPEG/PNG-in-BMP compression, 16-bit pixels, OS/2 and core headers. Bottom-up and
 * top-down (negative height) rows are both read. Sizes are checked against the file and against
 * `maxPixels` before any pixel memory is allocated.
 */
import { ValueError } from '../../engine/errors';
import type { RawImage } from './decode';

const BI_RGB = 0;
const BI_BITFIELDS = 3;
const BI_ALPHABITFIELDS = 6;

/** Whether `bytes` start like a BMP file ('BM'). */
export function isBmp(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x42 && bytes[1] === 0x4d;
}

/** Decodes a BMP file to RGB or RGBA bytes; `name` is used in errors. */
export function decodeBmp(bytes: Uint8Array, name: string, maxPixels: number): RawImage {
  const fail = (why: string): never => {
    throw new ValueError(`loadImg: cannot decode ${name} as BMP: ${why}. help: the file is corrupt or truncated, or uses a BMP variant keras-ts does not read (re-save it as PNG).`);
  };
  if (bytes.length < 54) fail(`it has ${bytes.length} bytes, fewer than a BMP header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pixelOffset = view.getUint32(10, true);
  const headerSize = view.getUint32(14, true);
  if (headerSize !== 40 && headerSize !== 52 && headerSize !== 56 && headerSize !== 108 && headerSize !== 124) {
    fail(`its ${headerSize}-byte header is not a Windows BITMAPINFOHEADER (40, 52, 56, 108 or 124 bytes)`);
  }
  const width = view.getInt32(18, true);
  const signedHeight = view.getInt32(22, true);
  const bpp = view.getUint16(28, true);
  const compression = view.getUint32(30, true);
  const colorsUsed = view.getUint32(46, true);
  const height = Math.abs(signedHeight);
  if (width <= 0 || height === 0) fail(`its size is ${width}x${signedHeight}`);
  if (width * height > maxPixels) {
    throw new ValueError(`loadImg: ${name} declares ${width}x${height} = ${width * height} pixels, more than the limit of ${maxPixels}. help: pass a larger maxPixels if you trust the file.`);
  }
  const stride = Math.floor((bpp * width + 31) / 32) * 4;
  if (pixelOffset + stride * height > bytes.length) fail(`its ${width}x${height} ${bpp}-bit pixels need ${pixelOffset + stride * height} bytes, the file has ${bytes.length} (truncated)`);
  const rowStart = (y: number): number => pixelOffset + stride * (signedHeight > 0 ? height - 1 - y : y);

  if ((bpp === 1 || bpp === 4 || bpp === 8) && compression === BI_RGB) {
    const count = colorsUsed === 0 ? 2 ** bpp : colorsUsed;
    const paletteAt = 14 + headerSize;
    if (count > 2 ** bpp || paletteAt + 4 * count > pixelOffset) fail(`its palette of ${count} colours does not fit before the pixels`);
    const out = new Uint8Array(width * height * 3);
    const perByte = 8 / bpp;
    const mask = (1 << bpp) - 1;
    for (let y = 0; y < height; y++) {
      const row = rowStart(y);
      for (let x = 0; x < width; x++) {
        const byte = bytes[row + Math.floor(x / perByte)];
        const index = (byte >> (8 - bpp * ((x % perByte) + 1))) & mask;
        if (index >= count) fail(`pixel (${x}, ${y}) uses colour ${index} of a ${count}-colour palette`);
        const p = paletteAt + 4 * index;
        const o = (y * width + x) * 3;
        out[o] = bytes[p + 2];
        out[o + 1] = bytes[p + 1];
        out[o + 2] = bytes[p];
      }
    }
    return { width, height, channels: 3, data: out };
  }
  if (bpp === 24 && compression === BI_RGB) {
    const out = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) {
      const row = rowStart(y);
      for (let x = 0, s = row, o = y * width * 3; x < width; x++, s += 3, o += 3) {
        out[o] = bytes[s + 2];
        out[o + 1] = bytes[s + 1];
        out[o + 2] = bytes[s];
      }
    }
    return { width, height, channels: 3, data: out };
  }
  if (bpp === 32 && (compression === BI_RGB || compression === BI_BITFIELDS || compression === BI_ALPHABITFIELDS)) {
    let masks = [0xff0000, 0xff00, 0xff, 0];
    if (compression !== BI_RGB) {
      const at = 54;
      const n = compression === BI_ALPHABITFIELDS || headerSize >= 56 ? 4 : 3;
      if (at + 4 * n > bytes.length) fail('its colour masks are missing');
      masks = [0, 1, 2, 3].map((i) => (i < n ? view.getUint32(at + 4 * i, true) : 0));
    }
    const shifts = masks.map((m, i) => {
      if (m === 0 && i === 3) return -1;
      const shift = Math.log2(m & -m);
      if (m === 0 || m >>> shift !== 0xff) fail(`its colour mask 0x${m.toString(16)} is not an 8-bit field`);
      return shift;
    });
    const channels = shifts[3] >= 0 ? 4 : 3;
    const out = new Uint8Array(width * height * channels);
    for (let y = 0; y < height; y++) {
      const row = rowStart(y);
      for (let x = 0; x < width; x++) {
        const v = view.getUint32(row + 4 * x, true);
        const o = (y * width + x) * channels;
        for (let c = 0; c < channels; c++) out[o + c] = (v >>> shifts[c]) & 0xff;
      }
    }
    return { width, height, channels, data: out };
  }
  return fail(`${bpp}-bit pixels with compression ${compression} are not supported (read: 1/4/8-bit paletted, 24-bit and 32-bit uncompressed or bitfields)`);
}
