/**
 * More of Keras 3's NumPy-style ops (keras/src/ops/numpy.py, core.py, math.py), NumPy's semantics and
 * argument order: tensor facts (shape, ndim, size, dtype, isTensor, convertToNumpy), creation
 * (array, empty, emptyLike, geomspace, meshgrid, vander, diagflat), splits (arraySplit, hsplit,
 * vsplit, dsplit, append), elementwise extras (erfc, erfinv, fabs, i0, sinc, ldexp, nextafter,
 * isin, allclose, select, saturateCast) and products (kron, tensordot, cross, correlate, cdist,
 * corrcoef, trapezoid, rot90). Real tensors only (tfjs-core has no complex dtype): real/conj give
 * x, imag zeros, isreal true, angle 0 or pi.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';
import { normAxis, run, toTensor, type TensorInput } from './tensor_input';
import { split } from './shape';

const float = (x: TensorInput): tfc.Tensor => toTensor(x, 'float32');

/** `read(x)` for a tensor, or for the tensor made from an array (then freed). */
function readOnce<T>(x: TensorInput, read: (t: tfc.Tensor) => T): T {
  if (x instanceof tfc.Tensor) return read(x);
  const t = run(() => toTensor(x));
  const out = read(t);
  t.dispose();
  return out;
}

export const shape = (x: TensorInput): number[] => readOnce(x, (t) => t.shape);
export const ndim = (x: TensorInput): number => shape(x).length;
export const size = (x: TensorInput): number => shape(x).reduce((a, b) => a * b, 1);
export const dtype = (x: tfc.Tensor): string => x.dtype;
export const isTensor = (x: unknown): x is tfc.Tensor => x instanceof tfc.Tensor;
/** The values as nested JavaScript arrays (NumPy's array's closest JavaScript form). */
export const convertToNumpy = (x: TensorInput): unknown => readOnce(x, (t) => t.arraySync());

export function array(x: TensorInput, dtype: tfc.DataType | null = null): tfc.Tensor {
  return run(() => tfc.clone(toTensor(x, dtype ?? undefined)));
}
/** tfjs-core has no uninitialized memory: zeros. */
export function empty(shape: number[], dtype: tfc.DataType = 'float32'): tfc.Tensor {
  return run(() => tfc.zeros(shape, dtype));
}
export function emptyLike(x: TensorInput, dtype: tfc.DataType | null = null): tfc.Tensor {
  return run(() => { const t = toTensor(x); return tfc.zeros(t.shape, dtype ?? t.dtype); });
}

/** `num` numbers from start to stop spaced evenly on a log scale (both positive or both negative). */
export function geomspace(start: number, stop: number, num = 50, endpoint = true): tfc.Tensor {
  if (start === 0 || stop === 0 || Math.sign(start) !== Math.sign(stop)) throw new ValueError(`ops.geomspace: start ${start} and stop ${stop} must be non-zero with one sign. help: pass e.g. geomspace(1, 1000, 4).`);
  const sign = Math.sign(start);
  const [a, b] = [Math.log10(Math.abs(start)), Math.log10(Math.abs(stop))];
  const step = num > (endpoint ? 1 : 0) ? (b - a) / (endpoint ? num - 1 : num) : 0;
  const values = Array.from({ length: num }, (_, i) => sign * 10 ** (a + i * step));
  if (num > 0) values[0] = start;
  if (endpoint && num > 1) values[num - 1] = stop;
  return run(() => tfc.tensor1d(values));
}

/** Coordinate grids; 'xy' (default) swaps the first two output axes, as NumPy's. */
export function meshgrid(...args: Array<TensorInput | { indexing: 'xy' | 'ij' }>): tfc.Tensor[] {
  const last = args[args.length - 1];
  const indexing = last !== undefined && typeof last === 'object' && !Array.isArray(last) && !(last instanceof tfc.Tensor) && 'indexing' in last ? (args.pop() as { indexing: 'xy' | 'ij' }).indexing : 'xy';
  return run(() => {
    const xs = (args as TensorInput[]).map((a) => tfc.reshape(toTensor(a), [-1]));
    const dims = xs.map((x) => x.shape[0]);
    if (indexing === 'xy' && xs.length >= 2) [dims[0], dims[1]] = [dims[1], dims[0]];
    return xs.map((x, i) => {
      const axis = indexing === 'xy' && xs.length >= 2 && i < 2 ? 1 - i : i;
      const shape = dims.map((_, j) => (j === axis ? dims[j] : 1));
      return tfc.broadcastTo(tfc.reshape(x, shape), dims);
    });
  });
}

/** The Vandermonde matrix: columns x^(N-1) ... x^0 (or increasing). */
export function vander(x: TensorInput, N: number | null = null, increasing = false): tfc.Tensor {
  return run(() => {
    const t = tfc.reshape(float(x), [-1, 1]);
    const n = N ?? t.shape[0];
    const powers = Array.from({ length: n }, (_, i) => (increasing ? i : n - 1 - i));
    return tfc.pow(t, tfc.tensor1d(powers).reshape([1, n]));
  });
}

/** A 2-D matrix with x flattened on diagonal k. */
export function diagflat(x: TensorInput, k = 0): tfc.Tensor {
  return run(() => {
    const v = tfc.reshape(toTensor(x), [-1]);
    const n = v.shape[0] + Math.abs(k);
    const d = tfc.linalg.bandPart(tfc.mul(tfc.eye(v.shape[0]), tfc.reshape(v, [1, -1])), 0, 0);
    return tfc.pad(d, [[Math.max(-k, 0), Math.max(k, 0)], [Math.max(k, 0), Math.max(-k, 0)]]).reshape([n, n]);
  });
}

/** NumPy's array_split: sections may be unequal (the first ones one longer). */
export function arraySplit(x: TensorInput, indicesOrSections: number | number[], axis = 0): tfc.Tensor[] {
  if (Array.isArray(indicesOrSections)) return split(x, indicesOrSections, axis);
  return run(() => {
    const t = toTensor(x);
    const a = normAxis('arraySplit', axis, t.rank);
    const n = t.shape[a];
    const sizes = Array.from({ length: indicesOrSections }, (_, i) => Math.floor(n / indicesOrSections) + (i < n % indicesOrSections ? 1 : 0));
    return tfc.split(t, sizes, a);
  });
}
export const hsplit = (x: TensorInput, indicesOrSections: number | number[]): tfc.Tensor[] => split(x, indicesOrSections, ndim(x) === 1 ? 0 : 1);
export const vsplit = (x: TensorInput, indicesOrSections: number | number[]): tfc.Tensor[] => split(x, indicesOrSections, 0);
export const dsplit = (x: TensorInput, indicesOrSections: number | number[]): tfc.Tensor[] => split(x, indicesOrSections, 2);

/** x2 appended to x1 along `axis` (null: both flattened). */
export function append(x1: TensorInput, x2: TensorInput, axis: number | null = null): tfc.Tensor {
  return run(() => {
    const [a, b] = [toTensor(x1), toTensor(x2)];
    return axis === null ? tfc.concat([tfc.reshape(a, [-1]), tfc.reshape(b, [-1])]) : tfc.concat([a, b], axis);
  });
}

/** 1 - erf(x). */
export const erfc = (x: TensorInput): tfc.Tensor => run(() => tfc.sub(1, tfc.erf(float(x))));
export const fabs = (x: TensorInput): tfc.Tensor => run(() => tfc.abs(float(x)));

/** The inverse error function (Giles' single-precision approximation, then two Newton steps). */
export function erfinv(x: TensorInput): tfc.Tensor {
  return run(() => {
    const t = float(x);
    const w = tfc.neg(tfc.log(tfc.mul(tfc.sub(1, t), tfc.add(1, t))));
    const small = horner(tfc.sub(w, 2.5), [2.81022636e-08, 3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087, -0.00125372503, -0.00417768164, 0.246640727, 1.50140941]);
    const large = horner(tfc.sub(tfc.sqrt(w), 3), [-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613, 0.00943887047, 1.00167406, 2.83297682]);
    let y = tfc.mul(tfc.where(tfc.less(w, 5), small, large), t);
    for (let i = 0; i < 2; i++) y = tfc.sub(y, tfc.div(tfc.sub(tfc.erf(y), t), tfc.mul(2 / Math.sqrt(Math.PI), tfc.exp(tfc.neg(tfc.square(y))))));
    return tfc.where(tfc.equal(tfc.abs(t), 1), tfc.mul(t, Infinity), y);
  });
}

function horner(x: tfc.Tensor, coefficients: number[]): tfc.Tensor {
  return coefficients.slice(1).reduce((acc, c) => tfc.add(tfc.mul(acc, x), c), tfc.fill(x.shape, coefficients[0]));
}

/** The modified Bessel function of the first kind, order 0 (Abramowitz and Stegun 9.8.1-2). */
export function i0(x: TensorInput): tfc.Tensor {
  return run(() => {
    const a = tfc.abs(float(x));
    const t = tfc.div(a, 3.75);
    const small = horner(tfc.square(t), [0.0045813, 0.0360768, 0.2659732, 1.2067492, 3.0899424, 3.5156229, 1]);
    const it = tfc.div(1, t);
    const large = tfc.mul(tfc.div(tfc.exp(a), tfc.sqrt(a)), horner(it, [0.00392377, -0.01647633, 0.02635537, -0.02057706, 0.00916281, -0.00157565, 0.00225319, 0.01328592, 0.39894228]));
    return tfc.where(tfc.less(a, 3.75), small, large);
  });
}

/** sin(pi x) / (pi x), 1 at 0. */
export function sinc(x: TensorInput): tfc.Tensor {
  return run(() => {
    const px = tfc.mul(float(x), Math.PI);
    const zero = tfc.equal(px, 0);
    return tfc.where(zero, tfc.onesLike(px), tfc.div(tfc.sin(px), tfc.where(zero, tfc.onesLike(px), px)));
  });
}

/** x1 * 2 ** x2. */
export const ldexp = (x1: TensorInput, x2: TensorInput): tfc.Tensor => run(() => tfc.mul(float(x1), tfc.pow(2, float(x2))));

/** The next float32 after x1 towards x2 (by the bits, as NumPy's for float32). */
export function nextafter(x1: TensorInput, x2: TensorInput): tfc.Tensor {
  return run(() => {
    const [a, b] = [float(x1), float(x2)];
    const shape = tfc.add(a, b).shape;
    const [av, bv] = [tfc.broadcastTo(a, shape).dataSync(), tfc.broadcastTo(b, shape).dataSync()];
    const out = new Float32Array(av.length);
    const bits = new Int32Array(out.buffer);
    for (let i = 0; i < av.length; i++) {
      const [x, y] = [av[i], bv[i]];
      if (Number.isNaN(x) || Number.isNaN(y)) { out[i] = NaN; continue; }
      if (x === y) { out[i] = y; continue; }
      if (x === 0) { bits[i] = 1; out[i] = y > 0 ? out[i] : -out[i]; continue; }
      out[i] = x;
      bits[i] += (y > x) === (x > 0) ? 1 : -1;
    }
    return tfc.tensor(out, shape);
  });
}

/** Whether each element of x1 is in x2 (or not, when `invert`). */
export function isin(x1: TensorInput, x2: TensorInput, _assumeUnique = false, invert = false): tfc.Tensor {
  return run(() => {
    const a = toTensor(x1);
    const found = tfc.any(tfc.equal(tfc.expandDims(a, -1), tfc.reshape(toTensor(x2), [-1])), -1);
    return invert ? tfc.logicalNot(found) : found;
  });
}

/** Whether every |x1 - x2| <= atol + rtol |x2| (NaNs equal when equalNan). */
export function allclose(x1: TensorInput, x2: TensorInput, rtol = 1e-5, atol = 1e-8, equalNan = false): tfc.Tensor {
  return run(() => {
    const [a, b] = [float(x1), float(x2)];
    let close = tfc.lessEqual(tfc.abs(tfc.sub(a, b)), tfc.add(atol, tfc.mul(rtol, tfc.abs(b))));
    close = tfc.logicalOr(close, tfc.equal(a, b));
    if (equalNan) close = tfc.logicalOr(close, tfc.logicalAnd(tfc.isNaN(a), tfc.isNaN(b)));
    return tfc.all(close);
  });
}

/** Elements from choicelist[i] where condlist[i] first holds, else `default`. */
export function select(condlist: TensorInput[], choicelist: TensorInput[], defaultValue: TensorInput = 0): tfc.Tensor {
  if (condlist.length !== choicelist.length) throw new ValueError(`ops.select: ${condlist.length} conditions but ${choicelist.length} choices. help: pass one choice per condition.`);
  return run(() => condlist.reduceRight<tfc.Tensor>((acc, c, i) => tfc.where(tfc.cast(toTensor(c), 'bool'), toTensor(choicelist[i]), acc), toTensor(defaultValue)));
}

/** Cast with the values clipped to the target dtype's range first (int32 clipped on the host, in float64, so that 2^31 - 1 is exact). */
export function saturateCast(x: TensorInput, dtype: tfc.DataType): tfc.Tensor {
  return run(() => {
    const t = toTensor(x);
    if (dtype === 'int32') return tfc.tensor(Int32Array.from(t.dataSync(), (v) => (Number.isNaN(v) ? 0 : Math.min(Math.max(Math.trunc(v), -2147483648), 2147483647))), t.shape, 'int32');
    return tfc.cast(t, dtype);
  });
}

/** The Kronecker product of two tensors (of equal rank after NumPy's left padding). */
export function kron(x1: TensorInput, x2: TensorInput): tfc.Tensor {
  return run(() => {
    let [a, b] = [toTensor(x1), toTensor(x2)];
    const r = Math.max(a.rank, b.rank);
    a = tfc.reshape(a, [...new Array(r - a.rank).fill(1), ...a.shape]);
    b = tfc.reshape(b, [...new Array(r - b.rank).fill(1), ...b.shape]);
    const inter = a.shape.flatMap((d) => [d, 1]);
    const bInter = b.shape.flatMap((d) => [1, d]);
    const prod = tfc.mul(tfc.reshape(a, inter), tfc.reshape(b, bInter));
    return tfc.reshape(prod, a.shape.map((d, i) => d * b.shape[i]));
  });
}

/** NumPy's tensordot: axes an integer (the last n of x1 with the first n of x2) or two axis lists. */
export function tensordot(x1: TensorInput, x2: TensorInput, axes: number | [number[], number[]] | [number, number] = 2): tfc.Tensor {
  return run(() => {
    const [a, b] = [toTensor(x1, 'float32'), toTensor(x2, 'float32')];
    const [ax, bx] = typeof axes === 'number'
      ? [Array.from({ length: axes }, (_, i) => a.rank - axes + i), Array.from({ length: axes }, (_, i) => i)]
      : [[axes[0]].flat().map((v) => normAxis('tensordot', v, a.rank)), [axes[1]].flat().map((v) => normAxis('tensordot', v, b.rank))];
    const aFree = [...a.shape.keys()].filter((d) => !ax.includes(d));
    const bFree = [...b.shape.keys()].filter((d) => !bx.includes(d));
    const k = ax.reduce((p, d) => p * a.shape[d], 1);
    const am = tfc.reshape(tfc.transpose(a, [...aFree, ...ax]), [-1, k]);
    const bm = tfc.reshape(tfc.transpose(b, [...bx, ...bFree]), [k, -1]);
    return tfc.reshape(tfc.matMul(am, bm), [...aFree.map((d) => a.shape[d]), ...bFree.map((d) => b.shape[d])]);
  });
}

/** The cross product of 3-vectors along the last axes (2-vectors give the z component, as NumPy's). */
export function cross(x1: TensorInput, x2: TensorInput, axisa = -1, axisb = -1, axisc = -1, axis: number | null = null): tfc.Tensor {
  return run(() => {
    const move = (t: tfc.Tensor, ax: number): tfc.Tensor => { const a = normAxis('cross', ax, t.rank); const perm = [...t.shape.keys()].filter((d) => d !== a); return tfc.transpose(t, [...perm, a]); };
    const [a, b] = [move(float(x1), axis ?? axisa), move(float(x2), axis ?? axisb)];
    const comp = (t: tfc.Tensor, i: number): tfc.Tensor => (i < t.shape[t.rank - 1] ? tfc.squeeze(tfc.slice(t, [...new Array(t.rank - 1).fill(0), i], [...t.shape.slice(0, -1), 1]), [t.rank - 1]) : tfc.zeros(t.shape.slice(0, -1)));
    const [n1, n2] = [a.shape[a.rank - 1], b.shape[b.rank - 1]];
    if (![2, 3].includes(n1) || ![2, 3].includes(n2)) throw new ValueError(`ops.cross: vectors must have 2 or 3 components, got ${n1} and ${n2}. help: pass 2- or 3-vectors.`);
    const [a0, a1, a2, b0, b1, b2] = [comp(a, 0), comp(a, 1), comp(a, 2), comp(b, 0), comp(b, 1), comp(b, 2)];
    const z = tfc.sub(tfc.mul(a0, b1), tfc.mul(a1, b0));
    if (n1 === 2 && n2 === 2) return z;
    const out = tfc.stack([tfc.sub(tfc.mul(a1, b2), tfc.mul(a2, b1)), tfc.sub(tfc.mul(a2, b0), tfc.mul(a0, b2)), z], -1);
    const c = normAxis('cross', axis ?? axisc, out.rank);
    if (c === out.rank - 1) return out;
    const perm = [...Array(out.rank - 1).keys()];
    perm.splice(c, 0, out.rank - 1);
    return tfc.transpose(out, perm);
  });
}

/** NumPy's correlate of two 1-D tensors: c[k] = sum_n x1[n + k] x2[n]; mode 'valid', 'same' or 'full'. */
export function correlate(x1: TensorInput, x2: TensorInput, mode: 'valid' | 'same' | 'full' = 'valid'): tfc.Tensor {
  return run(() => {
    let [a, v] = [float(x1), float(x2)];
    if (a.rank !== 1 || v.rank !== 1) throw new ValueError(`ops.correlate: expected two 1-D tensors, got [${a.shape}] and [${v.shape}]. help: flatten them first.`);
    const swap = v.shape[0] > a.shape[0];
    if (swap) [a, v] = [v, a];
    const [n, m] = [a.shape[0], v.shape[0]];
    const pad = mode === 'valid' ? [0, 0] : mode === 'full' ? [m - 1, m - 1] : [Math.floor(m / 2), m - 1 - Math.floor(m / 2)];
    const x = tfc.reshape(tfc.pad(a, [pad as [number, number]]), [1, n + pad[0] + pad[1], 1]) as tfc.Tensor3D;
    const out = tfc.reshape(tfc.conv1d(x, tfc.reshape(v, [m, 1, 1]) as tfc.Tensor3D, 1, 'valid'), [-1]);
    return swap ? tfc.reverse(out) : out;
  });
}

/** Euclidean distances between the rows of x (..., P, M) and y (..., R, M): (..., P, R). */
export function cdist(x: TensorInput, y: TensorInput): tfc.Tensor {
  return run(() => {
    const [a, b] = [float(x), float(y)];
    const diff = tfc.sub(tfc.expandDims(a, -2), tfc.expandDims(b, -3));
    return tfc.sqrt(tfc.sum(tfc.square(diff), -1));
  });
}

/** Pearson correlation coefficients of the rows of x (variables in rows, as NumPy's). */
export function corrcoef(x: TensorInput): tfc.Tensor {
  return run(() => {
    let t = float(x);
    const vector = t.rank === 1;
    if (vector) t = tfc.expandDims(t, 0);
    const c = tfc.sub(t, tfc.mean(t, 1, true));
    const cov = tfc.matMul(c, c, false, true);
    const d = tfc.sqrt(tfc.sum(tfc.mul(c, c), 1));
    const out = tfc.clipByValue(tfc.div(cov, tfc.outerProduct(d as tfc.Tensor1D, d as tfc.Tensor1D)), -1, 1);
    return vector ? tfc.reshape(out, []) : out;
  });
}

/** The composite trapezoid rule along `axis`, with sample points x or spacing dx. */
export function trapezoid(y: TensorInput, x: TensorInput | null = null, dx = 1, axis = -1): tfc.Tensor {
  return run(() => {
    const t = float(y);
    const a = normAxis('trapezoid', axis, t.rank);
    const n = t.shape[a];
    const cut = (s: tfc.Tensor, start: number, len: number): tfc.Tensor => tfc.slice(s, s.shape.map((_, d) => (d === a ? start : 0)), s.shape.map((dim, d) => (d === a ? len : dim)));
    const avg = tfc.mul(0.5, tfc.add(cut(t, 1, n - 1), cut(t, 0, n - 1)));
    if (x === null) return tfc.mul(tfc.sum(avg, a), dx);
    let xs = float(x);
    if (xs.rank === 1) xs = tfc.reshape(xs, t.shape.map((d, i) => (i === a ? d : 1)));
    const widths = tfc.sub(cut(xs, 1, n - 1), cut(xs, 0, n - 1));
    return tfc.sum(tfc.mul(avg, widths), a);
  });
}

/** The tensor rotated by 90 degrees k times in the plane of `axes`, from the first towards the second. */
export function rot90(x: TensorInput, k = 1, axes: [number, number] = [0, 1]): tfc.Tensor {
  return run(() => {
    let t = toTensor(x);
    const [a, b] = axes.map((v) => normAxis('rot90', v, t.rank));
    const turns = ((k % 4) + 4) % 4;
    const swap = (s: tfc.Tensor): tfc.Tensor => { const perm = [...s.shape.keys()]; [perm[a], perm[b]] = [perm[b], perm[a]]; return tfc.transpose(s, perm); };
    if (turns === 2) return tfc.reverse(t, [a, b]);
    if (turns === 1) t = swap(tfc.reverse(t, b));
    if (turns === 3) t = tfc.reverse(swap(t), b);
    return turns === 0 ? tfc.clone(t) : t;
  });
}

// Real tensors only: tfjs-core has no complex dtype.
export const real = (x: TensorInput): tfc.Tensor => run(() => tfc.clone(toTensor(x)));
export const imag = (x: TensorInput): tfc.Tensor => run(() => tfc.zerosLike(toTensor(x)));
export const conj = real;
export const conjugate = real;
export const isreal = (x: TensorInput): tfc.Tensor => run(() => tfc.onesLike(tfc.cast(toTensor(x), 'bool')));
/** The argument of a real number: pi for negatives, else 0. */
export const angle = (x: TensorInput): tfc.Tensor => run(() => tfc.where(tfc.less(float(x), 0), tfc.fill(toTensor(x).shape, Math.PI), tfc.zeros(toTensor(x).shape)));
