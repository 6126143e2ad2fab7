/**
 * Keras 3's `norm(x, ord = null, axis = null, keepdims = false)`, NumPy's linalg.norm: a vector norm
 * over one axis, a matrix norm over two, and with axis null the 2-norm of x flattened (ord null) or
 * the vector / matrix norm of a 1-D / 2-D x. Written with differentiable tfjs-core ops except the
 * singular-value norms (ord 2, -2, 'nuc'), which go through svd and have no gradient.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';
import { svd } from './linalg_decompose';
import { normAxis, run, toTensor, type TensorInput } from './tensor_input';

export type NormOrd = number | 'fro' | 'nuc' | null;

function vectorNorm(x: tfc.Tensor, ord: NormOrd, axis: number, keep: boolean): tfc.Tensor {
  const a = tfc.abs(x);
  if (ord === null || ord === 2) return tfc.sqrt(tfc.sum(tfc.square(x), axis, keep));
  if (ord === Infinity) return tfc.max(a, axis, keep);
  if (ord === -Infinity) return tfc.min(a, axis, keep);
  if (ord === 0) return tfc.sum(tfc.cast(tfc.notEqual(x, 0), 'float32'), axis, keep);
  if (typeof ord !== 'number') throw new ValueError(`ops.norm: ord '${ord}' is a matrix norm, but one axis was given. help: pass two axes, or a numeric ord for a vector norm.`);
  return tfc.pow(tfc.sum(tfc.pow(a, ord), axis, keep), 1 / ord);
}

function singularValues(x: tfc.Tensor, rows: number, cols: number): tfc.Tensor {
  const rest = [...x.shape.keys()].filter((d) => d !== rows && d !== cols);
  return svd(tfc.transpose(x, [...rest, rows, cols]), false, false) as tfc.Tensor;
}

function matrixNorm(x: tfc.Tensor, ord: NormOrd, rows: number, cols: number, keep: boolean): tfc.Tensor {
  const axes = [rows, cols];
  if (ord === null || ord === 'fro') return tfc.sqrt(tfc.sum(tfc.square(x), axes, keep));
  const a = tfc.abs(x);
  // After summing over one axis with keepdims, the other keeps its index.
  if (ord === Infinity) return squeezeUnless(tfc.max(tfc.sum(a, cols, true), rows, true), axes, keep);
  if (ord === -Infinity) return squeezeUnless(tfc.min(tfc.sum(a, cols, true), rows, true), axes, keep);
  if (ord === 1) return squeezeUnless(tfc.max(tfc.sum(a, rows, true), cols, true), axes, keep);
  if (ord === -1) return squeezeUnless(tfc.min(tfc.sum(a, rows, true), cols, true), axes, keep);
  if (ord === 2 || ord === -2 || ord === 'nuc') {
    const s = singularValues(x, rows, cols);
    const r = ord === 2 ? tfc.max(s, -1) : ord === -2 ? tfc.min(s, -1) : tfc.sum(s, -1);
    return keep ? tfc.reshape(r, x.shape.map((d, i) => (axes.includes(i) ? 1 : d))) : r;
  }
  throw new ValueError(`ops.norm: ord ${String(ord)} is not a matrix norm. help: pass null, 'fro', 'nuc', 1, -1, 2, -2, Infinity or -Infinity.`);
}

const squeezeUnless = (t: tfc.Tensor, axes: number[], keep: boolean): tfc.Tensor => (keep ? t : tfc.squeeze(t, axes));

/** NumPy's linalg.norm. `axis` is one axis (vector norm), two (matrix norm) or null. */
export function norm(x: TensorInput, ord: NormOrd = null, axis: number | [number, number] | [number] | null = null, keepdims = false): tfc.Tensor {
  return run(() => {
    const t = toTensor(x, 'float32');
    if (axis === null) {
      if (ord === null) {
        const r = tfc.sqrt(tfc.sum(tfc.square(t)));
        return keepdims ? tfc.reshape(r, t.shape.map(() => 1)) : r;
      }
      if (t.rank !== 1 && t.rank !== 2) throw new ValueError(`ops.norm: with ord ${String(ord)} and axis null, x must be 1-D or 2-D, got shape [${t.shape}]. help: pass axis.`);
      return t.rank === 1 ? vectorNorm(t, ord, 0, keepdims) : matrixNorm(t, ord, 0, 1, keepdims);
    }
    const axes = (Array.isArray(axis) ? axis : [axis]).map((a) => normAxis('norm', a, t.rank));
    if (axes.length === 1) return vectorNorm(t, ord, axes[0], keepdims);
    if (axes.length === 2 && axes[0] !== axes[1]) return matrixNorm(t, ord, axes[0], axes[1], keepdims);
    throw new ValueError(`ops.norm: axis must be one axis or two distinct axes, got [${axes}]. help: pass e.g. axis -1 or [-2, -1].`);
  });
}
