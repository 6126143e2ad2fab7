/**
 * Connectionist temporal classification loss, as Keras 3's `ctc` defines it: yTrue (batch,
 * maxLabelLength) integer labels padded with 0 (class 0 is also the blank), yPred (batch, time,
 * classes) logits; each sample's loss is -log of the probability, summed over every alignment,
 * that log-softmax(yPred) emits its labels. The forward (alpha) recursion runs in log space over
 * the time steps with tfjs-core ops, so the gradient is the ops' own.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';

/** log(0) in the recursion: finite, so that logSumExp of impossible paths has a finite gradient. */
const NEG = -1e9;

/** The label sequence with blanks around and between: [0, l1, 0, l2, ..., 0], length 2L + 1. */
function extendedLabels(labels: tfc.Tensor2D): tfc.Tensor2D {
  const [batch, length] = labels.shape;
  const blanks = tfc.zeros([batch, length], 'int32');
  const interleaved = tfc.reshape(tfc.stack([blanks, labels], 2), [batch, 2 * length]);
  return tfc.concat([interleaved, tfc.zeros([batch, 1], 'int32')], 1) as tfc.Tensor2D;
}

/** Shifts `alpha` right by `k` along the states, filling with NEG. */
function shifted(alpha: tfc.Tensor2D, k: number): tfc.Tensor2D {
  const [batch, states] = alpha.shape;
  return tfc.concat([tfc.fill([batch, k], NEG), tfc.slice(alpha, [0, 0], [batch, states - k])], 1) as tfc.Tensor2D;
}

/** The CTC loss of each sample: labels (batch, L) with 0 as padding, logits (batch, T, classes). */
export function ctc(yTrue: tfc.Tensor, yPred: tfc.Tensor): tfc.Tensor {
  if (yTrue.rank !== 2) throw new ValueError(`ctc: labels must be shaped (batch, maxLength), got [${yTrue.shape}]. help: pass integer labels padded with 0.`);
  if (yPred.rank !== 3) throw new ValueError(`ctc: predictions must be shaped (batch, time, classes), got [${yPred.shape}]. help: pass the logits of each time step.`);
  const labels = tfc.cast(yTrue, 'int32') as tfc.Tensor2D;
  const [batch, steps, classes] = yPred.shape;
  const ext = extendedLabels(labels);
  const states = ext.shape[1];
  const logProbs = tfc.logSoftmax(yPred, -1) as tfc.Tensor3D;
  // emissions[b, t, s] = logProbs[b, t, ext[b, s]], picked by a one-hot matmul (exact: one 1 per row)
  const emissions = tfc.matMul(logProbs, tfc.cast(tfc.oneHot(ext, classes), 'float32') as tfc.Tensor3D, false, true);
  // a skip from s - 2 is allowed into a label state whose label differs from the one two back
  const twoBack = tfc.concat([tfc.fill([batch, 2], -1, 'int32'), tfc.slice(ext, [0, 0], [batch, states - 2])], 1);
  const canSkip = tfc.logicalAnd(tfc.notEqual(ext, 0), tfc.notEqual(ext, twoBack));
  const negs = tfc.fill([batch, states], NEG);
  const start = tfc.cast(tfc.less(tfc.range(0, states, 1, 'int32'), 2), 'bool').reshape([1, states]).tile([batch, 1]);
  let alpha = tfc.where(start, tfc.squeeze(tfc.slice(emissions, [0, 0, 0], [batch, 1, states]), [1]), negs) as tfc.Tensor2D;
  for (let t = 1; t < steps; t++) {
    const skip = tfc.where(canSkip, shifted(alpha, 2), negs);
    const paths = tfc.logSumExp(tfc.stack([alpha, shifted(alpha, 1), skip], 2), 2);
    alpha = tfc.add(paths, tfc.squeeze(tfc.slice(emissions, [0, t, 0], [batch, 1, states]), [1])) as tfc.Tensor2D;
  }
  // end in the last label (2 len - 1) or the blank after it (2 len)
  const len = tfc.sum(tfc.cast(tfc.notEqual(labels, 0), 'int32'), 1, true);
  const s = tfc.range(0, states, 1, 'int32').reshape([1, states]);
  const last = tfc.logicalOr(tfc.equal(s, tfc.mul(len, 2)), tfc.equal(s, tfc.sub(tfc.mul(len, 2), 1)));
  return tfc.neg(tfc.logSumExp(tfc.where(last, alpha, negs), 1));
}
