/**
 * Keras 3's elementwise ops (keras.ops / keras/src/ops/numpy.py), camelCased, in Keras's argument
 * order: `add(x1, x2)`, `clip(x, xMin, xMax)`, `round(x, decimals = 0)`. Binary ops broadcast as
 * NumPy does. Each accepts tensors, numbers or nested arrays and returns a new tensor.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { run, toTensor, type TensorInput } from './tensor_input';

type Unary = (x: TensorInput) => tfc.Tensor;
type Binary = (x1: TensorInput, x2: TensorInput) => tfc.Tensor;

const unary = (f: (t: tfc.Tensor) => tfc.Tensor): Unary => (x) => run(() => f(toTensor(x)));
const binary = (f: (a: tfc.Tensor, b: tfc.Tensor) => tfc.Tensor): Binary => (x1, x2) => run(() => f(toTensor(x1), toTensor(x2)));
/** Floating results of integer inputs, as NumPy's true division and transcendental functions give. */
const float = (t: tfc.Tensor): tfc.Tensor => (t.dtype === 'float32' ? t : tfc.cast(t, 'float32'));

export const abs = unary((t) => tfc.abs(t));
export const absolute = abs;
export const negative = unary((t) => tfc.neg(t));
export const square = unary((t) => tfc.square(t));
export const sqrt = unary((t) => tfc.sqrt(float(t)));
export const exp = unary((t) => tfc.exp(float(t)));
export const expm1 = unary((t) => tfc.expm1(float(t)));
export const log = unary((t) => tfc.log(float(t)));
export const log1p = unary((t) => tfc.log1p(float(t)));
export const log2 = unary((t) => tfc.div(tfc.log(float(t)), Math.LN2));
export const log10 = unary((t) => tfc.div(tfc.log(float(t)), Math.LN10));
export const sign = unary((t) => tfc.sign(t));
export const floor = unary((t) => tfc.floor(t));
export const ceil = unary((t) => tfc.ceil(t));
export const reciprocal = unary((t) => tfc.reciprocal(float(t)));
export const sin = unary((t) => tfc.sin(float(t)));
export const cos = unary((t) => tfc.cos(float(t)));
export const tan = unary((t) => tfc.tan(float(t)));
export const arcsin = unary((t) => tfc.asin(float(t)));
export const arccos = unary((t) => tfc.acos(float(t)));
export const arctan = unary((t) => tfc.atan(float(t)));
export const sinh = unary((t) => tfc.sinh(float(t)));
export const cosh = unary((t) => tfc.cosh(float(t)));
export const tanh = unary((t) => tfc.tanh(float(t)));
export const arcsinh = unary((t) => tfc.asinh(float(t)));
export const arctanh = unary((t) => tfc.atanh(float(t)));
export const isnan = unary((t) => tfc.isNaN(t));
export const isinf = unary((t) => tfc.isInf(t));
export const isfinite = unary((t) => tfc.isFinite(t));
export const logicalNot = unary((t) => tfc.logicalNot(tfc.cast(t, 'bool')));

export const add = binary((a, b) => tfc.add(a, b));
export const subtract = binary((a, b) => tfc.sub(a, b));
export const multiply = binary((a, b) => tfc.mul(a, b));
export const divide = binary((a, b) => tfc.div(float(a), float(b)));
export const trueDivide = divide;
export const floorDivide = binary((a, b) => tfc.floorDiv(a, b));
export const mod = binary((a, b) => tfc.mod(a, b));
export const power = binary((a, b) => tfc.pow(a, b));
export const maximum = binary((a, b) => tfc.maximum(a, b));
export const minimum = binary((a, b) => tfc.minimum(a, b));
export const arctan2 = binary((a, b) => tfc.atan2(float(a), float(b)));
export const equal = binary((a, b) => tfc.equal(a, b));
export const notEqual = binary((a, b) => tfc.notEqual(a, b));
export const less = binary((a, b) => tfc.less(a, b));
export const lessEqual = binary((a, b) => tfc.lessEqual(a, b));
export const greater = binary((a, b) => tfc.greater(a, b));
export const greaterEqual = binary((a, b) => tfc.greaterEqual(a, b));
export const logicalAnd = binary((a, b) => tfc.logicalAnd(tfc.cast(a, 'bool'), tfc.cast(b, 'bool')));
export const logicalOr = binary((a, b) => tfc.logicalOr(tfc.cast(a, 'bool'), tfc.cast(b, 'bool')));

/** `x` limited to [xMin, xMax] (Keras `clip(x, x_min, x_max)`). */
export function clip(x: TensorInput, xMin: number, xMax: number): tfc.Tensor {
  return run(() => tfc.clipByValue(toTensor(x), xMin, xMax));
}

/** `x` rounded half to even, to `decimals` places (NumPy's rounding). */
export function round(x: TensorInput, decimals = 0): tfc.Tensor {
  return run(() => {
    const t = toTensor(x);
    if (decimals === 0) return tfc.round(t);
    const scale = 10 ** decimals;
    return tfc.div(tfc.round(tfc.mul(t, scale)), scale);
  });
}

export const rsqrt = unary((t) => tfc.rsqrt(float(t)));
export const erf = unary((t) => tfc.erf(float(t)));
export const trunc = unary((t) => tfc.where(tfc.less(t, 0), tfc.ceil(t), tfc.floor(t)));
export const cbrt = unary((t) => { const f = float(t); return tfc.mul(tfc.sign(f), tfc.pow(tfc.abs(f), 1 / 3)); });
export const exp2 = unary((t) => tfc.pow(2, float(t)));
export const deg2rad = unary((t) => tfc.mul(float(t), Math.PI / 180));
export const rad2deg = unary((t) => tfc.mul(float(t), 180 / Math.PI));
export const hypot = binary((a, b) => tfc.sqrt(tfc.add(tfc.square(float(a)), tfc.square(float(b)))));
/** log(exp(x1) + exp(x2)), computed as max + log1p(exp(-|x1 - x2|)) so large inputs do not overflow. */
export const logaddexp = binary((a, b) => {
  const [fa, fb] = [float(a), float(b)];
  return tfc.add(tfc.maximum(fa, fb), tfc.log1p(tfc.exp(tfc.neg(tfc.abs(tfc.sub(fa, fb))))));
});
export const logicalXor = binary((a, b) => tfc.logicalXor(tfc.cast(a, 'bool'), tfc.cast(b, 'bool')));
/** x1 / x2, and 0 where x2 is 0. */
export const divideNoNan = binary((a, b) => {
  const zero = tfc.equal(b, 0);
  return tfc.where(zero, tfc.zerosLike(float(a)), tfc.div(float(a), tfc.where(zero, tfc.onesLike(float(b)), float(b))));
});

/** `x` with NaN, +inf and -inf replaced (by default 0 and float32's largest and smallest finite values). */
export function nanToNum(x: TensorInput, nan = 0, posinf: number | null = null, neginf: number | null = null): tfc.Tensor {
  return run(() => {
    const t = float(toTensor(x));
    const noNan = tfc.where(tfc.isNaN(t), tfc.fill(t.shape, nan), t);
    const big = 3.4028234663852886e38;
    const noPos = tfc.where(tfc.logicalAnd(tfc.isInf(noNan), tfc.greater(noNan, 0)), tfc.fill(t.shape, posinf ?? big), noNan);
    return tfc.where(tfc.logicalAnd(tfc.isInf(noPos), tfc.less(noPos, 0)), tfc.fill(t.shape, neginf ?? -big), noPos);
  });
}

/** Whether |x1 - x2| <= atol + rtol |x2| elementwise (NumPy's isclose). */
export function isclose(x1: TensorInput, x2: TensorInput, rtol = 1e-5, atol = 1e-8, equalNan = false): tfc.Tensor {
  return run(() => {
    const [a, b] = [float(toTensor(x1)), float(toTensor(x2))];
    const close = tfc.logicalOr(tfc.equal(a, b), tfc.lessEqual(tfc.abs(tfc.sub(a, b)), tfc.add(atol, tfc.mul(rtol, tfc.abs(b)))));
    return equalNan ? tfc.logicalOr(close, tfc.logicalAnd(tfc.isNaN(a), tfc.isNaN(b))) : close;
  });
}
export const arccosh = unary((t) => tfc.acosh(float(t)));
export const signbit = unary((t) => tfc.logicalOr(tfc.less(t, 0), tfc.logicalAnd(tfc.equal(t, 0), tfc.less(tfc.div(1, float(t)), 0))));
export const isposinf = unary((t) => tfc.logicalAnd(tfc.isInf(t), tfc.greater(t, 0)));
export const isneginf = unary((t) => tfc.logicalAnd(tfc.isInf(t), tfc.less(t, 0)));
/** 0 where x1 < 0, x2 where x1 == 0, 1 where x1 > 0. */
export const heaviside = binary((a, b) => {
  const [fa, fb] = [float(a), tfc.broadcastTo(float(b), tfc.backend_util.assertAndGetBroadcastShape(a.shape, b.shape))];
  const step = tfc.cast(tfc.greater(fa, 0), 'float32');
  return tfc.where(tfc.equal(tfc.broadcastTo(fa, fb.shape), 0), fb, tfc.broadcastTo(step, fb.shape));
});
/** The larger of x1 and x2, or the one that is not NaN. */
export const fmax = binary((a, b) => tfc.where(tfc.isNaN(a), b, tfc.where(tfc.isNaN(b), a, tfc.maximum(a, b))));
/** The smaller of x1 and x2, or the one that is not NaN. */
export const fmin = binary((a, b) => tfc.where(tfc.isNaN(a), b, tfc.where(tfc.isNaN(b), a, tfc.minimum(a, b))));
/** The C remainder: x1 - trunc(x1 / x2) x2, with the sign of x1 (mod takes the sign of x2). */
export const fmod = binary((a, b) => {
  const q = tfc.div(float(a), float(b));
  return tfc.sub(float(a), tfc.mul(tfc.where(tfc.less(q, 0), tfc.ceil(q), tfc.floor(q)), float(b)));
});
export const logaddexp2 = binary((a, b) => tfc.div(logaddexp(tfc.mul(float(a), Math.LN2), tfc.mul(float(b), Math.LN2)), Math.LN2));
