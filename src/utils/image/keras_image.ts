/**
 * KerasImage: what loadImg returns and arrayToImg makes, in place of the PIL image Keras uses. It is
 * plain memory (row-major height x width x channels bytes, 0..255) with PIL's mode name, so it is
 * cheap to pass around and to turn into a tensor with imgToArray. Colour conversions follow PIL's
 * Image.convert exactly (integer ITU-R 601-2 luma for 'L'; alpha dropped, not composited, for 'RGB').
 */
import { ValueError } from '../../engine/errors';

/** PIL's mode names for the images keras-ts holds: grey, grey + alpha, RGB, RGBA. */
export type ImageMode = 'L' | 'LA' | 'RGB' | 'RGBA';

const CHANNELS: Record<ImageMode, number> = { L: 1, LA: 2, RGB: 3, RGBA: 4 };
const MODE_OF: Record<number, ImageMode> = { 1: 'L', 2: 'LA', 3: 'RGB', 4: 'RGBA' };

/** The mode of an image with `channels` channels (1 grey, 2 grey + alpha, 3 RGB, 4 RGBA). */
export function modeOf(channels: number, where: string): ImageMode {
  const mode = MODE_OF[channels];
  if (mode === undefined) throw new ValueError(`${where}: an image has 1, 2, 3 or 4 channels, got ${channels}. help: pass an array of shape [height, width, 1 | 3 | 4].`);
  return mode;
}

/** An 8-bit image in memory: `data[(y * width + x) * channels + c]`. */
export class KerasImage {
  readonly channels: number;

  constructor(
    readonly width: number,
    readonly height: number,
    readonly mode: ImageMode,
    readonly data: Uint8Array,
  ) {
    this.channels = CHANNELS[mode];
    if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0)) {
      throw new ValueError(`KerasImage: width and height must be positive integers, got ${width}x${height}. help: pass the image's size in pixels.`);
    }
    if (data.length !== width * height * this.channels) {
      throw new ValueError(`KerasImage: ${width}x${height} ${mode} needs ${width * height * this.channels} bytes, got ${data.length}. help: data holds height x width x channels bytes, row by row.`);
    }
  }

  /** [width, height], as PIL's `img.size`. */
  get size(): [number, number] {
    return [this.width, this.height];
  }

  /** This image in `mode`, converted as PIL's `img.convert(mode)` (a copy when the mode is the same). */
  convert(mode: ImageMode): KerasImage {
    const n = this.width * this.height;
    const cin = this.channels;
    const cout = CHANNELS[mode];
    const src = this.data;
    const out = new Uint8Array(n * cout);
    const colourIn = cin >= 3;
    const alphaIn = cin === 2 || cin === 4;
    for (let i = 0, s = 0, d = 0; i < n; i++, s += cin, d += cout) {
      const alpha = alphaIn ? src[s + cin - 1] : 255;
      if (cout <= 2) {
        // PIL's L24: (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16, the 601-2 luma in 16.16 fixed point.
        out[d] = colourIn ? (src[s] * 19595 + src[s + 1] * 38470 + src[s + 2] * 7471 + 0x8000) >>> 16 : src[s];
      } else if (colourIn) {
        out[d] = src[s];
        out[d + 1] = src[s + 1];
        out[d + 2] = src[s + 2];
      } else {
        out[d] = out[d + 1] = out[d + 2] = src[s];
      }
      if (cout === 2 || cout === 4) out[d + cout - 1] = alpha;
    }
    return new KerasImage(this.width, this.height, mode, out);
  }
}
