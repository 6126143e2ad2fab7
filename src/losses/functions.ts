/**
 * Loss functions as Keras defines them: (yTrue, yPred) -> one value per sample (the last axis is
 * reduced). Reduction over the batch and sample weights are the Loss class's job.
 */
import * as tfc from '@tensorflow/tfjs-core';

/** Keras's backend epsilon, used to clip probabilities away from 0 and 1. */
export const EPSILON = 1e-7;

export type LossFn = (yTrue: tfc.Tensor, yPred: tfc.Tensor) => tfc.Tensor;

export function meanSquaredError(yTrue: tfc.Tensor, yPred: tfc.Tensor): tfc.Tensor {
  return tfc.mean(tfc.squaredDifference(yPred, yTrue), -1);
}

export function meanAbsoluteError(yTrue: tfc.Tensor, yPred: tfc.Tensor): tfc.Tensor {
  return tfc.mean(tfc.abs(tfc.sub(yPred, yTrue)), -1);
}

export interface CrossentropyOptions {
  /** Whether yPred holds logits rather than probabilities. @default false */
  fromLogits?: boolean;
}

export function categoricalCrossentropy(yTrue: tfc.Tensor, yPred: tfc.Tensor, opts: CrossentropyOptions = {}): tfc.Tensor {
  if (opts.fromLogits) {
    return tfc.neg(tfc.sum(tfc.mul(yTrue, tfc.logSoftmax(yPred, -1)), -1));
  }
  // As Keras: rescale so each row sums to one, clip away from 0 and 1, then -sum(y log p).
  const p = tfc.clipByValue(tfc.div(yPred, tfc.sum(yPred, -1, true)), EPSILON, 1 - EPSILON);
  return tfc.neg(tfc.sum(tfc.mul(yTrue, tfc.log(p)), -1));
}

/** yTrue holds integer class indices, shaped like yPred without its last axis (or with it as 1). */
export function sparseCategoricalCrossentropy(
  yTrue: tfc.Tensor,
  yPred: tfc.Tensor,
  opts: CrossentropyOptions = {},
): tfc.Tensor {
  const numClasses = yPred.shape[yPred.rank - 1];
  let labels = yTrue.rank === yPred.rank ? tfc.squeeze(yTrue, [-1]) : yTrue;
  labels = tfc.cast(labels, 'int32');
  const oneHot = tfc.oneHot(labels, numClasses);
  return categoricalCrossentropy(oneHot, yPred, opts);
}

export function binaryCrossentropy(yTrue: tfc.Tensor, yPred: tfc.Tensor, opts: CrossentropyOptions = {}): tfc.Tensor {
  if (opts.fromLogits) {
    // max(x, 0) - x z + log(1 + exp(-|x|)): stable for any logit x.
    const x = yPred;
    const perElement = tfc.add(tfc.sub(tfc.relu(x), tfc.mul(x, yTrue)), tfc.log1p(tfc.exp(tfc.neg(tfc.abs(x)))));
    return tfc.mean(perElement, -1);
  }
  const p = tfc.clipByValue(yPred, EPSILON, 1 - EPSILON);
  const perElement = tfc.neg(
    tfc.add(tfc.mul(yTrue, tfc.log(p)), tfc.mul(tfc.sub(1, yTrue), tfc.log(tfc.sub(1, p)))),
  );
  return tfc.mean(perElement, -1);
}
