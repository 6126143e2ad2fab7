/**
 * A BMP writer for saveImg (libvips has none): 'L' as 8-bit with a grey palette, 'RGB' as 24-bit,
 * 'RGBA' as 32-bit BI_BITFIELDS with a BITMAPV4HEADER carrying the alpha mask (so alpha survives, and
 * Pillow and ./bmp read it back as RGBA). Rows bottom-up, each padded to 4 bytes, as the format wants.
 */
import type { KerasImage } from './keras_image';

/** `img` as the bytes of a BMP file. */
export function encodeBmp(img: KerasImage): Uint8Array {
  const c = img.channels === 2 ? 4 : img.channels;
  const src = img.channels === 2 ? img.convert('RGBA') : img;
  const bpp = c * 8;
  const header = c === 4 ? 108 : 40;
  const paletteBytes = c === 1 ? 256 * 4 : 0;
  const offset = 14 + header + paletteBytes;
  const stride = Math.floor((bpp * img.width + 31) / 32) * 4;
  const out = new Uint8Array(offset + stride * img.height);
  const v = new DataView(out.buffer);
  out[0] = 0x42;
  out[1] = 0x4d;
  v.setUint32(2, out.length, true);
  v.setUint32(10, offset, true);
  v.setUint32(14, header, true);
  v.setInt32(18, img.width, true);
  v.setInt32(22, img.height, true);
  v.setUint16(26, 1, true);
  v.setUint16(28, bpp, true);
  v.setUint32(30, c === 4 ? 3 : 0, true); // BI_BITFIELDS for RGBA, BI_RGB otherwise
  v.setUint32(34, stride * img.height, true);
  v.setInt32(38, 2835, true); // 72 dpi, in pixels per metre
  v.setInt32(42, 2835, true);
  if (c === 1) {
    v.setUint32(46, 256, true);
    for (let i = 0; i < 256; i++) out.fill(i, 14 + header + 4 * i, 14 + header + 4 * i + 3);
  }
  if (c === 4) {
    [0xff0000, 0xff00, 0xff, 0xff000000].forEach((m, i) => v.setUint32(54 + 4 * i, m >>> 0, true));
    v.setUint32(70, 0x73524742, true); // 'sRGB' colour space
  }
  const order = c === 1 ? [0] : c === 3 ? [2, 1, 0] : [2, 1, 0, 3];
  for (let y = 0; y < img.height; y++) {
    const row = offset + stride * (img.height - 1 - y);
    for (let x = 0; x < img.width; x++) {
      const s = (y * img.width + x) * c;
      for (let i = 0; i < c; i++) out[row + x * c + i] = src.data[s + order[i]];
    }
  }
  return out;
}
