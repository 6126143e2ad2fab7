/**
 * An output's mask as sample weights, as Keras applies it: masked steps weigh nothing, and for a
 * mean over the batch ('sum_over_batch_size') the kept steps are scaled by total / kept, so the
 * loss is the mean over the real steps only.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { maskAsFloat } from '../engine/masking';

/** The weights for a loss or metric of an output with `mask`, combined with its sample weights (if any). */
export function maskedSampleWeight(mask: tfc.Tensor, sampleWeight: tfc.Tensor | undefined, meanOverBatch: boolean): tfc.Tensor {
  let m = maskAsFloat(mask);
  if (meanOverBatch) m = tfc.mul(m, tfc.div(tfc.scalar(m.size), tfc.add(tfc.sum(m), 1e-7)));
  if (sampleWeight === undefined) return m;
  let w = sampleWeight;
  while (w.rank > m.rank && w.shape[w.rank - 1] === 1) w = tfc.squeeze(w, [-1]);
  while (w.rank < m.rank) w = tfc.expandDims(w, -1);
  return tfc.mul(m, w);
}
