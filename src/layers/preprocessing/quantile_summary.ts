/**
 * Keras's approximate quantiles for Discretization.adapt (keras/src/layers/preprocessing/
 * discretization.py: summarize, merge_summaries, compress_summary, get_bin_boundaries), as plain
 * arrays: a summary is [values, weights], sorted by value, kept to about 1 / epsilon entries.
 * Float32 rounding where Keras rounds (its summaries are float32 arrays).
 */
export type Summary = [number[], number[]];

const f32 = (v: number): number => Math.fround(v);

/** The sorted values sampled every max(n * epsilon, 1) steps, each weighing the step. */
export function summarize(values: number[], epsilon: number): Summary {
  const sorted = Float32Array.from(values).sort();
  const step = Math.max(sorted.length / (1 / epsilon), 1);
  const stride = Math.trunc(step);
  const picked: number[] = [];
  for (let i = Math.trunc(step - 1); i < sorted.length; i += stride) picked.push(sorted[i]);
  return [picked, picked.map(() => f32(step))];
}

/** Both summaries, merged in order of value and compressed to epsilon. */
export function mergeSummaries(prev: Summary, next: Summary, epsilon: number): Summary {
  const order = [...prev[0].map((v, i) => [v, prev[1][i]]), ...next[0].map((v, i) => [v, next[1][i]])];
  // numpy's argsort is a quicksort (not stable); ties have equal values, so only their weights' order can differ, and the cumulative sums at the ties' end agree
  order.sort((a, b) => a[0] - b[0]);
  return compressSummary([order.map((p) => p[0]), order.map((p) => p[1])], epsilon);
}

/** np.interp(x, xp, fp) for increasing xp. */
function interp(x: number, xp: number[], fp: number[]): number {
  if (x <= xp[0]) return fp[0];
  if (x >= xp[xp.length - 1]) return fp[fp.length - 1];
  let j = 1;
  while (xp[j] < x) j++;
  if (xp[j] === x) {
    while (j + 1 < xp.length && xp[j + 1] === x) j++; // numpy takes the last of equal xp
    return fp[j];
  }
  const t = (x - xp[j - 1]) / (xp[j] - xp[j - 1]);
  return fp[j - 1] + t * (fp[j] - fp[j - 1]);
}

/** Re-samples the summary at the cumulative-weight fractions epsilon, 2 epsilon, ..., 1. */
export function compressSummary(summary: Summary, epsilon: number): Summary {
  const [values, weights] = summary;
  if (values.length * epsilon < 1) return summary;
  const percents = Array.from({ length: Math.ceil(1 / epsilon) }, (_, i) => epsilon + i * epsilon); // epsilon + np.arange(0, 1, epsilon)
  const cum: number[] = []; // a float32 cumsum, as numpy's over float32 weights
  weights.reduce((s, w, i) => (cum[i] = f32(s + w)), 0);
  const total = cum[cum.length - 1];
  const fractions = cum.map((c) => f32(c / total));
  const bins = percents.map((p) => f32(interp(p, fractions, values)));
  const cumAt = percents.map((p) => interp(p, fractions, cum));
  return [bins, cumAt.map((c, i) => f32(c - (i === 0 ? 0 : cumAt[i - 1])))];
}

/** numBins - 1 boundaries: the summary compressed to 1 / numBins, without its last value. */
export function binBoundaries(summary: Summary, numBins: number): number[] {
  return compressSummary(summary, 1 / numBins)[0].slice(0, -1);
}
