/**
 * Cross-entropy of probabilities made by a softmax or sigmoid, with the gradient taken directly
 * with respect to the logits: d/dz = p·sum(t) - t (softmax) or (p - t) / classes (sigmoid). This is
 * the gradient of the exact loss, and it skips backpropagating through log, clip, division and the
 * activation (about twenty kernels per step, which is most of a small model's step on wasm). The
 * value is Keras's for probabilities: -sum(t log p) with p clipped to [eps, 1 - eps]. Where the
 * backend has keras-ts's Crossentropy kernels (the native CPU backend), value and gradient are one
 * kernel each.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { FusedKernel, hasKernel, runFused } from '../engine/fused_kernels';

const EPSILON = 1e-7;

type CustomGradientFunc = Parameters<typeof tfc.customGrad>[0];
type Kind = 'softmax' | 'sigmoid';

function valueOps(kind: Kind, t: tfc.Tensor, probs: tfc.Tensor): tfc.Tensor {
  if (kind === 'softmax') return tfc.neg(tfc.sum(tfc.mul(t, tfc.log(tfc.clipByValue(probs, EPSILON, 1 - EPSILON))), -1));
  const p = tfc.clipByValue(probs, EPSILON, 1 - EPSILON);
  return tfc.mean(tfc.neg(tfc.add(tfc.mul(t, tfc.log(p)), tfc.mul(tfc.sub(1, t), tfc.log(tfc.sub(1, p))))), -1);
}

function gradientOps(kind: Kind, t: tfc.Tensor, probs: tfc.Tensor, dy: tfc.Tensor): tfc.Tensor {
  const dz = kind === 'softmax' ? tfc.sub(tfc.mul(probs, tfc.sum(t, -1, true)), t) : tfc.div(tfc.sub(probs, t), probs.shape[probs.rank - 1]);
  return tfc.mul(dz, tfc.expandDims(dy, -1));
}

function crossentropy(kind: Kind, target: tfc.Tensor, logits: tfc.Tensor, probs: tfc.Tensor): tfc.Tensor {
  const fused = hasKernel(FusedKernel.Crossentropy) && target.dtype === 'float32' && tfc.util.arraysEqual(target.shape, probs.shape);
  const op = tfc.customGrad(((z: tfc.Tensor, t: tfc.Tensor, save: tfc.GradSaveFunc) => {
    void z;
    save([t]);
    const value = fused ? runFused(FusedKernel.Crossentropy, { probs, target: t }, { kind })[0] : valueOps(kind, t, probs);
    const gradFunc = (dy: tfc.Tensor, saved: tfc.Tensor[]): tfc.Tensor[] => {
      const [tt] = saved;
      const dz = fused ? runFused(FusedKernel.CrossentropyGrad, { probs, target: tt, dy }, { kind })[0] : gradientOps(kind, tt, probs, dy);
      return [dz, tfc.zerosLike(tt)];
    };
    return { value, gradFunc };
  }) as unknown as CustomGradientFunc);
  return op(logits, target);
}

export function softmaxCrossentropy(target: tfc.Tensor, logits: tfc.Tensor, probs: tfc.Tensor): tfc.Tensor {
  return crossentropy('softmax', target, logits, probs);
}

export function sigmoidCrossentropy(target: tfc.Tensor, logits: tfc.Tensor, probs: tfc.Tensor): tfc.Tensor {
  return crossentropy('sigmoid', target, logits, probs);
}
