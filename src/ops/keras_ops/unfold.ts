/**
 * Keras 3's `unfold` (im2col, PyTorch's F.unfold) and `fold` (its adjoint, col2im: overlapping
 * blocks summed) on channels-first (N, C, H, W) images, and the helpers that treat complex values
 * as Keras's FFT ops here do, [real, imag] pairs: `polar`, `viewAsReal`, `viewAsComplex`; and
 * `view` (a bit reinterpretation between the two 32-bit dtypes tfjs-core has, float32 and int32).
 * unfold is one convolution with a one-hot kernel (output channel c kH kW + i kW + j reads tap (i, j)
 * of channel c, PyTorch's order); fold is the transposed convolution with the same kernel.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';
import { run, toTensor, type TensorInput } from './tensor_input';

type Pair = number | [number, number];
const two = (v: Pair): [number, number] => (typeof v === 'number' ? [v, v] : v);

/** [kH, kW, C, C kH kW]: one 1 per output channel, at its tap and channel. */
function oneHotKernel(c: number, kh: number, kw: number): tfc.Tensor4D {
  const d = c * kh * kw;
  const buf = tfc.buffer([kh, kw, c, d], 'float32');
  for (let ch = 0; ch < c; ch++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) buf.set(1, i, j, ch, ch * kh * kw + i * kw + j);
  return buf.toTensor() as tfc.Tensor4D;
}

/** (N, C, H, W) -> (N, C kH kW, L): each sliding block flattened, L blocks in row-major order. */
export function unfold(x: TensorInput, kernelSize: Pair, dilation: Pair = 1, padding: Pair = 0, stride: Pair = 1): tfc.Tensor {
  return run(() => {
    const t = toTensor(x, 'float32');
    if (t.rank !== 4) throw new ValueError(`ops.unfold: input must be 4-D (N, C, H, W), got shape [${t.shape}]. help: add the batch and channel axes (channels first).`);
    const [[kh, kw], [ph, pw]] = [two(kernelSize), two(padding)];
    const [n, c] = t.shape as [number, number];
    const nhwc = tfc.pad(tfc.transpose(t, [0, 2, 3, 1]), [[0, 0], [ph, ph], [pw, pw], [0, 0]]) as tfc.Tensor4D;
    const cols = tfc.conv2d(nhwc, oneHotKernel(c, kh, kw), two(stride), 'valid', 'NHWC', two(dilation));
    return tfc.transpose(tfc.reshape(cols, [n, -1, c * kh * kw]), [0, 2, 1]);
  });
}

/** (N, C kH kW, L) -> (N, C, oH, oW): the blocks put back and overlaps summed (dilation 1 only: tfjs-core's transposed convolution has none). */
export function fold(x: TensorInput, outputSize: Pair, kernelSize: Pair, dilation: Pair = 1, padding: Pair = 0, stride: Pair = 1): tfc.Tensor {
  return run(() => {
    const t = toTensor(x, 'float32');
    const [[oh, ow], [kh, kw], [ph, pw], [sh, sw]] = [two(outputSize), two(kernelSize), two(padding), two(stride)];
    if (two(dilation).some((d) => d !== 1)) throw new ValueError(`ops.fold: dilation ${JSON.stringify(dilation)} is not supported. help: pass dilation 1.`);
    if (t.rank !== 3 || (t.shape[1] as number) % (kh * kw) !== 0) throw new ValueError(`ops.fold: input must be (N, C * ${kh} * ${kw}, L), got shape [${t.shape}]. help: pass unfold's output.`);
    const [n, d, l] = t.shape as [number, number, number];
    const c = d / (kh * kw);
    const [bh, bw] = [Math.floor((oh + 2 * ph - kh) / sh) + 1, Math.floor((ow + 2 * pw - kw) / sw) + 1];
    if (bh * bw !== l) throw new ValueError(`ops.fold: ${l} blocks do not tile an output of [${oh}, ${ow}] (expected ${bh * bw}). help: match outputSize, kernelSize, padding and stride to unfold's.`);
    const blocks = tfc.reshape(tfc.transpose(t, [0, 2, 1]), [n, bh, bw, d]) as tfc.Tensor4D;
    const full = tfc.conv2dTranspose(blocks, oneHotKernel(c, kh, kw), [n, oh + 2 * ph, ow + 2 * pw, c], [sh, sw], 'valid');
    return tfc.transpose(tfc.slice(full, [0, ph, pw, 0], [n, oh, ow, c]), [0, 3, 1, 2]);
  });
}

/** [abs cos(angle), abs sin(angle)]: the complex number from polar form, as a [real, imag] pair. */
export function polar(abs: TensorInput, angle: TensorInput): [tfc.Tensor, tfc.Tensor] {
  return run(() => {
    const [r, a] = [toTensor(abs, 'float32'), toTensor(angle, 'float32')];
    return [tfc.mul(r, tfc.cos(a)), tfc.mul(r, tfc.sin(a))];
  });
}

/** A [real, imag] pair as one real tensor with a last axis of 2. */
export function viewAsReal(x: [TensorInput, TensorInput]): tfc.Tensor {
  return run(() => tfc.stack([toTensor(x[0], 'float32'), toTensor(x[1], 'float32')], -1));
}

/** A real tensor with a last axis of 2 as a [real, imag] pair. */
export function viewAsComplex(x: TensorInput): [tfc.Tensor, tfc.Tensor] {
  return run(() => {
    const t = toTensor(x, 'float32');
    if (t.shape[t.rank - 1] !== 2) throw new ValueError(`ops.viewAsComplex: the last axis must have size 2, got shape [${t.shape}]. help: pass (..., 2) real and imaginary parts.`);
    const [re, im] = tfc.unstack(t, t.rank - 1);
    return [re, im];
  });
}

/** The same bits read as another 32-bit dtype (float32 <-> int32); other dtypes are refused (tfjs-core has no 8-, 16- or 64-bit ones). */
export function view(x: TensorInput, dtype: 'float32' | 'int32' | null = null): tfc.Tensor {
  return run(() => {
    const t = toTensor(x);
    if (dtype === null || dtype === t.dtype) return tfc.clone(t);
    if ((dtype !== 'float32' && dtype !== 'int32') || (t.dtype !== 'float32' && t.dtype !== 'int32')) {
      throw new ValueError(`ops.view: only float32 <-> int32 views exist in keras-ts, got ${t.dtype} -> ${String(dtype)}. help: use ops.cast for a value conversion.`);
    }
    const data = t.dataSync() as Float32Array | Int32Array;
    const bits = dtype === 'int32' ? new Int32Array(data.buffer, data.byteOffset, data.length) : new Float32Array(data.buffer, data.byteOffset, data.length);
    return tfc.tensor(bits.slice(), t.shape, dtype);
  });
}
