/**
 * Keras 3's sorting and scanning ops: sort(x, axis = -1), argsort(x, axis = -1) (ascending),
 * topK(x, k, sorted = true) -> [values, indices] on the last axis, cumsum / cumprod(x, axis = null)
 * (the flattened tensor when null), and oneHot(x, numClasses, axis = -1). Sorting goes through
 * tfjs-core's topk, so equal values may come in either order.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { normAxis, run, toTensor, type TensorInput } from './tensor_input';

/** Applies `f` (which works on the last axis) along `axis`, moving it last and back. */
function alongAxis(t: tfc.Tensor, axis: number, f: (last: tfc.Tensor) => tfc.Tensor): tfc.Tensor {
  if (axis === t.rank - 1) return f(t);
  const perm = [...t.shape.keys()].filter((d) => d !== axis).concat(axis);
  const inverse = perm.map((_, d) => perm.indexOf(d));
  return tfc.transpose(f(tfc.transpose(t, perm)), inverse);
}

/** `x` sorted ascending along `axis`. */
export function sort(x: TensorInput, axis = -1): tfc.Tensor {
  return run(() => {
    const t = toTensor(x);
    return alongAxis(t, normAxis('sort', axis, t.rank), (l) => tfc.reverse(tfc.topk(l, l.shape[l.rank - 1]).values, -1));
  });
}

/** The indices that sort `x` ascending along `axis` (int32). */
export function argsort(x: TensorInput, axis = -1): tfc.Tensor {
  return run(() => {
    const t = toTensor(x);
    return alongAxis(t, normAxis('argsort', axis, t.rank), (l) => tfc.topk(tfc.neg(l), l.shape[l.rank - 1]).indices);
  });
}

/** The `k` largest values of the last axis and their indices, largest first. */
export function topK(x: TensorInput, k: number, sorted = true): [tfc.Tensor, tfc.Tensor] {
  return run(() => {
    const { values, indices } = tfc.topk(toTensor(x), k, sorted);
    return [values, indices];
  }) as [tfc.Tensor, tfc.Tensor];
}

function scan(name: string, f: (t: tfc.Tensor, axis: number) => tfc.Tensor) {
  return (x: TensorInput, axis: number | null = null): tfc.Tensor => run(() => {
    let t = toTensor(x);
    if (axis === null) t = tfc.reshape(t, [-1]);
    return f(t, normAxis(name, axis ?? 0, t.rank));
  });
}

export const cumsum = scan('cumsum', (t, a) => tfc.cumsum(t, a));
export const cumprod = scan('cumprod', (t, a) => tfc.cumprod(t, a));

/** Integer class indices `x` as one-hot vectors of `numClasses`, the new axis at `axis`. */
export function oneHot(x: TensorInput, numClasses: number, axis = -1, dtype: tfc.DataType = 'float32'): tfc.Tensor {
  return run(() => {
    const t = toTensor(x, 'int32');
    const hot = tfc.cast(tfc.oneHot(t, numClasses), dtype);
    const a = normAxis('oneHot', axis, t.rank + 1);
    return a === t.rank ? hot : tfc.transpose(hot, [...Array(a).keys(), t.rank, ...[...Array(t.rank - a).keys()].map((d) => d + a)]);
  });
}
