/**
 * TensorFlow's bilinear resize (tf.image.resize, half-pixel centres, no antialiasing) straight from
 * decoded 8-bit pixels to float32, for the dataset loader's hot path: one pass, no tensors. It gives
 * the values of tfjs-core's resizeBilinear(x, size, false, true) exactly (the same arithmetic in
 * doubles, rounded once to float32), about 50x faster than tfjs-core's cpu kernel on a 320x240 ->
 * 224x224 image. A window of the source (smart_resize's crop) or black borders around it (Keras's
 * pad_to_aspect_ratio) are resized the same way, without copying the pixels. resizeNearestBytes is
 * the same for tf.image.resize's 'nearest' (tfjs-core's resizeNearestNeighbor with half-pixel
 * centres, exactly). No imports: the image workers (./image_worker.js) load it without tfjs-core.
 */

/** The region resized, in source pixels: a window inside the image, or the image with black borders (negative top/left). */
export interface ResizeRegion {
  top: number;
  left: number;
  height: number;
  width: number;
}

/** Per output index along one axis: the two source indices (-1 outside the image: a black border) and the weight of the second. */
function axis(outSize: number, region: number, start: number, size: number): { lo: Int32Array; hi: Int32Array; t: Float64Array } {
  const scale = region / outSize;
  const lo = new Int32Array(outSize);
  const hi = new Int32Array(outSize);
  const t = new Float64Array(outSize);
  const at = (v: number): number => (v + start >= 0 && v + start < size ? v + start : -1);
  for (let o = 0; o < outSize; o++) {
    const v = (o + 0.5) * scale - 0.5;
    const f = Math.floor(v);
    lo[o] = at(Math.max(f, 0));
    hi[o] = at(Math.min(Math.ceil(v), region - 1));
    t[o] = v - f;
  }
  return { lo, hi, t };
}

/**
 * `src` (height x width x channels bytes) resized over `region` to outH x outW, as float32
 * [outH, outW, channels] values, row-major, written into `out` from `offset` (a new array by default).
 */
export function resizeBilinearBytes(
  src: Uint8Array,
  height: number,
  width: number,
  channels: number,
  outH: number,
  outW: number,
  region: ResizeRegion,
  out: Float32Array = new Float32Array(outH * outW * channels),
  offset = 0,
): Float32Array {
  const ys = axis(outH, region.height, region.top, height);
  const xs = axis(outW, region.width, region.left, width);
  const row = width * channels;
  const bordered = [ys.lo, ys.hi, xs.lo, xs.hi].some((a) => a.includes(-1));
  // Offsets of rows and pixels in src; with black borders, a missing one reads from `zeros`.
  const zeros = new Uint8Array(channels);
  let o = offset;
  for (let y = 0; y < outH; y++) {
    const r0 = ys.lo[y] * row;
    const r1 = ys.hi[y] * row;
    const ty = ys.t[y];
    for (let x = 0; x < outW; x++) {
      const c0 = xs.lo[x] * channels;
      const c1 = xs.hi[x] * channels;
      const tx = xs.t[x];
      if (!bordered) {
        for (let ch = 0; ch < channels; ch++) {
          const tl = src[r0 + c0 + ch];
          const tr = src[r0 + c1 + ch];
          const bl = src[r1 + c0 + ch];
          const br = src[r1 + c1 + ch];
          const top = tl + (tr - tl) * tx;
          out[o++] = top + (bl + (br - bl) * tx - top) * ty;
        }
      } else {
        const [a, ai] = r0 < 0 || c0 < 0 ? [zeros, 0] : [src, r0 + c0];
        const [b, bi] = r0 < 0 || c1 < 0 ? [zeros, 0] : [src, r0 + c1];
        const [c, ci] = r1 < 0 || c0 < 0 ? [zeros, 0] : [src, r1 + c0];
        const [d, di] = r1 < 0 || c1 < 0 ? [zeros, 0] : [src, r1 + c1];
        for (let ch = 0; ch < channels; ch++) {
          const top = a[ai + ch] + (b[bi + ch] - a[ai + ch]) * tx;
          out[o++] = top + (c[ci + ch] + (d[di + ch] - c[ci + ch]) * tx - top) * ty;
        }
      }
    }
  }
  return out;
}

/**
 * TensorFlow's nearest-neighbour resize with half-pixel centres (tfjs-core's
 * resizeNearestNeighbor(x, size, false, true): source index min(region - 1, floor((o + 0.5) *
 * region / out)), at least 0) from bytes, over `region` (black outside the image), as float32
 * [outH, outW, channels] written into `out` from `offset`.
 */
export function resizeNearestBytes(
  src: Uint8Array,
  height: number,
  width: number,
  channels: number,
  outH: number,
  outW: number,
  region: ResizeRegion,
  out: Float32Array = new Float32Array(outH * outW * channels),
  offset = 0,
): Float32Array {
  const pick = (outSize: number, size: number, start: number, extent: number): Int32Array => {
    const ratio = size / outSize;
    return Int32Array.from({ length: outSize }, (_, o) => {
      const i = Math.max(0, Math.min(size - 1, Math.floor(ratio * (o + 0.5)))) + start;
      return i >= 0 && i < extent ? i : -1;
    });
  };
  const ys = pick(outH, region.height, region.top, height);
  const xs = pick(outW, region.width, region.left, width);
  let o = offset;
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      const at = (ys[y] * width + xs[x]) * channels;
      for (let ch = 0; ch < channels; ch++) out[o++] = ys[y] < 0 || xs[x] < 0 ? 0 : src[at + ch];
    }
  }
  return out;
}

/** Keras's pad_to_aspect_ratio region: the image centred in black borders of the target's aspect ratio (as ops/image_resize's padResize). */
export function padRegion(height: number, width: number, outH: number, outW: number): ResizeRegion {
  const top = Math.trunc((Math.max(height, Math.trunc((width * outH) / outW)) - height) / 2);
  const left = Math.trunc((Math.max(width, Math.trunc((height * outW) / outH)) - width) / 2);
  return { top: -top, left: -left, height: height + 2 * top, width: width + 2 * left };
}

/** The crop Keras's smart_resize takes from a height x width image for a target size: [top, left, height, width]. */
export function smartCrop(height: number, width: number, targetH: number, targetW: number): [number, number, number, number] {
  const cropH = Math.max(Math.min(height, Math.trunc((width * targetH) / targetW)), 1);
  const cropW = Math.max(Math.min(width, Math.trunc((height * targetW) / targetH)), 1);
  return [Math.trunc((height - cropH) / 2), Math.trunc((width - cropW) / 2), cropH, cropW];
}
