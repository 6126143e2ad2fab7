/**
 * The native addon's image decoders (native/cpu/image_codec*.cc: libjpeg-turbo and libpng, the
 * libraries Debian's Pillow uses), for JPEG and PNG files; everything else, and every file they
 * leave (a CMYK JPEG, a 16-bit PNG, a corrupt or truncated file, one over maxPixels), goes through
 * sharp as before, which decodes it or gives the error. Used wherever the addon loads, whatever the
 * backend: a decode costs a third to a quarter of a sharp call's CPU (docs/data-and-images.md has
 * the figures). KERAS_IMAGE_DECODER=sharp turns it off (read at each call). No tfjs-core: the image
 * workers load this module alone, and each loads the addon on its own thread.
 */
import { loadNativeAddon } from '../../backend/native/addon';
import type { RawImage } from './decode';

/** The functions of native/cpu/image_codec.cc. */
export interface NativeImageCodec {
  /** The formats compiled in ('jpeg', 'png'): the build found their headers. */
  imageCodecs(): string[];
  /** The file's 8-bit pixels with its own channels, or null where the file is left to sharp. */
  decodeImage(bytes: Uint8Array, maxPixels: number): RawImage | null;
  /**
   * Each file read, decoded, converted and resized into `out` from offsets[i] (see image_codec.cc;
   * spec: [channels, height, width, crop, pad, maxPixels, nearest]); `paths` is the UTF-8 paths,
   * each ended by a 0 byte. 1 where done, 0 where left to the JavaScript path.
   */
  loadImages(paths: Uint8Array, out: Float32Array, offsets: number[], spec: number[]): Uint8Array;
}

let codec: NativeImageCodec | null | undefined;
let formats: string[] = [];

/** The addon's decoders, or null where the addon does not load, has none compiled in, or KERAS_IMAGE_DECODER is 'sharp'. */
export function nativeImageCodec(): NativeImageCodec | null {
  if (process.env.KERAS_IMAGE_DECODER === 'sharp') return null;
  if (codec === undefined) {
    try {
      const addon = loadNativeAddon() as unknown as Partial<NativeImageCodec>;
      formats = typeof addon.loadImages === 'function' ? addon.imageCodecs!() : [];
      codec = formats.length > 0 ? (addon as NativeImageCodec) : null;
    } catch {
      codec = null; // not built here: sharp decodes everything
    }
  }
  return codec;
}

/** Whether the native decoders take files of this format ('jpeg', 'png', ...). */
export function nativeDecodes(format: string): boolean {
  return nativeImageCodec() !== null && formats.includes(format);
}
