/**
 * Kernels that only move data. Reshape, Identity, ExpandDims and Squeeze are views of the same
 * array (as in tfjs-backend-cpu); Transpose, Reverse, OneHot, PadV2 and MirrorPad run in the addon;
 * Concat and SplitV along any axis, and Pack and Unpack (the per-step stacking of recurrent layers),
 * copy strided blocks with the addon's copyBlocks (a memcpy each), so a captured step records them;
 * GatherV2 of rows copies with TypedArray.set; Slice is a crop by the addon's pad.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { HostArray } from '../native_backend';
import { input, NativeArgs, NativeImpl, size } from './types';

function transpose(args: NativeArgs, x: tfc.TensorInfo, perm: number[]): tfc.TensorInfo | null {
  const b = args.backend;
  if (!['float32', 'int32', 'bool'].includes(x.dtype)) return null;
  if (perm.every((p, i) => p === i)) return b.view(x, x.shape);
  const [out, values] = b.output<HostArray>(perm.map((p) => x.shape[p]), x.dtype as 'float32');
  if (values.length > 0) b.addon.transpose(b.array(x), values, x.shape, perm);
  return out;
}

/** PadV2 (mirror -1, a constant) or MirrorPad (0 'reflect', 1 'symmetric'), in the addon. */
function pad(args: NativeArgs, mirror: number, value: number): tfc.TensorInfo | null {
  const b = args.backend;
  const x = input(args, 'x');
  if (!movable(x) || x.shape.length === 0) return null;
  const paddings = args.attrs.paddings as Array<[number, number]>;
  const [out, values] = b.output<HostArray>(x.shape.map((d, i) => paddings[i][0] + d + paddings[i][1]), x.dtype as 'float32');
  if (values.length > 0) b.addon.pad(b.array(x), values, x.shape, paddings.map((p) => p[0]), paddings.map((p) => p[1]), mirror, value);
  return out;
}

/** Tensors of the dtypes kept in typed arrays (not string or complex). */
function movable(x: tfc.TensorInfo): boolean {
  return ['float32', 'int32', 'bool'].includes(x.dtype);
}

export const SHAPE: Record<string, NativeImpl> = {
  Reshape: (args) => {
    const x = input(args, 'x');
    return args.backend.view(x, tfc.util.inferFromImplicitShape(args.attrs.shape as number[], size(x.shape)));
  },
  Identity: (args) => args.backend.view(input(args, 'x'), input(args, 'x').shape),
  ExpandDims: (args) => {
    const x = input(args, 'input');
    const dim = args.attrs.dim as number;
    const shape = x.shape.slice();
    shape.splice(dim < 0 ? x.shape.length + 1 + dim : dim, 0, 1);
    return args.backend.view(x, shape);
  },
  Squeeze: (args) => {
    const x = input(args, 'x');
    const axes = tfc.util.parseAxisParam((args.attrs.axis as number[]) ?? [], x.shape);
    return args.backend.view(x, tfc.util.squeezeShape(x.shape, axes.length > 0 ? axes : undefined).newShape);
  },
  Transpose: (args) => transpose(args, input(args, 'x'), args.attrs.perm as number[]),
  /** In the addon, along any axes (the time axis of goBackwards and Bidirectional recurrent layers). */
  Reverse: (args) => {
    const b = args.backend;
    const x = input(args, 'x');
    if (!movable(x)) return null;
    if (x.shape.length === 0) return b.view(x, x.shape);
    const axes = tfc.util.parseAxisParam(args.attrs.dims as number | number[], x.shape);
    const [out, values] = b.output<HostArray>(x.shape, x.dtype as 'float32');
    if (values.length > 0) b.addon.reverse(b.array(x), values, x.shape, x.shape.map((_, d) => (axes.includes(d) ? 1 : 0)));
    return out;
  },
  OneHot: (args) => {
    const b = args.backend;
    const indices = input(args, 'indices');
    const dtype = (args.attrs.dtype as string) ?? 'int32';
    if (indices.dtype !== 'int32' || (dtype !== 'float32' && dtype !== 'int32')) return null;
    const depth = args.attrs.depth as number;
    const [out, values] = b.output<Float32Array | Int32Array>([...indices.shape, depth], dtype);
    b.addon.oneHot(b.array(indices) as Int32Array, values, depth, args.attrs.onValue as number, args.attrs.offValue as number);
    return out;
  },
  Slice: (args) => {
    const b = args.backend;
    const x = input(args, 'x');
    const [begin, sz] = tfc.slice_util.parseSliceParams(x as unknown as tfc.Tensor, args.attrs.begin as number[], args.attrs.size as number[]);
    if (!movable(x)) return null;
    const [out, values] = b.output<HostArray>(sz, x.dtype as 'float32');
    // A crop: the addon's pad by -begin before and -(what is left) after (an addon call, so a
    // captured step records it; whole rows are one memcpy there).
    if (values.length > 0) b.addon.pad(b.array(x), values, x.shape, begin.map((p) => -p), x.shape.map((d, i) => -(d - begin[i] - sz[i])), -1, 0);
    return out;
  },
  /** Along any axis: each output row (the axes before `axis`) is the inputs' rows side by side. */
  Concat: (args) => {
    const b = args.backend;
    const all = Object.values(args.inputs) as tfc.TensorInfo[];
    const axis = tfc.util.parseAxisParam(args.attrs.axis as number, all[0].shape)[0];
    if (!all.every((t) => t.dtype === all[0].dtype && movable(t))) return null;
    const shape = tfc.backend_util.computeOutShape(all.map((t) => t.shape), axis);
    const [out, values] = b.output<HostArray>(shape, all[0].dtype as 'float32');
    const rows = size(shape.slice(0, axis));
    const chunks = all.map((t) => size(t.shape.slice(axis)));
    const rowSize = chunks.reduce((p, q) => p + q, 0);
    let offset = 0;
    all.forEach((t, i) => {
      b.addon.copyBlocks(b.array(t), values, rows, chunks[i], chunks[i], 0, rowSize, offset);
      offset += chunks[i];
    });
    return out;
  },
  /** The inverse of Concat: blocks of each row go to the parts. */
  SplitV: (args) => {
    const b = args.backend;
    const x = input(args, 'x');
    if (!movable(x)) return null;
    const axis = tfc.util.parseAxisParam(args.attrs.axis as number, x.shape)[0];
    const sizes = tfc.backend_util.prepareSplitSize(x as unknown as tfc.Tensor, args.attrs.numOrSizeSplits as number[], axis);
    const rows = size(x.shape.slice(0, axis));
    const inner = size(x.shape.slice(axis + 1));
    const rowSize = x.shape[axis] * inner;
    const src = b.array(x);
    let begin = 0;
    return sizes.map((n) => {
      const shape = x.shape.slice();
      shape[axis] = n;
      const [part, values] = b.output<HostArray>(shape, x.dtype as 'float32');
      b.addon.copyBlocks(src, values, rows, n * inner, rowSize, begin * inner, n * inner, 0);
      begin += n;
      return part;
    });
  },
  /** Concat of the inputs each given a new axis of size 1 at `axis`. */
  Pack: (args) => {
    const b = args.backend;
    const all = Object.values(args.inputs) as tfc.TensorInfo[];
    if (all.length === 0 || !all.every((t) => t.dtype === all[0].dtype && movable(t))) return null;
    const rank = all[0].shape.length;
    const axis = (args.attrs.axis as number) < 0 ? rank + 1 + (args.attrs.axis as number) : (args.attrs.axis as number);
    const shape = [...all[0].shape.slice(0, axis), all.length, ...all[0].shape.slice(axis)];
    const [out, values] = b.output<HostArray>(shape, all[0].dtype as 'float32');
    const rows = size(shape.slice(0, axis));
    const chunk = size(all[0].shape.slice(axis));
    all.forEach((t, i) => b.addon.copyBlocks(b.array(t), values, rows, chunk, chunk, 0, all.length * chunk, i * chunk));
    return out;
  },
  /** The inverse of Pack: each index along `axis` becomes a tensor without that axis. */
  Unpack: (args) => {
    const b = args.backend;
    const x = input(args, 'value');
    if (!movable(x)) return null;
    const axis = (args.attrs.axis as number) < 0 ? x.shape.length + (args.attrs.axis as number) : (args.attrs.axis as number);
    const shape = x.shape.filter((_, d) => d !== axis);
    const rows = size(x.shape.slice(0, axis));
    const chunk = size(x.shape.slice(axis + 1));
    const count = x.shape[axis];
    const src = b.array(x);
    return Array.from({ length: count }, (_, i) => {
      const [part, values] = b.output<HostArray>(shape, x.dtype as 'float32');
      b.addon.copyBlocks(src, values, rows, chunk, count * chunk, i * chunk, chunk, 0);
      return part;
    });
  },
  PadV2: (args) => pad(args, -1, (args.attrs.constantValue as number) ?? 0),
  MirrorPad: (args) => pad(args, args.attrs.mode === 'reflect' ? 0 : 1, 0),
  GatherV2: (args) => {
    const b = args.backend;
    const [x, indices] = [input(args, 'x'), input(args, 'indices')];
    if ((args.attrs.axis as number) !== 0 || ((args.attrs.batchDims as number) ?? 0) !== 0 || indices.dtype !== 'int32' || !movable(x)) return null;
    const idx = b.array(indices) as Int32Array;
    for (let i = 0; i < idx.length; i++) if (idx[i] < 0 || idx[i] >= x.shape[0]) return null; // tfjs's kernel names the bad index
    const [out, values] = b.output<HostArray>([...indices.shape, ...x.shape.slice(1)], x.dtype as 'float32');
    b.addon.gatherRows(b.array(x), idx, values, size(x.shape.slice(1)));
    return out;
  },
};
