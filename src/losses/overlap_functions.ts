/**
 * Loss functions Keras 3 added (categorical focal, generalized cross-entropy, Dice, Tversky), as
 * Keras defines them: (yTrue, yPred) -> one value per sample, or one value for the batch when
 * Dice's and Tversky's `axis` is left unset (Keras's default: sums over every axis).
 */
import * as tfc from '@tensorflow/tfjs-core';
import { EPSILON } from './functions';

export interface CategoricalFocalOptions {
  /** The weighting factor of the focal term. Keras: `alpha` @default 0.25 */
  alpha?: number;
  /** Focusing parameter: how much well-classified examples are down-weighted. Keras: `gamma` @default 2 */
  gamma?: number;
  /** Whether yPred holds logits rather than probabilities. Keras: `from_logits` @default false */
  fromLogits?: boolean;
  /** Move this much probability mass from the true class to all classes evenly. Keras: `label_smoothing` @default 0 */
  labelSmoothing?: number;
  /** The class axis. Keras: `axis` @default -1 */
  axis?: number;
}

/** sum(alpha (1 - p)^gamma · -y log p) over the classes, p rescaled to sum to 1 and clipped away from 0 and 1. */
export function categoricalFocalCrossentropy(yTrue: tfc.Tensor, yPred: tfc.Tensor, opts: CategoricalFocalOptions = {}): tfc.Tensor {
  const { alpha = 0.25, gamma = 2, labelSmoothing = 0, axis = -1 } = opts;
  let target = tfc.cast(yTrue, 'float32');
  if (labelSmoothing) target = tfc.add(tfc.mul(target, 1 - labelSmoothing), labelSmoothing / yTrue.shape[yTrue.rank - 1]);
  const probs = opts.fromLogits ? tfc.softmax(yPred, axis) : yPred;
  const p = tfc.clipByValue(tfc.div(probs, tfc.sum(probs, axis, true)), EPSILON, 1 - EPSILON);
  const cce = tfc.neg(tfc.mul(target, tfc.log(p)));
  return tfc.sum(tfc.mul(tfc.mul(tfc.pow(tfc.sub(1, p), gamma), alpha), cce), axis);
}

/**
 * (1 - p_y^q) / q, p_y the probability of the true class; yTrue holds class indices (as in Keras,
 * whatever the name says). q -> 0 approaches cross-entropy, q = 1 is the mean absolute error.
 */
export function categoricalGeneralizedCrossEntropy(yTrue: tfc.Tensor, yPred: tfc.Tensor, q = 0.5): tfc.Tensor {
  const classes = yPred.shape[yPred.rank - 1];
  const labels = tfc.cast(yTrue.rank === yPred.rank ? tfc.squeeze(yTrue, [-1]) : yTrue, 'int32');
  const p = tfc.sum(tfc.mul(yPred, tfc.cast(tfc.oneHot(labels, classes), 'float32')), -1);
  return tfc.div(tfc.sub(1, tfc.pow(p, q)), q);
}

/** The axes Keras's `axis` names: undefined (every axis), one axis, or a list. */
type Axes = number | number[] | undefined | null;

/** 1 - 2 sum(y p) / (sum(y) + sum(p) + eps), summed over `axis` (every axis by default). */
export function dice(yTrue: tfc.Tensor, yPred: tfc.Tensor, axis: Axes = undefined): tfc.Tensor {
  const ax = axis ?? undefined;
  const y = tfc.cast(yTrue, 'float32');
  const intersection = tfc.sum(tfc.mul(y, yPred), ax);
  return tfc.sub(1, tfc.div(tfc.mul(intersection, 2), tfc.add(tfc.add(tfc.sum(y, ax), tfc.sum(yPred, ax)), EPSILON)));
}

export interface TverskyOptions {
  /** Weight of the false positives (Keras's formula: sum((1 - p) y)). Keras: `alpha` @default 0.5 */
  alpha?: number;
  /** Weight of the false negatives (Keras's formula: sum(p (1 - y))). Keras: `beta` @default 0.5 */
  beta?: number;
  /** The axes summed over. Keras: `axis` @default undefined (every axis) */
  axis?: number | number[] | null;
}

/**
 * 1 - TP / (TP + alpha · FP + beta · FN + eps), with Keras 3's sums: TP = sum(y p),
 * FP = sum((1 - p) y), FN = sum(p (1 - y)). With alpha = beta = 0.5 it is the Dice loss.
 */
export function tversky(yTrue: tfc.Tensor, yPred: tfc.Tensor, opts: TverskyOptions = {}): tfc.Tensor {
  const { alpha = 0.5, beta = 0.5 } = opts;
  const ax = opts.axis ?? undefined;
  const y = tfc.cast(yTrue, 'float32');
  const tp = tfc.sum(tfc.mul(y, yPred), ax);
  const fp = tfc.sum(tfc.mul(tfc.sub(1, yPred), y), ax);
  const fn = tfc.sum(tfc.mul(yPred, tfc.sub(1, y)), ax);
  return tfc.sub(1, tfc.div(tp, tfc.add(tfc.add(tfc.add(tp, tfc.mul(fp, alpha)), tfc.mul(fn, beta)), EPSILON)));
}
