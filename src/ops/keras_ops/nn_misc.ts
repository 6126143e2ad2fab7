/**
 * Keras 3's remaining neural-network ops (keras/src/ops/nn.py, math.py's inTopK): the
 * normalizations, dot-product attention, the cross-entropies (Keras's backend forms: binary is
 * elementwise, categorical and sparse reduce the class axis; probabilities are clipped to
 * [1e-7, 1 - 1e-7]), psnr, multiHot and inTopK. Keras's `epsilon=None` is its backend epsilon, 1e-7.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';
import { normAxes, normAxis, run, toTensor, type TensorInput } from './tensor_input';
import { norm } from './linalg_norm';

const EPSILON = 1e-7;
const float = (x: TensorInput): tfc.Tensor => toTensor(x, 'float32');
const opt = (x: TensorInput | null): tfc.Tensor | null => (x === null ? null : float(x));

/** v (a vector along `axes` of x, or already broadcastable) shaped to broadcast against x. */
function along(v: tfc.Tensor, x: tfc.Tensor, axes: number[]): tfc.Tensor {
  if (v.rank === x.rank || (axes.length === 1 && axes[0] === x.rank - 1)) return v;
  return tfc.reshape(v, x.shape.map((d, i) => (axes.includes(i) ? d : 1)));
}

/** (x - mean) / sqrt(variance + epsilon) * scale + offset, mean and variance vectors along `axis`. */
export function batchNormalization(x: TensorInput, mean: TensorInput, variance: TensorInput, axis: number, offset: TensorInput | null = null, scale: TensorInput | null = null, epsilon = 1e-3): tfc.Tensor {
  return run(() => {
    const t = float(x);
    const ax = [normAxis('batchNormalization', axis, t.rank)];
    const [m, v, o, s] = [float(mean), float(variance), opt(offset), opt(scale)].map((p) => (p === null ? null : along(p, t, ax)));
    let y = tfc.mul(tfc.sub(t, m as tfc.Tensor), tfc.rsqrt(tfc.add(v as tfc.Tensor, epsilon)));
    if (s !== null) y = tfc.mul(y, s);
    return o === null ? y : tfc.add(y, o);
  });
}

/** (x - mean) / sqrt(var + epsilon) over `axis`, times gamma, plus beta. */
export function layerNormalization(x: TensorInput, gamma: TensorInput | null = null, beta: TensorInput | null = null, axis: number | number[] = -1, epsilon: number | null = null): tfc.Tensor {
  return run(() => {
    const t = float(x);
    const axes = normAxes('layerNormalization', axis, t.rank) as number[];
    const { mean, variance } = tfc.moments(t, axes, true);
    let y = tfc.mul(tfc.sub(t, mean), tfc.rsqrt(tfc.add(variance, epsilon ?? EPSILON)));
    if (gamma !== null) y = tfc.mul(y, along(float(gamma), t, axes));
    return beta === null ? y : tfc.add(y, along(float(beta), t, axes));
  });
}

/** x / sqrt(mean(x^2) + epsilon) over `axis`, times scale. */
export function rmsNormalization(x: TensorInput, scale: TensorInput | null = null, axis: number | number[] = -1, epsilon: number | null = null): tfc.Tensor {
  return run(() => {
    const t = float(x);
    const axes = normAxes('rmsNormalization', axis, t.rank) as number[];
    const y = tfc.mul(t, tfc.rsqrt(tfc.add(tfc.mean(tfc.square(t), axes, true), epsilon ?? EPSILON)));
    return scale === null ? y : tfc.mul(y, along(float(scale), t, axes));
  });
}

/** x / max(norm(x, order), epsilon) along `axis` (order an integer >= 1). */
export function normalize(x: TensorInput, axis = -1, order = 2, epsilon: number | null = null): tfc.Tensor {
  if (!Number.isInteger(order) || order < 1) throw new ValueError(`ops.normalize: order must be an integer >= 1, got ${order}. help: pass order 2 (L2) or 1 (L1).`);
  return run(() => {
    let t = float(x);
    if (t.rank === 0) t = tfc.reshape(t, [1]);
    const eps = epsilon ?? EPSILON;
    if (order === 2) return tfc.mul(t, tfc.rsqrt(tfc.maximum(tfc.sum(tfc.square(t), axis, true), eps * eps)));
    return tfc.div(t, tfc.maximum(norm(t, order, axis, true), eps));
  });
}

/**
 * Scaled dot-product attention with Keras's shapes: query (B, T, N, H), key and value (B, S, K, H)
 * (K divides N: grouped-query heads are repeated), output (B, T, N, H). `bias` is added to the
 * logits (B, N, T, S); `mask` (bool, broadcastable to it) and `isCausal` keep only the allowed
 * positions; `scale` defaults to 1 / sqrt(H); `attnLogitsSoftCap` c applies c tanh(logits / c).
 * `flashAttention` is accepted for Keras's signature; true is refused (no fused kernel here).
 */
export function dotProductAttention(query: TensorInput, key: TensorInput, value: TensorInput, bias: TensorInput | null = null, mask: TensorInput | null = null, scale: number | null = null, isCausal = false, flashAttention: boolean | null = null, attnLogitsSoftCap: number | null = null): tfc.Tensor {
  if (flashAttention === true) throw new ValueError('ops.dotProductAttention: flashAttention true is not available in keras-ts. help: pass null or false.');
  return run(() => {
    let [q, k, v] = [float(query), float(key), float(value)];
    const unbatched = q.rank === 3;
    if (unbatched) [q, k, v] = [q, k, v].map((t) => tfc.expandDims(t, 0));
    if (q.rank !== 4 || k.rank !== 4 || v.rank !== 4) throw new ValueError(`ops.dotProductAttention: expected query (B, T, N, H) and key/value (B, S, K, H), got [${q.shape}], [${k.shape}], [${v.shape}]. help: add the batch and head axes.`);
    const [n, heads, depth] = [q.shape[2] as number, k.shape[2] as number, q.shape[3] as number];
    const [t, s] = [q.shape[1] as number, k.shape[1] as number];
    if (n % heads !== 0) throw new ValueError(`ops.dotProductAttention: query has ${n} heads, not a multiple of key's ${heads}. help: use a number of query heads divisible by the key/value heads.`);
    if (n !== heads) [k, v] = [k, v].map((t) => tfc.reshape(tfc.tile(tfc.expandDims(t, 3), [1, 1, 1, n / heads, 1]), [t.shape[0], s, n, depth]));
    const qt = tfc.transpose(q, [0, 2, 1, 3]);
    let logits = tfc.mul(tfc.matMul(qt, tfc.transpose(k, [0, 2, 3, 1])), scale ?? 1 / Math.sqrt(depth));
    if (bias !== null) logits = tfc.add(logits, float(bias));
    if (attnLogitsSoftCap !== null) logits = tfc.mul(attnLogitsSoftCap, tfc.tanh(tfc.div(logits, attnLogitsSoftCap)));
    let keep: tfc.Tensor | null = mask === null ? null : tfc.cast(toTensor(mask), 'bool');
    if (isCausal) {
      const causal = tfc.greaterEqual(tfc.expandDims(tfc.range(0, t, 1, 'int32'), 1), tfc.expandDims(tfc.range(0, s, 1, 'int32'), 0));
      keep = keep === null ? causal : tfc.logicalAnd(keep, causal);
    }
    if (keep !== null) logits = tfc.where(tfc.logicalAnd(keep, tfc.ones(logits.shape, 'bool')), logits, tfc.fill(logits.shape, -0.7 * 3.4028234663852886e38));
    const out = tfc.transpose(tfc.matMul(tfc.softmax(logits), tfc.transpose(v, [0, 2, 1, 3])), [0, 2, 1, 3]);
    return unbatched ? tfc.squeeze(out, [0]) : out;
  });
}

/** The last axis of t moved to position `axis`. */
function moveLastTo(t: tfc.Tensor, axis: number): tfc.Tensor {
  const perm = [...Array(t.rank - 1).keys()];
  perm.splice(axis, 0, t.rank - 1);
  return tfc.transpose(t, perm);
}

const clipProb = (p: tfc.Tensor): tfc.Tensor => tfc.clipByValue(p, EPSILON, 1 - EPSILON);

/** Elementwise binary cross-entropy of target and output (probabilities, or logits when `fromLogits`). */
export function binaryCrossentropy(target: TensorInput, output: TensorInput, fromLogits = false): tfc.Tensor {
  return run(() => {
    const [t, o] = [float(target), float(output)];
    if (fromLogits) return tfc.add(tfc.sub(tfc.relu(o), tfc.mul(o, t)), tfc.log1p(tfc.exp(tfc.neg(tfc.abs(o)))));
    const p = clipProb(o);
    return tfc.neg(tfc.add(tfc.mul(t, tfc.log(p)), tfc.mul(tfc.sub(1, t), tfc.log(tfc.sub(1, p)))));
  });
}

/** Categorical cross-entropy over `axis` (output normalized to sum 1 first, as Keras's, unless logits). */
export function categoricalCrossentropy(target: TensorInput, output: TensorInput, fromLogits = false, axis = -1): tfc.Tensor {
  return run(() => {
    const [t, o] = [float(target), float(output)];
    if (t.shape.join() !== o.shape.join()) throw new ValueError(`ops.categoricalCrossentropy: target [${t.shape}] and output [${o.shape}] differ. help: one-hot the target, or use sparseCategoricalCrossentropy.`);
    const logp = fromLogits ? tfc.logSoftmax(o, axis) : tfc.log(clipProb(tfc.div(o, tfc.sum(o, axis, true))));
    return tfc.neg(tfc.sum(tfc.mul(t, logp), axis));
  });
}

/** Cross-entropy of integer targets against output's class `axis`. */
export function sparseCategoricalCrossentropy(target: TensorInput, output: TensorInput, fromLogits = false, axis = -1): tfc.Tensor {
  return run(() => {
    const o = float(output);
    const ax = normAxis('sparseCategoricalCrossentropy', axis, o.rank);
    let t = tfc.cast(toTensor(target), 'int32');
    if (t.rank === o.rank) t = tfc.squeeze(t, [ax]);
    const oneHot = moveLastTo(tfc.oneHot(t, o.shape[ax]), ax);
    return categoricalCrossentropy(oneHot, o, fromLogits, ax);
  });
}

/** Peak signal-to-noise ratio: 20 log10(maxVal) - 10 log10(mean((x1 - x2)^2)) over all elements. */
export function psnr(x1: TensorInput, x2: TensorInput, maxVal: number): tfc.Tensor {
  return run(() => {
    const [a, b] = [float(x1), float(x2)];
    if (a.shape.join() !== b.shape.join()) throw new ValueError(`ops.psnr: x1 [${a.shape}] and x2 [${b.shape}] differ. help: pass two tensors of the same shape.`);
    const mse = tfc.mean(tfc.squaredDifference(a, b));
    return tfc.sub(20 * Math.log10(maxVal), tfc.mul(10 / Math.LN10, tfc.log(mse)));
  });
}

/** Integer labels as multi-hot vectors: a (batch, k) input gives (batch, numClasses); a (k,) one (numClasses,). */
export function multiHot(inputs: TensorInput, numClasses: number, axis = -1, dtype: tfc.DataType = 'float32'): tfc.Tensor {
  return run(() => {
    let t = tfc.cast(toTensor(inputs), 'int32');
    const unbatched = t.rank === 1;
    if (unbatched) t = tfc.expandDims(t, 0);
    let out = tfc.max(tfc.oneHot(t, numClasses), -2);
    if (unbatched) out = tfc.squeeze(out, [0]);
    const ax = normAxis('multiHot', axis, out.rank);
    if (ax !== out.rank - 1) out = moveLastTo(out, ax);
    return tfc.cast(out, dtype);
  });
}

/** Whether each target is among the top `k` predictions of its row (ties at the k-th value count, as TensorFlow's). */
export function inTopK(targets: TensorInput, predictions: TensorInput, k: number): tfc.Tensor {
  return run(() => {
    const p = float(predictions);
    const t = tfc.cast(toTensor(targets), 'int32');
    const targetScore = tfc.sum(tfc.mul(p, tfc.oneHot(t, p.shape[1] as number)), 1); // (a batched gather is wrong on wasm)
    const better = tfc.sum(tfc.cast(tfc.greater(p, tfc.expandDims(targetScore, 1)), 'int32'), 1);
    return tfc.logicalAnd(tfc.less(better, k), tfc.isFinite(targetScore));
  });
}
