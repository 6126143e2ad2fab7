/** What the training step does with the weights besides the optimizer: their regularizers' penalty, and their constraints. */
import * as tfc from '@tensorflow/tfjs-core';
import type { Weight } from '../engine/weight';

/** The sum of the weights' regularizer penalties (a scalar), or null when no weight has one. */
export function weightPenalty(weights: Weight[]): tfc.Scalar | null {
  const penalties = weights.flatMap((w) => (w.regularizer === undefined ? [] : [w.regularizer.call(w.value)]));
  return penalties.length === 0 ? null : (tfc.addN(penalties) as tfc.Scalar);
}

/** Projects every weight that has a constraint onto it (after an optimizer step). */
export function applyConstraints(weights: Weight[]): void {
  for (const w of weights) {
    if (w.constraint === undefined) continue;
    const projected = w.constraint.call(w.value);
    w.value.assign(projected);
    projected.dispose();
  }
}
