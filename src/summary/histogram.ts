/**
 * Histogram buckets as TensorBoard 2 computes them (tensorboard/plugins/histogram/summary_v2.py):
 * `count` equal-width buckets from the minimum to the maximum, each value in bucket
 * floor((x - min) / width) (the maximum in the last), as rows [left edge, right edge, count].
 * All values equal: every edge is that value and the last bucket holds them all. No data: zeros.
 * NaN and infinite values are left out (TensorFlow would turn every edge into NaN).
 */
export function histogramBuckets(values: ArrayLike<number>, count = 30): Float64Array {
  const out = new Float64Array(count * 3);
  const data = Array.prototype.filter.call(values, Number.isFinite) as number[];
  if (count === 0 || data.length === 0) return out;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const x = data[i];
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const range = max - min;
  if (range === 0) {
    for (let b = 0; b < count; b++) out.set([max, max, b === count - 1 ? data.length : 0], b * 3);
    return out;
  }
  const width = range / count;
  const counts = new Float64Array(count);
  for (let i = 0; i < data.length; i++) counts[Math.min(Math.floor((data[i] - min) / width), count - 1)]++;
  for (let b = 0; b < count; b++) {
    const left = min + (range * b) / count;
    const right = b === count - 1 ? max : min + (range * (b + 1)) / count;
    out.set([left, right, counts[b]], b * 3);
  }
  return out;
}
