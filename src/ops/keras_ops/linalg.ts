/**
 * Keras 3's products: matmul (NumPy's, batched and broadcast over leading axes, a vector promoted
 * and its axis removed), dot (NumPy's dot: the last axis of x1 against the second-to-last of x2)
 * and einsum (tfjs-core's: two operands at most, each letter at most twice, no ellipsis).
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';
import { run, toTensor, type TensorInput } from './tensor_input';

export function matmul(x1: TensorInput, x2: TensorInput): tfc.Tensor {
  return run(() => {
    let a = toTensor(x1);
    let b = toTensor(x2);
    if (a.rank === 0 || b.rank === 0) throw new ValueError('ops.matmul: a scalar operand. help: use ops.multiply for scalars.');
    const [va, vb] = [a.rank === 1, b.rank === 1];
    if (va) a = tfc.expandDims(a, 0);
    if (vb) b = tfc.expandDims(b, 1);
    let out = a.rank === 2 && b.rank === 2 ? tfc.matMul(a, b) : tfc.matMul(a as tfc.Tensor3D, b as tfc.Tensor3D);
    if (va) out = tfc.squeeze(out, [out.rank - 2]);
    if (vb) out = tfc.squeeze(out, [out.rank - 1]);
    return out;
  });
}

export function dot(x1: TensorInput, x2: TensorInput): tfc.Tensor {
  return run(() => {
    const a = toTensor(x1);
    const b = toTensor(x2);
    if (a.rank === 0 || b.rank === 0) return tfc.mul(a, b);
    if (b.rank <= 2) return matmul(a, b);
    // N-D: contract a's last axis with b's second-to-last; result a.shape[:-1] + b.shape[:-2] + b.shape[-1:].
    const k = b.shape[b.rank - 2];
    const perm = [...b.shape.keys()].filter((d) => d !== b.rank - 2);
    const b2 = tfc.reshape(tfc.transpose(b, [b.rank - 2, ...perm]), [k, -1]);
    const out = tfc.matMul(tfc.reshape(a, [-1, a.shape[a.rank - 1]]), b2);
    return tfc.reshape(out, [...a.shape.slice(0, -1), ...perm.map((d) => b.shape[d])]);
  });
}

export function einsum(subscripts: string, ...operands: TensorInput[]): tfc.Tensor {
  return run(() => tfc.einsum(subscripts, ...operands.map((x) => toTensor(x))));
}

/** The outer product of `x1` and `x2`, each flattened. */
export function outer(x1: TensorInput, x2: TensorInput): tfc.Tensor {
  return run(() => tfc.outerProduct(tfc.reshape(toTensor(x1), [-1]) as tfc.Tensor1D, tfc.reshape(toTensor(x2), [-1]) as tfc.Tensor1D));
}

/** The inner product over the last axes: result shape x1.shape[:-1] + x2.shape[:-1]. */
export function inner(x1: TensorInput, x2: TensorInput): tfc.Tensor {
  return run(() => {
    const [a, b] = [toTensor(x1), toTensor(x2)];
    if (a.rank === 0 || b.rank === 0) return tfc.mul(a, b);
    const k = a.shape[a.rank - 1];
    const out = tfc.matMul(tfc.reshape(a, [-1, k]), tfc.reshape(b, [-1, k]), false, true);
    return tfc.reshape(out, [...a.shape.slice(0, -1), ...b.shape.slice(0, -1)]);
  });
}

/** The dot product of `x1` and `x2` flattened. */
export function vdot(x1: TensorInput, x2: TensorInput): tfc.Tensor {
  return run(() => tfc.sum(tfc.mul(tfc.reshape(toTensor(x1), [-1]), tfc.reshape(toTensor(x2), [-1]))));
}
