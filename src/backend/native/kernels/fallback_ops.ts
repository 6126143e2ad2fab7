/**
 * Kernels that built-in layers, losses and optimizers used to run on tfjs's JavaScript CPU kernel
 * on 'native' (issue 23, "zero fallbacks"), now in the addon (native/cpu/fallback_ops.cc), each as
 * tfjs-backend-cpu defines it: LeakyRelu, Erf (GELU), EluGrad, NotEqual, LogicalOr, LogicalNot, and Equal and Mean of bools (masks, accuracies),
 * All and Any (masks and loss checks), Tile, and GatherV2 along any axis (UpSampling, adaptive
 * pooling, attention). Inputs they do not handle (other dtypes, batchDims) return null: the CPU
 * kernel runs and backendReport counts it.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { HostArray } from '../native_backend';
import { ELEMENTWISE } from './elementwise';
import { REDUCTIONS } from './reduce';
import { SHAPE } from './shape';
import { input, NativeArgs, NativeImpl, size, stridesOf } from './types';

const LEAKY_RELU = 0;
const ERF = 1;
const NOT_EQUAL = 0;
const LOGICAL_OR = 1;

function unaryMore(args: NativeArgs, op: number, alpha: number): tfc.TensorInfo | null {
  const b = args.backend;
  const x = input(args, 'x');
  if (x.dtype !== 'float32') return null;
  const [out, values] = b.output(x.shape);
  b.addon.unaryMore(op, b.f32(x), values, alpha);
  return out;
}

/** NotEqual or LogicalOr with broadcasting: strides 0 on the axes an input is broadcast along. */
function logical(args: NativeArgs, op: number): tfc.TensorInfo | null {
  const b = args.backend;
  const [x, y] = [input(args, 'a'), input(args, 'b')];
  const kinds = op === LOGICAL_OR ? ['bool'] : ['float32', 'int32', 'bool'];
  if (x.dtype !== y.dtype || !kinds.includes(x.dtype)) return null;
  const shape = tfc.backend_util.assertAndGetBroadcastShape(x.shape, y.shape);
  const [out, values] = b.output<Uint8Array>(shape, 'bool');
  if (values.length === 0) return out;
  const full = shape.length === 0 ? [1] : shape;
  const aligned = (s: number[]): number[] => {
    const strides = stridesOf(s);
    const pad = full.length - s.length;
    return full.map((_, i) => (i < pad || s[i - pad] === 1 ? 0 : strides[i - pad]));
  };
  b.addon.logical(op, b.array(x), b.array(y), values, full, aligned(x.shape), aligned(y.shape));
  return out;
}

/** All or Any over `axis`: the reduced axes moved last (a transpose in the addon), then one pass per row. */
function reduceBool(args: NativeArgs, all: boolean): tfc.TensorInfo | null {
  const b = args.backend;
  const x = input(args, 'x');
  if (x.dtype !== 'bool') return null;
  const axes = tfc.util.parseAxisParam(args.attrs.axis as number | number[], x.shape);
  const perm = tfc.backend_util.getAxesPermutation(axes, x.shape.length);
  let data = b.array(x) as Uint8Array;
  let shape = x.shape;
  if (perm !== null) {
    shape = perm.map((p) => x.shape[p]);
    const moved = new Uint8Array(data.length);
    if (data.length > 0) b.addon.transpose(data, moved, x.shape, perm);
    data = moved;
  }
  const inner = size(axes.map((a) => x.shape[a]));
  const kept = shape.slice(0, shape.length - axes.length);
  const outShape = args.attrs.keepDims ? tfc.backend_util.expandShapeToKeepDim(kept, axes) : kept;
  const [out, values] = b.output<Uint8Array>(outShape, 'bool');
  if (inner === 0) values.fill(all ? 1 : 0);
  else if (values.length > 0) b.addon.reduceBool(data, values, inner, all);
  return out;
}

export const FALLBACK_OPS: Record<string, NativeImpl> = {
  LeakyRelu: (args) => unaryMore(args, LEAKY_RELU, (args.attrs.alpha as number) ?? 0.2),
  Erf: (args) => unaryMore(args, ERF, 0),
  EluGrad: (args) => {
    const b = args.backend;
    const [dy, y] = [input(args, 'dy'), input(args, 'y')];
    if (dy.dtype !== 'float32' || y.dtype !== 'float32' || !tfc.util.arraysEqual(dy.shape, y.shape)) return null;
    const [out, values] = b.output(dy.shape);
    b.addon.eluGrad(b.f32(dy), b.f32(y), values);
    return out;
  },
  NotEqual: (args) => logical(args, NOT_EQUAL),
  LogicalOr: (args) => logical(args, LOGICAL_OR),
  /** not x = (x != 1) on bools: the addon's NotEqual against a broadcast 1. */
  LogicalNot: (args) => {
    const b = args.backend;
    const x = input(args, 'x');
    if (x.dtype !== 'bool') return null;
    const [out, values] = b.output<Uint8Array>(x.shape, 'bool');
    if (values.length > 0) b.addon.logical(NOT_EQUAL, b.array(x), Uint8Array.of(1), values, [values.length], [1], [0]);
    return out;
  },
  /** Bools (an accuracy): NotEqual, then negated in place; other dtypes as elementwise.ts does them. */
  Equal: (args) => {
    const b = args.backend;
    if (input(args, 'a').dtype !== 'bool') return ELEMENTWISE.Equal(args);
    const out = logical(args, NOT_EQUAL);
    if (out === null) return null;
    const values = b.array(out) as Uint8Array;
    if (values.length > 0) b.addon.logical(NOT_EQUAL, values, Uint8Array.of(1), values, [values.length], [1], [0]);
    return out;
  },
  /** Of bools (an accuracy): cast to float32 in the addon, then reduce.ts's Mean. */
  Mean: (args) => {
    const b = args.backend;
    const x = input(args, 'x');
    if (x.dtype !== 'bool') return REDUCTIONS.Mean(args);
    const [f, values] = b.output(x.shape);
    if (values.length > 0) b.addon.cast(b.array(x), values);
    const out = REDUCTIONS.Mean({ ...args, inputs: { x: f } });
    b.disposeData(f.dataId);
    return out;
  },
  All: (args) => reduceBool(args, true),
  Any: (args) => reduceBool(args, false),
  Tile: (args) => {
    const b = args.backend;
    const x = input(args, 'x');
    const reps = args.attrs.reps as number[];
    if (!['float32', 'int32', 'bool'].includes(x.dtype) || x.shape.length === 0) return null;
    const [out, values] = b.output<HostArray>(x.shape.map((d, i) => d * reps[i]), x.dtype as 'float32');
    if (values.length > 0) b.addon.tile(b.array(x), values, x.shape, reps);
    return out;
  },
  /** Axis 0 as shape.ts's row gather; any other axis here (batchDims 0), blocks of the axes after it. */
  GatherV2: (args) => {
    const rows = SHAPE.GatherV2(args);
    if (rows !== null) return rows;
    const b = args.backend;
    const [x, indices] = [input(args, 'x'), input(args, 'indices')];
    if (((args.attrs.batchDims as number) ?? 0) !== 0 || indices.dtype !== 'int32' || !['float32', 'int32', 'bool'].includes(x.dtype)) return null;
    const axis = tfc.util.parseAxisParam(args.attrs.axis as number, x.shape)[0];
    const idx = b.array(indices) as Int32Array;
    for (let i = 0; i < idx.length; i++) if (idx[i] < 0 || idx[i] >= x.shape[axis]) return null; // tfjs's kernel names the bad index
    const [out, values] = b.output<HostArray>([...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)], x.dtype as 'float32');
    if (values.length > 0) b.addon.gatherAxis(b.array(x), idx, values, size(x.shape.slice(0, axis)), x.shape[axis], size(x.shape.slice(axis + 1)));
    return out;
  },
};
