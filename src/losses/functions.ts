/**
 * Loss functions as Keras 3 defines them: (yTrue, yPred) -> one value per sample (the last axis is
 * reduced). Reduction over the batch and sample weights are the Loss class's job.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { logitsOf } from '../activations/logits';
import { FusedKernel, hasKernel } from '../engine/fused_kernels';
import { reduceAll } from '../ops/mean_all';
import { Reduce, sigmoidCrossentropy, softmaxCrossentropy, sparseSoftmaxCrossentropy } from './fused';

/** Keras's backend epsilon, used to clip probabilities away from 0 and 1. */
export const EPSILON = 1e-7;

export type LossFn = (yTrue: tfc.Tensor, yPred: tfc.Tensor) => tfc.Tensor;
/** A loss whose sum or mean over all values (`reduce`) can be one op: the cross-entropies (see losses/fused.ts). */
export type ReducedLossFn = (yTrue: tfc.Tensor, yPred: tfc.Tensor, reduce: Reduce) => tfc.Scalar;
export type { Reduce } from './fused';

/** The per-sample `values`, or with `reduce` their sum or mean. */
function reduced(values: tfc.Tensor, reduce: Reduce | undefined): tfc.Tensor {
  return reduce === undefined ? values : reduceAll(values, reduce === 'mean');
}

export interface CrossentropyOptions {
  /** Whether yPred holds logits rather than probabilities. Keras: `from_logits` @default false */
  fromLogits?: boolean;
  /**
   * Move this much probability mass from the true class to all classes evenly. Keras: `label_smoothing`
   * @default 0
   */
  labelSmoothing?: number;
  /** The class axis. Keras: `axis` @default -1 */
  axis?: number;
}

export function meanSquaredError(yTrue: tfc.Tensor, yPred: tfc.Tensor): tfc.Tensor {
  return tfc.mean(tfc.squaredDifference(yPred, yTrue), -1);
}

export function meanAbsoluteError(yTrue: tfc.Tensor, yPred: tfc.Tensor): tfc.Tensor {
  return tfc.mean(tfc.abs(tfc.sub(yPred, yTrue)), -1);
}

/** 100 · mean(|y - p| / max(|y|, eps)) */
export function meanAbsolutePercentageError(yTrue: tfc.Tensor, yPred: tfc.Tensor): tfc.Tensor {
  const diff = tfc.abs(tfc.div(tfc.sub(yTrue, yPred), tfc.maximum(tfc.abs(yTrue), EPSILON)));
  return tfc.mul(tfc.mean(diff, -1), 100);
}

/** mean((log(max(p, eps) + 1) - log(max(y, eps) + 1))²) */
export function meanSquaredLogarithmicError(yTrue: tfc.Tensor, yPred: tfc.Tensor): tfc.Tensor {
  const lp = tfc.log1p(tfc.maximum(yPred, EPSILON));
  const lt = tfc.log1p(tfc.maximum(yTrue, EPSILON));
  return tfc.mean(tfc.squaredDifference(lp, lt), -1);
}

/** Per sample; with `reduce`, the sum or mean over all of them (one kernel each way where the backend fuses it). */
export function categoricalCrossentropy(yTrue: tfc.Tensor, yPred: tfc.Tensor, opts: CrossentropyOptions = {}, reduce?: Reduce): tfc.Tensor {
  const axis = opts.axis ?? -1;
  let target = yTrue;
  if (opts.labelSmoothing) {
    const classes = yTrue.shape[axis < 0 ? yTrue.rank + axis : axis];
    target = tfc.add(tfc.mul(yTrue, 1 - opts.labelSmoothing), opts.labelSmoothing / classes);
  }
  if (opts.fromLogits) return reduced(crossentropyLogits(target, yPred, axis), reduce);
  const logits = axis === -1 || axis === yPred.rank - 1 ? logitsOf(yPred, 'softmax') : undefined;
  if (logits !== undefined) return softmaxCrossentropy(target, logits, yPred, reduce); // probabilities from a softmax
  // As Keras: rescale so the class probabilities sum to one, clip away from 0 and 1, then -sum(y log p).
  const p = tfc.clipByValue(tfc.div(yPred, tfc.sum(yPred, axis, true)), EPSILON, 1 - EPSILON);
  return reduced(tfc.neg(tfc.sum(tfc.mul(target, tfc.log(p)), axis)), reduce);
}

function crossentropyLogits(target: tfc.Tensor, logits: tfc.Tensor, axis: number): tfc.Tensor {
  const logp = tfc.sub(logits, tfc.logSumExp(logits, axis, true));
  return tfc.neg(tfc.sum(tfc.mul(target, logp), axis));
}

export interface SparseCrossentropyOptions {
  /** Whether yPred holds logits rather than probabilities. Keras: `from_logits` @default false */
  fromLogits?: boolean;
  /** The class axis. Keras: `axis` @default -1 */
  axis?: number;
}

/** yTrue holds integer class indices, shaped like yPred without its class axis (or with it as 1). */
export function sparseCategoricalCrossentropy(yTrue: tfc.Tensor, yPred: tfc.Tensor, opts: SparseCrossentropyOptions = {}, reduce?: Reduce): tfc.Tensor {
  const axis = opts.axis ?? -1;
  const classAxis = axis < 0 ? yPred.rank + axis : axis;
  const numClasses = yPred.shape[classAxis];
  const fused = reduce !== undefined && !opts.fromLogits && classAxis === yPred.rank - 1 && hasKernel(FusedKernel.CrossentropyReduced) ? sparseReduced(yTrue, yPred, reduce) : null;
  if (fused !== null) return fused;
  let labels = yTrue.rank === yPred.rank ? tfc.squeeze(yTrue, [classAxis]) : yTrue;
  labels = tfc.cast(labels, 'int32');
  // One-hot as int32 then cast: tfjs-backend-wasm's OneHot writes int32 values whatever dtype is asked for.
  let oneHot = tfc.cast(tfc.oneHot(labels, numClasses), 'float32');
  if (classAxis !== yPred.rank - 1) {
    const perm = [...Array(yPred.rank - 1).keys()];
    perm.splice(classAxis, 0, yPred.rank - 1);
    oneHot = tfc.transpose(oneHot, perm);
  }
  return categoricalCrossentropy(oneHot, yPred, { fromLogits: opts.fromLogits, axis }, reduce);
}

/** The reduced sparse cross-entropy of a softmax's probabilities in one kernel each way, where the backend has it; else null. */
function sparseReduced(yTrue: tfc.Tensor, yPred: tfc.Tensor, reduce: Reduce): tfc.Tensor | null {
  const rows = yPred.shape.slice(0, -1);
  const labelRows = yTrue.rank === yPred.rank && yTrue.shape[yTrue.rank - 1] === 1 ? yTrue.shape.slice(0, -1) : yTrue.shape;
  const logits = tfc.util.arraysEqual(labelRows, rows) ? logitsOf(yPred, 'softmax') : undefined;
  if (logits === undefined || (yTrue.dtype !== 'float32' && yTrue.dtype !== 'int32')) return null;
  return sparseSoftmaxCrossentropy(yTrue.dtype === 'float32' ? yTrue : tfc.cast(yTrue, 'float32'), logits, yPred, reduce);
}

export function binaryCrossentropy(yTrue: tfc.Tensor, yPred: tfc.Tensor, opts: CrossentropyOptions = {}, reduce?: Reduce): tfc.Tensor {
  const target = smoothBinary(yTrue, opts.labelSmoothing);
  const axis = opts.axis ?? -1;
  const logits = !opts.fromLogits && (axis === -1 || axis === yPred.rank - 1) ? logitsOf(yPred, 'sigmoid') : undefined;
  if (logits !== undefined) return sigmoidCrossentropy(target, logits, yPred, reduce); // probabilities from a sigmoid
  return reduced(tfc.mean(binaryCrossentropyElements(target, yPred, opts.fromLogits ?? false), axis), reduce);
}

function smoothBinary(yTrue: tfc.Tensor, labelSmoothing = 0): tfc.Tensor {
  return labelSmoothing ? tfc.add(tfc.mul(yTrue, 1 - labelSmoothing), 0.5 * labelSmoothing) : yTrue;
}

function binaryCrossentropyElements(target: tfc.Tensor, yPred: tfc.Tensor, fromLogits: boolean): tfc.Tensor {
  if (fromLogits) {
    // max(x, 0) - x z + log(1 + exp(-|x|)): stable for any logit x.
    const x = yPred;
    return tfc.add(tfc.sub(tfc.relu(x), tfc.mul(x, target)), tfc.log1p(tfc.exp(tfc.neg(tfc.abs(x)))));
  }
  const p = tfc.clipByValue(yPred, EPSILON, 1 - EPSILON);
  return tfc.neg(tfc.add(tfc.mul(target, tfc.log(p)), tfc.mul(tfc.sub(1, target), tfc.log(tfc.sub(1, p)))));
}

export interface FocalOptions extends CrossentropyOptions {
  /** Weight positives by alpha and negatives by 1 - alpha. Keras: `apply_class_balancing` @default false */
  applyClassBalancing?: boolean;
  /** The positives' weight with applyClassBalancing. Keras: `alpha` @default 0.25 */
  alpha?: number;
  /** Focusing parameter: how much easy examples are down-weighted. Keras: `gamma` @default 2 */
  gamma?: number;
}

/** Binary cross-entropy scaled by (1 - p_t)^gamma (Lin et al., focal loss). */
export function binaryFocalCrossentropy(yTrue: tfc.Tensor, yPred: tfc.Tensor, opts: FocalOptions = {}): tfc.Tensor {
  const { alpha = 0.25, gamma = 2, applyClassBalancing = false } = opts;
  const target = smoothBinary(yTrue, opts.labelSmoothing);
  const p = opts.fromLogits ? tfc.sigmoid(yPred) : yPred;
  const bce = binaryCrossentropyElements(target, p, false);
  const pT = tfc.add(tfc.mul(target, p), tfc.mul(tfc.sub(1, target), tfc.sub(1, p)));
  let focal = tfc.mul(tfc.pow(tfc.sub(1, pT), gamma), bce);
  if (applyClassBalancing) focal = tfc.mul(focal, tfc.add(tfc.mul(target, alpha), tfc.mul(tfc.sub(1, target), 1 - alpha)));
  return tfc.mean(focal, opts.axis ?? -1);
}

/**
 * mean(0.5 e²) where |e| <= delta, mean(delta |e| - 0.5 delta²) beyond; written with q = min(|e|, delta)
 * as 0.5 q² + delta (|e| - q), which is the same function and differentiable without a comparison.
 */
export function huber(yTrue: tfc.Tensor, yPred: tfc.Tensor, delta = 1): tfc.Tensor {
  const abs = tfc.abs(tfc.sub(yPred, yTrue));
  const q = tfc.minimum(abs, delta);
  return tfc.mean(tfc.add(tfc.mul(tfc.square(q), 0.5), tfc.mul(tfc.sub(abs, q), delta)), -1);
}

/** mean(log(cosh(p - y))), computed as x + softplus(-2x) - log 2. */
export function logCosh(yTrue: tfc.Tensor, yPred: tfc.Tensor): tfc.Tensor {
  const x = tfc.sub(yPred, yTrue);
  return tfc.mean(tfc.sub(tfc.add(x, tfc.softplus(tfc.mul(x, -2))), Math.LN2), -1);
}

/** sum(y log(y / p)), both clipped to [eps, 1]. */
export function klDivergence(yTrue: tfc.Tensor, yPred: tfc.Tensor): tfc.Tensor {
  const t = tfc.clipByValue(yTrue, EPSILON, 1);
  const p = tfc.clipByValue(yPred, EPSILON, 1);
  return tfc.sum(tfc.mul(t, tfc.log(tfc.div(t, p))), -1);
}

/** mean(p - y log(p + eps)) */
export function poisson(yTrue: tfc.Tensor, yPred: tfc.Tensor): tfc.Tensor {
  return tfc.mean(tfc.sub(yPred, tfc.mul(yTrue, tfc.log(tfc.add(yPred, EPSILON)))), -1);
}

function l2Normalize(x: tfc.Tensor, axis: number): tfc.Tensor {
  return tfc.div(x, tfc.sqrt(tfc.maximum(tfc.sum(tfc.square(x), axis, true), 1e-12)));
}

/** The cosine similarity of y and p along `axis`, as a loss: its negative (so minimizing aligns them). */
export function cosineSimilarity(yTrue: tfc.Tensor, yPred: tfc.Tensor, axis = -1): tfc.Tensor {
  return tfc.neg(tfc.sum(tfc.mul(l2Normalize(yTrue, axis), l2Normalize(yPred, axis)), axis));
}

/** Labels in {0, 1} become {-1, 1}; labels already in {-1, 1} stay. */
function hingeLabels(yTrue: tfc.Tensor): tfc.Tensor {
  const binary = tfc.all(tfc.logicalOr(tfc.equal(yTrue, 0), tfc.equal(yTrue, 1)));
  return tfc.where(binary, tfc.sub(tfc.mul(yTrue, 2), 1), yTrue);
}

export function hinge(yTrue: tfc.Tensor, yPred: tfc.Tensor): tfc.Tensor {
  return tfc.mean(tfc.relu(tfc.sub(1, tfc.mul(hingeLabels(yTrue), yPred))), -1);
}

export function squaredHinge(yTrue: tfc.Tensor, yPred: tfc.Tensor): tfc.Tensor {
  return tfc.mean(tfc.square(tfc.relu(tfc.sub(1, tfc.mul(hingeLabels(yTrue), yPred)))), -1);
}

/** max(max((1 - y) p) - sum(y p) + 1, 0) */
export function categoricalHinge(yTrue: tfc.Tensor, yPred: tfc.Tensor): tfc.Tensor {
  const pos = tfc.sum(tfc.mul(yTrue, yPred), -1);
  const neg = tfc.max(tfc.mul(tfc.sub(1, yTrue), yPred), -1);
  return tfc.relu(tfc.add(tfc.sub(neg, pos), 1));
}
