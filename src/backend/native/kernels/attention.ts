/** Attention's masked softmax and the softmax's backward (engine/fused_kernels.ts's MaskedSoftmax and SoftmaxGrad), on native/cpu/attention.cc. */
import { input, NativeImpl, size, stridesOf } from './types';

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
