/**
 * Keras 3's shape and indexing ops, in Keras's argument order (keras/src/ops/numpy.py, core.py):
 * reshape, transpose, expandDims, squeeze, concatenate, stack, split, tile, repeat, broadcastTo,
 * take, takeAlongAxis, where, slice, roll, flip, diff, trace. Axes may be negative; `axis = null`
 * means the flattened tensor where Keras says so (take, takeAlongAxis, repeat, roll, flip: all axes).
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';
import { normAxes, normAxis, run, toTensor, type Axis, type TensorInput } from './tensor_input';

export function reshape(x: TensorInput, newshape: number[]): tfc.Tensor {
  return run(() => tfc.reshape(toTensor(x), newshape));
}

/** `x` with its axes permuted by `axes` (reversed when null). */
export function transpose(x: TensorInput, axes: number[] | null = null): tfc.Tensor {
  return run(() => {
    const t = toTensor(x);
    return tfc.transpose(t, axes === null ? undefined : axes.map((a) => normAxis('transpose', a, t.rank)));
  });
}

/** `x` with a new axis of size 1 at `axis` (which may be negative: -1 appends). */
export function expandDims(x: TensorInput, axis: number): tfc.Tensor {
  return run(() => {
    const t = toTensor(x);
    return tfc.expandDims(t, normAxis('expandDims', axis, t.rank + 1));
  });
}

export function squeeze(x: TensorInput, axis: Axis = null): tfc.Tensor {
  return run(() => {
    const t = toTensor(x);
    const axes = normAxes('squeeze', axis, t.rank);
    for (const a of axes ?? []) {
      if (t.shape[a] !== 1) throw new ValueError(`ops.squeeze: axis ${a} has size ${t.shape[a]}, not 1 (shape [${t.shape}]). help: squeeze only axes of size 1.`);
    }
    return tfc.squeeze(t, axes);
  });
}

export function concatenate(xs: TensorInput[], axis = 0): tfc.Tensor {
  return run(() => {
    const ts = xs.map((x) => toTensor(x));
    return tfc.concat(ts, normAxis('concatenate', axis, ts[0].rank));
  });
}

export function stack(x: TensorInput[], axis = 0): tfc.Tensor {
  return run(() => {
    const ts = x.map((t) => toTensor(t));
    return tfc.stack(ts, normAxis('stack', axis, ts[0].rank + 1));
  });
}

/**
 * `x` split along `axis`: into `indicesOrSections` equal parts (a number, which must divide the
 * axis), or at the given indices (NumPy's convention, not tfjs's sizes).
 */
export function split(x: TensorInput, indicesOrSections: number | number[], axis = 0): tfc.Tensor[] {
  return run(() => {
    const t = toTensor(x);
    const a = normAxis('split', axis, t.rank);
    const n = t.shape[a];
    if (typeof indicesOrSections === 'number') {
      if (n % indicesOrSections !== 0) {
        throw new ValueError(`ops.split: axis ${axis} of size ${n} does not split into ${indicesOrSections} equal parts. help: pass a divisor of ${n}, or split indices.`);
      }
      return tfc.split(t, indicesOrSections, a);
    }
    const bounds = [0, ...indicesOrSections.map((i) => Math.min(n, Math.max(0, i < 0 ? i + n : i))), n];
    const sizes = bounds.slice(1).map((b, i) => Math.max(0, b - bounds[i]));
    return sizes.map((size, i) => {
      const begin = t.shape.map((_, d) => (d === a ? bounds[i] : 0));
      return tfc.slice(t, begin, t.shape.map((s, d) => (d === a ? size : s)));
    });
  });
}

/** `x` repeated `repeats` times along each axis (NumPy's tile: a shorter `repeats` applies to the last axes). */
export function tile(x: TensorInput, repeats: number | number[]): tfc.Tensor {
  return run(() => {
    let t = toTensor(x);
    const reps = Array.isArray(repeats) ? repeats : [repeats];
    while (t.rank < reps.length) t = tfc.expandDims(t, 0);
    const full = [...t.shape.slice(0, t.rank - reps.length).map(() => 1), ...reps];
    return tfc.tile(t, full);
  });
}

/** Each element repeated `repeats` times along `axis` (of the flattened tensor when null). */
export function repeat(x: TensorInput, repeats: number | number[], axis: number | null = null): tfc.Tensor {
  return run(() => {
    let t = toTensor(x);
    if (axis === null) t = tfc.reshape(t, [-1]);
    const a = normAxis('repeat', axis ?? 0, t.rank);
    const n = t.shape[a];
    const counts = Array.isArray(repeats) ? repeats : new Array<number>(n).fill(repeats);
    if (counts.length !== n) {
      throw new ValueError(`ops.repeat: ${counts.length} repeats for an axis of size ${n}. help: pass one count, or one per element.`);
    }
    const indices = counts.flatMap((c, i) => new Array<number>(c).fill(i));
    return tfc.gather(t, tfc.tensor1d(indices, 'int32'), a);
  });
}

export function broadcastTo(x: TensorInput, shape: number[]): tfc.Tensor {
  return run(() => tfc.broadcastTo(toTensor(x), shape));
}

/** The elements of `x` at `indices` along `axis` (of the flattened `x` when null); negative indices count from the end. */
export function take(x: TensorInput, indices: TensorInput, axis: number | null = null): tfc.Tensor {
  return run(() => {
    let t = toTensor(x);
    if (axis === null) t = tfc.reshape(t, [-1]);
    const a = normAxis('take', axis ?? 0, t.rank);
    const idx = toTensor(indices, 'int32');
    const wrapped = tfc.where(tfc.less(idx, 0), tfc.add(idx, tfc.scalar(t.shape[a], 'int32')), idx);
    return tfc.gather(t, wrapped, a);
  });
}

/** NumPy's take_along_axis: `x` gathered along `axis` by `indices` of the same rank (flattened when null). */
export function takeAlongAxis(x: TensorInput, indices: TensorInput, axis: number | null = null): tfc.Tensor {
  return run(() => {
    let t = toTensor(x);
    let idx = toTensor(indices, 'int32');
    if (axis === null) {
      t = tfc.reshape(t, [-1]);
      idx = tfc.reshape(idx, [-1]);
    }
    const a = normAxis('takeAlongAxis', axis ?? 0, t.rank);
    if (idx.rank !== t.rank) {
      throw new ValueError(`ops.takeAlongAxis: indices have rank ${idx.rank}, x has rank ${t.rank}. help: give indices the rank of x (expandDims them).`);
    }
    const outShape = t.shape.map((s, d) => (d === a ? idx.shape[d] : Math.max(s, idx.shape[d])));
    const xb = tfc.broadcastTo(t, t.shape.map((s, d) => (d === a ? s : outShape[d])));
    const ib = tfc.broadcastTo(idx, outShape);
    const wrapped = tfc.where(tfc.less(ib, 0), tfc.add(ib, tfc.scalar(t.shape[a], 'int32')), ib);
    // Move `axis` last, gather row by row with batchDims, move it back.
    const perm = [...outShape.keys()].filter((d) => d !== a).concat(a);
    const inverse = perm.map((_, d) => perm.indexOf(d));
    const out = tfc.gather(tfc.transpose(xb, perm), tfc.transpose(wrapped, perm), xb.rank - 1, xb.rank - 1);
    return tfc.transpose(out, inverse);
  });
}

/** `x1` where `condition` holds, else `x2`, broadcast together (Keras's three-argument where). */
export function where(condition: TensorInput, x1: TensorInput, x2: TensorInput): tfc.Tensor {
  return run(() => {
    const c = tfc.cast(toTensor(condition), 'bool');
    const a = toTensor(x1);
    const b = toTensor(x2);
    const dtype = a.dtype === b.dtype ? a.dtype : 'float32';
    const bcast = tfc.backend_util.assertAndGetBroadcastShape;
    const shape = bcast(bcast(c.shape, a.shape), b.shape);
    return tfc.where(tfc.broadcastTo(c, shape), tfc.broadcastTo(tfc.cast(a, dtype), shape), tfc.broadcastTo(tfc.cast(b, dtype), shape));
  });
}

/** Keras core.slice: the block of `shape` starting at `startIndices`. */
export function slice(inputs: TensorInput, startIndices: number[], shape: number[]): tfc.Tensor {
  return run(() => tfc.slice(toTensor(inputs), startIndices, shape));
}

/** `x` shifted by `shift` along `axis` (the flattened tensor when null), wrapping around. */
export function roll(x: TensorInput, shift: number | number[], axis: Axis = null): tfc.Tensor {
  return run(() => {
    const t = toTensor(x);
    if (axis === null) return tfc.reshape(rollAlong(tfc.reshape(t, [-1]), shift as number, 0), t.shape);
    const axes = normAxes('roll', axis, t.rank) as number[];
    const shifts = Array.isArray(shift) ? shift : axes.map(() => shift);
    return axes.reduce((acc, a, i) => rollAlong(acc, shifts[i], a), t);
  });
}

function rollAlong(t: tfc.Tensor, shift: number, axis: number): tfc.Tensor {
  const n = t.shape[axis];
  const s = ((shift % n) + n) % n;
  if (s === 0) return t;
  const [head, tail] = tfc.split(t, [n - s, s], axis);
  return tfc.concat([tail, head], axis);
}

/** `x` with the order of elements reversed along `axis` (all axes when null). */
export function flip(x: TensorInput, axis: Axis = null): tfc.Tensor {
  return run(() => {
    const t = toTensor(x);
    return tfc.reverse(t, normAxes('flip', axis, t.rank) ?? [...t.shape.keys()]);
  });
}

/** The `n`-th discrete difference along `axis`: out[i] = a[i + 1] - a[i], applied n times. */
export function diff(a: TensorInput, n = 1, axis = -1): tfc.Tensor {
  return run(() => {
    let t = toTensor(a);
    const ax = normAxis('diff', axis, t.rank);
    for (let i = 0; i < n; i++) {
      const len = t.shape[ax];
      const size = t.shape.map((s, d) => (d === ax ? len - 1 : s));
      t = tfc.sub(tfc.slice(t, t.shape.map((_, d) => (d === ax ? 1 : 0)), size), tfc.slice(t, t.shape.map(() => 0), size));
    }
    return t;
  });
}

/** The sum along the diagonal `offset` of the planes spanned by `axis1` and `axis2`. */
export function trace(x: TensorInput, offset = 0, axis1 = 0, axis2 = 1): tfc.Tensor {
  return run(() => {
    const t = toTensor(x);
    const a1 = normAxis('trace', axis1, t.rank);
    const a2 = normAxis('trace', axis2, t.rank);
    const rest = [...t.shape.keys()].filter((d) => d !== a1 && d !== a2);
    const moved = tfc.transpose(t, [...rest, a1, a2]);
    const [rows, cols] = [t.shape[a1], t.shape[a2]];
    const mask = tfc.buffer([rows, cols], t.dtype);
    for (let i = 0; i < rows; i++) if (i + offset >= 0 && i + offset < cols) mask.set(1, i, i + offset);
    return tfc.sum(tfc.mul(moved, mask.toTensor()), [moved.rank - 2, moved.rank - 1]);
  });
}

/** `x` with axis `source` moved to position `destination`, the others in order. */
export function moveaxis(x: TensorInput, source: number, destination: number): tfc.Tensor {
  return run(() => {
    const t = toTensor(x);
    const [s, d] = [normAxis('moveaxis', source, t.rank), normAxis('moveaxis', destination, t.rank)];
    const perm = [...t.shape.keys()].filter((a) => a !== s);
    perm.splice(d, 0, s);
    return tfc.transpose(t, perm);
  });
}

export function swapaxes(x: TensorInput, axis1: number, axis2: number): tfc.Tensor {
  return run(() => {
    const t = toTensor(x);
    const perm = [...t.shape.keys()];
    const [a, b] = [normAxis('swapaxes', axis1, t.rank), normAxis('swapaxes', axis2, t.rank)];
    [perm[a], perm[b]] = [perm[b], perm[a]];
    return tfc.transpose(t, perm);
  });
}

/** `x` flattened to one axis. */
export function ravel(x: TensorInput): tfc.Tensor {
  return run(() => tfc.reshape(toTensor(x), [-1]));
}

/** NumPy's hstack: concatenated along axis 1, or axis 0 for vectors. */
export function hstack(xs: TensorInput[]): tfc.Tensor {
  return run(() => { const ts = xs.map((x) => toTensor(x)); return tfc.concat(ts, ts[0].rank === 1 ? 0 : 1); });
}

/** NumPy's vstack: vectors become rows, then concatenated along axis 0. */
export function vstack(xs: TensorInput[]): tfc.Tensor {
  return run(() => tfc.concat(xs.map((x) => { const t = toTensor(x); return t.rank === 1 ? tfc.expandDims(t, 0) : t; }), 0));
}

/** The tensors along `axis`. */
export function unstack(x: TensorInput, num: number | null = null, axis = 0): tfc.Tensor[] {
  return run(() => {
    const t = toTensor(x);
    const a = normAxis('unstack', axis, t.rank);
    if (num !== null && num !== t.shape[a]) {
      throw new ValueError(`ops.unstack: num ${num} does not match axis ${axis} of size ${t.shape[a]}. help: pass num = ${t.shape[a]} or null.`);
    }
    return tfc.unstack(t, a);
  });
}

function triangle(op: string, x: TensorInput, keep: (row: number, col: number) => boolean): tfc.Tensor {
  return run(() => {
    const t = toTensor(x);
    if (t.rank < 2) throw new ValueError(`ops.${op}: x has rank ${t.rank}. help: pass a matrix or a batch of them.`);
    const [rows, cols] = t.shape.slice(-2);
    const mask = tfc.buffer([rows, cols], 'int32');
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) if (keep(i, j)) mask.set(1, i, j);
    return tfc.where(tfc.broadcastTo(tfc.cast(mask.toTensor(), 'bool'), t.shape), t, tfc.zerosLike(t));
  });
}

/** The lower triangle of the last two axes: entries with column - row <= k, zeros elsewhere. */
export function tril(x: TensorInput, k = 0): tfc.Tensor {
  return triangle('tril', x, (i, j) => j - i <= k);
}

/** The upper triangle of the last two axes: entries with column - row >= k, zeros elsewhere. */
export function triu(x: TensorInput, k = 0): tfc.Tensor {
  return triangle('triu', x, (i, j) => j - i >= k);
}

/**
 * `x` padded by `padWidth` ([before, after] per axis, or one pair for all): 'constant' with
 * `constantValues`, or 'reflect' / 'symmetric' (tfjs's mirrorPad).
 */
export function pad(x: TensorInput, padWidth: number | Array<[number, number]> | [number, number], mode: 'constant' | 'reflect' | 'symmetric' = 'constant', constantValues: number | null = null): tfc.Tensor {
  return run(() => {
    const t = toTensor(x);
    const pairs: Array<[number, number]> = typeof padWidth === 'number'
      ? t.shape.map(() => [padWidth, padWidth])
      : Array.isArray(padWidth[0]) ? (padWidth as Array<[number, number]>) : t.shape.map(() => padWidth as [number, number]);
    if (pairs.length !== t.rank) throw new ValueError(`ops.pad: ${pairs.length} pairs of padding for a tensor of rank ${t.rank}. help: one [before, after] pair per axis.`);
    if (mode === 'constant') return tfc.pad(t, pairs, constantValues ?? 0);
    if (constantValues !== null) throw new ValueError(`ops.pad: constantValues ${constantValues} with mode '${mode}'. help: constantValues only goes with mode 'constant'.`);
    return tfc.mirrorPad(t, pairs, mode);
  });
}

export function fliplr(x: TensorInput): tfc.Tensor {
  return flip(x, 1);
}

export function flipud(x: TensorInput): tfc.Tensor {
  return flip(x, 0);
}

/** NumPy's dstack: concatenated along axis 2 (vectors and matrices first made [1, n, 1] / [m, n, 1]). */
export function dstack(xs: TensorInput[]): tfc.Tensor {
  return run(() => tfc.concat(xs.map((x) => {
    const t = toTensor(x);
    return t.rank === 1 ? tfc.reshape(t, [1, t.shape[0], 1]) : t.rank === 2 ? tfc.expandDims(t, 2) : t;
  }), 2));
}

/** The diagonal `offset` of the planes spanned by `axis1` and `axis2`, as the last axis. */
export function diagonal(x: TensorInput, offset = 0, axis1 = 0, axis2 = 1): tfc.Tensor {
  return run(() => {
    const t = toTensor(x);
    const [a1, a2] = [normAxis('diagonal', axis1, t.rank), normAxis('diagonal', axis2, t.rank)];
    const rest = [...t.shape.keys()].filter((d) => d !== a1 && d !== a2);
    const moved = tfc.transpose(t, [...rest, a1, a2]);
    const [rows, cols] = [t.shape[a1], t.shape[a2]];
    const n = Math.max(0, Math.min(rows - Math.max(0, -offset), cols - Math.max(0, offset)));
    const flat = tfc.reshape(moved, [...rest.map((d) => t.shape[d]), rows * cols]);
    const indices = Array.from({ length: n }, (_, i) => (i + Math.max(0, -offset)) * cols + i + Math.max(0, offset));
    return tfc.gather(flat, tfc.tensor1d(indices, 'int32'), flat.rank - 1);
  });
}

/** A 1-D `x` as a matrix with `x` on diagonal `k`; a 2-D `x`'s diagonal `k`. */
export function diag(x: TensorInput, k = 0): tfc.Tensor {
  return run(() => {
    const t = toTensor(x);
    if (t.rank === 2) return diagonal(t, k);
    if (t.rank !== 1) throw new ValueError(`ops.diag: x has rank ${t.rank}. help: pass a vector or a matrix.`);
    const n = t.shape[0] + Math.abs(k);
    const rows = Array.from({ length: t.shape[0] }, (_, i) => i + Math.max(0, -k));
    const cols = rows.map((r) => r + k);
    return tfc.scatterND(tfc.tensor2d(rows.map((r, i) => [r, cols[i]]), [rows.length, 2], 'int32'), t, [n, n]);
  });
}
