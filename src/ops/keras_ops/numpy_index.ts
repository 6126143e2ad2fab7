/**
 * Keras 3's indexing, counting and segment ops (keras/src/ops/core.py, numpy.py, math.py) with
 * NumPy's / TensorFlow's semantics: scatter, scatterUpdate, sliceUpdate, getItem (integers and
 * slices), segmentSum / Max / Min / Prod, searchsorted, digitize, bincount, histogram, unique,
 * nonzero, argpartition, unravelIndex, the nan-aware argmax / argmin / cumsum / cumprod /
 * median / quantile / percentile. Data-dependent shapes (unique, nonzero) read values back.
 * Integer results are int32 (tfjs-core has no int64).
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';
import { normAxis, run, toTensor, type TensorInput } from './tensor_input';

const ints = (x: TensorInput): tfc.Tensor => tfc.cast(toTensor(x), 'int32');

/** A tensor of `shape` with `values` at `indices` (N, rank) (duplicates add, as TensorFlow's scatter_nd). */
export function scatter(indices: TensorInput, values: TensorInput, shape: number[]): tfc.Tensor {
  return run(() => tfc.scatterND(ints(indices), toTensor(values), shape));
}

/** `inputs` with `updates` written at `indices` (N, k); `reduction` 'add' / 'max' / 'min' / 'mul' combines instead. */
export function scatterUpdate(inputs: TensorInput, indices: TensorInput, updates: TensorInput, reduction: 'add' | 'max' | 'min' | 'mul' | null = null): tfc.Tensor {
  return run(() => {
    const x = toTensor(inputs);
    const idx = ints(indices);
    const u = tfc.cast(toTensor(updates), x.dtype);
    if (reduction === 'add') return tfc.add(x, tfc.scatterND(idx, u, x.shape));
    const hit = tfc.scatterND(idx, tfc.onesLike(u), x.shape);
    const placed = tfc.tensorScatterUpdate(x, idx, u);
    if (reduction === null) return placed;
    if (reduction === 'max') return tfc.where(tfc.greater(hit, 0), tfc.maximum(x, placed), x);
    if (reduction === 'min') return tfc.where(tfc.greater(hit, 0), tfc.minimum(x, placed), x);
    if (reduction === 'mul') return tfc.where(tfc.greater(hit, 0), tfc.mul(x, placed), x);
    throw new ValueError(`ops.scatterUpdate: reduction '${String(reduction)}' is not one of add, max, min, mul. help: pass one of them or null.`);
  });
}

/** `inputs` with the block `updates` written at `startIndices`. */
export function sliceUpdate(inputs: TensorInput, startIndices: number[], updates: TensorInput): tfc.Tensor {
  return run(() => {
    const x = toTensor(inputs);
    const u = tfc.cast(toTensor(updates), x.dtype);
    if (startIndices.length !== x.rank || u.rank !== x.rank) throw new ValueError(`ops.sliceUpdate: inputs have rank ${x.rank}, startIndices ${startIndices.length} entries and updates rank ${u.rank}. help: give one start index per axis and updates of the same rank.`);
    const pads = x.shape.map((d, i) => [startIndices[i], d - startIndices[i] - u.shape[i]] as [number, number]);
    if (pads.some(([a, b]) => a < 0 || b < 0)) throw new ValueError(`ops.sliceUpdate: updates [${u.shape}] at [${startIndices}] do not fit inputs [${x.shape}]. help: move the start or shrink the updates.`);
    const mask = tfc.pad(tfc.ones(u.shape, 'bool'), pads);
    return tfc.where(mask, tfc.pad(u, pads), x);
  });
}

/** x[key] for a key of integers (negative from the end) and [start, stop] pairs, one per leading axis. */
export function getItem(x: TensorInput, key: number | Array<number | [number | null, number | null]>): tfc.Tensor {
  return run(() => {
    const t = toTensor(x);
    const keys = Array.isArray(key) ? key : [key];
    const begin = t.shape.map(() => 0);
    const size = [...t.shape];
    const drop: number[] = [];
    keys.forEach((k, d) => {
      const n = t.shape[d];
      if (typeof k === 'number') {
        const i = k < 0 ? k + n : k;
        if (i < 0 || i >= n) throw new ValueError(`ops.getItem: index ${k} is out of range for axis ${d} of size ${n}. help: pass an index in [${-n}, ${n - 1}].`);
        [begin[d], size[d]] = [i, 1];
        drop.push(d);
      } else {
        const norm = (v: number | null, dflt: number): number => (v === null ? dflt : Math.min(Math.max(v < 0 ? v + n : v, 0), n));
        const [s, e] = [norm(k[0], 0), norm(k[1], n)];
        [begin[d], size[d]] = [s, Math.max(e - s, 0)];
      }
    });
    const out = tfc.slice(t, begin, size);
    return drop.length ? tfc.squeeze(out, drop) : out;
  });
}

function segmentReduce(op: string, data: TensorInput, segmentIds: TensorInput, numSegments: number | null, reduce: 'sum' | 'max' | 'min' | 'prod'): tfc.Tensor {
  return run(() => {
    const x = toTensor(data, 'float32');
    const ids = ints(segmentIds);
    if (ids.rank !== 1 || ids.shape[0] !== x.shape[0]) throw new ValueError(`ops.${op}: segmentIds must be 1-D with one id per row of data, got [${ids.shape}] for data [${x.shape}]. help: pass one segment id per row.`);
    const n = numSegments ?? Math.max(-1, ...Array.from(ids.dataSync())) + 1;
    if (reduce === 'sum') return tfc.unsortedSegmentSum(x, ids as tfc.Tensor1D, n);
    const oneHot = tfc.reshape(tfc.oneHot(ids, n), [x.shape[0], n, ...x.shape.slice(1).map(() => 1)]);
    const rows = tfc.expandDims(x, 1);
    const hit = tfc.greater(oneHot, 0);
    const fill = reduce === 'max' ? -3.4028234663852886e38 : reduce === 'min' ? 3.4028234663852886e38 : 1;
    const spread = tfc.where(tfc.logicalAnd(hit, tfc.ones(tfc.add(rows, oneHot).shape, 'bool')), tfc.mul(rows, tfc.onesLike(oneHot)), tfc.fill(tfc.add(rows, oneHot).shape, fill));
    return reduce === 'max' ? tfc.max(spread, 0) : reduce === 'min' ? tfc.min(spread, 0) : tfc.prod(spread, 0);
  });
}

/** The sum of data's rows per segment id (numSegments defaults to max id + 1; empty segments 0). */
export const segmentSum = (data: TensorInput, segmentIds: TensorInput, numSegments: number | null = null, _sorted = false): tfc.Tensor => segmentReduce('segmentSum', data, segmentIds, numSegments, 'sum');
/** The max per segment (an empty segment gives float32's lowest, as TensorFlow's). */
export const segmentMax = (data: TensorInput, segmentIds: TensorInput, numSegments: number | null = null, _sorted = false): tfc.Tensor => segmentReduce('segmentMax', data, segmentIds, numSegments, 'max');
/** The min per segment (an empty segment gives float32's largest). */
export const segmentMin = (data: TensorInput, segmentIds: TensorInput, numSegments: number | null = null, _sorted = false): tfc.Tensor => segmentReduce('segmentMin', data, segmentIds, numSegments, 'min');
/** The product per segment (an empty segment gives 1). */
export const segmentProd = (data: TensorInput, segmentIds: TensorInput, numSegments: number | null = null, _sorted = false): tfc.Tensor => segmentReduce('segmentProd', data, segmentIds, numSegments, 'prod');

/** Where each value would go in the sorted 1-D sequence: 'left' (first such index) or 'right'. int32. */
export function searchsorted(sortedSequence: TensorInput, values: TensorInput, side: 'left' | 'right' = 'left'): tfc.Tensor {
  return run(() => (side === 'left' ? tfc.lowerBound : tfc.upperBound)(toTensor(sortedSequence, 'float32'), tfc.reshape(toTensor(values, 'float32'), [1, -1])).reshape(toTensor(values).shape));
}

/** The bin of each x for increasing `bins` (NumPy's digitize, right = false): i with bins[i-1] <= x < bins[i]. */
export function digitize(x: TensorInput, bins: TensorInput): tfc.Tensor {
  return searchsorted(bins, x, 'right');
}

/** Counts of each non-negative integer (weighted), length max(x) + 1 or minlength. */
export function bincount(x: TensorInput, weights: TensorInput | null = null, minlength = 0): tfc.Tensor {
  return run(() => {
    const t = ints(x);
    const size = Math.max(minlength, Math.max(-1, ...Array.from(t.dataSync())) + 1);
    if (t.rank === 2) return tfc.denseBincount(t as tfc.Tensor2D, weights === null ? tfc.tensor1d([]) : (toTensor(weights, 'float32') as tfc.Tensor2D), size);
    return tfc.bincount(t as tfc.Tensor1D, weights === null ? tfc.tensor1d([], 'int32') : toTensor(weights, 'float32') as tfc.Tensor1D, size);
  });
}

/** [counts, binEdges]: `bins` equal bins over `range` (default [min, max]); the last bin includes its right edge. */
export function histogram(x: TensorInput, bins = 10, range: [number, number] | null = null): [tfc.Tensor, tfc.Tensor] {
  return run(() => {
    const t = tfc.reshape(toTensor(x, 'float32'), [-1]);
    const data = t.dataSync();
    let [lo, hi] = range ?? [Math.min(...data), Math.max(...data)];
    if (lo === hi) [lo, hi] = [lo - 0.5, hi + 0.5];
    const edges = Array.from({ length: bins + 1 }, (_, i) => lo + ((hi - lo) * i) / bins);
    const counts = new Int32Array(bins);
    for (const v of data) {
      if (v < lo || v > hi) continue;
      counts[Math.min(Math.floor(((v - lo) / (hi - lo)) * bins), bins - 1)]++;
    }
    return [tfc.tensor1d(counts, 'int32'), tfc.tensor1d(edges)];
  });
}

/** The sorted unique values of x flattened, and with the options the inverse indices and counts (int32). */
export function unique(x: TensorInput, sorted = true, returnInverse = false, returnCounts = false): tfc.Tensor | tfc.Tensor[] {
  return run(() => {
    const t = toTensor(x);
    const values = Array.from(t.dataSync() as ArrayLike<number>);
    const keys = [...new Set(values)];
    if (sorted) keys.sort((a, b) => a - b);
    const at = new Map(keys.map((v, i) => [v, i]));
    const out: tfc.Tensor[] = [tfc.tensor1d(keys, t.dtype === 'bool' ? 'int32' : t.dtype)];
    if (returnInverse) out.push(tfc.tensor(values.map((v) => at.get(v) as number), t.shape, 'int32'));
    if (returnCounts) {
      const counts = new Array(keys.length).fill(0);
      values.forEach((v) => counts[at.get(v) as number]++);
      out.push(tfc.tensor1d(counts, 'int32'));
    }
    return out.length === 1 ? out[0] : out;
  });
}

/** One int32 index tensor per axis: the coordinates of x's non-zero elements, row-major. */
export function nonzero(x: TensorInput): tfc.Tensor[] {
  return run(() => {
    const t = toTensor(x);
    const data = t.dataSync();
    const coords: number[][] = t.shape.map(() => []);
    const strides = t.shape.map((_, d) => t.shape.slice(d + 1).reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) {
      if (data[i] === 0) continue;
      t.shape.forEach((dim, d) => coords[d].push(Math.floor(i / strides[d]) % dim));
    }
    return coords.map((c) => tfc.tensor1d(c, 'int32'));
  });
}

/** Indices that partition x along `axis` around its kth element (this implementation fully sorts, which is one valid partition). */
export function argpartition(x: TensorInput, kth: number, axis = -1): tfc.Tensor {
  return run(() => {
    const t = toTensor(x, 'float32');
    const a = normAxis('argpartition', axis, t.rank);
    if (kth < -t.shape[a] || kth >= t.shape[a]) throw new ValueError(`ops.argpartition: kth ${kth} is out of range for an axis of ${t.shape[a]}. help: pass kth in [0, ${t.shape[a] - 1}].`);
    const perm = [...t.shape.keys()].filter((d) => d !== a).concat(a);
    const inv = perm.map((_, i) => perm.indexOf(i));
    const moved = tfc.transpose(t, perm);
    const order = tfc.topk(tfc.neg(moved), moved.shape[moved.rank - 1]).indices;
    return tfc.transpose(order, inv);
  });
}

/** The coordinates of flat indices in an array of `shape`: one int32 tensor per axis. */
export function unravelIndex(indices: TensorInput, shape: number[]): tfc.Tensor[] {
  return run(() => {
    const idx = ints(indices);
    const total = shape.reduce((a, b) => a * b, 1);
    if (Array.from(idx.dataSync()).some((v) => v < 0 || v >= total)) throw new ValueError(`ops.unravelIndex: an index is outside [0, ${total}) for shape [${shape}]. help: pass flat indices of that shape.`);
    const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
    return shape.map((dim, d) => tfc.mod(tfc.floorDiv(idx, strides[d]), dim));
  });
}

const nanTo = (x: TensorInput, v: number): tfc.Tensor => { const t = toTensor(x, 'float32'); return tfc.where(tfc.isNaN(t), tfc.fill(t.shape, v), t); };

function nanArg(op: string, x: TensorInput, axis: number | null, keepdims: boolean, max: boolean): tfc.Tensor {
  return run(() => {
    let t = nanTo(x, max ? -Infinity : Infinity);
    if (axis === null) t = tfc.reshape(t, [-1]);
    const a = axis === null ? 0 : normAxis(op, axis, t.rank);
    const out = max ? tfc.argMax(t, a) : tfc.argMin(t, a);
    if (!keepdims) return out;
    return tfc.reshape(out, axis === null ? toTensor(x).shape.map(() => 1) : t.shape.map((d, i) => (i === a ? 1 : d)));
  });
}
/** argmax ignoring NaNs (an all-NaN slice gives 0). */
export const nanargmax = (x: TensorInput, axis: number | null = null, keepdims = false): tfc.Tensor => nanArg('nanargmax', x, axis, keepdims, true);
/** argmin ignoring NaNs. */
export const nanargmin = (x: TensorInput, axis: number | null = null, keepdims = false): tfc.Tensor => nanArg('nanargmin', x, axis, keepdims, false);
/** cumsum with NaNs as 0 (axis null flattens). */
export const nancumsum = (x: TensorInput, axis: number | null = null): tfc.Tensor => run(() => (axis === null ? tfc.cumsum(tfc.reshape(nanTo(x, 0), [-1])) : tfc.cumsum(nanTo(x, 0), axis)));
/** cumprod with NaNs as 1. */
export const nancumprod = (x: TensorInput, axis: number | null = null): tfc.Tensor => run(() => (axis === null ? tfc.cumprod(tfc.reshape(nanTo(x, 1), [-1])) : tfc.cumprod(nanTo(x, 1), axis)));

/** Quantile q of the non-NaN values along `axis` (linear method; an all-NaN slice gives NaN). */
export function nanquantile(x: TensorInput, q: number, axis: number | null = null, keepdims = false): tfc.Tensor {
  return run(() => {
    const t = toTensor(x, 'float32');
    if (axis === null) return tfc.reshape(nanquantile(tfc.reshape(t, [-1]), q, 0), keepdims ? t.shape.map(() => 1) : []);
    const a = normAxis('nanquantile', axis, t.rank);
    const perm = [...t.shape.keys()].filter((d) => d !== a).concat(a);
    const moved = tfc.transpose(t, perm);
    const n = moved.shape[moved.rank - 1];
    const rows = tfc.reshape(moved, [-1, n]).arraySync() as number[][];
    const out = rows.map((r) => {
      const v = r.filter((e) => !Number.isNaN(e)).sort((p, s) => p - s);
      if (v.length === 0) return NaN;
      const pos = q * (v.length - 1);
      const lo = Math.floor(pos);
      return v[lo] + (v[Math.min(lo + 1, v.length - 1)] - v[lo]) * (pos - lo);
    });
    const shape = moved.shape.slice(0, -1);
    const res = tfc.tensor(out, shape);
    return keepdims ? tfc.expandDims(res, a) : res;
  });
}
/** Percentile q (0..100) ignoring NaNs. */
export const nanpercentile = (x: TensorInput, q: number, axis: number | null = null, keepdims = false): tfc.Tensor => nanquantile(x, q / 100, axis, keepdims);
/** The median ignoring NaNs. */
export const nanmedian = (x: TensorInput, axis: number | null = null, keepdims = false): tfc.Tensor => nanquantile(x, 0.5, axis, keepdims);
