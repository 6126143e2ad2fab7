/**
 * BatchNormalization's arithmetic, for the layers (layers/normalization.ts):
 *
 * - normalizeBy: (x - mean) / sqrt(variance + epsilon) · gamma + beta along one feature axis.
 * - batchNormTraining: the same with the batch's own per-feature mean and (biased) variance, which it
 *   also returns for the moving averages, optionally followed by relu or relu6 (a graph pass fuses the
 *   ReLU layer after a BatchNormalization here: models/fusion_chains.ts). Where the backend has keras-ts's BatchNormTrain kernel (the
 *   native CPU backend) and the features are the last axis, the forward pass is that one kernel and
 *   the backward pass one more (dx, dgamma and dbeta in one pass), instead of moments, rsqrt, mul and
 *   add each taped with its own gradient over the whole activation map. Elsewhere it is tfjs ops,
 *   differentiated op by op. Either way no gradient flows through the returned statistics (they feed
 *   the moving averages, which no loss reads).
 */
import * as tfc from '@tensorflow/tfjs-core';
import { FusedKernel, hasKernel, runFused } from '../engine/fused_kernels';

export interface BatchNormArgs {
  /** The feature axis, non-negative. */
  axis: number;
  /** Per-feature scale (absent: 1). */
  gamma?: tfc.Tensor;
  /** Per-feature offset (absent: 0). */
  beta?: tfc.Tensor;
  epsilon: number;
  /** Applied after the normalization (batchNormTraining only). @default 'linear' */
  activation?: NormActivation;
}

/** What batchNormTraining applies after normalizing: the BatchNormTrain kernel's fused activations. */
export type NormActivation = 'linear' | 'relu' | 'relu6';

/**
 * x normalized by `mean` and `variance` (broadcastable to x), computed as x · a + b: a = gamma /
 * sqrt(variance + epsilon) and b = beta - mean · a are per-feature (small), so the full-size input is
 * read twice instead of four times.
 */
export function normalizeBy(x: tfc.Tensor, mean: tfc.Tensor, variance: tfc.Tensor, args: BatchNormArgs): tfc.Tensor {
  const shape = x.shape.map((d, i) => (i === args.axis ? d : 1));
  let a = tfc.rsqrt(tfc.add(variance, args.epsilon));
  if (args.gamma) a = tfc.mul(a, tfc.reshape(args.gamma, shape));
  let b = tfc.neg(tfc.mul(mean, a));
  if (args.beta) b = tfc.add(b, tfc.reshape(args.beta, shape));
  return tfc.add(tfc.mul(x, a), b);
}

/** x normalized by its batch statistics, and those statistics (one value per feature; any shape of that size). */
export function batchNormTraining(x: tfc.Tensor, args: BatchNormArgs): { y: tfc.Tensor; mean: tfc.Tensor; variance: tfc.Tensor } {
  if (args.axis === x.rank - 1 && x.rank >= 2 && x.dtype === 'float32' && x.size > 0 && hasKernel(FusedKernel.BatchNormTrain)) {
    registerGradient();
    const channels = x.shape[args.axis];
    const gamma = args.gamma ?? tfc.ones([channels]);
    const beta = args.beta ?? tfc.zeros([channels]);
    const [y, mean, variance] = runFused(FusedKernel.BatchNormTrain, { x, gamma, beta }, { epsilon: args.epsilon, activation: args.activation ?? 'linear' });
    return { y, mean, variance };
  }
  const reduce = x.shape.map((_, i) => i).filter((i) => i !== args.axis);
  const { mean, variance } = tfc.moments(x, reduce, true);
  return { y: activate(normalizeBy(x, mean, variance, args), args.activation ?? 'linear'), mean, variance };
}

/** y, or relu(y), or relu6(y). */
export function activate(y: tfc.Tensor, activation: NormActivation): tfc.Tensor {
  return activation === 'relu' ? tfc.relu(y) : activation === 'relu6' ? tfc.relu6(y) : y;
}

let gradientRegistered = false;

/**
 * The kernel's gradient, registered with tfjs-core on first use: one BatchNormTrainGrad kernel, which
 * recomputes the activation's derivative from x, gamma, beta and the statistics (y is not saved).
 */
function registerGradient(): void {
  if (gradientRegistered) return;
  tfc.registerGradient({
    kernelName: FusedKernel.BatchNormTrain,
    inputsToSave: ['x', 'gamma', 'beta'],
    outputsToSave: [false, true, true],
    gradFunc: (dys, saved, attrs) => {
      const dy = (dys as tfc.Tensor[])[0]; // tfjs passes zeros for the statistics, which no loss reads
      const [x, gamma, beta, mean, variance] = saved;
      const [dx, dgamma, dbeta] = runFused(FusedKernel.BatchNormTrainGrad, { dy, x, gamma, beta, mean, variance }, attrs as Record<string, unknown>);
      return { x: () => dx, gamma: () => dgamma, beta: () => dbeta };
    },
  });
  gradientRegistered = true;
}
