/** Pieces of attention shared by the attention layers: the causal mask and the masked softmax, as Keras computes them. */
import * as tfc from '@tensorflow/tfjs-core';

/** [1, T, S]: true where query step t may attend to key step s (s <= t), Keras's lower triangle. */
export function causalMask(t: number, s: number): tfc.Tensor {
  return tfc.tidy(() => tfc.expandDims(tfc.greaterEqual(tfc.expandDims(tfc.range(0, t, 1, 'int32'), 1), tfc.expandDims(tfc.range(0, s, 1, 'int32'), 0)), 0));
}

/** Several masks combined with and (nulls skipped); null when there is none. */
export function allOf(masks: Array<tfc.Tensor | null | undefined>): tfc.Tensor | null {
  const given = masks.filter((m): m is tfc.Tensor => m !== null && m !== undefined).map((m) => (m.dtype === 'bool' ? m : tfc.notEqual(m, 0)));
  return given.length === 0 ? null : given.reduce((a, b) => tfc.logicalAnd(a, b));
}

/**
 * Softmax over the last axis where `mask` (broadcast to the scores) is true; masked scores are
 * set to -1e9 first and the masked probabilities to 0 after, as Keras's Softmax layer does.
 */
export function maskedSoftmax(scores: tfc.Tensor, mask: tfc.Tensor | null): tfc.Tensor {
  if (mask === null) return tfc.softmax(scores);
  const full = tfc.logicalAnd(mask, tfc.ones(scores.shape, 'bool'));
  const p = tfc.softmax(tfc.where(full, scores, tfc.fill(scores.shape, -1e9)));
  return tfc.where(full, p, tfc.zerosLike(p));
}
