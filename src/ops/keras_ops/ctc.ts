/**
 * Keras 3's `ctcLoss(target, output, targetLength, outputLength, maskIndex = 0)` and greedy
 * `ctcDecode`. The loss: -log of the probability, summed over every alignment of the first
 * outputLength[b] steps of log-softmax(output) that emits target[b]'s first targetLength[b] labels,
 * with maskIndex as the blank; the forward (alpha) recursion runs in log space with tfjs-core ops,
 * so the gradient is theirs. The decoder follows Keras's JAX/NumPy greedy decoder exactly
 * (beam search is not implemented and is refused).
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';
import { run, toTensor, type TensorInput } from './tensor_input';

const NEG = -1e9;

function shifted(alpha: tfc.Tensor, k: number): tfc.Tensor {
  const [batch, states] = alpha.shape as [number, number];
  return tfc.concat([tfc.fill([batch, k], NEG), tfc.slice(alpha, [0, 0], [batch, states - k])], 1);
}

/** The per-sample CTC loss (batch,). target (batch, L) int, output (batch, T, classes) logits. */
export function ctcLoss(target: TensorInput, output: TensorInput, targetLength: TensorInput, outputLength: TensorInput, maskIndex = 0): tfc.Tensor {
  return run(() => {
    const labels = tfc.cast(toTensor(target), 'int32');
    const logits = toTensor(output, 'float32');
    if (labels.rank !== 2 || logits.rank !== 3) throw new ValueError(`ops.ctcLoss: expected target (batch, maxLabelLength) and output (batch, time, classes), got [${labels.shape}] and [${logits.shape}]. help: pass integer labels and per-step logits.`);
    const [batch, steps, classes] = logits.shape as [number, number, number];
    const maxLabels = labels.shape[1] as number;
    const states = 2 * maxLabels + 1;
    // [blank, l1, blank, l2, ..., blank]
    const blanks = tfc.fill([batch, maxLabels], maskIndex, 'int32');
    const ext = tfc.concat([tfc.reshape(tfc.stack([blanks, labels], 2), [batch, 2 * maxLabels]), tfc.fill([batch, 1], maskIndex, 'int32')], 1);
    const logProbs = tfc.logSoftmax(logits, -1);
    const emissions = tfc.matMul(logProbs, tfc.cast(tfc.oneHot(ext, classes), 'float32'), false, true); // (batch, T, states)
    const twoBack = tfc.concat([tfc.fill([batch, 2], -1, 'int32'), tfc.slice(ext, [0, 0], [batch, states - 2])], 1);
    const canSkip = tfc.logicalAnd(tfc.notEqual(ext, maskIndex), tfc.notEqual(ext, twoBack));
    const negs = tfc.fill([batch, states], NEG);
    const emit = (t: number): tfc.Tensor => tfc.reshape(tfc.slice(emissions, [0, t, 0], [batch, 1, states]), [batch, states]);
    const start = tfc.tile(tfc.reshape(tfc.less(tfc.range(0, states, 1, 'int32'), 2), [1, states]), [batch, 1]);
    const outLen = tfc.reshape(tfc.cast(toTensor(outputLength), 'int32'), [batch, 1]);
    let alpha = tfc.where(start, emit(0), negs);
    for (let t = 1; t < steps; t++) {
      const paths = tfc.logSumExp(tfc.stack([alpha, shifted(alpha, 1), tfc.where(canSkip, shifted(alpha, 2), negs)], 2), 2);
      alpha = tfc.where(tfc.greater(outLen, t), tfc.add(paths, emit(t)), alpha);
    }
    const len2 = tfc.mul(tfc.reshape(tfc.cast(toTensor(targetLength), 'int32'), [batch, 1]), 2);
    const s = tfc.reshape(tfc.range(0, states, 1, 'int32'), [1, states]);
    const last = tfc.logicalOr(tfc.equal(s, len2), tfc.equal(s, tfc.sub(len2, 1)));
    return tfc.neg(tfc.logSumExp(tfc.where(last, alpha, negs), 1));
  });
}

/**
 * Greedy CTC decoding, as Keras's: [decoded (1, batch, T) int32 with the labels first and -1 after,
 * scores (batch, 1) = -sum over the valid steps of each step's largest input]. Repeats are merged
 * (when `mergeRepeated`) before the blanks (maskIndex) are dropped.
 */
export function ctcDecode(inputs: TensorInput, sequenceLengths: TensorInput, strategy: 'greedy' | 'beam_search' = 'greedy', _beamWidth = 100, _topPaths = 1, mergeRepeated = true, maskIndex = 0): [tfc.Tensor, tfc.Tensor] {
  if (strategy !== 'greedy') throw new ValueError(`ops.ctcDecode: strategy '${strategy}' is not implemented in keras-ts. help: pass strategy 'greedy'.`);
  return run(() => {
    const x = toTensor(inputs, 'float32');
    const [batch, steps, classes] = x.shape as [number, number, number];
    const data = x.dataSync();
    const lens = toTensor(sequenceLengths).dataSync();
    const decoded = new Int32Array(batch * steps).fill(-1);
    const scores = new Float32Array(batch);
    for (let b = 0; b < batch; b++) {
      let [prev, out, score] = [-1, 0, 0];
      for (let t = 0; t < steps; t++) {
        let best = maskIndex;
        if (t < lens[b]) {
          const row = data.subarray((b * steps + t) * classes, (b * steps + t + 1) * classes);
          best = 0;
          for (let c = 1; c < classes; c++) if (row[c] > row[best]) best = c;
          score += row[best];
        }
        const repeat = mergeRepeated && best === prev;
        prev = best;
        if (!repeat && best !== maskIndex) decoded[b * steps + out++] = best;
      }
      scores[b] = -score;
    }
    return [tfc.tensor(decoded, [1, batch, steps], 'int32'), tfc.tensor(scores, [batch, 1], 'float32')];
  });
}
