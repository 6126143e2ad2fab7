/**
 * Keras 3's order statistics and NaN-aware reductions: median(x, axis = null, keepdims = false),
 * quantile(x, q, axis = null, keepdims = false) and percentile (NumPy's 'linear' method, one q),
 * average(x, axis = null, weights = null), and nanmax / nanmin / nanprod / nanvar / nanstd
 * (NaN entries left out; an all-NaN slice gives NaN, or 1 for nanprod). One axis or all.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';
import { normAxes, normAxis, run, toTensor, type Axis, type TensorInput } from './tensor_input';

const float = (t: tfc.Tensor): tfc.Tensor => (t.dtype === 'float32' ? t : tfc.cast(t, 'float32'));

/** `t` with `axis` moved last (flattened when null), and how to put a reduced result back. */
function lastAxis(op: string, t: tfc.Tensor, axis: number | null, keepdims: boolean): [tfc.Tensor, (r: tfc.Tensor) => tfc.Tensor] {
  if (axis === null) return [tfc.reshape(t, [-1]), (r) => (keepdims ? tfc.reshape(r, t.shape.map(() => 1)) : r)];
  const a = normAxis(op, axis, t.rank);
  const perm = [...t.shape.keys()].filter((d) => d !== a).concat(a);
  return [tfc.transpose(t, perm), (r) => (keepdims ? tfc.expandDims(r, a) : r)];
}

/** The `q`-th quantile (0 <= q <= 1) along `axis`, interpolating linearly between order statistics. */
export function quantile(x: TensorInput, q: number, axis: number | null = null, keepdims = false): tfc.Tensor {
  if (!(q >= 0 && q <= 1)) throw new ValueError(`ops.quantile: q must be in [0, 1], got ${q}. help: pass a fraction (percentile takes 0-100).`);
  return run(() => {
    const [last, back] = lastAxis('quantile', float(toTensor(x)), axis, keepdims);
    const n = last.shape[last.rank - 1];
    const sorted = tfc.reverse(tfc.topk(last, n).values, -1);
    const pos = q * (n - 1);
    const [lo, hi] = [Math.floor(pos), Math.ceil(pos)];
    const pick = (i: number): tfc.Tensor => tfc.squeeze(tfc.slice(sorted, [...sorted.shape.slice(0, -1).map(() => 0), i], [...sorted.shape.slice(0, -1), 1]), [sorted.rank - 1]);
    const r = lo === hi ? pick(lo) : tfc.add(tfc.mul(pick(lo), hi - pos), tfc.mul(pick(hi), pos - lo));
    return back(r);
  });
}

export function percentile(x: TensorInput, q: number, axis: number | null = null, keepdims = false): tfc.Tensor {
  return quantile(x, q / 100, axis, keepdims);
}

export function median(x: TensorInput, axis: number | null = null, keepdims = false): tfc.Tensor {
  return quantile(x, 0.5, axis, keepdims);
}

/** The mean along `axis` weighted by `weights` (the shape of x, or 1-D along `axis`). */
export function average(x: TensorInput, axis: number | null = null, weights: TensorInput | null = null): tfc.Tensor {
  return run(() => {
    const t = float(toTensor(x));
    if (weights === null) return tfc.mean(t, axis ?? undefined);
    let w = float(toTensor(weights));
    if (axis !== null && w.rank === 1 && t.rank > 1) {
      const a = normAxis('average', axis, t.rank);
      w = tfc.reshape(w, t.shape.map((s, d) => (d === a ? s : 1)));
    }
    const axes = axis === null ? undefined : [normAxis('average', axis, t.rank)];
    return tfc.div(tfc.sum(tfc.mul(t, w), axes), tfc.sum(tfc.mul(tfc.onesLike(t), w), axes));
  });
}

type Reduction = (x: TensorInput, axis?: Axis, keepdims?: boolean) => tfc.Tensor;

/** A reduction of `x` with NaN entries replaced by `fill` (the reduction's identity). */
function nanReduction(op: string, fill: number, f: (t: tfc.Tensor, axes: number[] | undefined, keep: boolean) => tfc.Tensor): Reduction {
  return (x, axis = null, keepdims = false) => run(() => {
    const t = float(toTensor(x));
    const axes = normAxes(op, axis, t.rank);
    const nan = tfc.isNaN(t);
    const out = f(tfc.where(nan, tfc.fill(t.shape, fill), t), axes, keepdims);
    if (op === 'nanprod') return out;
    return tfc.where(tfc.all(nan, axes, keepdims), tfc.fill(out.shape, NaN), out);
  });
}

export const nanmax = nanReduction('nanmax', -Infinity, (t, a, k) => tfc.max(t, a, k));
export const nanmin = nanReduction('nanmin', Infinity, (t, a, k) => tfc.min(t, a, k));
export const nanprod = nanReduction('nanprod', 1, (t, a, k) => tfc.prod(t, a, k));

/** Population variance over the entries that are not NaN. */
export const nanvar: Reduction = (x, axis = null, keepdims = false) => run(() => {
  const t = float(toTensor(x));
  const axes = normAxes('nanvar', axis, t.rank);
  const ok = tfc.logicalNot(tfc.isNaN(t));
  const zero = tfc.zerosLike(t);
  const count = tfc.sum(tfc.cast(ok, 'float32'), axes, true);
  const mean = tfc.div(tfc.sum(tfc.where(ok, t, zero), axes, true), count);
  const sq = tfc.where(ok, tfc.square(tfc.sub(t, mean)), zero);
  const v = tfc.div(tfc.sum(sq, axes, true), count);
  return keepdims ? v : tfc.squeeze(v, axes);
});

export const nanstd: Reduction = (x, axis = null, keepdims = false) => run(() => tfc.sqrt(nanvar(x, axis, keepdims)));
