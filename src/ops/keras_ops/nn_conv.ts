/**
 * Keras 3's convolution and pooling ops (keras/src/ops/nn.py) over tfjs-core's kernels, with Keras's
 * argument order and shapes: inputs (batch, ...spatial, channels) ('channels_last', the default) or
 * (batch, channels, ...spatial) ('channels_first', transposed around the kernel); 1-D runs as 2-D
 * with a unit height; 3-D has conv, convTranspose and the pools. Kernels: conv (...k, in, out),
 * convTranspose (...k, out, in), depthwise (...k, in, multiplier), separable's pointwise (1.., in *
 * multiplier, out). What tfjs-core lacks is refused with a help: grouped convolution, dilation in
 * transposed convolution, 3-D depthwise.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';
import { poolAxis } from '../adaptive_pool';
import { run, toTensor, type TensorInput } from './tensor_input';

export type Padding = 'valid' | 'same';
export type DataFormat = 'channels_last' | 'channels_first';
type Ints = number | number[];

function tuple(op: string, v: Ints, n: number, name: string): number[] {
  const t = typeof v === 'number' ? new Array(n).fill(v) : v;
  if (t.length !== n || t.some((x) => !Number.isInteger(x) || x < 1)) throw new ValueError(`ops.${op}: ${name} must be a positive integer or ${n} of them, got ${JSON.stringify(v)}. help: pass e.g. ${name} 1.`);
  return t;
}

function checkPadding(op: string, padding: string): Padding {
  const p = padding.toLowerCase();
  if (p !== 'valid' && p !== 'same') throw new ValueError(`ops.${op}: padding must be 'valid' or 'same', got '${padding}'. help: pass 'valid' or 'same'.`);
  return p;
}

/** Runs `f` on channels_last data: transposes channels_first input and output around it. */
function channelsLastAround(x: tfc.Tensor, dataFormat: DataFormat | null, f: (x: tfc.Tensor) => tfc.Tensor): tfc.Tensor {
  if ((dataFormat ?? 'channels_last') === 'channels_last') return f(x);
  const r = x.rank;
  const toLast = [0, ...Array.from({ length: r - 2 }, (_, i) => i + 2), 1];
  const toFirst = [0, r - 1, ...Array.from({ length: r - 2 }, (_, i) => i + 1)];
  return tfc.transpose(f(tfc.transpose(x, toLast)), toFirst);
}

function spatialRank(op: string, x: tfc.Tensor, allowed: number[]): number {
  const n = x.rank - 2;
  if (!allowed.includes(n)) throw new ValueError(`ops.${op}: expected inputs of rank ${allowed.map((a) => a + 2).join(' or ')} (batch, ...spatial, channels), got shape [${x.shape}]. help: add the batch and channel axes.`);
  return n;
}

/** A 1-D op as the 2-D one with a unit height (x: (b, w, c) -> (b, 1, w, c); kernel gets a leading 1). */
const lift = (t: tfc.Tensor): tfc.Tensor4D => tfc.expandDims(t, 1) as tfc.Tensor4D;
const drop = (t: tfc.Tensor): tfc.Tensor => tfc.squeeze(t, [1]);

/** N-D convolution (1-D, 2-D, 3-D). */
export function conv(inputs: TensorInput, kernel: TensorInput, strides: Ints = 1, padding: Padding = 'valid', dataFormat: DataFormat | null = null, dilationRate: Ints = 1): tfc.Tensor {
  return run(() => {
    const x = toTensor(inputs, 'float32');
    const k = toTensor(kernel, 'float32');
    const n = spatialRank('conv', x, [1, 2, 3]);
    const [s, d, pad] = [tuple('conv', strides, n, 'strides'), tuple('conv', dilationRate, n, 'dilationRate'), checkPadding('conv', padding)];
    return channelsLastAround(x, dataFormat, (xl) => {
      if (xl.shape[n + 1] !== k.shape[n]) throw new ValueError(`ops.conv: inputs have ${xl.shape[n + 1]} channels but the kernel expects ${k.shape[n]} (grouped convolution is not in tfjs-core). help: pass a kernel of shape (...kernelSize, ${xl.shape[n + 1]}, filters).`);
      if (n === 1) return drop(tfc.conv2d(lift(xl), tfc.expandDims(k, 0) as tfc.Tensor4D, [1, s[0]], pad, 'NHWC', [1, d[0]]));
      if (n === 2) return tfc.conv2d(xl as tfc.Tensor4D, k as tfc.Tensor4D, s as [number, number], pad, 'NHWC', d as [number, number]);
      return tfc.conv3d(xl as tfc.Tensor5D, k as tfc.Tensor5D, s as [number, number, number], pad, 'NDHWC', d as [number, number, number]);
    });
  });
}

/** Keras's deconv_output_length. */
function transposedLength(length: number, kernel: number, padding: Padding, outputPadding: number | null, stride: number): number {
  if (outputPadding === null) return padding === 'valid' ? length * stride + Math.max(kernel - stride, 0) : length * stride;
  const pad = padding === 'same' ? Math.floor(kernel / 2) : 0;
  return (length - 1) * stride + kernel - 2 * pad + outputPadding;
}

/** N-D transposed convolution; kernel (...k, outChannels, inChannels); dilation 1 only (tfjs-core). */
export function convTranspose(inputs: TensorInput, kernel: TensorInput, strides: Ints = 1, padding: Padding = 'valid', outputPadding: Ints | null = null, dataFormat: DataFormat | null = null, dilationRate: Ints = 1): tfc.Tensor {
  return run(() => {
    const x = toTensor(inputs, 'float32');
    const k = toTensor(kernel, 'float32');
    const n = spatialRank('convTranspose', x, [1, 2, 3]);
    const [s, pad] = [tuple('convTranspose', strides, n, 'strides'), checkPadding('convTranspose', padding)];
    if (tuple('convTranspose', dilationRate, n, 'dilationRate').some((v) => v !== 1)) throw new ValueError(`ops.convTranspose: dilationRate ${JSON.stringify(dilationRate)} is not supported (tfjs-core's transposed convolution has none). help: pass dilationRate 1.`);
    const op = outputPadding === null ? null : typeof outputPadding === 'number' ? new Array(n).fill(outputPadding) : outputPadding;
    return channelsLastAround(x, dataFormat, (xl) => {
      const out = xl.shape.slice(1, n + 1).map((len, i) => transposedLength(len, k.shape[i], pad, op === null ? null : op[i], s[i]));
      const shape = [xl.shape[0], ...out, k.shape[n]];
      if (n === 1) return drop(tfc.conv2dTranspose(lift(xl), tfc.expandDims(k, 0) as tfc.Tensor4D, [shape[0], 1, shape[1], shape[2]], [1, s[0]], pad));
      if (n === 2) return tfc.conv2dTranspose(xl as tfc.Tensor4D, k as tfc.Tensor4D, shape as [number, number, number, number], s as [number, number], pad);
      return tfc.conv3dTranspose(xl as tfc.Tensor5D, k as tfc.Tensor5D, shape as [number, number, number, number, number], s as [number, number, number], pad);
    });
  });
}

/** 1-D or 2-D depthwise convolution; kernel (...k, inChannels, multiplier). */
export function depthwiseConv(inputs: TensorInput, kernel: TensorInput, strides: Ints = 1, padding: Padding = 'valid', dataFormat: DataFormat | null = null, dilationRate: Ints = 1): tfc.Tensor {
  return run(() => {
    const x = toTensor(inputs, 'float32');
    const k = toTensor(kernel, 'float32');
    const n = spatialRank('depthwiseConv', x, [1, 2]);
    const [s, d, pad] = [tuple('depthwiseConv', strides, n, 'strides'), tuple('depthwiseConv', dilationRate, n, 'dilationRate'), checkPadding('depthwiseConv', padding)];
    return channelsLastAround(x, dataFormat, (xl) => n === 1
      ? drop(tfc.depthwiseConv2d(lift(xl), tfc.expandDims(k, 0) as tfc.Tensor4D, [1, s[0]], pad, 'NHWC', [1, d[0]]))
      : tfc.depthwiseConv2d(xl as tfc.Tensor4D, k as tfc.Tensor4D, s as [number, number], pad, 'NHWC', d as [number, number]));
  });
}

/** Depthwise convolution then a pointwise (1 x 1) one. */
export function separableConv(inputs: TensorInput, depthwiseKernel: TensorInput, pointwiseKernel: TensorInput, strides: Ints = 1, padding: Padding = 'valid', dataFormat: DataFormat | null = null, dilationRate: Ints = 1): tfc.Tensor {
  return run(() => {
    const x = toTensor(inputs, 'float32');
    return channelsLastAround(x, dataFormat, (xl) => conv(depthwiseConv(xl, depthwiseKernel, strides, padding, 'channels_last', dilationRate), pointwiseKernel));
  });
}

/** TensorFlow's 'same' padding of one axis: [before, after]. */
function samePads(length: number, size: number, stride: number): [number, number] {
  const total = Math.max((Math.ceil(length / stride) - 1) * stride + size - length, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

function pool(op: string, kind: 'max' | 'avg', inputs: TensorInput, poolSize: Ints, strides: Ints | null, padding: Padding, dataFormat: DataFormat | null): tfc.Tensor {
  return run(() => {
    const x = toTensor(inputs, 'float32');
    const n = spatialRank(op, x, [1, 2, 3]);
    const size = tuple(op, poolSize, n, 'poolSize');
    const s = strides === null ? size : tuple(op, strides, n, 'strides');
    const pad = checkPadding(op, padding);
    const raw = (t: tfc.Tensor, p: Padding): tfc.Tensor => {
      if (n === 1) return drop((kind === 'max' ? tfc.maxPool : tfc.avgPool)(lift(t), [1, size[0]], [1, s[0]], p));
      if (n === 2) return (kind === 'max' ? tfc.maxPool : tfc.avgPool)(t as tfc.Tensor4D, size as [number, number], s as [number, number], p);
      return (kind === 'max' ? tfc.maxPool3d : tfc.avgPool3d)(t as tfc.Tensor5D, size as [number, number, number], s as [number, number, number], p);
    };
    return channelsLastAround(x, dataFormat, (xl) => {
      if (pad === 'valid' || kind === 'max') return raw(xl, pad);
      // 'same' average pooling as zero padding, a 'valid' average and a count of the real cells:
      // tfjs-core's own 'same' avgPool averages right but its gradient is wrong at the edges.
      const pads: Array<[number, number]> = [[0, 0], ...xl.shape.slice(1, n + 1).map((len, i) => samePads(len, size[i], s[i])), [0, 0]];
      const sums = raw(tfc.pad(xl, pads), 'valid');
      const counts = raw(tfc.pad(tfc.ones([1, ...xl.shape.slice(1, n + 1), 1]), pads), 'valid');
      return tfc.div(sums, counts);
    });
  });
}

/** Max pooling over 1, 2 or 3 spatial axes; strides default to poolSize. */
export function maxPool(inputs: TensorInput, poolSize: Ints, strides: Ints | null = null, padding: Padding = 'valid', dataFormat: DataFormat | null = null): tfc.Tensor {
  return pool('maxPool', 'max', inputs, poolSize, strides, padding, dataFormat);
}

/** Average pooling ('same' padding averages the real cells only, as Keras's; computed so that its gradient is right). */
export function averagePool(inputs: TensorInput, poolSize: Ints, strides: Ints | null = null, padding: Padding = 'valid', dataFormat: DataFormat | null = null): tfc.Tensor {
  return pool('averagePool', 'avg', inputs, poolSize, strides, padding, dataFormat);
}

function adaptive(op: string, kind: 'max' | 'avg', inputs: TensorInput, outputSize: Ints, dataFormat: DataFormat | null): tfc.Tensor {
  return run(() => {
    const x = toTensor(inputs, 'float32');
    const n = spatialRank(op, x, [1, 2, 3]);
    const out = tuple(op, outputSize, n, 'outputSize');
    const reduce = kind === 'max' ? (t: tfc.Tensor, a: number) => tfc.max(t, a, true) : (t: tfc.Tensor, a: number) => tfc.mean(t, a, true);
    return channelsLastAround(x, dataFormat, (xl) => out.reduce((y, o, i) => poolAxis(y, i + 1, o, reduce), xl));
  });
}

/** Adaptive max pooling to `outputSize` (PyTorch's windows, as Keras's). */
export function adaptiveMaxPool(inputs: TensorInput, outputSize: Ints, dataFormat: DataFormat | null = null): tfc.Tensor {
  return adaptive('adaptiveMaxPool', 'max', inputs, outputSize, dataFormat);
}

/** Adaptive average pooling to `outputSize`. */
export function adaptiveAveragePool(inputs: TensorInput, outputSize: Ints, dataFormat: DataFormat | null = null): tfc.Tensor {
  return adaptive('adaptiveAveragePool', 'avg', inputs, outputSize, dataFormat);
}
