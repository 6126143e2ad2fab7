/**
 * Attention's masked softmax and the softmax's backward (engine/fused_kernels.ts's MaskedSoftmax and SoftmaxGrad), on
 * native/cpu/attention.cc; scaled dot-product attention each way (AttentionCore, AttentionCoreGrad), on native/cpu/attention_core.cc.
 */
import type * as tfc from '@tensorflow/tfjs-core';
import { input, NativeArgs, NativeImpl, size, stridesOf } from './types';

/** [B, T, S, H, D, Dv] of q [B, T, H, D], k [B, S, H, D], v [B, S, H, Dv], or null where they do not fit together. */
function attentionDims(args: NativeArgs): number[] | null {
  const [q, k, v] = [input(args, 'q'), input(args, 'k'), input(args, 'v')];
  if ([q, k, v].some((t) => t.dtype !== 'float32' || t.shape.length !== 4 || size(t.shape) === 0)) return null;
  const [b, t, h, d] = q.shape;
  const [s, dv] = [k.shape[1], v.shape[3]];
  const fits = (x: tfc.TensorInfo, shape: number[]): boolean => shape.every((n, i) => x.shape[i] === n);
  return fits(k, [b, s, h, d]) && fits(v, [b, s, h, dv]) ? [b, t, s, h, d, dv] : null;
}

export const ATTENTION: Record<string, NativeImpl> = {
  KerasMaskedSoftmax: (args) => {
    const b = args.backend;
    const [scores, mask] = [input(args, 'scores'), input(args, 'mask')];
    const rank = scores.shape.length;
    if (scores.dtype !== 'float32' || mask.dtype !== 'bool' || rank === 0 || mask.shape.length > rank || size(scores.shape) === 0) return null;
    const maskShape = [...new Array<number>(rank - mask.shape.length).fill(1), ...mask.shape];
    if (maskShape.some((d, i) => d !== 1 && d !== scores.shape[i])) return null;
    const strides = stridesOf(maskShape).map((s, i) => (maskShape[i] === 1 ? 0 : s));
    const [out, values] = b.output(scores.shape);
    b.addon.maskedSoftmax(b.f32(scores), b.array(mask) as Uint8Array, values, scores.shape.slice(0, -1), strides.slice(0, -1), strides[rank - 1] === 0 ? 0 : 1, scores.shape[rank - 1]);
    return out;
  },
  KerasAttentionCore: (args) => {
    const dims = attentionDims(args);
    const mask = input(args, 'mask');
    if (dims === null || mask.dtype !== 'bool' || mask.shape.length > 3) return null;
    const [bs, t, s, h, , dv] = dims;
    const maskShape = [...new Array<number>(3 - mask.shape.length).fill(1), ...mask.shape];
    if (maskShape.some((n, i) => n !== 1 && n !== [bs, t, s][i])) return null;
    const b = args.backend;
    const [out, outValues] = b.output([bs, t, h, dv]);
    const [probs, probsValues] = b.output([bs, h, t, s]);
    const strides = stridesOf(maskShape).map((n, i) => (maskShape[i] === 1 ? 0 : n));
    const f = (name: string): Float32Array => b.f32(input(args, name));
    b.addon.attentionCore(f('q'), f('k'), f('v'), b.array(mask) as Uint8Array, outValues, probsValues, dims, strides, args.attrs.scale as number);
    return [out, probs];
  },
  KerasAttentionCoreGrad: (args) => {
    const dims = attentionDims(args);
    if (dims === null) return null;
    const b = args.backend;
    const f = (name: string): Float32Array => b.f32(input(args, name));
    const [dq, dqValues] = b.output(input(args, 'q').shape);
    const [dk, dkValues] = b.output(input(args, 'k').shape);
    const [dv, dvValues] = b.output(input(args, 'v').shape);
    b.addon.attentionCoreGrad(f('dOut'), args.inputs.dProbs ? f('dProbs') : null, f('q'), f('k'), f('v'), f('probs'), dqValues, dkValues, dvValues, dims,
      args.attrs.scale as number);
    return [dq, dk, dv];
  },
  KerasSoftmaxGrad: (args) => {
    const b = args.backend;
    const [p, dy] = [input(args, 'p'), input(args, 'dy')];
    if (p.dtype !== 'float32' || dy.dtype !== 'float32' || p.shape.length === 0 || size(p.shape) !== size(dy.shape)) return null;
    const inner = p.shape[p.shape.length - 1];
    const [dx, values] = b.output(p.shape);
    if (values.length > 0) b.addon.softmaxGrad(b.f32(p), b.f32(dy), values, values.length / inner, inner);
    return dx;
  },
};
