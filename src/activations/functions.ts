/**
 * Keras 3's activations as functions on tensors: `k.activations.relu(x)`, with Keras's names in
 * camelCase, Keras's formulas and Keras's parameters in Keras's order (`relu` takes an options
 * object, having three). Each accepts a tensor or a nested array, returns a new tensor that the
 * caller owns, disposes nothing it was given, and leaves no intermediate tensors behind.
 * The string names layers accept ('mish', 'hard_shrink') resolve to these in activations.ts.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { softmaxLastAxis } from '../ops/softmax';
import { ensureRegistered } from '../backend/backend';
import { ValueError } from '../engine/errors';
import { rememberLogits } from './logits';

/** Options of {@link relu}. */
export interface ReluOptions {
  /** Slope for values below `threshold`. Keras: `negative_slope`. @default 0 */
  negativeSlope?: number;
  /** The largest value returned; none when null. Keras: `max_value`. @default null */
  maxValue?: number | null;
  /** Values at or below it are treated as 0 (then sloped). Keras: `threshold`. @default 0 */
  threshold?: number;
}

/**
 * Runs `f` on `x` (converted to a tensor if it is an array) inside one tidy, unless a tidy is already
 * open around the call (a layer's call, a training step, the caller's own tidy): that scope frees the
 * intermediates, and the activation inside every layer's call costs no scope of its own.
 */
function run(x: tfc.Tensor | tfc.TensorLike, f: (t: tfc.Tensor) => tfc.Tensor): tfc.Tensor {
  if (x instanceof tfc.Tensor && (tfc.engine().state as unknown as { scopeStack: unknown[] }).scopeStack.length > 0) return f(x);
  ensureRegistered();
  return tfc.tidy(() => f(x instanceof tfc.Tensor ? x : tfc.tensor(x)));
}

function checkAxis(fn: string, x: tfc.Tensor, axis: number): number {
  const a = axis < 0 ? axis + x.rank : axis;
  if (!Number.isInteger(axis) || a < 0 || a >= x.rank) {
    throw new ValueError(`activations.${fn}: axis ${axis} is out of range for an input of rank ${x.rank}. help: pass an axis in [-${x.rank}, ${x.rank - 1}].`);
  }
  return a;
}

/** `f` applied along axis `a` of `t`, by swapping it with the last axis (tfjs's softmax takes only the last). */
function alongAxis(t: tfc.Tensor, a: number, f: (z: tfc.Tensor) => tfc.Tensor): tfc.Tensor {
  const last = t.rank - 1;
  if (a === last) return f(t);
  const perm = [...Array(t.rank).keys()].map((i) => (i === a ? last : i === last ? a : i));
  return tfc.transpose(f(tfc.transpose(t, perm)), perm);
}

/** `value`'s forward result, with no gradient through it (for masks and sort-based thresholds). */
function noGradient(x: tfc.Tensor, value: (t: tfc.Tensor) => tfc.Tensor): tfc.Tensor {
  const op = tfc.customGrad(((t: tfc.Tensor) => ({ value: value(t), gradFunc: (_dy: tfc.Tensor) => tfc.zerosLike(t) })) as Parameters<typeof tfc.customGrad>[0]);
  return op(x);
}

export function linear(x: tfc.Tensor | tfc.TensorLike): tfc.Tensor {
  return run(x, (t) => tfc.clone(t));
}

/** Keras's `relu(x, negative_slope, max_value, threshold)`, term for term. */
export function relu(x: tfc.Tensor | tfc.TensorLike, options: ReluOptions = {}): tfc.Tensor {
  const { negativeSlope = 0, maxValue = null, threshold: thr = 0 } = options;
  return run(x, (t) => {
    if (negativeSlope !== 0 && maxValue === null && thr === 0) return tfc.leakyRelu(t, negativeSlope);
    const negativePart = negativeSlope !== 0 ? tfc.relu(tfc.sub(thr, t)) : null;
    let y = thr !== 0 ? tfc.where(tfc.greater(t, thr), t, tfc.zerosLike(t)) : maxValue === 6 ? tfc.relu6(t) : tfc.relu(t);
    if (maxValue !== null && !(thr === 0 && maxValue === 6)) y = tfc.clipByValue(y, 0, maxValue);
    return negativePart === null ? y : tfc.sub(y, tfc.mul(negativePart, negativeSlope));
  });
}

export function leakyRelu(x: tfc.Tensor | tfc.TensorLike, negativeSlope = 0.2): tfc.Tensor {
  return run(x, (t) => tfc.leakyRelu(t, negativeSlope));
}

export function relu6(x: tfc.Tensor | tfc.TensorLike): tfc.Tensor {
  return run(x, (t) => tfc.relu6(t));
}

/** Softmax along `axis`; over the last axis the logits are kept for cross-entropy, as Keras keeps them. */
export function softmax(x: tfc.Tensor | tfc.TensorLike, axis = -1): tfc.Tensor {
  return run(x, (t) => {
    const a = checkAxis('softmax', t, axis);
    if (a === t.rank - 1) return rememberLogits(softmaxLastAxis(t), t, 'softmax');
    return alongAxis(t, a, softmaxLastAxis);
  });
}

export function logSoftmax(x: tfc.Tensor | tfc.TensorLike, axis = -1): tfc.Tensor {
  return run(x, (t) => alongAxis(t, checkAxis('logSoftmax', t, axis), (z) => tfc.logSoftmax(z, -1)));
}

export function sigmoid(x: tfc.Tensor | tfc.TensorLike): tfc.Tensor {
  return run(x, (t) => rememberLogits(tfc.sigmoid(t), t, 'sigmoid'));
}

export function tanh(x: tfc.Tensor | tfc.TensorLike): tfc.Tensor {
  return run(x, (t) => tfc.tanh(t));
}

/** x for x > 0, alpha (exp(x) - 1) otherwise; written as relu(x) + alpha expm1(min(x, 0)) so no branch overflows. */
export function elu(x: tfc.Tensor | tfc.TensorLike, alpha = 1): tfc.Tensor {
  return run(x, (t) => (alpha === 1 ? tfc.elu(t) : tfc.add(tfc.relu(t), tfc.mul(tfc.expm1(tfc.minimum(t, 0)), alpha))));
}

export function selu(x: tfc.Tensor | tfc.TensorLike): tfc.Tensor {
  return run(x, (t) => tfc.selu(t));
}

export function softplus(x: tfc.Tensor | tfc.TensorLike): tfc.Tensor {
  return run(x, (t) => tfc.softplus(t));
}

export function softsign(x: tfc.Tensor | tfc.TensorLike): tfc.Tensor {
  return run(x, (t) => tfc.div(t, tfc.add(tfc.abs(t), 1)));
}

/** Keras 3's default is the exact form 0.5 x (1 + erf(x / sqrt 2)); `approximate` the tanh form. */
export function gelu(x: tfc.Tensor | tfc.TensorLike, approximate = false): tfc.Tensor {
  return run(x, (t) => {
    if (!approximate) return tfc.mul(tfc.mul(t, 0.5), tfc.add(tfc.erf(tfc.mul(t, Math.SQRT1_2)), 1));
    const inner = tfc.mul(tfc.add(t, tfc.mul(tfc.pow(t, 3), 0.044715)), Math.sqrt(2 / Math.PI));
    return tfc.mul(tfc.mul(t, 0.5), tfc.add(tfc.tanh(inner), 1));
  });
}

/** x sigmoid(x); Keras's `swish` is the same function. */
export function silu(x: tfc.Tensor | tfc.TensorLike): tfc.Tensor {
  return run(x, (t) => tfc.mul(t, tfc.sigmoid(t)));
}

export const swish = silu;

/** Keras 3: relu6(x + 3) / 6. */
export function hardSigmoid(x: tfc.Tensor | tfc.TensorLike): tfc.Tensor {
  return run(x, (t) => tfc.div(tfc.relu6(tfc.add(t, 3)), 6));
}

/** Keras 3: x relu6(x + 3) / 6 (MobileNetV3's activation); `hardSwish` is the same function. */
export function hardSilu(x: tfc.Tensor | tfc.TensorLike): tfc.Tensor {
  return run(x, (t) => tfc.mul(t, tfc.div(tfc.relu6(tfc.add(t, 3)), 6)));
}

export const hardSwish = hardSilu;

export function exponential(x: tfc.Tensor | tfc.TensorLike): tfc.Tensor {
  return run(x, (t) => tfc.exp(t));
}

/** max(x, 0) + alpha expm1(min(x, 0) / alpha). */
export function celu(x: tfc.Tensor | tfc.TensorLike, alpha = 1): tfc.Tensor {
  return run(x, (t) => tfc.add(tfc.relu(t), tfc.mul(tfc.expm1(tfc.div(tfc.minimum(t, 0), alpha)), alpha)));
}

/** a sigmoid(b), where a and b are the two halves of `x` along `axis` (whose size must be even). */
export function glu(x: tfc.Tensor | tfc.TensorLike, axis = -1): tfc.Tensor {
  return run(x, (t) => {
    const a = checkAxis('glu', t, axis);
    if (t.shape[a] % 2 !== 0) {
      throw new ValueError(`activations.glu: the size of axis ${axis} must be even, got shape [${t.shape.join(', ')}]. help: give that axis an even size (the first half is gated by the second).`);
    }
    const [value, gate] = tfc.split(t, 2, a);
    return tfc.mul(value, tfc.sigmoid(gate));
  });
}

/** x where |x| > threshold, 0 elsewhere. */
export function hardShrink(x: tfc.Tensor | tfc.TensorLike, threshold = 0.5): tfc.Tensor {
  return run(x, (t) => tfc.where(tfc.greater(tfc.abs(t), threshold), t, tfc.zerosLike(t)));
}

/** clip(x, -1, 1). */
export function hardTanh(x: tfc.Tensor | tfc.TensorLike): tfc.Tensor {
  return run(x, (t) => tfc.clipByValue(t, -1, 1));
}

/** log(sigmoid(x)) = -softplus(-x). */
export function logSigmoid(x: tfc.Tensor | tfc.TensorLike): tfc.Tensor {
  return run(x, (t) => tfc.neg(tfc.softplus(tfc.neg(t))));
}

/** x tanh(softplus(x)). */
export function mish(x: tfc.Tensor | tfc.TensorLike): tfc.Tensor {
  return run(x, (t) => tfc.mul(t, tfc.tanh(tfc.softplus(t))));
}

/** x - threshold above threshold, x + threshold below -threshold, 0 between: x - clip(x, -threshold, threshold). */
export function softShrink(x: tfc.Tensor | tfc.TensorLike, threshold = 0.5): tfc.Tensor {
  return run(x, (t) => tfc.sub(t, tfc.clipByValue(t, -threshold, threshold)));
}

/** 0 for x <= -1, (x + 1)^2 / 4 for -1 < x < 1, x for x >= 1. */
export function sparsePlus(x: tfc.Tensor | tfc.TensorLike): tfc.Tensor {
  return run(x, (t) => {
    const middle = tfc.div(tfc.square(tfc.add(t, 1)), 4);
    return tfc.where(tfc.lessEqual(t, -1), tfc.zerosLike(t), tfc.where(tfc.less(t, 1), middle, t));
  });
}

/** 0 for x <= -1, (x + 1) / 2 between, 1 for x >= 1: clip((x + 1) / 2, 0, 1). */
export function sparseSigmoid(x: tfc.Tensor | tfc.TensorLike): tfc.Tensor {
  return run(x, (t) => tfc.clipByValue(tfc.mul(tfc.add(t, 1), 0.5), 0, 1));
}

/** (x + sqrt(x^2 + b)) / 2. */
export function squareplus(x: tfc.Tensor | tfc.TensorLike, b = 4): tfc.Tensor {
  return run(x, (t) => tfc.div(tfc.add(t, tfc.sqrt(tfc.add(tfc.square(t), b))), 2));
}

/** x - tanh(x). */
export function tanhShrink(x: tfc.Tensor | tfc.TensorLike): tfc.Tensor {
  return run(x, (t) => tfc.sub(t, tfc.tanh(t)));
}

/** x where x > threshold, `defaultValue` elsewhere (both required, as in Keras, so it has no string name). */
export function threshold(x: tfc.Tensor | tfc.TensorLike, threshold: number, defaultValue: number): tfc.Tensor {
  return run(x, (t) => tfc.where(tfc.greater(t, threshold), t, tfc.fill(t.shape, defaultValue, t.dtype)));
}

/**
 * Sparsemax along `axis` (Martins & Astudillo 2016): the Euclidean projection onto the simplex,
 * max(x - tau, 0). Which entries are in the support is read from the sorted values, without a
 * gradient; tau = (sum of the support's x - 1) / its size is then built from x, so the gradient is
 * the sparsemax Jacobian. tau is the support's sum, as in the paper and Keras after
 * keras-team/keras#23469 (earlier Keras summed the cumulative sums: wrong for a support above one).
 */
export function sparsemax(x: tfc.Tensor | tfc.TensorLike, axis = -1): tfc.Tensor {
  return run(x, (t) => {
    return alongAxis(t, checkAxis('sparsemax', t, axis), (z) => {
      const support = noGradient(z, sparsemaxSupport);
      const tau = tfc.div(tfc.sub(tfc.sum(tfc.mul(z, support), -1, true), 1), tfc.sum(support, -1, true));
      return tfc.relu(tfc.sub(z, tau));
    });
  });
}

/** 1 where z (last axis) is in sparsemax's support, 0 elsewhere. */
function sparsemaxSupport(z: tfc.Tensor): tfc.Tensor {
  const n = z.shape[z.rank - 1];
  const sorted = tfc.topk(z, n).values;
  const cumsum = tfc.cumsum(sorted, z.rank - 1);
  const inSorted = tfc.greater(tfc.sub(sorted, tfc.div(tfc.sub(cumsum, 1), tfc.range(1, n + 1))), 0);
  const size = tfc.sum(tfc.cast(inSorted, 'float32'), -1, true);
  const tau = tfc.div(tfc.sub(tfc.sum(tfc.where(inSorted, sorted, tfc.zerosLike(sorted)), -1, true), 1), size);
  return tfc.cast(tfc.greater(z, tau), 'float32');
}
