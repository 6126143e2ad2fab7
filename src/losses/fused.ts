/**
 * Cross-entropy of probabilities made by a softmax or sigmoid, with the gradient taken directly
 * with respect to the logits: d/dz = p·sum(t) - t (softmax) or (p - t) / classes (sigmoid). This is
 * the gradient of the exact loss, and it skips backpropagating through log, clip, division and the
 * activation (about twenty kernels per step, which is most of a small model's step on wasm). The
 * value is Keras's for probabilities: -sum(t log p) with p clipped to [eps, 1 - eps].
 */
import * as tfc from '@tensorflow/tfjs-core';

const EPSILON = 1e-7;

type CustomGradientFunc = Parameters<typeof tfc.customGrad>[0];

export function softmaxCrossentropy(target: tfc.Tensor, logits: tfc.Tensor, probs: tfc.Tensor): tfc.Tensor {
  const op = tfc.customGrad(((z: tfc.Tensor, t: tfc.Tensor, save: tfc.GradSaveFunc) => {
    void z;
    save([t]);
    const value = tfc.neg(tfc.sum(tfc.mul(t, tfc.log(tfc.clipByValue(probs, EPSILON, 1 - EPSILON))), -1));
    const gradFunc = (dy: tfc.Tensor, saved: tfc.Tensor[]): tfc.Tensor[] => {
      const [tt] = saved;
      const dz = tfc.sub(tfc.mul(probs, tfc.sum(tt, -1, true)), tt);
      return [tfc.mul(dz, tfc.expandDims(dy, -1)), tfc.zerosLike(tt)];
    };
    return { value, gradFunc };
  }) as unknown as CustomGradientFunc);
  return op(logits, target);
}

export function sigmoidCrossentropy(target: tfc.Tensor, logits: tfc.Tensor, probs: tfc.Tensor): tfc.Tensor {
  const op = tfc.customGrad(((z: tfc.Tensor, t: tfc.Tensor, save: tfc.GradSaveFunc) => {
    save([t]);
    const p = tfc.clipByValue(probs, EPSILON, 1 - EPSILON);
    const perElement = tfc.neg(tfc.add(tfc.mul(t, tfc.log(p)), tfc.mul(tfc.sub(1, t), tfc.log(tfc.sub(1, p)))));
    const value = tfc.mean(perElement, -1);
    const classes = z.shape[z.rank - 1];
    const gradFunc = (dy: tfc.Tensor, saved: tfc.Tensor[]): tfc.Tensor[] => {
      const [tt] = saved;
      const dz = tfc.div(tfc.sub(probs, tt), classes);
      return [tfc.mul(dz, tfc.expandDims(dy, -1)), tfc.zerosLike(tt)];
    };
    return { value, gradFunc };
  }) as unknown as CustomGradientFunc);
  return op(logits, target);
}
