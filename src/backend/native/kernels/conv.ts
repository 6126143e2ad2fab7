/**
 * Convolutions (Conv2D, FusedConv2D with bias and activation, both backprops, and Conv2D's whole
 * backward pass as keras-ts's own kernel), depthwise convolutions (DepthwiseConv2dNative,
 * FusedDepthwiseConv2D and both backprops: oneDNN's grouped convolution, groups = in channels, the
 * geometry's 18th number) and 2-D pooling with its gradients, NHWC only.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { opCodes } from '../../op_table';
import { input, NativeArgs, NativeImpl, size } from './types';

const ACTIVATION = opCodes('Activation');
type Info = tfc.backend_util.Conv2DInfo;
type Shape4 = [number, number, number, number];

/** The addon's geometry; the bottom/right padding is what makes tfjs's output size (negative where a stride leaves rows unread). */
function geometry(info: Info): number[] {
  const eh = info.effectiveFilterHeight, ew = info.effectiveFilterWidth;
  const pb = (info.outHeight - 1) * info.strideHeight + eh - info.inHeight - info.padInfo.top;
  const pr = (info.outWidth - 1) * info.strideWidth + ew - info.inWidth - info.padInfo.left;
  return [info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.filterHeight, info.filterWidth, info.outHeight, info.outWidth,
    info.outChannels, info.strideHeight, info.strideWidth, info.dilationHeight, info.dilationWidth, info.padInfo.top, info.padInfo.left, pb, pr];
}

function channelsLast(attrs: Record<string, unknown>): boolean {
  const f = attrs.dataFormat as string | undefined;
  return f === undefined || f === 'NHWC' || f === 'channelsLast';
}

function convInfo(x: Shape4, filter: Shape4, attrs: Record<string, unknown>, dilations: unknown = attrs.dilations ?? 1, depthwise = false): Info {
  return tfc.backend_util.computeConv2DInfo(x, filter, attrs.strides as [number, number], dilations as [number, number],
    attrs.pad as 'valid', attrs.dimRoundingMode as 'floor' | undefined, depthwise);
}

/** A depthwise convolution's geometry: groups = in channels, f = in channels x multiplier. */
function depthwiseGeometry(info: Info): number[] {
  return [...geometry(info), info.inChannels || 1]; // no channels: an empty convolution, any group count
}

function depthwiseForward(args: NativeArgs, bias: tfc.TensorInfo | undefined, activation: string): tfc.TensorInfo | null {
  const b = args.backend;
  const [x, filter] = [input(args, 'x'), input(args, 'filter')];
  const act = ACTIVATION[activation];
  if (!channelsLast(args.attrs) || x.dtype !== 'float32' || filter.dtype !== 'float32' || act === undefined || act === ACTIVATION.leakyrelu) return null;
  const info = convInfo(x.shape as Shape4, filter.shape as Shape4, args.attrs, args.attrs.dilations ?? 1, true);
  if (bias !== undefined && (bias.dtype !== 'float32' || size(bias.shape) !== info.outChannels)) return null;
  const [out, values] = b.output(info.outShape);
  b.addon.conv2d(b.f32(x), b.f32(filter), bias ? b.f32(bias) : null, values, depthwiseGeometry(info), act);
  return out;
}

function forward(args: NativeArgs, bias: tfc.TensorInfo | undefined, activation: string): tfc.TensorInfo | null {
  const b = args.backend;
  const [x, filter] = [input(args, 'x'), input(args, 'filter')];
  const act = ACTIVATION[activation];
  if (!channelsLast(args.attrs) || x.dtype !== 'float32' || filter.dtype !== 'float32' || act === undefined || act === ACTIVATION.leakyrelu) return null;
  const info = convInfo(x.shape as Shape4, filter.shape as Shape4, args.attrs);
  if (bias !== undefined && (bias.dtype !== 'float32' || size(bias.shape) !== info.outChannels)) return null;
  const [out, values] = b.output(info.outShape);
  b.addon.conv2d(b.f32(x), b.f32(filter), bias ? b.f32(bias) : null, values, geometry(info), act);
  return out;
}

function pool(args: NativeArgs, isMax: boolean): tfc.TensorInfo | null {
  const b = args.backend;
  const x = input(args, 'x');
  if (x.dtype !== 'float32' || x.shape.length !== 4) return null;
  const info = tfc.backend_util.computePool2DInfo(x.shape as Shape4, args.attrs.filterSize as number, args.attrs.strides as number, 1,
    args.attrs.pad as 'valid', args.attrs.dimRoundingMode as 'floor' | undefined);
  const [out, values] = b.output(info.outShape);
  b.addon.pool(b.f32(x), values, geometry(info), isMax);
  return out;
}

function poolGrad(args: NativeArgs, isMax: boolean): tfc.TensorInfo | null {
  const b = args.backend;
  const [dy, x] = [input(args, 'dy'), input(args, 'input')];
  if (x.dtype !== 'float32' || dy.dtype !== 'float32' || x.shape.length !== 4) return null;
  const info = tfc.backend_util.computePool2DInfo(x.shape as Shape4, args.attrs.filterSize as number, args.attrs.strides as number, 1,
    args.attrs.pad as 'valid', args.attrs.dimRoundingMode as 'floor' | undefined);
  const [out, values] = b.output(x.shape);
  b.addon.poolGrad(b.f32(dy), b.f32(x), values, geometry(info), isMax);
  return out;
}

export const CONV: Record<string, NativeImpl> = {
  Conv2D: (args) => forward(args, undefined, 'linear'),
  FusedConv2D: (args) => {
    if (args.inputs.preluActivationWeights !== undefined) return null;
    return forward(args, args.inputs.bias, (args.attrs.activation as string) ?? 'linear');
  },
  Conv2DBackpropInput: (args) => {
    const b = args.backend;
    const [dy, filter] = [input(args, 'dy'), input(args, 'filter')];
    if (!channelsLast(args.attrs) || dy.dtype !== 'float32' || filter.dtype !== 'float32') return null;
    const info = convInfo(args.attrs.inputShape as Shape4, filter.shape as Shape4, args.attrs, 1);
    const [out, values] = b.output(info.inShape);
    b.addon.conv2dBackpropInput(b.f32(dy), b.f32(filter), values, geometry(info));
    return out;
  },
  Conv2DBackpropFilter: (args) => {
    const b = args.backend;
    const [x, dy] = [input(args, 'x'), input(args, 'dy')];
    if (!channelsLast(args.attrs) || dy.dtype !== 'float32' || x.dtype !== 'float32') return null;
    const info = convInfo(x.shape as Shape4, args.attrs.filterShape as Shape4, args.attrs, 1);
    const [out, values] = b.output(info.filterShape);
    b.addon.conv2dBackpropFilter(b.f32(x), b.f32(dy), values, geometry(info));
    return out;
  },
  /** keras-ts's Conv2D backward (engine/fused_kernels.ts): [dx, dfilter, dbias?] in one call. */
  KerasConvGrad: (args) => {
    const b = args.backend;
    const [dy, x, filter] = [input(args, 'dy'), input(args, 'x'), input(args, 'filter')];
    const act = ACTIVATION[args.attrs.activation as string];
    if (act === undefined || act === ACTIVATION.leakyrelu) return null;
    const info = convInfo(x.shape as Shape4, filter.shape as Shape4, args.attrs);
    // Where not asked for (x is the batch's data), dx is zeros: shared ones, or written by the addon where a step is recorded (backend/capture).
    const [dx, dxValues] = args.attrs.inputGradient || b.capturing ? b.output(x.shape) : [b.sharedZeros(x.shape), null];
    const [df, dfValues] = b.output(filter.shape);
    const [db, dbValues] = args.attrs.hasBias ? b.output([info.outChannels]) : [undefined, null];
    const y = args.inputs.y;
    b.addon.convGrad(b.f32(dy), b.f32(x), b.f32(filter), y ? b.f32(y) : null, dxValues, dfValues, dbValues, geometry(info), act,
      args.attrs.inputGradient ? 1 : 0);
    return db ? [dx, df, db] : [dx, df];
  },
  DepthwiseConv2dNative: (args) => depthwiseForward(args, undefined, 'linear'),
  FusedDepthwiseConv2D: (args) => {
    if (args.inputs.preluActivationWeights !== undefined) return null;
    return depthwiseForward(args, args.inputs.bias, (args.attrs.activation as string) ?? 'linear');
  },
  DepthwiseConv2dNativeBackpropInput: (args) => {
    const b = args.backend;
    const [dy, filter] = [input(args, 'dy'), input(args, 'filter')];
    if (!channelsLast(args.attrs) || dy.dtype !== 'float32' || filter.dtype !== 'float32') return null;
    const info = convInfo(args.attrs.inputShape as Shape4, filter.shape as Shape4, args.attrs, args.attrs.dilations ?? 1, true);
    const [out, values] = b.output(info.inShape);
    b.addon.conv2dBackpropInput(b.f32(dy), b.f32(filter), values, depthwiseGeometry(info));
    return out;
  },
  DepthwiseConv2dNativeBackpropFilter: (args) => {
    const b = args.backend;
    const [x, dy] = [input(args, 'x'), input(args, 'dy')];
    if (!channelsLast(args.attrs) || dy.dtype !== 'float32' || x.dtype !== 'float32') return null;
    const info = convInfo(x.shape as Shape4, args.attrs.filterShape as Shape4, args.attrs, args.attrs.dilations ?? 1, true);
    const [out, values] = b.output(info.filterShape);
    b.addon.conv2dBackpropFilter(b.f32(x), b.f32(dy), values, depthwiseGeometry(info));
    return out;
  },
  MaxPool: (args) => pool(args, true),
  AvgPool: (args) => pool(args, false),
  MaxPoolGrad: (args) => poolGrad(args, true),
  AvgPoolGrad: (args) => poolGrad(args, false),
};
