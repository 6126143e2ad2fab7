/**
 * Keras 3's tensor-making and dtype ops (keras/src/ops/core.py, numpy.py): convertToTensor, cast,
 * zeros, ones, full, arange, eye, linspace, zerosLike, onesLike, fullLike, and stopGradient (its
 * input's value, no gradient through it). dtypes are tfjs-core's ('float32', 'int32', 'bool').
 */
import * as tfc from '@tensorflow/tfjs-core';
import { run, toTensor, type TensorInput } from './tensor_input';

/** `x` as a tensor of `dtype` (a new tensor the caller owns, even when `x` is one). */
export function convertToTensor(x: TensorInput, dtype?: tfc.DataType): tfc.Tensor {
  return run(() => tfc.clone(toTensor(x, dtype)));
}

export function cast(x: TensorInput, dtype: tfc.DataType): tfc.Tensor {
  return run(() => tfc.cast(toTensor(x), dtype));
}

export function zeros(shape: number[], dtype: tfc.DataType = 'float32'): tfc.Tensor {
  return run(() => tfc.zeros(shape, dtype));
}

export function ones(shape: number[], dtype: tfc.DataType = 'float32'): tfc.Tensor {
  return run(() => tfc.ones(shape, dtype));
}

export function full(shape: number[], fillValue: number, dtype: tfc.DataType = 'float32'): tfc.Tensor {
  return run(() => tfc.fill(shape, fillValue, dtype));
}

export function zerosLike(x: TensorInput): tfc.Tensor {
  return run(() => tfc.zerosLike(toTensor(x)));
}

export function onesLike(x: TensorInput): tfc.Tensor {
  return run(() => tfc.onesLike(toTensor(x)));
}

export function fullLike(x: TensorInput, fillValue: number): tfc.Tensor {
  return run(() => { const t = toTensor(x); return tfc.fill(t.shape, fillValue, t.dtype); });
}

/**
 * NumPy's arange: `arange(stop)` or `arange(start, stop, step)`; int32 when every bound is an
 * integer, else float32.
 */
export function arange(start: number, stop: number | null = null, step = 1, dtype?: tfc.DataType): tfc.Tensor {
  const [lo, hi] = stop === null ? [0, start] : [start, stop];
  const type = dtype ?? ([lo, hi, step].every(Number.isInteger) ? 'int32' : 'float32');
  return run(() => tfc.range(lo, hi, step, type as 'float32' | 'int32'));
}

/** An N x M matrix with ones on the diagonal `k` (above the main one when positive). */
export function eye(N: number, M: number | null = null, k = 0, dtype: tfc.DataType = 'float32'): tfc.Tensor {
  const cols = M ?? N;
  const b = tfc.buffer([N, cols], dtype);
  for (let i = 0; i < N; i++) if (i + k >= 0 && i + k < cols) b.set(1, i, i + k);
  return run(() => b.toTensor());
}

/** `num` evenly spaced values from `start` to `stop` (included when `endpoint`). */
export function linspace(start: number, stop: number, num = 50, endpoint = true): tfc.Tensor {
  const step = num > (endpoint ? 1 : 0) ? (stop - start) / (endpoint ? num - 1 : num) : 0;
  const values = Array.from({ length: num }, (_, i) => start + i * step);
  if (endpoint && num > 1) values[num - 1] = stop;
  return run(() => tfc.tensor1d(values, 'float32'));
}

/** `variable`'s value, through which no gradient flows (its gradient is zero). */
export function stopGradient(variable: TensorInput): tfc.Tensor {
  return run(() => {
    const block = tfc.customGrad((...args: Array<tfc.Tensor | tfc.GradSaveFunc>) => ({
      value: tfc.clone(args[0] as tfc.Tensor),
      gradFunc: (dy: tfc.Tensor) => tfc.zerosLike(dy),
    }));
    return block(toTensor(variable));
  });
}

/** The n x n identity matrix. */
export function identity(n: number, dtype: tfc.DataType = 'float32'): tfc.Tensor {
  return eye(n, null, 0, dtype);
}

/** An N x M matrix of ones at and below diagonal `k`, zeros above. */
export function tri(N: number, M: number | null = null, k = 0, dtype: tfc.DataType = 'float32'): tfc.Tensor {
  const cols = M ?? N;
  const b = tfc.buffer([N, cols], dtype);
  for (let i = 0; i < N; i++) for (let j = 0; j < cols && j - i <= k; j++) b.set(1, i, j);
  return run(() => b.toTensor());
}

/** `num` values spaced evenly on a log scale: base ** linspace(start, stop, num, endpoint). */
export function logspace(start: number, stop: number, num = 50, endpoint = true, base = 10): tfc.Tensor {
  return run(() => tfc.pow(base, linspace(start, stop, num, endpoint)));
}

/** A copy of `x`. */
export function copy(x: TensorInput): tfc.Tensor {
  return run(() => tfc.clone(toTensor(x)));
}
