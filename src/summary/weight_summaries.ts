/**
 * The TensorBoard callback's weight summaries: a histogram of every weight (`<weight>/histogram`)
 * and, with writeImages, each kernel and bias as grey images (`<weight>/image`), laid out as Keras's
 * TensorBoard does: a bias as a column, a Dense kernel as one image (wider than tall), a
 * convolution kernel as one image per output channel. Keras writes raw values, which the image
 * summary clips to [0, 1]; here each image is scaled from its minimum to its maximum instead, so the
 * structure shows.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { Layer } from '../engine/layer';
import type { SummaryWriter } from './summary_writer';

export function writeWeightSummaries(writer: SummaryWriter, layers: Layer[], step: number, images: boolean): void {
  const seen = new Set<unknown>();
  for (const layer of layers) {
    for (const weight of layer.weights) {
      if (seen.has(weight)) continue;
      seen.add(weight);
      const tag = weight.name.replace(/:/g, '_');
      writer.histogram(`${tag}/histogram`, weight.value, step);
      if (!images) continue;
      const picture = weightImage(weight.value.dataSync(), weight.shape);
      if (picture === null) continue;
      const t = tfc.tensor4d(picture.pixels, [picture.count, picture.height, picture.width, 1]);
      try {
        writer.image(`${tag}/image`, t, step);
      } finally {
        t.dispose();
      }
    }
  }
}

/** Keras's layout of a weight as images, each scaled to [0, 1]; null for shapes it cannot show. */
export function weightImage(values: ArrayLike<number>, shape: number[]): { pixels: Float32Array; count: number; height: number; width: number } | null {
  const dims = shape.filter((d) => d !== 1);
  let count: number;
  let height: number;
  let width: number;
  let at: (i: number, y: number, x: number) => number;
  if (dims.length === 1) {
    [count, height, width] = [1, dims[0], 1];
    at = (_i, y) => values[y];
  } else if (dims.length === 2) {
    const [rows, cols] = dims;
    const transpose = rows > cols;
    [count, height, width] = transpose ? [1, cols, rows] : [1, rows, cols];
    at = transpose ? (_i, y, x) => values[x * cols + y] : (_i, y, x) => values[y * cols + x];
  } else if (dims.length === 3) {
    // channels last [h, w, c] -> one h x w image per channel
    const [h, w, c] = dims;
    [count, height, width] = [c, h, w];
    at = (i, y, x) => values[(y * w + x) * c + i];
  } else {
    return null;
  }
  const pixels = new Float32Array(count * height * width);
  for (let i = 0; i < count; i++) {
    const offset = i * height * width;
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels[offset + y * width + x] = at(i, y, x);
    const slice = pixels.subarray(offset, offset + height * width);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of slice) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    for (let j = 0; j < slice.length; j++) slice[j] = hi > lo ? (slice[j] - lo) / (hi - lo) : 0.5;
  }
  return { pixels, count, height, width };
}
