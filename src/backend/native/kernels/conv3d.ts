/**
 * 3-D convolutions (Conv3D and both backprops, which Conv3D's training and Conv3DTranspose run) and
 * 3-D max/average pooling with their gradients, NDHWC only, through the same oneDNN code as the
 * 2-D ones (native/cpu/conv_geometry.h). AvgPool3DGrad divides each window by the input cells it
 * covers, as the forward does: the exact gradient, where tfjs-backend-cpu's kernel divides by the
 * whole window at padded edges (avg_pool_gradient.ts), so 'native' needs no gradient override.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { opCodes } from '../../op_table';
import { input, NativeArgs, NativeImpl } from './types';

const LINEAR = opCodes('Activation').linear;
type Info = tfc.backend_util.Conv3DInfo;
type Shape5 = [number, number, number, number, number];

/**
 * The addon's geometry: [n, d, h, w, c, kd, kh, kw, od, oh, ow, f, strides x 3, dilations x 3,
 * front, top, left, back, bottom, right]; the back/bottom/right padding is what makes tfjs's output
 * size (negative where a stride leaves cells unread).
 */
function geometry(info: Info): number[] {
  const inSize = [info.inDepth, info.inHeight, info.inWidth];
  const filter = [info.filterDepth, info.filterHeight, info.filterWidth];
  const out = [info.outDepth, info.outHeight, info.outWidth];
  const strides = [info.strideDepth, info.strideHeight, info.strideWidth];
  const dilations = [info.dilationDepth, info.dilationHeight, info.dilationWidth];
  const effective = [info.effectiveFilterDepth, info.effectiveFilterHeight, info.effectiveFilterWidth];
  const before = [info.padInfo.front, info.padInfo.top, info.padInfo.left];
  const after = out.map((o, a) => (o - 1) * strides[a] + effective[a] - inSize[a] - before[a]);
  return [info.batchSize, ...inSize, info.inChannels, ...filter, ...out, info.outChannels, ...strides, ...dilations, ...before, ...after];
}

function channelsLast(attrs: Record<string, unknown>): boolean {
  const f = attrs.dataFormat as string | undefined;
  return f === undefined || f === 'NDHWC' || f === 'channelsLast';
}

function convInfo(x: number[], filter: number[], attrs: Record<string, unknown>, dilations: unknown): Info {
  return tfc.backend_util.computeConv3DInfo(x as Shape5, filter as Shape5, attrs.strides as number, dilations as number, attrs.pad as 'valid');
}

function poolInfo(x: number[], attrs: Record<string, unknown>): Info {
  return tfc.backend_util.computePool3DInfo(x as Shape5, attrs.filterSize as number, attrs.strides as number, 1, attrs.pad as 'valid',
    attrs.dimRoundingMode as 'floor' | undefined);
}

function pool(args: NativeArgs, isMax: boolean): tfc.TensorInfo | null {
  const b = args.backend;
  const x = input(args, 'x');
  if (!channelsLast(args.attrs) || x.dtype !== 'float32' || x.shape.length !== 5) return null;
  const info = poolInfo(x.shape, args.attrs);
  const [out, values] = b.output(info.outShape);
  b.addon.pool3d(b.f32(x), values, geometry(info), isMax);
  return out;
}

function poolGrad(args: NativeArgs, isMax: boolean): tfc.TensorInfo | null {
  const b = args.backend;
  const [dy, x] = [input(args, 'dy'), input(args, 'input')];
  if (x.dtype !== 'float32' || dy.dtype !== 'float32' || x.shape.length !== 5) return null;
  const [out, values] = b.output(x.shape);
  b.addon.pool3dGrad(b.f32(dy), b.f32(x), values, geometry(poolInfo(x.shape, args.attrs)), isMax);
  return out;
}

export const CONV3D: Record<string, NativeImpl> = {
  Conv3D: (args) => {
    const b = args.backend;
    const [x, filter] = [input(args, 'x'), input(args, 'filter')];
    if (!channelsLast(args.attrs) || x.dtype !== 'float32' || filter.dtype !== 'float32') return null;
    const info = convInfo(x.shape, filter.shape, args.attrs, args.attrs.dilations ?? 1);
    const [out, values] = b.output(info.outShape);
    b.addon.conv3d(b.f32(x), b.f32(filter), null, values, geometry(info), LINEAR);
    return out;
  },
  // tfjs's two backprops take no dilations (Conv3D's gradient refuses dilated convolutions).
  Conv3DBackpropInputV2: (args) => {
    const b = args.backend;
    const [dy, filter] = [input(args, 'dy'), input(args, 'filter')];
    if (!channelsLast(args.attrs) || dy.dtype !== 'float32' || filter.dtype !== 'float32') return null;
    const info = convInfo(args.attrs.inputShape as number[], filter.shape, args.attrs, 1);
    const [out, values] = b.output(info.inShape);
    b.addon.conv3dBackpropInput(b.f32(dy), b.f32(filter), values, geometry(info));
    return out;
  },
  Conv3DBackpropFilterV2: (args) => {
    const b = args.backend;
    const [x, dy] = [input(args, 'x'), input(args, 'dy')];
    if (!channelsLast(args.attrs) || dy.dtype !== 'float32' || x.dtype !== 'float32') return null;
    const info = convInfo(x.shape, args.attrs.filterShape as number[], args.attrs, 1);
    const [out, values] = b.output(info.filterShape);
    b.addon.conv3dBackpropFilter(b.f32(x), b.f32(dy), values, geometry(info));
    return out;
  },
  MaxPool3D: (args) => pool(args, true),
  AvgPool3D: (args) => pool(args, false),
  MaxPool3DGrad: (args) => poolGrad(args, true),
  AvgPool3DGrad: (args) => poolGrad(args, false),
};
