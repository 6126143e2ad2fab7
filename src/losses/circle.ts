/**
 * Circle loss (Sun et al. 2020) for metric learning, as Keras 3 computes it: yTrue holds integer
 * labels, yPred L2-normalized embeddings; each sample's positives (same label, itself left out
 * with `removeDiagonal`) and negatives (other labels) among the reference embeddings (by default
 * the batch itself) are weighted by how far they are from their optimum; one value per sample.
 */
import * as tfc from '@tensorflow/tfjs-core';

export interface CircleOptions {
  /** Scale factor of the similarities. Keras: `gamma` @default 80 */
  gamma?: number;
  /** Relaxation margin. Keras: `margin` @default 0.4 */
  margin?: number;
  /** Whether a sample is left out of its own positives. Keras: `remove_diagonal` @default true */
  removeDiagonal?: boolean;
}

/** Keras passes -inf to logsumexp; a large finite stand-in keeps the gradient finite. */
const NEG = -1e9;

/** Circle loss of each sample of `yPred` against `refEmbeddings` (with labels `refLabels`), both defaulting to the batch. */
export function circle(yTrue: tfc.Tensor, yPred: tfc.Tensor, opts: CircleOptions & { refLabels?: tfc.Tensor; refEmbeddings?: tfc.Tensor } = {}): tfc.Tensor {
  const { gamma = 80, margin = 0.4, removeDiagonal = true } = opts;
  const labels = tfc.reshape(tfc.cast(yTrue, 'int32'), [-1, 1]);
  const refLabels = tfc.reshape(tfc.cast(opts.refLabels ?? yTrue, 'int32'), [1, -1]);
  const ref = opts.refEmbeddings ?? yPred;
  const distances = tfc.relu(tfc.sub(1, tfc.matMul(yPred, ref, false, true)));
  let positive = tfc.equal(labels, refLabels);
  const negative = tfc.logicalNot(positive);
  if (removeDiagonal) positive = tfc.logicalAnd(positive, tfc.logicalNot(tfc.cast(tfc.eye(labels.shape[0], refLabels.shape[1]), 'bool')));
  const [posMask, negMask] = [tfc.cast(positive, 'float32'), tfc.cast(negative, 'float32')];
  const posWeights = tfc.relu(tfc.mul(tfc.add(distances, margin), posMask));
  const negWeights = tfc.relu(tfc.mul(tfc.sub(1 + margin, distances), negMask));
  const posTerms = tfc.mul(tfc.mul(posWeights, tfc.sub(margin, distances)), -gamma);
  const negTerms = tfc.mul(tfc.mul(negWeights, tfc.sub(1 - margin, distances)), gamma);
  const pLoss = tfc.logSumExp(tfc.where(positive, posTerms, tfc.fill(posTerms.shape, NEG)), 1);
  const nLoss = tfc.logSumExp(tfc.where(negative, negTerms, tfc.fill(negTerms.shape, NEG)), 1);
  return tfc.softplus(tfc.add(pLoss, nLoss));
}
