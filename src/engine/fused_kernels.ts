/**
 * Kernels keras-ts defines itself, each doing the work of a chain of small tfjs ops in one call
 * (a layer's whole backward pass, a loss and its gradient, an optimizer's update). A backend may
 * register them (the native CPU backend does); ops, losses and optimizers use them where the
 * active backend has them and run the equivalent tfjs ops elsewhere.
 */
import * as tfc from '@tensorflow/tfjs-core';

export const FusedKernel = {
  /**
   * activation(x·W + b) with the last `inAxes` axes of x contracted with the first `inAxes` of W (no reshapes):
   * inputs {x, w, bias? (any shape of W's remaining size)}; attrs {activation, inAxes}; output [...x's others, ...W's others].
   */
  Dense: 'KerasDense',
  /** Dense backward: inputs {dy, x, w, y? (read by a non-linear activation)}; attrs {activation, inputGradient, hasBias, inAxes? (1), biasShape?}; outputs [dx, dw, db?]. */
  DenseGrad: 'KerasDenseGrad',
  /** Conv2D backward: inputs {dy, x, filter, y}; attrs {strides, pad, activation, inputGradient, hasBias}; outputs [dx, dfilter, dbias?]. */
  ConvGrad: 'KerasConvGrad',
  /** dL/dz from dL/dy and y = activation(z): inputs {dy, y}; attrs {activation}. */
  ActivationGrad: 'KerasActivationGrad',
  /** Per-sample cross-entropy of probabilities: inputs {probs, target}; attrs {kind: 'softmax' | 'sigmoid'}. */
  Crossentropy: 'KerasCrossentropy',
  /** Its gradient with respect to the logits: inputs {probs, target, dy}; attrs {kind}. */
  CrossentropyGrad: 'KerasCrossentropyGrad',
  /**
   * Cross-entropy summed over all rows, or their mean with `mean`: inputs {probs, target}; attrs {kind, mean, sparse?
   * (softmax only: target float32, one class index per row, for its one-hot row)}; output a scalar.
   */
  CrossentropyReduced: 'KerasCrossentropyReduced',
  /** Its gradient with respect to the logits: inputs {probs, target, dy (a scalar)}; attrs {kind, mean, sparse?}. */
  CrossentropyReducedGrad: 'KerasCrossentropyReducedGrad',
  /**
   * The categorical accuracies' per-sample match (metrics/functions.ts): inputs {pred [..., classes], truth (float32:
   * one-hot like pred, or with `sparse` class indices shaped as pred without its last axis)}; attrs {sparse}; output
   * float32 1 where pred's first largest class is the true one (truth's first largest, or its index cast to int32), else 0.
   */
  Matches: 'KerasMatches',
  /**
   * A running metric's update (metrics/metric.ts): inputs {total (a float32 scalar), values (float32)}; attrs {scale};
   * output total + Σvalues · scale, each step rounded to float32 as the Sum, Multiply and Add kernels round it.
   */
  Accumulate: 'KerasAccumulate',
  /**
   * One Adam step of `count` variables: inputs {w0, g0, m0, v0, vHat0?, w1, ...}; attrs {count, alpha,
   * beta1, beta2, epsilon, decay}; outputs [w0, m0, v0, vHat0?, w1, ...].
   */
  Adam: 'KerasAdam',
  /** One SGD step of `count` variables: inputs {w0, g0, m0?, w1, ...}; attrs {count, lr, momentum, nesterov, decay}; outputs [w0, m0?, w1, ...]. */
  SGD: 'KerasSGD',
  /**
   * One RMSprop step of `count` variables: inputs {w0, g0, v0, m0? (momentum), a0? (centered), w1, ...}; attrs {count, lr,
   * rho, momentum, epsilon, decay}; outputs [w0, v0, m0?, a0?, w1, ...].
   */
  RMSprop: 'KerasRMSprop',
  /** One Adagrad step of `count` variables: inputs {w0, g0, a0 (accumulator), w1, ...}; attrs {count, lr, epsilon, decay}; outputs [w0, a0, w1, ...]. */
  Adagrad: 'KerasAdagrad',
  /**
   * BatchNormalization with batch statistics (ops/batch_norm.ts), channels last: inputs {x, gamma,
   * beta}; attrs {epsilon, activation: 'linear' | 'relu' | 'relu6'}; outputs [y, mean, variance].
   */
  BatchNormTrain: 'KerasBatchNormTrain',
  /**
   * Its backward pass: inputs {dy, x, gamma, beta, mean, variance} (the activation's derivative from x
   * and the statistics, not from y); the same attrs; outputs [dx, dgamma, dbeta].
   */
  BatchNormTrainGrad: 'KerasBatchNormTrainGrad',
  /**
   * LayerNormalization over the last axis (ops/layer_norm.ts): inputs {x, gamma, beta} (gamma and beta
   * of the last axis's size); attrs {epsilon}; outputs [y, mean, rstd] (one per row: the mean and 1 / sqrt(variance + epsilon)).
   */
  LayerNorm: 'KerasLayerNorm',
  /** Its backward pass: inputs {dy, x, gamma, mean, rstd}; outputs [dx, dgamma, dbeta]. */
  LayerNormGrad: 'KerasLayerNormGrad',
  /**
   * Attention's masked softmax (ops/attention.ts): inputs {scores (float32), mask (bool, broadcast to the
   * scores)}; output the softmax over the last axis of the allowed entries, 0 elsewhere (a row with none allowed: all 0).
   */
  MaskedSoftmax: 'KerasMaskedSoftmax',
  /**
   * Scaled dot-product attention (ops/attention.ts's attentionCore), steps before heads: inputs {q [B, T, H, D],
   * k [B, S, H, D], v [B, S, H, Dv], mask (bool, broadcast to [B, T, S])}; attrs {scale}; outputs [out [B, T, H, Dv],
   * probs [B, H, T, S]] (the masked softmax of scale · q·kᵀ: 0 where masked, a row with nothing allowed all 0).
   */
  AttentionCore: 'KerasAttentionCore',
  /** Its backward: inputs {dOut, dProbs? (absent: none), q, k, v, probs}; attrs {scale}; outputs [dq, dk, dv]. */
  AttentionCoreGrad: 'KerasAttentionCoreGrad',
  /** Softmax over the last axis, as tfjs's Softmax kernel (inputs {logits}) with its gradient registered by ops/softmax.ts. */
  Softmax: 'KerasSoftmax',
  /** A softmax's backward from its output: inputs {p, dy}; output dx = p · (dy - Σ dy · p) over the last axis. */
  SoftmaxGrad: 'KerasSoftmaxGrad',
  /**
   * Dropout in training with tfjs's seeded draws (ops/dropout.ts): inputs {x (float32)}; attrs {rate, state: [c, s0,
   * s1, s2] (seedrandom's alea seeded with the seed's string, ops/alea.ts)}; outputs [y, multiplier], equal bit for
   * bit to tfc.dropout's (multiplier = floor(u + keepProb) / keepProb, y = x · multiplier, in float32).
   */
  Dropout: 'KerasDropout',
  /**
   * ops/image_sampling.ts's samplePoints (the affine and displacement transforms): float32 images read at
   * points; inputs {images [n, h, w, c]}; attrs {xs, ys (Float64Array, one point per output pixel),
   * interpolation, fillMode, fillValue}; output the same shape.
   */
  ImageSample: 'KerasImageSample',
  /** Its gradient with respect to the images: inputs {dy}; the same attrs. */
  ImageSampleGrad: 'KerasImageSampleGrad',
  /**
   * A recurrent layer's loop over time (ops/recurrent_native.ts): inputs {xw [T, B, G], recurrentKernel [u, G],
   * recurrentBias? [G], h0 [B, u], c0? [B, u] (LSTM), mask? [T, B]}; attrs {cell: 'lstm' | 'gru', saveWork,
   * batchMajor (xw [B, T, G], mask [B, T], states [B, T (+1), u]), reverse (xw and mask read from the end)};
   * outputs [states (h of every step [T, B, u], then LSTM's final c [1, B, u]), work (with saveWork)].
   */
  RecurrentSequence: 'KerasRecurrentSequence',
  /**
   * Its backward: inputs {dy (as the states), work, recurrentKernel, mask?}; attrs {cell, hasRecurrentBias, batchMajor, reverse};
   * outputs [dxw, dRecurrentKernel, dh0, dc0? (LSTM), dRecurrentBias?].
   */
  RecurrentSequenceGrad: 'KerasRecurrentSequenceGrad',
} as const;

let cachedBackend = '';
const cached = new Map<string, boolean>();

/** Whether the active backend has this kernel (remembered per backend: asked several times a step). */
export function hasKernel(name: string): boolean {
  const backend = tfc.getBackend();
  if (backend !== cachedBackend) {
    cached.clear();
    cachedBackend = backend;
  }
  let has = cached.get(name);
  if (has === undefined) {
    has = tfc.getKernel(name, backend) !== undefined;
    cached.set(name, has);
  }
  return has;
}

/** Runs one of these kernels on the active backend. */
export function runFused(name: string, inputs: Record<string, tfc.Tensor>, attrs: Record<string, unknown>): tfc.Tensor[] {
  const out = tfc.engine().runKernel(name, inputs as unknown as tfc.NamedTensorMap, attrs as unknown as tfc.NamedAttrMap);
  return Array.isArray(out) ? (out as tfc.Tensor[]) : [out as tfc.Tensor];
}
