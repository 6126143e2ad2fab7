/**
 * A dense layer's forward and backward as one differentiable op: y = activation(x·W + b) runs as a
 * single fused kernel (matmul, bias, activation), and its gradient is written out by hand (dz from
 * y, then dx, dW and db), instead of being taped kernel by kernel. This is the same math with
 * about half the kernel calls per layer and step, which on a GPU is most of a small model's step.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { columnSum, product } from './matmul';

export type DenseActivation = 'linear' | 'relu' | 'relu6' | 'elu' | 'sigmoid';

/** dL/dz from dL/dy and the output y, for y = activation(z). */
function activationGradient(dy: tfc.Tensor, y: tfc.Tensor, activation: DenseActivation): tfc.Tensor {
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
 * activation(x·W + b) for 2-D x, differentiable in x, W and b. With `inputGradient` false (x is
 * the batch's data), the gradient for x is zeros instead of a matmul nobody reads.
 */
export function dense(
  x: tfc.Tensor2D,
  kernel: tfc.Tensor2D,
  bias: tfc.Tensor | undefined,
  activation: DenseActivation,
  inputGradient = true,
): tfc.Tensor2D {
  const dx = (dz: tfc.Tensor, sx: tfc.Tensor, sw: tfc.Tensor): tfc.Tensor => (inputGradient ? product(dz, sw, false, true) : tfc.zerosLike(sx));
  const fusedActivation = activation === 'linear' ? undefined : activation;
  if (bias === undefined) {
    const op = tfc.customGrad(((a: tfc.Tensor2D, w: tfc.Tensor2D, save: tfc.GradSaveFunc) => {
      const y = tfc.fused.matMul({ a, b: w, activation: fusedActivation });
      save([a, w, y]);
      const gradFunc = (dy: tfc.Tensor, saved: tfc.Tensor[]): tfc.Tensor[] => {
        const [sx, sw, sy] = saved;
        const dz = activationGradient(dy, sy, activation);
        return [dx(dz, sx, sw), product(sx, dz, true, false)];
      };
      return { value: y, gradFunc };
    }) as unknown as CustomGradientFunc);
    return op(x, kernel) as tfc.Tensor2D;
  }
  const op = tfc.customGrad(((a: tfc.Tensor2D, w: tfc.Tensor2D, b: tfc.Tensor, save: tfc.GradSaveFunc) => {
    const y = tfc.fused.matMul({ a, b: w, bias: b, activation: fusedActivation });
    save([a, w, y]);
    const gradFunc = (dy: tfc.Tensor, saved: tfc.Tensor[]): tfc.Tensor[] => {
      const [sx, sw, sy] = saved;
      const dz = activationGradient(dy, sy, activation);
      return [dx(dz, sx, sw), product(sx, dz, true, false), columnSum(dz)];
    };
    return { value: y, gradFunc };
  }) as unknown as CustomGradientFunc);
  return op(x, kernel, bias) as tfc.Tensor2D;
}
