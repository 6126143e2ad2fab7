/**
 * Elementwise kernels: binary ops with broadcasting (float32 and int32; comparisons make bool),
 * unary ops, clip, select, cast, fills, and the activation gradient.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { opCodes } from '../../op_table';
import type { HostArray } from '../native_backend';
import { input, NativeArgs, NativeImpl, size, stridesOf } from './types';

const BINARY = opCodes('BinaryOp');
const UNARY = opCodes('UnaryOp');
const ACTIVATION = opCodes('Activation');
const COMPARISONS = ['Equal', 'Greater', 'GreaterEqual', 'Less', 'LessEqual'];
/** Unary ops the addon also runs on int32. */
const INT_UNARY = new Set(['Neg', 'Abs', 'Square']);

const ONE = [1];
const ZERO = [0];

/** The scalar forms of the arithmetic ops: a tensor of one element costs less here than a call into the addon. */
const SCALAR: Record<number, (a: number, b: number) => number> = {
  [BINARY.Add]: (a, b) => a + b,
  [BINARY.Sub]: (a, b) => a - b,
  [BINARY.Multiply]: (a, b) => a * b,
  [BINARY.RealDiv]: (a, b) => a / b,
};

function binary(args: NativeArgs, op: number, compare: boolean): tfc.TensorInfo | null {
  const b = args.backend;
  const x = input(args, 'a');
  const y = input(args, 'b');
  if (x.dtype !== y.dtype || !(x.dtype === 'float32' || x.dtype === 'int32' || (x.dtype === 'bool' && op === BINARY.Multiply))) return null;
  if (x.dtype === 'int32' && (op === BINARY.RealDiv || op === BINARY.Pow)) return null;
  const outDtype = compare || x.dtype === 'bool' ? 'bool' : x.dtype;
  const [na, nb] = [size(x.shape), size(y.shape)];
  // The common cases (equal shapes, one side a scalar) as flat loops; the rest with full strides.
  let shape: number[];
  let flat: [number[], number[], number[]] | null = null;
  if (tfc.util.arraysEqual(x.shape, y.shape)) [shape, flat] = [x.shape, [[na], ONE, ONE]];
  else if (nb === 1 && x.shape.length >= y.shape.length) [shape, flat] = [x.shape, [[na], ONE, ZERO]];
  else if (na === 1 && y.shape.length >= x.shape.length) [shape, flat] = [y.shape, [[nb], ZERO, ONE]];
  else shape = tfc.backend_util.assertAndGetBroadcastShape(x.shape, y.shape);
  const [out, values] = b.output<HostArray>(shape, outDtype);
  if (values.length === 0) return out;
  const scalar = SCALAR[op];
  if (values.length === 1 && x.dtype === 'float32' && scalar !== undefined && !b.capturing) {
    values[0] = scalar(b.array(x)[0], b.array(y)[0]);
    return out;
  }
  if (flat !== null) {
    b.addon.binary(op, b.array(x), b.array(y), values, flat[0], flat[1], flat[2]);
    return out;
  }
  const aligned = (s: number[]): number[] => {
    const strides = stridesOf(s);
    const pad = shape.length - s.length;
    return shape.map((_, i) => (i < pad || s[i - pad] === 1 ? 0 : strides[i - pad]));
  };
  b.addon.binary(op, b.array(x), b.array(y), values, shape, aligned(x.shape), aligned(y.shape));
  return out;
}

function unary(args: NativeArgs, name: string): tfc.TensorInfo | null {
  const b = args.backend;
  const x = input(args, 'x');
  if (x.dtype !== 'float32' && !(x.dtype === 'int32' && INT_UNARY.has(name))) return null;
  const [out, values] = b.output<HostArray>(x.shape, x.dtype);
  b.addon.unary(UNARY[name], b.array(x), values, (args.attrs.alpha as number) ?? 0);
  return out;
}

function cast(args: NativeArgs): tfc.TensorInfo | null {
  const b = args.backend;
  const x = input(args, 'x');
  const dtype = args.attrs.dtype as tfc.DataType;
  const kinds = ['float32', 'int32', 'bool'];
  if (!kinds.includes(x.dtype) || !kinds.includes(dtype)) return null;
  if (dtype === x.dtype) return b.view(x, x.shape);
  const [out, values] = b.output<HostArray>(x.shape, dtype as 'float32');
  b.addon.cast(b.array(x), values);
  return out;
}

function filled(args: NativeArgs, shape: number[], dtype: tfc.DataType, value: number): tfc.TensorInfo | null {
  if (dtype !== 'float32' && dtype !== 'int32' && dtype !== 'bool') return null;
  const [out, values] = args.backend.output<HostArray>(shape, dtype);
  args.backend.addon.fill(values, value);
  return out;
}

export const ELEMENTWISE: Record<string, NativeImpl> = {
  ...Object.fromEntries(Object.entries(BINARY).map(([name, op]) => [name, (args: NativeArgs) => binary(args, op, COMPARISONS.includes(name))])),
  LogicalAnd: (args) => (input(args, 'a').dtype === 'bool' ? binary(args, BINARY.Multiply, true) : null),
  ...Object.fromEntries(Object.keys(UNARY).map((name) => [name, (args: NativeArgs) => unary(args, name)])),
  ClipByValue: (args) => {
    const b = args.backend;
    const x = input(args, 'x');
    if (x.dtype !== 'float32') return null;
    const [out, values] = b.output(x.shape);
    b.addon.clip(b.f32(x), values, args.attrs.clipValueMin as number, args.attrs.clipValueMax as number);
    return out;
  },
  Select: (args) => {
    const b = args.backend;
    const [cond, t, e] = [input(args, 'condition'), input(args, 't'), input(args, 'e')];
    if (cond.dtype !== 'bool' || t.dtype !== e.dtype || !tfc.util.arraysEqual(cond.shape, t.shape) || !tfc.util.arraysEqual(t.shape, e.shape)) return null;
    const [out, values] = b.output<HostArray>(t.shape, t.dtype as 'float32');
    b.addon.select(b.array(cond) as Uint8Array, b.array(t), b.array(e), values);
    return out;
  },
  Cast: cast,
  Fill: (args) => filled(args, args.attrs.shape as number[], (args.attrs.dtype as tfc.DataType) ?? 'float32', args.attrs.value as number),
  ZerosLike: (args) => filled(args, input(args, 'x').shape, input(args, 'x').dtype, 0),
  OnesLike: (args) => filled(args, input(args, 'x').shape, input(args, 'x').dtype, 1),
  /** A sum of same-shaped tensors: adds into the output, one input at a time. */
  AddN: (args) => {
    const b = args.backend;
    const list = Object.values(args.inputs) as tfc.TensorInfo[];
    if (!list.every((t) => t.dtype === 'float32' && tfc.util.arraysEqual(t.shape, list[0].shape))) return null;
    const [out, values] = b.output(list[0].shape);
    const shape = list[0].shape.length === 0 ? [1] : list[0].shape;
    const strides = stridesOf(shape);
    values.set(b.f32(list[0]));
    for (const t of list.slice(1)) b.addon.binary(BINARY.Add, values, b.f32(t), values, shape, strides, strides);
    return out;
  },
  /** keras-ts's: dL/dz from dL/dy and y = activation(z) (engine/fused_kernels.ts). */
  KerasActivationGrad: (args) => {
    const b = args.backend;
    const [dy, y] = [input(args, 'dy'), input(args, 'y')];
    const act = ACTIVATION[args.attrs.activation as string];
    if (act === undefined) return null;
    const [out, values] = b.output(dy.shape);
    b.addon.activationGrad(b.f32(dy), b.f32(y), values, act);
    return out;
  },
};

