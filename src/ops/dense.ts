/**
 * A dense layer's forward and backward as one differentiable op: y = activation(x·W + b) runs as a
 * single fused kernel (matmul, bias, activation), and its gradient is written out by hand (dz from
 * y, then dx, dW and db), instead of being taped kernel by kernel. This is the same math with
 * about half the kernel calls per layer and step, which on a GPU is most of a small model's step.
 * Where the backend has keras-ts's DenseGrad kernel (the native CPU backend), the whole backward
 * pass is that one kernel.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { FusedKernel, hasKernel, runFused } from '../engine/fused_kernels';
import { columnSum, product } from './matmul';

export type DenseActivation = 'linear' | 'relu' | 'relu6' | 'elu' | 'sigmoid';

/**
 * dL/dz from dL/dy and the output y, for y = activation(z): one ActivationGrad kernel where the
 * backend has it (WebGL: one pass instead of two or three), else tfjs ops.
 */
function activationGradient(dy: tfc.Tensor, y: tfc.Tensor, activation: DenseActivation): tfc.Tensor {
  if (activation !== 'linear' && hasKernel(FusedKernel.ActivationGrad)) return runFused(FusedKernel.ActivationGrad, { dy, y }, { activation })[0];
  switch (activation) {
    case 'linear':
      return dy;
    case 'relu':
      return tfc.mul(dy, tfc.step(y));
    case 'relu6':
      return tfc.mul(dy, tfc.cast(tfc.logicalAnd(tfc.greater(y, 0), tfc.less(y, 6)), 'float32'));
    case 'elu':
      // z > 0: y = z, dy/dz = 1; z <= 0: y = exp(z) - 1, dy/dz = y + 1
      return tfc.mul(dy, tfc.where(tfc.greater(y, 0), tfc.onesLike(y), tfc.add(y, 1)));
    default:
      return tfc.mul(dy, tfc.mul(y, tfc.sub(1, y)));
  }
}

type CustomGradientFunc = Parameters<typeof tfc.customGrad>[0];

/**
 * The fused kernel itself: tfjs's fused.matMul splits into three kernels while a gradient tape
 * records, and this op records its own gradient. tfjs's kernels take rank-3 operands (its op
 * reshapes them); the backends with keras-ts's own kernels (DenseGrad) take rank 2 as well, which
 * saves three reshapes per layer.
 */
function fusedForward(a: tfc.Tensor2D, w: tfc.Tensor2D, b: tfc.Tensor | undefined, activation: DenseActivation): tfc.Tensor2D {
  const attrs = { transposeA: false, transposeB: false, activation };
  const rank2 = hasKernel(FusedKernel.DenseGrad);
  const x = rank2 ? a : tfc.reshape(a, [1, ...a.shape]);
  const k = rank2 ? w : tfc.reshape(w, [1, ...w.shape]);
  const y = runFused(tfc._FusedMatMul, b === undefined ? { a: x, b: k } : { a: x, b: k, bias: b }, attrs)[0];
  return (rank2 ? y : tfc.reshape(y, [a.shape[0], w.shape[1]])) as tfc.Tensor2D;
}

/** [dx, dW, db?]: on the backend's DenseGrad kernel where it has one, else with tfjs ops. */
function backward(dy: tfc.Tensor, x: tfc.Tensor, w: tfc.Tensor, y: tfc.Tensor, activation: DenseActivation, inputGradient: boolean, hasBias: boolean): tfc.Tensor[] {
  if (hasKernel(FusedKernel.DenseGrad)) {
    return runFused(FusedKernel.DenseGrad, { dy, x, w, y }, { activation, inputGradient, hasBias });
  }
  const dz = activationGradient(dy, y, activation);
  const dx = inputGradient ? product(dz, w, false, true) : tfc.zerosLike(x);
  const dw = product(x, dz, true, false);
  return hasBias ? [dx, dw, columnSum(dz)] : [dx, dw];
}

/**
 * activation(x·W + b) for 2-D x, differentiable in x, W and b. With `inputGradient` false (x is
 * the batch's data, alive until the training step ends), the gradient for x is zeros instead of a
 * matmul nobody reads.
 */
export function dense(
  x: tfc.Tensor2D,
  kernel: tfc.Tensor2D,
  bias: tfc.Tensor | undefined,
  activation: DenseActivation,
  inputGradient = true,
): tfc.Tensor2D {
  const hasBias = bias !== undefined;
  const forward = (a: tfc.Tensor2D, w: tfc.Tensor2D, b: tfc.Tensor | undefined, save: tfc.GradSaveFunc) => {
    const y = fusedForward(a, w, b, activation);
    // The tape keeps a copy of what is saved (an Identity kernel each). A variable outlives the
    // step, and so does the batch's own data (inputGradient false): those are used as they are.
    const keepW = w instanceof tfc.Variable;
    const keepA = !inputGradient;
    save([...(keepA ? [] : [a]), ...(keepW ? [] : [w]), y]);
    const gradFunc = (dy: tfc.Tensor, saved: tfc.Tensor[]): tfc.Tensor[] => {
      const rest = [...saved];
      const sx = keepA ? a : (rest.shift() as tfc.Tensor);
      const sw = keepW ? w : (rest.shift() as tfc.Tensor);
      return backward(dy, sx, sw, rest[0], activation, inputGradient, hasBias);
    };
    return { value: y, gradFunc };
  };
  if (!hasBias) {
    const op = tfc.customGrad(((a: tfc.Tensor2D, w: tfc.Tensor2D, save: tfc.GradSaveFunc) => forward(a, w, undefined, save)) as unknown as CustomGradientFunc);
    return op(x, kernel) as tfc.Tensor2D;
  }
  const op = tfc.customGrad(forward as unknown as CustomGradientFunc);
  return op(x, kernel, bias) as tfc.Tensor2D;
}
