/**
 * Keras 3's reductions, in Keras's argument order: `sum(x, axis = null, keepdims = false)` and the
 * same for mean, max, min, prod, std, var, any, all and logsumexp (keras/src/ops/numpy.py, math.py);
 * `argmax(x, axis = null, keepdims = false)` and argmin. `axis` null reduces every axis; a list
 * reduces several. std and var are the population ones (NumPy's ddof = 0), as Keras's.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { normAxes, normAxis, run, toTensor, type Axis, type TensorInput } from './tensor_input';

type Reduction = (x: TensorInput, axis?: Axis, keepdims?: boolean) => tfc.Tensor;

function reduction(name: string, f: (t: tfc.Tensor, axes: number[] | undefined, keepdims: boolean) => tfc.Tensor): Reduction {
  return (x, axis = null, keepdims = false) => run(() => {
    const t = toTensor(x);
    return f(t, normAxes(name, axis, t.rank), keepdims);
  });
}

const float = (t: tfc.Tensor): tfc.Tensor => (t.dtype === 'float32' ? t : tfc.cast(t, 'float32'));

export const sum = reduction('sum', (t, axes, keep) => tfc.sum(t, axes, keep));
export const mean = reduction('mean', (t, axes, keep) => tfc.mean(float(t), axes, keep));
export const max = reduction('max', (t, axes, keep) => tfc.max(t, axes, keep));
export const min = reduction('min', (t, axes, keep) => tfc.min(t, axes, keep));
export const amax = max;
export const amin = min;
export const prod = reduction('prod', (t, axes, keep) => tfc.prod(t, axes, keep));
export const any = reduction('any', (t, axes, keep) => tfc.any(tfc.cast(t, 'bool'), axes, keep));
export const all = reduction('all', (t, axes, keep) => tfc.all(tfc.cast(t, 'bool'), axes, keep));
export const logsumexp = reduction('logsumexp', (t, axes, keep) => tfc.logSumExp(float(t), axes, keep));

/** The population variance (NumPy's ddof = 0). */
export const variance = reduction('var', (t, axes, keep) => tfc.moments(float(t), axes, keep).variance);
export { variance as var };
export const std = reduction('std', (t, axes, keep) => tfc.sqrt(tfc.moments(float(t), axes, keep).variance));

function argReduce(name: string, f: (t: tfc.Tensor, axis: number) => tfc.Tensor) {
  return (x: TensorInput, axis: number | null = null, keepdims = false): tfc.Tensor => run(() => {
    const t = toTensor(x);
    if (axis === null) {
      const index = f(tfc.reshape(t, [-1]), 0);
      return keepdims ? tfc.reshape(index, t.shape.map(() => 1)) : index;
    }
    const a = normAxis(name, axis, t.rank);
    const index = f(t, a);
    return keepdims ? tfc.expandDims(index, a) : index;
  });
}

/** The index of the largest value along `axis` (of the flattened tensor when null); first on ties. */
export const argmax = argReduce('argmax', (t, a) => tfc.argMax(t, a));
/** The index of the smallest value along `axis` (of the flattened tensor when null); first on ties. */
export const argmin = argReduce('argmin', (t, a) => tfc.argMin(t, a));

/** The range (max - min) along `axis`. */
export const ptp = reduction('ptp', (t, axes, keep) => tfc.sub(tfc.max(t, axes, keep), tfc.min(t, axes, keep)));
/** How many entries are not zero along `axis` (int32). */
export const countNonzero = (x: TensorInput, axis: Axis = null): tfc.Tensor =>
  reduction('countNonzero', (t, axes) => tfc.sum(tfc.cast(tfc.notEqual(t, 0), 'int32'), axes))(x, axis);
/** sum with NaN counted as 0. */
export const nansum = reduction('nansum', (t, axes, keep) => tfc.sum(tfc.where(tfc.isNaN(t), tfc.zerosLike(t), t), axes, keep));
/** mean over the entries that are not NaN. */
export const nanmean = reduction('nanmean', (t, axes, keep) => {
  const ok = tfc.logicalNot(tfc.isNaN(t));
  return tfc.div(tfc.sum(tfc.where(ok, t, tfc.zerosLike(t)), axes, keep), tfc.sum(tfc.cast(ok, 'float32'), axes, keep));
});

/** Keras's moments: [mean, variance] of `x` over `axes`. */
export function moments(x: TensorInput, axes: number[], keepdims = false): [tfc.Tensor, tfc.Tensor] {
  return run(() => {
    const t = toTensor(x);
    const { mean: m, variance: v } = tfc.moments(float(t), normAxes('moments', axes, t.rank), keepdims);
    return [m, v];
  }) as [tfc.Tensor, tfc.Tensor];
}
