/** Per-sample metric functions, as Keras defines them. */
import * as tfc from '@tensorflow/tfjs-core';
import { FusedKernel, hasKernel, runFused } from '../engine/fused_kernels';

export function binaryAccuracy(yTrue: tfc.Tensor, yPred: tfc.Tensor, threshold = 0.5): tfc.Tensor {
  const predicted = tfc.cast(tfc.greater(yPred, threshold), yTrue.dtype);
  return tfc.mean(tfc.cast(tfc.equal(yTrue, predicted), 'float32'), -1);
}

/**
 * Whether the backend's Matches kernel computes this accuracy: float32 values, and labels that need
 * no broadcasting (one-hot shaped as the predictions, or class indices shaped as their rows).
 */
function fusedMatches(yTrue: tfc.Tensor, yPred: tfc.Tensor, sparse: boolean): boolean {
  if (yTrue.dtype !== 'float32' || yPred.dtype !== 'float32' || yPred.rank < 1 || !hasKernel(FusedKernel.Matches)) return false;
  const rows = yPred.shape.slice(0, -1);
  const labels = sparse && yTrue.rank === yPred.rank ? yTrue.shape.slice(0, -1) : yTrue.shape;
  return tfc.util.arraysEqual(labels, sparse ? rows : yPred.shape) && (!sparse || yTrue.rank < yPred.rank || yTrue.shape[yTrue.rank - 1] === 1);
}

export function categoricalAccuracy(yTrue: tfc.Tensor, yPred: tfc.Tensor): tfc.Tensor {
  if (fusedMatches(yTrue, yPred, false)) return runFused(FusedKernel.Matches, { pred: yPred, truth: yTrue }, { sparse: false })[0];
  return tfc.cast(tfc.equal(tfc.argMax(yTrue, -1), tfc.argMax(yPred, -1)), 'float32');
}

/** yTrue holds class indices, shaped like yPred without its last axis (or with it as 1). */
export function sparseCategoricalAccuracy(yTrue: tfc.Tensor, yPred: tfc.Tensor): tfc.Tensor {
  if (fusedMatches(yTrue, yPred, true)) return runFused(FusedKernel.Matches, { pred: yPred, truth: yTrue }, { sparse: true })[0];
  const labels = yTrue.rank === yPred.rank ? tfc.squeeze(yTrue, [-1]) : yTrue;
  return tfc.cast(tfc.equal(tfc.cast(labels, 'int32'), tfc.argMax(yPred, -1)), 'float32');
}

/** 1 where the true class's score is among the k largest (fewer than k classes score higher). */
function inTopK(trueScore: tfc.Tensor, yPred: tfc.Tensor, k: number): tfc.Tensor {
  const higher = tfc.sum(tfc.cast(tfc.greater(yPred, tfc.expandDims(trueScore, -1)), 'float32'), -1);
  return tfc.cast(tfc.less(higher, k), 'float32');
}

/** 1 where the one-hot label's class is among the k highest predictions. */
export function topKCategoricalAccuracy(yTrue: tfc.Tensor, yPred: tfc.Tensor, k = 5): tfc.Tensor {
  const classes = yPred.shape[yPred.rank - 1];
  const trueScore = tfc.sum(tfc.mul(tfc.oneHot(tfc.argMax(yTrue, -1), classes), yPred), -1);
  return inTopK(trueScore, yPred, k);
}

/** 1 where the class-index label is among the k highest predictions. */
export function sparseTopKCategoricalAccuracy(yTrue: tfc.Tensor, yPred: tfc.Tensor, k = 5): tfc.Tensor {
  const classes = yPred.shape[yPred.rank - 1];
  const labels = tfc.cast(yTrue.rank === yPred.rank ? tfc.squeeze(yTrue, [-1]) : yTrue, 'int32');
  const trueScore = tfc.sum(tfc.mul(tfc.oneHot(labels, classes), yPred), -1);
  return inTopK(trueScore, yPred, k);
}
