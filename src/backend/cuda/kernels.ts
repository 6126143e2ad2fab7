/**
 * The kernels the 'cuda' backend runs natively (float32 data on the device); any other input
 * (bool, an unusual dtype) and every kernel not listed runs the CPU backend's code instead.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { cpuKernel } from '../cpu_fallback';
import { OpFamily, opCodes } from '../op_table';
import type { CudaBackend } from './cuda_backend';

type Args = Parameters<tfc.KernelFunc>[0];
type Impl = (b: CudaBackend, inputs: tfc.TensorInfo[], attrs: Record<string, unknown>) => tfc.TensorInfo | tfc.TensorInfo[];

/** Ops addon.cu implements, with their codes from the one op table (op_table.ts, op_table.h). */
function codes(family: OpFamily, names: string[]): Record<string, number> {
  const all = opCodes(family);
  return Object.fromEntries(names.map((n) => [n, all[n]]));
}
const BINARY = codes('BinaryOp', ['Add', 'Sub', 'Multiply', 'RealDiv', 'Maximum', 'Minimum', 'Pow', 'SquaredDifference']);
const UNARY = codes('UnaryOp', ['Neg', 'Exp', 'Log', 'Sqrt', 'Square', 'Abs', 'Sigmoid', 'Relu', 'Tanh', 'Step', 'Rsqrt', 'Reciprocal',
  'Log1p', 'Relu6', 'Elu', 'Softplus', 'Sign']);
const REDUCE = codes('ReduceOp', ['Sum', 'Max', 'Min', 'Mean', 'Prod']);
/** Comparisons; their output is bool, stored as float32 0/1. */
const COMPARE = codes('BinaryOp', ['Equal', 'Greater', 'GreaterEqual', 'Less', 'LessEqual']);

const size = (shape: number[]): number => tfc.util.sizeFromShape(shape);
const stridesOf = (shape: number[]): number[] => {
  const s = new Array(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1] * shape[i + 1];
  return s;
};

function binary(b: CudaBackend, op: number, a: tfc.TensorInfo, c: tfc.TensorInfo, dtype: 'float32' | 'bool' = 'float32'): tfc.TensorInfo {
  const shape = tfc.backend_util.assertAndGetBroadcastShape(a.shape, c.shape);
  const out = b.makeOutput(shape, dtype);
  const n = size(shape);
  if (n === 0) return out;
  const aligned = (s: number[]): number[] => {
    const strides = stridesOf(s);
    const pad = shape.length - s.length;
    return shape.map((_, i) => (i < pad || s[i - pad] === 1 ? 0 : strides[i - pad]));
  };
  const rankShape = shape.length === 0 ? [1] : shape;
  const sa = shape.length === 0 ? [0] : aligned(a.shape);
  const sb = shape.length === 0 ? [0] : aligned(c.shape);
  b.addon.binary(op, b.pointer(a.dataId), b.pointer(c.dataId), b.pointer(out.dataId), n, rankShape, sa, sb);
  return out;
}

function unary(b: CudaBackend, op: number, x: tfc.TensorInfo, alpha = 0): tfc.TensorInfo {
  const out = b.makeOutput(x.shape, 'float32');
  const n = size(x.shape);
  if (n > 0) b.addon.unary(op, b.pointer(x.dataId), b.pointer(out.dataId), n, alpha);
  return out;
}

function transpose(b: CudaBackend, x: tfc.TensorInfo, perm: number[]): tfc.TensorInfo {
  const outShape = perm.map((p) => x.shape[p]);
  const out = b.makeOutput(outShape, x.dtype as 'float32');
  const n = size(outShape);
  if (n === 0) return out;
  const inStrides = stridesOf(x.shape);
  b.addon.transpose(b.pointer(x.dataId), b.pointer(out.dataId), n, outShape.length ? outShape : [1], perm.length ? perm.map((p) => inStrides[p]) : [0]);
  return out;
}

/** A view of the same data with another shape (no copy). */
function reshape(b: CudaBackend, x: tfc.TensorInfo, shape: number[]): tfc.TensorInfo {
  b.incRef(x.dataId);
  return { dataId: x.dataId, shape, dtype: x.dtype };
}

/** Moves `axes` last (transposing if needed) and returns the [outer, inner] sizes with the output shape. */
function axesLast(b: CudaBackend, x: tfc.TensorInfo, axisAttr: number | number[], keepDims: boolean): { t: tfc.TensorInfo; outer: number; inner: number; outShape: number[]; temp: boolean } {
  const axes = tfc.util.parseAxisParam(axisAttr, x.shape);
  const perm = tfc.backend_util.getAxesPermutation(axes, x.shape.length);
  const t = perm === null ? x : transpose(b, x, perm);
  const [kept, reduced] = tfc.backend_util.computeOutAndReduceShapes(x.shape, axes);
  const outShape = keepDims ? tfc.backend_util.expandShapeToKeepDim(kept, axes) : kept;
  return { t, outer: size(kept), inner: size(reduced), outShape, temp: perm !== null };
}

const IMPLS: Record<string, Impl> = {
  ...Object.fromEntries(Object.entries(BINARY).map(([name, op]) => [name, (b: CudaBackend, [a, c]: tfc.TensorInfo[]) => binary(b, op, a, c)])),
  ...Object.fromEntries(Object.entries(UNARY).map(([name, op]) => [name, (b: CudaBackend, [x]: tfc.TensorInfo[], attrs: Record<string, unknown>) => unary(b, op, x, (attrs.alpha as number) ?? 0)])),
  ...Object.fromEntries(
    Object.entries(REDUCE).map(([name, op]) => [
      name,
      (b: CudaBackend, [x]: tfc.TensorInfo[], attrs: Record<string, unknown>) => {
        // Max and Min name their axes reductionIndices; Sum, Mean and Prod name them axis.
        const axes = (attrs.axis ?? attrs.reductionIndices) as number[];
        const { t, outer, inner, outShape, temp } = axesLast(b, x, axes, (attrs.keepDims as boolean) ?? false);
        const out = b.makeOutput(outShape, 'float32');
        if (outer > 0) b.addon.reduce(op, b.pointer(t.dataId), b.pointer(out.dataId), outer, Math.max(inner, 1));
        if (temp) b.disposeData(t.dataId);
        return out;
      },
    ]),
  ),
  ...Object.fromEntries(
    Object.entries(COMPARE).map(([name, op]) => [
      name,
      (b: CudaBackend, [x, y]: tfc.TensorInfo[]) => {
        // int32 compares exactly as float32 below 2^24; cast on the device first.
        const asFloat = (t: tfc.TensorInfo): tfc.TensorInfo => {
          if (t.dtype !== 'int32') return t;
          const f = b.makeOutput(t.shape, 'float32');
          b.addon.cast(b.pointer(t.dataId), b.pointer(f.dataId), size(t.shape), 0);
          return f;
        };
        const [fx, fy] = [asFloat(x), asFloat(y)];
        const out = binary(b, op, fx, fy, 'bool');
        for (const [t, orig] of [[fx, x], [fy, y]]) if (t !== orig) b.disposeData(t.dataId);
        return out;
      },
    ]),
  ),
  LogicalAnd: (b, [x, y]) => binary(b, BINARY.Multiply, x, y, 'bool'),
  Select: (b, [cond, x, y]) => {
    if (!tfc.util.arraysEqual(cond.shape, x.shape) || !tfc.util.arraysEqual(x.shape, y.shape) || x.dtype !== 'float32') throw new Error('unsupported');
    const out = b.makeOutput(x.shape, 'float32');
    if (size(x.shape) > 0) b.addon.select(b.pointer(cond.dataId), b.pointer(x.dataId), b.pointer(y.dataId), b.pointer(out.dataId), size(x.shape));
    return out;
  },
  ArgMax: (b, [x], attrs) => {
    const { t, outer, inner, outShape, temp } = axesLast(b, x, [attrs.axis as number], false);
    const out = b.makeOutput(outShape, 'int32');
    if (outer > 0) b.addon.argMax(b.pointer(t.dataId), b.pointer(out.dataId), outer, inner);
    if (temp) b.disposeData(t.dataId);
    return out;
  },
  Softmax: (b, [x], attrs) => {
    const dim = (attrs.dim as number) ?? -1;
    if (dim !== -1 && dim !== x.shape.length - 1) throw new Error('unsupported');
    const out = b.makeOutput(x.shape, 'float32');
    const inner = x.shape[x.shape.length - 1];
    b.addon.softmax(b.pointer(x.dataId), b.pointer(out.dataId), size(x.shape) / inner, inner);
    return out;
  },
  ClipByValue: (b, [x], attrs) => {
    const out = b.makeOutput(x.shape, 'float32');
    b.addon.clip(b.pointer(x.dataId), b.pointer(out.dataId), size(x.shape), attrs.clipValueMin as number, attrs.clipValueMax as number);
    return out;
  },
  Transpose: (b, [x], attrs) => transpose(b, x, attrs.perm as number[]),
  Reshape: (b, [x], attrs) => reshape(b, x, tfc.util.inferFromImplicitShape(attrs.shape as number[], size(x.shape))),
  Identity: (b, [x]) => reshape(b, x, x.shape),
  ExpandDims: (b, [x], attrs) => {
    const shape = x.shape.slice();
    const axis = (attrs.dim as number) < 0 ? x.shape.length + 1 + (attrs.dim as number) : (attrs.dim as number);
    shape.splice(axis, 0, 1);
    return reshape(b, x, shape);
  },
  Cast: (b, [x], attrs) => {
    const dtype = attrs.dtype as tfc.DataType;
    if (dtype === x.dtype) return reshape(b, x, x.shape);
    if (x.dtype === 'bool' && dtype === 'float32') {
      b.incRef(x.dataId); // bool is stored as float32 0/1: the same data
      return { dataId: x.dataId, shape: x.shape, dtype: 'float32' };
    }
    if (x.dtype === 'bool' && dtype === 'int32') {
      const out = b.makeOutput(x.shape, 'int32');
      b.addon.cast(b.pointer(x.dataId), b.pointer(out.dataId), size(x.shape), 1);
      return out;
    }
    if (!((x.dtype === 'int32' && dtype === 'float32') || (x.dtype === 'float32' && dtype === 'int32'))) throw new Error('unsupported');
    const out = b.makeOutput(x.shape, dtype as 'float32');
    b.addon.cast(b.pointer(x.dataId), b.pointer(out.dataId), size(x.shape), dtype === 'int32' ? 1 : 0);
    return out;
  },
  Fill: (b, _inputs, attrs) => {
    if (attrs.dtype !== 'float32' && attrs.dtype !== undefined) throw new Error('unsupported');
    const shape = attrs.shape as number[];
    const out = b.makeOutput(shape, 'float32');
    if (size(shape) > 0) b.addon.fill(b.pointer(out.dataId), size(shape), attrs.value as number);
    return out;
  },
  ZerosLike: (b, [x]) => {
    const out = b.makeOutput(x.shape, x.dtype as 'float32');
    if (size(x.shape) > 0) b.addon.fill(b.pointer(out.dataId), size(x.shape), 0);
    return out;
  },
  OnesLike: (b, [x]) => {
    if (x.dtype !== 'float32') throw new Error('unsupported');
    const out = b.makeOutput(x.shape, 'float32');
    if (size(x.shape) > 0) b.addon.fill(b.pointer(out.dataId), size(x.shape), 1);
    return out;
  },
  OneHot: (b, [indices], attrs) => {
    const dtype = (attrs.dtype as string) ?? 'int32';
    if (indices.dtype !== 'int32' || (dtype !== 'float32' && dtype !== 'int32')) throw new Error('unsupported');
    const depth = attrs.depth as number;
    const shape = [...indices.shape, depth];
    const out = b.makeOutput(shape, 'float32');
    b.addon.oneHot(b.pointer(indices.dataId), b.pointer(out.dataId), size(indices.shape), depth, attrs.onValue as number, attrs.offValue as number);
    if (dtype === 'float32') return out;
    const ints = b.makeOutput(shape, 'int32'); // the kernel writes float32; int32 is asked by default
    b.addon.cast(b.pointer(out.dataId), b.pointer(ints.dataId), size(shape), 1);
    b.disposeData(out.dataId);
    return ints;
  },
  BatchMatMul: (b, [a, c], attrs) => matMul(b, a, c, attrs.transposeA as boolean, attrs.transposeB as boolean),
  _FusedMatMul: (b, inputs, attrs) => {
    if (attrs.activation === 'prelu' || attrs.activation === 'leakyrelu') throw new Error('unsupported');
    const [a, c, bias] = inputs;
    const y = matMul(b, a, c, attrs.transposeA as boolean, attrs.transposeB as boolean);
    let out = y;
    if (bias !== undefined) {
      out = binary(b, BINARY.Add, y, bias);
      b.disposeData(y.dataId);
    }
    const activation = attrs.activation as string;
    if (activation && activation !== 'linear') {
      const op = { relu: UNARY.Relu, relu6: UNARY.Relu6, elu: UNARY.Elu, sigmoid: UNARY.Sigmoid }[activation];
      if (op === undefined) throw new Error('unsupported');
      const act = unary(b, op, out);
      b.disposeData(out.dataId);
      out = act;
    }
    return out;
  },
};

/** The addon's convolution geometry from tfjs's Conv2DInfo. */
function geometry(info: tfc.backend_util.Conv2DInfo): number[] {
  return [info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.filterHeight, info.filterWidth, info.outHeight, info.outWidth,
    info.strideHeight, info.strideWidth, info.dilationHeight, info.dilationWidth, info.padInfo.top, info.padInfo.left];
}

/** Image patches (im2col) of x for `info`: a temporary [N·OH·OW, KH·KW·C] device tensor. */
function patchesOf(b: CudaBackend, x: tfc.TensorInfo, info: tfc.backend_util.Conv2DInfo): tfc.TensorInfo {
  const rows = info.batchSize * info.outHeight * info.outWidth;
  const cols = info.filterHeight * info.filterWidth * info.inChannels;
  const patches = b.makeOutput([rows, cols], 'float32');
  if (rows * cols > 0) b.addon.im2col(b.pointer(x.dataId), b.pointer(patches.dataId), geometry(info));
  return patches;
}

type ConvAttrs = { strides: number | [number, number]; pad: 'valid' | 'same' | number; dataFormat: string; dilations?: number | [number, number]; dimRoundingMode?: 'floor' | 'round' | 'ceil' };

function nhwcOnly(attrs: ConvAttrs): void {
  if (attrs.dataFormat !== undefined && attrs.dataFormat !== 'NHWC' && attrs.dataFormat !== 'channelsLast') throw new Error('unsupported');
}

const CONV_IMPLS: Record<string, Impl> = {
  Conv2D: (b, [x, filter], attrs) => {
    const a = attrs as unknown as ConvAttrs;
    nhwcOnly(a);
    const info = tfc.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filter.shape as [number, number, number, number], a.strides, a.dilations ?? 1, a.pad, a.dimRoundingMode);
    const patches = patchesOf(b, x, info);
    const [rows, cols] = patches.shape;
    const out = b.makeOutput(info.outShape, 'float32');
    if (rows > 0) b.addon.matMul(b.pointer(patches.dataId), b.pointer(filter.dataId), b.pointer(out.dataId), 1, rows, info.outChannels, cols, 0, 0, 0, 0);
    b.disposeData(patches.dataId);
    return out;
  },
  Conv2DBackpropFilter: (b, [x, dy], attrs) => {
    const a = attrs as unknown as ConvAttrs & { filterShape: [number, number, number, number] };
    nhwcOnly(a);
    const info = tfc.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], a.filterShape, a.strides, 1, a.pad, a.dimRoundingMode);
    const patches = patchesOf(b, x, info);
    const [rows, cols] = patches.shape;
    const out = b.makeOutput(a.filterShape, 'float32');
    b.addon.matMul(b.pointer(patches.dataId), b.pointer(dy.dataId), b.pointer(out.dataId), 1, cols, info.outChannels, rows, 1, 0, 0, 0);
    b.disposeData(patches.dataId);
    return out;
  },
  Conv2DBackpropInput: (b, [dy, filter], attrs) => {
    const a = attrs as unknown as ConvAttrs & { inputShape: [number, number, number, number] };
    nhwcOnly(a);
    const info = tfc.backend_util.computeConv2DInfo(a.inputShape, filter.shape as [number, number, number, number], a.strides, 1, a.pad, a.dimRoundingMode);
    const rows = info.batchSize * info.outHeight * info.outWidth;
    const cols = info.filterHeight * info.filterWidth * info.inChannels;
    const dpatches = b.makeOutput([rows, cols], 'float32');
    b.addon.matMul(b.pointer(dy.dataId), b.pointer(filter.dataId), b.pointer(dpatches.dataId), 1, rows, cols, info.outChannels, 0, 1, 0, 0);
    const out = b.makeOutput(a.inputShape, 'float32');
    b.addon.col2im(b.pointer(dpatches.dataId), b.pointer(out.dataId), geometry(info));
    b.disposeData(dpatches.dataId);
    return out;
  },
  /** Rows along axis 0 (how fit gathers a shuffled batch from data kept on the device). */
  GatherV2: (b, [x, indices], attrs) => {
    if ((attrs.axis as number) !== 0 || ((attrs.batchDims as number) ?? 0) !== 0 || indices.dtype !== 'int32' || indices.shape.length !== 1) throw new Error('unsupported');
    const row = size(x.shape.slice(1));
    const out = b.makeOutput([indices.shape[0], ...x.shape.slice(1)], x.dtype as 'float32');
    if (indices.shape[0] * row > 0) b.addon.gatherRows(b.pointer(x.dataId), b.pointer(indices.dataId), b.pointer(out.dataId), indices.shape[0], row);
    return out;
  },
  /** A block of whole rows along axis 0: one device-to-device copy. */
  Slice: (b, [x], attrs) => {
    const [begin, sz] = tfc.slice_util.parseSliceParams(x as unknown as tfc.Tensor, attrs.begin as number[], attrs.size as number[]);
    const wholeRows = x.shape.every((d, i) => i === 0 || (begin[i] === 0 && sz[i] === d));
    if (!wholeRows) throw new Error('unsupported');
    const row = size(x.shape.slice(1));
    const out = b.makeOutput(sz, x.dtype as 'float32');
    if (size(sz) > 0) b.addon.copy(b.pointer(out.dataId), b.pointer(x.dataId) + 4 * begin[0] * row, 4 * size(sz));
    return out;
  },
  MaxPool: (b, [x], attrs) => {
    const a = attrs as unknown as { filterSize: number | [number, number]; strides: number | [number, number]; pad: 'valid' | 'same' | number; dimRoundingMode?: 'floor' | 'round' | 'ceil' };
    const info = tfc.backend_util.computePool2DInfo(x.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
    const out = b.makeOutput(info.outShape, 'float32');
    if (size(info.outShape) > 0) b.addon.maxPool(b.pointer(x.dataId), b.pointer(out.dataId), geometry(info));
    return out;
  },
  MaxPoolGrad: (b, [dy, x], attrs) => {
    const a = attrs as unknown as { filterSize: number | [number, number]; strides: number | [number, number]; pad: 'valid' | 'same' | number; dimRoundingMode?: 'floor' | 'round' | 'ceil' };
    const info = tfc.backend_util.computePool2DInfo(x.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
    const out = b.makeOutput(x.shape, 'float32');
    b.addon.maxPoolGrad(b.pointer(dy.dataId), b.pointer(x.dataId), b.pointer(out.dataId), geometry(info));
    return out;
  },
};

/** Batched row-major matmul through cuBLAS; a batch of 1 on either side broadcasts. */
function matMul(b: CudaBackend, a: tfc.TensorInfo, c: tfc.TensorInfo, ta: boolean, tb: boolean): tfc.TensorInfo {
  const ra = a.shape.length;
  const rc = c.shape.length;
  const m = ta ? a.shape[ra - 1] : a.shape[ra - 2];
  const k = ta ? a.shape[ra - 2] : a.shape[ra - 1];
  const n = tb ? c.shape[rc - 2] : c.shape[rc - 1];
  const batchA = size(a.shape.slice(0, -2));
  const batchC = size(c.shape.slice(0, -2));
  if (batchA !== batchC && batchA !== 1 && batchC !== 1) throw new Error('unsupported');
  const batch = Math.max(batchA, batchC);
  const outBatch = (batchA >= batchC ? a.shape : c.shape).slice(0, -2);
  const out = b.makeOutput([...outBatch, m, n], 'float32');
  if (batch * m * n === 0) return out;
  b.addon.matMul(b.pointer(a.dataId), b.pointer(c.dataId), b.pointer(out.dataId), batch, m, n, k, ta ? 1 : 0, tb ? 1 : 0, batchA === 1 ? 0 : m * k, batchC === 1 ? 0 : k * n);
  return out;
}

/** Counts of kernels that ran natively, for backendReport(). */
export const nativeCounts = new Map<string, number>();

/** Registers the native kernels for 'cuda'; each falls back to the CPU for inputs it does not handle. */
export function registerCudaKernels(): void {
  for (const [name, impl] of Object.entries({ ...IMPLS, ...CONV_IMPLS })) {
    const fallback = cpuKernel(name);
    tfc.registerKernel({
      kernelName: name,
      backendName: 'cuda',
      kernelFunc: (args: Args) => {
        const b = args.backend as unknown as CudaBackend;
        const inputs = Object.values(args.inputs).filter((t): t is tfc.TensorInfo => t !== undefined && t !== null);
        const native = inputs.every(
          (t) => (t.dtype === 'float32' || (t.dtype === 'int32' && NATIVE_INT.has(name)) || (t.dtype === 'bool' && NATIVE_BOOL.has(name))) && b.isOnDevice(t),
        );
        if (native) {
          try {
            const out = impl(b, inputs, (args.attrs ?? {}) as Record<string, unknown>);
            nativeCounts.set(name, (nativeCounts.get(name) ?? 0) + 1);
            return out;
          } catch (e) {
            if ((e as Error).message !== 'unsupported') throw e;
          }
        }
        return fallback(args);
      },
    });
  }
}

/** Kernels whose native code also takes int32 inputs. */
const NATIVE_INT = new Set(['Cast', 'OneHot', 'Reshape', 'Identity', 'ExpandDims', 'Transpose', 'ZerosLike', 'GatherV2', 'Slice', ...Object.keys(COMPARE)]);
/** Kernels whose native code also takes bool (float32 0/1) inputs. */
const NATIVE_BOOL = new Set(['Cast', 'Select', 'LogicalAnd', 'Reshape', 'Identity', 'ExpandDims', 'Transpose']);
