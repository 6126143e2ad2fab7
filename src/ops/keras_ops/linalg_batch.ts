/**
 * Batching for the float64 matrix kernels of linalg_kernels.ts: a tensor of shape (..., M, N) read
 * as a list of M x N Float64Arrays, a per-matrix function applied to each (several inputs batched
 * together; they must share the leading axes), and the results written back as float32 tensors.
 * Also `noGradient`, which makes an op without a gradient say so instead of tfjs's generic error.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';

export interface Matrices {
  /** The leading (batch) axes. */
  batch: number[];
  rows: number;
  cols: number;
  mats: Float64Array[];
}

export function readMatrices(op: string, x: tfc.Tensor, square = false): Matrices {
  if (x.rank < 2) throw new ValueError(`ops.${op}: expected a tensor of rank >= 2 (..., M, N), got shape [${x.shape}]. help: pass a matrix or a batch of matrices.`);
  const [rows, cols] = x.shape.slice(-2);
  if (square && rows !== cols) throw new ValueError(`ops.${op}: expected square matrices, got shape [${x.shape}]. help: pass a tensor of shape (..., M, M).`);
  const data = x.dataSync();
  const size = rows * cols;
  const count = size === 0 ? 0 : data.length / size;
  const mats = Array.from({ length: count }, (_, i) => Float64Array.from(data.subarray(i * size, (i + 1) * size)));
  return { batch: x.shape.slice(0, -2), rows, cols, mats };
}

/** One float32 tensor of shape batch + tail from one Float64Array per matrix. */
export function writeMatrices(batch: number[], tail: number[], mats: ArrayLike<number>[], dtype: 'float32' | 'int32' = 'float32'): tfc.Tensor {
  const size = tail.reduce((a, b) => a * b, 1);
  const out = dtype === 'int32' ? new Int32Array(mats.length * size) : new Float32Array(mats.length * size);
  mats.forEach((m, i) => out.set(Array.from(m), i * size));
  return tfc.tensor(out, [...batch, ...tail], dtype);
}

/** Checks that `b`'s leading axes equal `a`'s. */
export function sameBatch(op: string, a: Matrices, b: Matrices): void {
  if (a.batch.join() !== b.batch.join()) {
    throw new ValueError(`ops.${op}: the batch axes differ: a has [${a.batch}], b has [${b.batch}]. help: broadcast them to the same leading shape first (ops.broadcastTo).`);
  }
}

/** The result of `f(x)` with a gradient that throws a clear error naming `op`. */
export function noGradient(op: string, x: tfc.Tensor, f: (x: tfc.Tensor) => tfc.Tensor): tfc.Tensor {
  const g = tfc.customGrad((...args: Array<tfc.Tensor | tfc.GradSaveFunc>) => ({
    value: f(args[0] as tfc.Tensor),
    gradFunc: (): tfc.Tensor => {
      throw new ValueError(`ops.${op} has no gradient in keras-ts. help: stop the gradient before it (ops.stopGradient), or use a differentiable op (inv, det, solve, cholesky, eigh's eigenvalues).`);
    },
  }));
  return g(x);
}

/** The last two axes swapped. */
export function matrixTranspose(x: tfc.Tensor): tfc.Tensor {
  const perm = [...x.shape.keys()];
  [perm[x.rank - 2], perm[x.rank - 1]] = [perm[x.rank - 1], perm[x.rank - 2]];
  return tfc.transpose(x, perm);
}
