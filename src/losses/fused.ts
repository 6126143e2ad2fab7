/**
 * Cross-entropy of probabilities made by a softmax or sigmoid, with the gradient taken directly
 * with respect to the logits: d/dz = p·sum(t) - t (softmax) or (p - t) / classes (sigmoid). This is
 * the gradient of the exact loss, and it skips backpropagating through log, clip, division and the
 * activation (about twenty kernels per step, which is most of a small model's step on wasm). The
 * value is Keras's for probabilities: -sum(t log p) with p clipped to [eps, 1 - eps]. Where the
 * backend has keras-ts's Crossentropy kernels (the native CPU backend), value and gradient are one
 * kernel each; with a reduction (a Loss's sum or mean, without sample weights), the reduced value
 * and its gradient are one kernel each too.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { FusedKernel, hasKernel, runFused } from '../engine/fused_kernels';
import { reduceAll } from '../ops/mean_all';

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

/** A loss reduced over all its values: their sum, or their mean (Keras's sum_over_batch_size). */
export type Reduce = 'sum' | 'mean';

/**
 * An op of the logits whose value and gradient read a target: the target is saved and read, never
 * differentiated (no zeros for it).
 */
function ofLogits(logits: tfc.Tensor, target: tfc.Tensor, value: (t: tfc.Tensor) => tfc.Tensor, gradient: (t: tfc.Tensor, dy: tfc.Tensor) => tfc.Tensor): tfc.Tensor {
  const op = tfc.customGrad(((z: tfc.Tensor, save: tfc.GradSaveFunc) => {
    void z;
    save([target]);
    return { value: value(target), gradFunc: (dy: tfc.Tensor, saved: tfc.Tensor[]) => gradient(saved[0], dy) };
  }) as unknown as CustomGradientFunc);
  return op(logits);
}

function crossentropy(kind: Kind, target: tfc.Tensor, logits: tfc.Tensor, probs: tfc.Tensor, reduce?: Reduce): tfc.Tensor {
  const fused = hasKernel(FusedKernel.Crossentropy) && target.dtype === 'float32' && tfc.util.arraysEqual(target.shape, probs.shape);
  // Reduced in the same kernel where the backend has one (value and gradient: one kernel each, no reduction's).
  const reduced = reduce !== undefined && fused && hasKernel(FusedKernel.CrossentropyReduced);
  if (reduce !== undefined && !reduced) return reduceAll(crossentropy(kind, target, logits, probs), reduce === 'mean');
  if (!fused) return ofLogits(logits, target, (t) => valueOps(kind, t, probs), (t, dy) => gradientOps(kind, t, probs, dy));
  const [valueKernel, gradKernel] = reduced ? [FusedKernel.CrossentropyReduced, FusedKernel.CrossentropyReducedGrad] : [FusedKernel.Crossentropy, FusedKernel.CrossentropyGrad];
  const attrs = { kind, mean: reduce === 'mean' };
  return ofLogits(logits, target, (t) => runFused(valueKernel, { probs, target: t }, attrs)[0], (t, dy) => runFused(gradKernel, { probs, target: t, dy }, attrs)[0]);
}

/**
 * The sum or mean of the softmax cross-entropy for class indices (`labels`, float32, one per row of
 * probs: a cast to int32 reads them, and an index outside the classes stands for a row of zeros, as
 * tfjs's oneHot makes it) in one kernel each way, without the one-hot rows; null where the backend
 * has no such kernel (the caller makes the one-hot rows).
 */
export function sparseSoftmaxCrossentropy(labels: tfc.Tensor, logits: tfc.Tensor, probs: tfc.Tensor, reduce: Reduce): tfc.Tensor | null {
  const rows = probs.size / Math.max(probs.shape[probs.rank - 1] ?? 1, 1);
  if (!hasKernel(FusedKernel.CrossentropyReduced) || labels.dtype !== 'float32' || labels.size !== rows || probs.rank === 0) return null;
  const attrs = { kind: 'softmax', mean: reduce === 'mean', sparse: true };
  return ofLogits(logits, labels, (t) => runFused(FusedKernel.CrossentropyReduced, { probs, target: t }, attrs)[0], (t, dy) => runFused(FusedKernel.CrossentropyReducedGrad, { probs, target: t, dy }, attrs)[0]);
}

/** Cross-entropy of softmax probabilities per sample, or with `reduce` their sum or mean. */
export function softmaxCrossentropy(target: tfc.Tensor, logits: tfc.Tensor, probs: tfc.Tensor, reduce?: Reduce): tfc.Tensor {
  return crossentropy('softmax', target, logits, probs, reduce);
}

/** Cross-entropy of sigmoid probabilities per sample, or with `reduce` their sum or mean. */
export function sigmoidCrossentropy(target: tfc.Tensor, logits: tfc.Tensor, probs: tfc.Tensor, reduce?: Reduce): tfc.Tensor {
  return crossentropy('sigmoid', target, logits, probs, reduce);
}
