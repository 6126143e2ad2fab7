/** Reductions over any axes, ArgMax, Softmax, and UnsortedSegmentSum (the gradient of gather). */
import * as tfc from '@tensorflow/tfjs-core';
import { opCodes } from '../../op_table';
import type { NativeBackend } from '../native_backend';
import { input, NativeArgs, NativeImpl, size } from './types';

const REDUCE = opCodes('ReduceOp');

/**
 * x viewed so that the reduced axes form one block: trailing ([outer, inner], leading = false),
 * leading ([inner, outer], leading = true), or with `blocks` consecutive middle axes
 * ([blocks, inner, outer], each block reduced as a leading one); otherwise a transposed copy with
 * them trailing.
 */
function arrange(b: NativeBackend, x: tfc.TensorInfo, axes: number[], allowBlocks: boolean): { data: Float32Array | Int32Array; outer: number; inner: number; leading: boolean; blocks: number } {
  const rank = x.shape.length;
  const sorted = [...axes].sort((p, q) => p - q);
  const inner = size(sorted.map((a) => x.shape[a]));
  const outer = size(x.shape.filter((_, i) => !sorted.includes(i)));
  const trailing = sorted.every((a, i) => a === rank - sorted.length + i);
  const leadingAxes = sorted.every((a, i) => a === i);
  const data = b.array(x) as Float32Array | Int32Array;
  if (trailing || sorted.length === 0) return { data, outer, inner, leading: false, blocks: 1 };
  if (leadingAxes) return { data, outer, inner, leading: true, blocks: 1 };
  if (allowBlocks && sorted.every((a, i) => a === sorted[0] + i)) {
    const blocks = size(x.shape.slice(0, sorted[0]));
    return { data, outer: outer / blocks, inner, leading: true, blocks };
  }
  const perm = [...x.shape.keys()].filter((i) => !sorted.includes(i)).concat(sorted);
  const moved = new (data.constructor as new (n: number) => Float32Array | Int32Array)(data.length);
  b.addon.transpose(data, moved, x.shape, perm);
  return { data: moved, outer, inner, leading: false, blocks: 1 };
}

function reduce(args: NativeArgs, name: string): tfc.TensorInfo | null {
  const b = args.backend;
  let x = input(args, 'x');
  if (x.dtype === 'bool' && (name === 'Sum' || name === 'Prod')) x = { ...x, dtype: 'int32' }; // tfjs sums bools as int32
  if (x.dtype !== 'float32' && !(x.dtype === 'int32' && name !== 'Mean')) return null;
  const axes = tfc.util.parseAxisParam((args.attrs.axis ?? args.attrs.reductionIndices) as number | number[], x.shape);
  const [kept] = tfc.backend_util.computeOutAndReduceShapes(x.shape, axes);
  const shape = args.attrs.keepDims ? tfc.backend_util.expandShapeToKeepDim(kept, axes) : kept;
  const { data, outer, inner, leading, blocks } = arrange(b, x, axes, true);
  const [out, values] = b.output<Float32Array | Int32Array>(shape, x.dtype as 'float32');
  if (values.length > 0) {
    if (blocks === 1) b.addon.reduce(REDUCE[name], data, values, outer, inner, leading);
    else b.addon.reduce(REDUCE[name], data, values, outer, inner, leading, blocks);
  }
  return out;
}

/** Softmax over the last axis (attrs.dim -1 or the last; float32). */
function softmax(args: NativeArgs): tfc.TensorInfo | null {
  const b = args.backend;
  const x = input(args, 'logits');
  const dim = (args.attrs.dim as number) ?? -1;
  if (x.dtype !== 'float32' || (dim !== -1 && dim !== x.shape.length - 1) || x.shape.length === 0) return null;
  const inner = x.shape[x.shape.length - 1];
  const [out, values] = b.output(x.shape);
  if (values.length > 0) b.addon.softmax(b.f32(x), values, values.length / inner, inner);
  return out;
}

export const REDUCTIONS: Record<string, NativeImpl> = {
  ...Object.fromEntries(Object.keys(REDUCE).map((name) => [name, (args: NativeArgs) => reduce(args, name)])),
  ArgMax: (args) => {
    const b = args.backend;
    const x = input(args, 'x');
    if (x.dtype !== 'float32' && x.dtype !== 'int32') return null;
    const axes = tfc.util.parseAxisParam(args.attrs.axis as number, x.shape);
    const [kept] = tfc.backend_util.computeOutAndReduceShapes(x.shape, axes);
    if (size(x.shape) === 0) return null;
    const { data, outer, inner, leading } = arrange(b, x, axes, false);
    if (leading && outer > 1) {
      const moved = new (data.constructor as new (n: number) => Float32Array | Int32Array)(data.length);
      b.addon.transpose(data, moved, [inner, outer], [1, 0]);
      const [out, values] = b.output<Int32Array>(kept, 'int32');
      b.addon.argMax(moved, values, outer, inner);
      return out;
    }
    const [out, values] = b.output<Int32Array>(kept, 'int32');
    b.addon.argMax(data, values, outer, inner);
    return out;
  },
  KerasMatches: (args) => {
    const b = args.backend;
    const [pred, truth] = [input(args, 'pred'), input(args, 'truth')];
    const classes = pred.shape[pred.shape.length - 1];
    if (pred.dtype !== 'float32' || truth.dtype !== 'float32' || !(classes > 0)) return null;
    const [out, values] = b.output(pred.shape.slice(0, -1));
    b.addon.matches(b.f32(pred), b.f32(truth), values, values.length, classes, args.attrs.sparse === true);
    return out;
  },
  KerasAccumulate: (args) => {
    const b = args.backend;
    const [total, values] = [input(args, 'total'), input(args, 'values')];
    if (total.dtype !== 'float32' || values.dtype !== 'float32' || size(total.shape) !== 1) return null;
    const [out, sum] = b.output(total.shape);
    b.addon.accumulate(b.f32(total), b.f32(values), sum, size(values.shape), args.attrs.scale as number);
    return out;
  },
  Softmax: softmax,
  /** keras-ts's name for the same kernel (engine/fused_kernels.ts), whose gradient ops/softmax.ts registers. */
  KerasSoftmax: softmax,
  /** out[ids[i]] += x[i] over rows (ids outside [0, numSegments) skipped), as keras-cpu's segment_sum.ts. */
  UnsortedSegmentSum: (args) => {
    const b = args.backend;
    const [x, ids] = [input(args, 'x'), input(args, 'segmentIds')];
    if ((x.dtype !== 'float32' && x.dtype !== 'int32') || ids.dtype !== 'int32') return null;
    const numSegments = args.attrs.numSegments as number;
    const innerShape = x.shape.slice(ids.shape.length);
    const [out, values] = b.output<Float32Array | Int32Array>([numSegments, ...innerShape], x.dtype);
    b.addon.segmentSum(b.array(x) as Float32Array | Int32Array, b.array(ids) as Int32Array, values, size(innerShape), numSegments);
    return out;
  },
};
