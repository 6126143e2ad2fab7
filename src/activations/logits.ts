/**
 * The logits behind probabilities made by a softmax or sigmoid activation, as Keras 3 keeps them
 * (`output._keras_logits`): cross-entropy computed from logits is more accurate and needs fewer
 * ops, forward and backward, than clipping and taking the log of probabilities.
 */
import type { Tensor } from '@tensorflow/tfjs-core';

const LOGITS = new WeakMap<Tensor, { logits: Tensor; kind: 'softmax' | 'sigmoid' }>();

export function rememberLogits(probabilities: Tensor, logits: Tensor, kind: 'softmax' | 'sigmoid'): Tensor {
  LOGITS.set(probabilities, { logits, kind });
  return probabilities;
}

/** The logits `t` was computed from by `kind`, if it was (and they are still alive). */
export function logitsOf(t: Tensor, kind: 'softmax' | 'sigmoid'): Tensor | undefined {
  const entry = LOGITS.get(t);
  return entry !== undefined && entry.kind === kind && !entry.logits.isDisposed ? entry.logits : undefined;
}
