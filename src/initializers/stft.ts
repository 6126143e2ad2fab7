/**
 * Keras's STFT initializer: the kernel of a Conv1D that computes a short-time Fourier transform,
 * shape [frameLength, channels, fftBins]. Entry [t, ·, f] is cos (side 'real') or sin ('imag') of
 * -2π·t·f / ((fftBins - 1)·2), times the window at t over the window's scaling (sqrt(Σwin²) for
 * 'density', Σ|win| for 'spectrum'). Windows: 'hann', 'hamming', 'blackman', 'bartlett', 'boxcar'
 * (SciPy's get_window formulas; `periodic` as SciPy's fftbins), a list of numbers, or null.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { Initializer, Shape } from './initializer';

export type StftWindow = 'hann' | 'hamming' | 'blackman' | 'bartlett' | 'boxcar';

export interface STFTArgs {
  /** 'real' (cosines) or 'imag' (sines). Keras: `side` @default 'real' */
  side?: 'real' | 'imag';
  /** The window over each frame: a name, the values, or null for none. Keras: `window` @default 'hann' */
  window?: StftWindow | number[] | null;
  /** 'density', 'spectrum' or null (no scaling). Keras: `scaling` @default 'density' */
  scaling?: 'density' | 'spectrum' | null;
  /** A periodic window (SciPy's fftbins=True) rather than a symmetric one. Keras: `periodic` @default false */
  periodic?: boolean;
}

const WINDOWS: Record<StftWindow, (n: number, m: number) => number> = {
  hann: (n, m) => 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / (m - 1)),
  hamming: (n, m) => 0.54 - 0.46 * Math.cos((2 * Math.PI * n) / (m - 1)),
  blackman: (n, m) => 0.42 - 0.5 * Math.cos((2 * Math.PI * n) / (m - 1)) + 0.08 * Math.cos((4 * Math.PI * n) / (m - 1)),
  bartlett: (n, m) => 1 - Math.abs((2 * n) / (m - 1) - 1),
  boxcar: () => 1,
};

/** SciPy's get_window(name, length, fftbins=periodic). */
export function windowValues(name: StftWindow, length: number, periodic: boolean): number[] {
  const m = periodic ? length + 1 : length;
  if (m === 1) return [1];
  return Array.from({ length }, (_, n) => WINDOWS[name](n, m));
}

export class STFT extends Initializer {
  static override readonly optionKeys: readonly string[] = ['side', 'window', 'scaling', 'periodic'];
  /** Keys whose null in a saved config means null (no window, no scaling), not the default. */
  static readonly nullableKeys: readonly string[] = ['window', 'scaling'];
  readonly className = 'STFT';
  readonly side: 'real' | 'imag';
  readonly window: StftWindow | number[] | null;
  readonly scaling: 'density' | 'spectrum' | null;
  readonly periodic: boolean;

  constructor(args: STFTArgs = {}) {
    super(args);
    this.side = args.side ?? 'real';
    this.window = args.window === undefined ? 'hann' : args.window;
    this.scaling = args.scaling === undefined ? 'density' : args.scaling;
    this.periodic = args.periodic ?? false;
    if (this.side !== 'real' && this.side !== 'imag') throw new ValueError(`STFT: \`side\` must be 'real' or 'imag', got ${JSON.stringify(args.side)}. help: pass {side: 'imag'} for the sines.`);
    if (typeof this.window === 'string' && !(this.window in WINDOWS)) {
      throw new ValueError(`STFT: unknown window '${this.window}'. help: use one of ${Object.keys(WINDOWS).join(', ')}, or pass the window's values as a list.`);
    }
    if (this.scaling !== null && this.scaling !== 'density' && this.scaling !== 'spectrum') {
      throw new ValueError(`STFT: \`scaling\` must be 'density', 'spectrum' or null, got ${JSON.stringify(args.scaling)}. help: keep the default 'density'.`);
    }
  }

  call(shape: Shape, dtype: tfc.DataType): tfc.Tensor {
    if (shape.length !== 3) throw new ValueError(`STFT: the kernel shape must be [frameLength, channels, fftBins], got [${shape}]. help: e.g. [512, 1, 257].`);
    const [frames, channels, bins] = shape;
    const win = this.window === null ? null : typeof this.window === 'string' ? windowValues(this.window, frames, this.periodic) : this.window;
    if (win !== null && win.length !== frames) {
      throw new ValueError(`STFT: the window has ${win.length} values, but the frame length is ${frames}. help: give one value per frame sample.`);
    }
    let scale = 1;
    if (win !== null && this.scaling === 'density') scale = Math.sqrt(win.reduce((s, v) => s + v * v, 0));
    if (win !== null && this.scaling === 'spectrum') scale = win.reduce((s, v) => s + Math.abs(v), 0);
    const fft = (bins - 1) * 2;
    const values = new Float32Array(frames * channels * bins);
    for (let t = 0; t < frames; t++) {
      for (let f = 0; f < bins; f++) {
        const arg = (-2 * t * f * Math.PI) / fft;
        const v = ((this.side === 'real' ? Math.cos(arg) : Math.sin(arg)) * (win === null ? 1 : win[t])) / scale;
        for (let c = 0; c < channels; c++) values[(t * channels + c) * bins + f] = v;
      }
    }
    return tfc.tidy(() => tfc.cast(tfc.tensor3d(values, [frames, channels, bins]), dtype));
  }

  override getConfig(): Record<string, unknown> {
    return { side: this.side, window: this.window, periodic: this.periodic, scaling: this.scaling };
  }
}
