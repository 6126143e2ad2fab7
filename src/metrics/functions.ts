/** Per-sample metric functions, as Keras defines them. */
import * as tfc from '@tensorflow/tfjs-core';

export function binaryAccuracy(yTrue: tfc.Tensor, yPred: tfc.Tensor, threshold = 0.5): tfc.Tensor {
  const predicted = tfc.cast(tfc.greater(yPred, threshold), yTrue.dtype);
  return tfc.mean(tfc.cast(tfc.equal(yTrue, predicted), 'float32'), -1);
}

export function categoricalAccuracy(yTrue: tfc.Tensor, yPred: tfc.Tensor): tfc.Tensor {
  return tfc.cast(tfc.equal(tfc.argMax(yTrue, -1), tfc.argMax(yPred, -1)), 'float32');
}

/** yTrue holds class indices, shaped like yPred without its last axis (or with it as 1). */
export function sparseCategoricalAccuracy(yTrue: tfc.Tensor, yPred: tfc.Tensor): tfc.Tensor {
  const labels = yTrue.rank === yPred.rank ? tfc.squeeze(yTrue, [-1]) : yTrue;
  return tfc.cast(tfc.equal(tfc.cast(labels, 'int32'), tfc.argMax(yPred, -1)), 'float32');
}
