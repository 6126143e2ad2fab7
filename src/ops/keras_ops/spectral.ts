/**
 * Keras 3's window functions and Fourier ops (keras/src/ops/numpy.py, math.py) over tfjs-core's FFT
 * (or, on a backend without complex64 such as wasm, the DFT as two real matrix products):
 * complex values travel as Keras passes them, a [real, imag] pair of float32 tensors (tfjs-core's
 * complex64 stays inside each op). fft / ifft2 / fft2 take and return pairs, rfft takes a real
 * tensor, irfft a pair; stft frames, windows and rfft's a real signal. Windows are NumPy's
 * symmetric ones (bartlett, blackman, hamming, hanning, kaiser); stft's 'hann' / 'hamming' are
 * periodic, as SciPy's get_window. Also extractSequences, depthToSpace and spaceToDepth.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';
import { i0 } from './numpy_misc';
import { run, toTensor, type TensorInput } from './tensor_input';

export type ComplexPair = [tfc.Tensor, tfc.Tensor];
type PairInput = [TensorInput, TensorInput];

const window = (m: number, f: (n: number, m: number) => number): tfc.Tensor => run(() => tfc.tensor1d(m === 1 ? [1] : Array.from({ length: Math.max(m, 0) }, (_, n) => f(n, m))));
export const bartlett = (x: number): tfc.Tensor => window(x, (n, m) => 1 - Math.abs((2 * n) / (m - 1) - 1));
export const blackman = (x: number): tfc.Tensor => window(x, (n, m) => 0.42 - 0.5 * Math.cos((2 * Math.PI * n) / (m - 1)) + 0.08 * Math.cos((4 * Math.PI * n) / (m - 1)));
export const hamming = (x: number): tfc.Tensor => window(x, (n, m) => 0.54 - 0.46 * Math.cos((2 * Math.PI * n) / (m - 1)));
export const hanning = (x: number): tfc.Tensor => window(x, (n, m) => 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / (m - 1)));
/** NumPy's kaiser(M, beta): I0(beta sqrt(1 - (2n / (M - 1) - 1)^2)) / I0(beta). */
export function kaiser(x: number, beta: number): tfc.Tensor {
  return run(() => {
    if (x === 1) return tfc.tensor1d([1]);
    const n = tfc.range(0, x, 1, 'float32');
    const r = tfc.sub(tfc.div(tfc.mul(2, n), x - 1), 1);
    return tfc.div(i0(tfc.mul(beta, tfc.sqrt(tfc.relu(tfc.sub(1, tfc.square(r)))))), i0(beta));
  });
}

const parts = (x: PairInput): ComplexPair => {
  const [re, im] = [toTensor(x[0], 'float32'), toTensor(x[1], 'float32')];
  if (re.shape.join() !== im.shape.join()) throw new ValueError(`ops.fft: the real and imaginary parts differ in shape, [${re.shape}] and [${im.shape}]. help: pass [real, imag] of one shape.`);
  return [re, im];
};
const swapLast = (t: tfc.Tensor): tfc.Tensor => { const p = [...t.shape.keys()]; [p[t.rank - 2], p[t.rank - 1]] = [p[t.rank - 1], p[t.rank - 2]]; return tfc.transpose(t, p); };

/** Whether the current backend holds complex64 tensors (the wasm one does not). */
const complexSupport = new Map<string, boolean>();
function hasComplex(): boolean {
  const name = tfc.getBackend();
  if (!complexSupport.has(name)) {
    let ok = true;
    try { tfc.tidy(() => tfc.real(tfc.complex([1], [0])).dataSync()); } catch { ok = false; }
    complexSupport.set(name, ok);
  }
  return complexSupport.get(name) as boolean;
}

/**
 * The DFT (or, with `inverse`, the inverse DFT, divided by n) of re + i im along the last axis:
 * tfjs-core's FFT kernel where the backend has complex64, else two real matrix products with the
 * cos / sin tables (O(n^2), the same numbers).
 */
function dftLast(re: tfc.Tensor, im: tfc.Tensor, inverse: boolean): ComplexPair {
  const n = re.shape[re.rank - 1];
  if (hasComplex()) {
    const c = tfc.complex(re, im);
    const out = inverse ? tfc.ifft(c) : tfc.fft(c);
    // The native backend's FFT kernels give a 1-D input's result a leading 1: shape it back.
    return [tfc.reshape(tfc.real(out), re.shape), tfc.reshape(tfc.imag(out), re.shape)];
  }
  const angle = Array.from({ length: n * n }, (_, i) => (2 * Math.PI * (Math.floor(i / n) * (i % n) % n)) / n);
  const cos = tfc.tensor2d(angle.map(Math.cos), [n, n]);
  const sin = tfc.tensor2d(angle.map((a) => (inverse ? 1 : -1) * Math.sin(a)), [n, n]); // e^(-+ i a)
  const flat = (t: tfc.Tensor): tfc.Tensor2D => tfc.reshape(t, [-1, n]) as tfc.Tensor2D;
  const [r, i] = [flat(re), flat(im)];
  let outRe = tfc.sub(tfc.matMul(r, cos), tfc.matMul(i, sin));
  let outIm = tfc.add(tfc.matMul(r, sin), tfc.matMul(i, cos));
  if (inverse) [outRe, outIm] = [tfc.div(outRe, n), tfc.div(outIm, n)];
  return [tfc.reshape(outRe, re.shape), tfc.reshape(outIm, re.shape)];
}

function dft2(x: PairInput, inverse: boolean): ComplexPair {
  const [re, im] = parts(x);
  const [r1, i1] = dftLast(re, im, inverse);
  const [r2, i2] = dftLast(swapLast(r1), swapLast(i1), inverse);
  return [swapLast(r2), swapLast(i2)];
}

/** The FFT along the last axis of [real, imag]. */
export const fft = (x: PairInput): ComplexPair => run(() => dftLast(...parts(x), false));
/** The 2-D FFT over the last two axes. */
export const fft2 = (x: PairInput): ComplexPair => run(() => dft2(x, false));
/** The inverse 2-D FFT over the last two axes. */
export const ifft2 = (x: PairInput): ComplexPair => run(() => dft2(x, true));

/** The first n / 2 + 1 entries of the last axis. */
const halfSpectrum = (t: tfc.Tensor, n: number): tfc.Tensor => tfc.slice(t, t.shape.map(() => 0), [...t.shape.slice(0, -1), Math.floor(n / 2) + 1]);

/** The FFT of a real signal's last axis: fftLength / 2 + 1 bins (the signal cropped or zero-padded to fftLength). */
export function rfft(x: TensorInput, fftLength: number | null = null): ComplexPair {
  return run(() => {
    const t = toTensor(x, 'float32');
    const n = fftLength ?? t.shape[t.rank - 1];
    const signal = fitLast(t, n);
    const [re, im] = dftLast(signal, tfc.zerosLike(signal), false);
    return [halfSpectrum(re, n), halfSpectrum(im, n)];
  });
}

function fitLast(t: tfc.Tensor, n: number): tfc.Tensor {
  const len = t.shape[t.rank - 1];
  if (len === n) return t;
  if (len > n) return tfc.slice(t, t.shape.map(() => 0), [...t.shape.slice(0, -1), n]);
  return tfc.pad(t, [...t.shape.slice(0, -1).map(() => [0, 0] as [number, number]), [0, n - len]]);
}

/** The real inverse of rfft: a signal of fftLength (default 2 (bins - 1)) from [real, imag] bins. */
export function irfft(x: PairInput, fftLength: number | null = null): tfc.Tensor {
  return run(() => {
    const [re, im] = parts(x);
    const bins = re.shape[re.rank - 1];
    const n = fftLength ?? 2 * (bins - 1);
    const half = Math.floor(n / 2) + 1;
    const [r, i] = [fitLast(re, half), fitLast(im, half)];
    // The Hermitian spectrum of length n: X[k] for k <= n / 2, conj(X[n - k]) above.
    const mirror = n - half;
    const tail = (t: tfc.Tensor): tfc.Tensor => tfc.reverse(tfc.slice(t, t.shape.map((_z, d) => (d === t.rank - 1 ? 1 : 0)), [...t.shape.slice(0, -1), mirror]), -1);
    return dftLast(tfc.concat([r, tail(r)], -1), tfc.concat([i, tfc.neg(tail(i))], -1), true)[0];
  });
}

/** Frames of the last axis: (..., numSequences, sequenceLength), hop sequenceStride. */
export function extractSequences(x: TensorInput, sequenceLength: number, sequenceStride: number): tfc.Tensor {
  return run(() => {
    const t = toTensor(x);
    const len = t.shape[t.rank - 1];
    const count = Math.floor((len - sequenceLength) / sequenceStride) + 1;
    if (count < 1) throw new ValueError(`ops.extractSequences: sequenceLength ${sequenceLength} is longer than the last axis (${len}). help: pass a shorter sequenceLength.`);
    const idx = tfc.tensor2d(Array.from({ length: count }, (_, i) => Array.from({ length: sequenceLength }, (_j, j) => i * sequenceStride + j)), undefined, 'int32');
    return tfc.gather(t, idx, t.rank - 1);
  });
}

function stftWindow(window: string | TensorInput | null, length: number, fftLength: number): tfc.Tensor {
  let w: tfc.Tensor;
  if (window === null) w = tfc.ones([length]);
  else if (typeof window === 'string') {
    if (window !== 'hann' && window !== 'hamming') throw new ValueError(`ops.stft: window '${window}' is not 'hann' or 'hamming'. help: pass one of them, a tensor, or null.`);
    const a = window === 'hann' ? 0.5 : 0.54;
    w = tfc.tensor1d(Array.from({ length }, (_, n) => a - (1 - a) * Math.cos((2 * Math.PI * n) / length)));
  } else w = toTensor(window, 'float32');
  const left = Math.floor((fftLength - length) / 2);
  return tfc.pad(w, [[left, fftLength - length - left]]);
}

/** The short-time Fourier transform of the last axis: [real, imag] of shape (..., frames, fftLength / 2 + 1). `center` pads fftLength / 2 on each side by reflection. */
export function stft(x: TensorInput, sequenceLength: number, sequenceStride: number, fftLength: number, window: string | TensorInput | null = 'hann', center = true): ComplexPair {
  return run(() => {
    let t = toTensor(x, 'float32');
    if (center) {
      const p = Math.floor(fftLength / 2);
      t = tfc.mirrorPad(t, [...t.shape.slice(0, -1).map(() => [0, 0] as [number, number]), [p, p]], 'reflect');
    }
    const frames = extractSequences(t, fftLength, sequenceStride);
    return rfft(tfc.mul(frames, stftWindow(window, sequenceLength, fftLength)), fftLength);
  });
}

/**
 * The inverse of stft: each frame's irfft, windowed, overlap-added and divided by the overlap-added
 * squared window (the least-squares inverse, so istft(stft(x)) gives x back where the windows
 * cover it, as Keras's); `center` drops fftLength / 2 at each end; `length` crops the result.
 */
export function istft(x: PairInput, sequenceLength: number, sequenceStride: number, fftLength: number, length: number | null = null, window: string | TensorInput | null = 'hann', center = true): tfc.Tensor {
  return run(() => {
    const frames = irfft(x, fftLength); // (..., count, fftLength)
    const count = frames.shape[frames.rank - 2];
    const w = stftWindow(window, sequenceLength, fftLength);
    const total = fftLength + sequenceStride * (count - 1);
    // Overlap-add as a matrix product: frame f's sample j lands at f * stride + j.
    const place = tfc.buffer([count * fftLength, total], 'float32');
    for (let f = 0; f < count; f++) for (let j = 0; j < fftLength; j++) place.set(1, f * fftLength + j, f * sequenceStride + j);
    const lead = frames.shape.slice(0, -2);
    const placeT = place.toTensor();
    const summed = tfc.reshape(tfc.matMul(tfc.reshape(tfc.mul(frames, w), [-1, count * fftLength]), placeT), [...lead, total]);
    const norm = tfc.matMul(tfc.reshape(tfc.tile(tfc.square(w), [count]), [1, -1]), placeT);
    const y = tfc.div(summed, tfc.reshape(tfc.maximum(norm, 1e-10), [total]));
    const start = center ? Math.floor(fftLength / 2) : 0;
    const end = length !== null ? start + length : center ? total - Math.floor(fftLength / 2) : total;
    return tfc.slice(y, [...lead.map(() => 0), start], [...lead, Math.min(end, total) - start]);
  });
}

/** (n, h, w, c) -> (n, h b, w b, c / b^2): depth moved into b x b blocks (TensorFlow's order). */
export function depthToSpace(x: TensorInput, blockSize: number, dataFormat: 'channels_last' | 'channels_first' = 'channels_last'): tfc.Tensor {
  return run(() => {
    const t = toTensor(x, 'float32') as tfc.Tensor4D;
    if (dataFormat === 'channels_first') return tfc.transpose(tfc.depthToSpace(tfc.transpose(t, [0, 2, 3, 1]), blockSize, 'NHWC'), [0, 3, 1, 2]);
    return tfc.depthToSpace(t, blockSize, 'NHWC');
  });
}

/** The inverse of depthToSpace: (n, h, w, c) -> (n, h / b, w / b, c b^2). */
export function spaceToDepth(x: TensorInput, blockSize: number, dataFormat: 'channels_last' | 'channels_first' = 'channels_last'): tfc.Tensor {
  return run(() => {
    let t = toTensor(x, 'float32');
    if (dataFormat === 'channels_first') t = tfc.transpose(t, [0, 2, 3, 1]);
    const [n, h, w, c] = t.shape as [number, number, number, number];
    const b = blockSize;
    if (h % b !== 0 || w % b !== 0) throw new ValueError(`ops.spaceToDepth: height ${h} and width ${w} must be multiples of blockSize ${b}. help: crop or pad the images first.`);
    const out = tfc.reshape(tfc.transpose(tfc.reshape(t, [n, h / b, b, w / b, b, c]), [0, 1, 3, 2, 4, 5]), [n, h / b, w / b, b * b * c]);
    return dataFormat === 'channels_first' ? tfc.transpose(out, [0, 3, 1, 2]) : out;
  });
}
