/**
 * Kernels keras-ts defines itself, each doing the work of a chain of small tfjs ops in one call
 * (a layer's whole backward pass, a loss and its gradient, an optimizer's update). A backend may
 * register them (the native CPU backend does); ops, losses and optimizers use them where the
 * active backend has them and run the equivalent tfjs ops elsewhere.
 */
import * as tfc from '@tensorflow/tfjs-core';

export const FusedKernel = {
  /** Dense backward: inputs {dy, x, w, y}; attrs {activation, inputGradient, hasBias}; outputs [dx, dw, db?]. */
  DenseGrad: 'KerasDenseGrad',
  /** Conv2D backward: inputs {dy, x, filter, y}; attrs {strides, pad, activation, inputGradient, hasBias}; outputs [dx, dfilter, dbias?]. */
  ConvGrad: 'KerasConvGrad',
  /** dL/dz from dL/dy and y = activation(z): inputs {dy, y}; attrs {activation}. */
  ActivationGrad: 'KerasActivationGrad',
  /** Per-sample cross-entropy of probabilities: inputs {probs, target}; attrs {kind: 'softmax' | 'sigmoid'}. */
  Crossentropy: 'KerasCrossentropy',
  /** Its gradient with respect to the logits: inputs {probs, target, dy}; attrs {kind}. */
  CrossentropyGrad: 'KerasCrossentropyGrad',
  /** One Adam step: inputs {w, g, m, v, vHat?}; attrs {alpha, beta1, beta2, epsilon, decay}; outputs [w, m, v, vHat?]. */
  Adam: 'KerasAdam',
  /** One SGD step: inputs {w, g, momentum?}; attrs {lr, momentum, nesterov, decay}; outputs [w, momentum?]. */
  SGD: 'KerasSGD',
} as const;

/** Whether the active backend has this kernel. */
export function hasKernel(name: string): boolean {
  return tfc.getKernel(name, tfc.getBackend()) !== undefined;
}

/** Runs one of these kernels on the active backend. */
export function runFused(name: string, inputs: Record<string, tfc.Tensor>, attrs: Record<string, unknown>): tfc.Tensor[] {
  const out = tfc.engine().runKernel(name, inputs as unknown as tfc.NamedTensorMap, attrs as unknown as tfc.NamedAttrMap);
  return Array.isArray(out) ? (out as tfc.Tensor[]) : [out as tfc.Tensor];
}
