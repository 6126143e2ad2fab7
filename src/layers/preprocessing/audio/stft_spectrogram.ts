/**
 * STFTSpectrogram, as Keras's: the short-time Fourier transform of each channel of a signal
 * (batch, time, channels) as a strided 1-D convolution with two trainable kernels
 * [frameLength, 1, fftLength / 2 + 1], the real and imaginary DFT rows times the window and
 * divided by its scaling ('density': sqrt(sum w²); 'spectrum': sum |w|). Modes: 'log'
 * (log |X|), 'magnitude', 'psd', 'real', 'imag', 'angle', 'stft' (real and imaginary stacked).
 * Output (batch, frames, channels × freq), or (batch, frames, freq, channels) with expandDims.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../../engine/errors';
import { CallContext, Layer, LAYER_KEYS, LayerArgs, LayerConfig } from '../../../engine/layer';
import { optionKeys } from '../../../engine/options';
import { layerArgs } from '../../../engine/positional';
import { formatShape, Shape } from '../../../engine/symbolic_tensor';
import { Weight } from '../../../engine/weight';
import { Initializer } from '../../../initializers';
import { convNd } from '../../../ops/conv_nd';
import { channelsLast, convOutputLength, DataFormat, oneOf, positiveInt } from '../../args';
import { WindowName, windowValues } from './windows';

type StftMode = 'log' | 'magnitude' | 'psd' | 'real' | 'imag' | 'angle' | 'stft';

export interface STFTSpectrogramArgs extends LayerArgs {
  /** What to output. Keras: `mode` @default 'log' */
  mode?: StftMode;
  /** Samples per frame (the window's length). Keras: `frame_length` @default 256 */
  frameLength?: number;
  /** Samples between frames. Keras: `frame_step` @default frameLength / 2 */
  frameStep?: number | null;
  /** FFT size (zero-padded frames). Keras: `fft_length` @default the power of two at or above frameLength */
  fftLength?: number | null;
  /** 'hann', 'hamming', 'boxcar', frameLength numbers, or null (none). Keras: `window` @default 'hann' */
  window?: WindowName | number[] | null;
  /** A periodic window (for spectral analysis) rather than a symmetric one. Keras: `periodic` @default false */
  periodic?: boolean;
  /** How the window is normalized: 'density', 'spectrum', or null. Keras: `scaling` @default 'density' */
  scaling?: 'density' | 'spectrum' | null;
  /** 'valid' or 'same' (frames padded at both ends). Keras: `padding` @default 'valid' */
  padding?: 'valid' | 'same';
  /** Output (batch, frames, freq, channels) rather than (batch, frames, channels × freq). Keras: `expand_dims` @default false */
  expandDims?: boolean;
  /** Only 'channels_last'. Keras: `data_format` @default 'channels_last' */
  dataFormat?: DataFormat;
}

/** The DFT rows of one side times the window over its scaling: [frameLength, 1, fftLength / 2 + 1], as Keras's STFT initializer. */
class StftKernel extends Initializer {
  readonly className = 'StftKernel';
  constructor(
    private readonly side: 'real' | 'imag',
    private readonly window: number[] | null,
    private readonly scaling: 'density' | 'spectrum' | null,
  ) {
    super();
  }
  call(shape: number[], dtype: tfc.DataType): tfc.Tensor {
    const [frames, , bins] = shape;
    const fft = (bins - 1) * 2;
    const w = this.window ?? new Array<number>(frames).fill(1);
    const scale = this.window === null || this.scaling === null ? 1 : this.scaling === 'density' ? Math.sqrt(w.reduce((s, v) => s + v * v, 0)) : w.reduce((s, v) => s + Math.abs(v), 0);
    const values = new Float32Array(frames * bins);
    for (let t = 0; t < frames; t++) {
      for (let f = 0; f < bins; f++) {
        const arg = (-2 * Math.PI * t * f) / fft;
        values[t * bins + f] = ((this.side === 'real' ? Math.cos(arg) : Math.sin(arg)) * w[t]) / scale;
      }
    }
    return tfc.tensor(values, shape, dtype);
  }
}

export class STFTSpectrogram extends Layer {
  static override readonly optionKeys: readonly string[] = optionKeys<STFTSpectrogramArgs>()(
    ...LAYER_KEYS, 'mode', 'frameLength', 'frameStep', 'fftLength', 'window', 'periodic', 'scaling', 'padding', 'expandDims', 'dataFormat',
  );
  readonly className = 'STFTSpectrogram';
  readonly mode: StftMode;
  readonly frameLength: number;
  readonly frameStep: number | null;
  readonly fftLength: number | null;
  readonly window: WindowName | number[] | null;
  readonly periodic: boolean;
  readonly scaling: 'density' | 'spectrum' | null;
  readonly padding: 'valid' | 'same';
  readonly expandDims: boolean;
  realKernel: Weight | null = null;
  imagKernel: Weight | null = null;

  static override readonly positional = ['mode'];

  constructor(mode?: StftMode, options?: Omit<STFTSpectrogramArgs, 'mode'>);
  constructor(args?: STFTSpectrogramArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<STFTSpectrogramArgs | undefined>(new.target, given) ?? {};
    super(args);
    const owner = `STFTSpectrogram '${this.name}'`;
    this.mode = oneOf(args.mode, ['log', 'magnitude', 'psd', 'real', 'imag', 'angle', 'stft'] as const, 'log', 'mode', owner);
    this.frameLength = positiveInt(args.frameLength ?? 256, 'frameLength', owner, 256);
    this.frameStep = args.frameStep ?? null;
    if (this.frameStep !== null && !(Number.isInteger(this.frameStep) && this.frameStep >= 1 && this.frameStep <= this.frameLength)) {
      throw new ValueError(`${owner}: \`frameStep\` must be an integer in [1, frameLength = ${this.frameLength}], got ${String(args.frameStep)}. help: e.g. {frameStep: ${Math.max(1, this.frameLength >> 1)}}.`);
    }
    this.fftLength = args.fftLength ?? null;
    if (this.fftLength !== null && !(Number.isInteger(this.fftLength) && this.fftLength >= this.frameLength)) {
      throw new ValueError(`${owner}: \`fftLength\` must be an integer not less than frameLength (${this.frameLength}), got ${String(args.fftLength)}. help: leave it out for the next power of two.`);
    }
    this.window = args.window === undefined ? 'hann' : args.window;
    this.periodic = args.periodic ?? false;
    this.scaling = args.scaling === undefined ? 'density' : args.scaling;
    if (this.scaling !== null && !['density', 'spectrum'].includes(this.scaling)) {
      throw new ValueError(`${owner}: unknown \`scaling\` '${String(this.scaling)}'. help: use 'density', 'spectrum' or null.`);
    }
    if (this.window !== null) windowValues(this.window, this.frameLength, this.periodic, owner);
    this.padding = oneOf(args.padding, ['valid', 'same'] as const, 'valid', 'padding', owner);
    this.expandDims = args.expandDims ?? false;
    channelsLast(args.dataFormat, owner);
  }

  private get step(): number {
    return this.frameStep ?? Math.floor(this.frameLength / 2);
  }

  private get bins(): number {
    const fft = this.fftLength ?? 2 ** Math.ceil(Math.log2(this.frameLength));
    return Math.floor(fft / 2) + 1;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    if (shape.length !== 3) throw new ValueError(`${this.name} (STFTSpectrogram): expected input of rank 3 (batch, time, channels), got ${formatShape(shape)}. help: add a channel axis, e.g. Reshape to [time, 1].`);
    const window = this.window === null ? null : windowValues(this.window, this.frameLength, this.periodic, this.name);
    const kernel = [this.frameLength, 1, this.bins];
    if (this.mode !== 'imag') this.realKernel = this.addWeight({ name: 'real_kernel', shape: kernel, initializer: new StftKernel('real', window, this.scaling) });
    if (this.mode !== 'real') this.imagKernel = this.addWeight({ name: 'imag_kernel', shape: kernel, initializer: new StftKernel('imag', window, this.scaling) });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [batch, time, channels] = inputShape as Shape;
    const frames = convOutputLength(time, this.frameLength, this.padding, this.step);
    const freq = this.mode === 'stft' ? 2 * this.bins : this.bins;
    if (this.expandDims) return [batch, frames, freq, channels];
    return [batch, frames, channels === null ? null : channels * freq];
  }

  /** Each channel through the kernel: [B, C, F, frames]. */
  private frames(x: tfc.Tensor, kernel: Weight): tfc.Tensor {
    const [b, t, c] = x.shape;
    const signals = tfc.reshape(tfc.transpose(x, [0, 2, 1]), [b * c, t, 1]);
    const y = convNd(signals, kernel.value, { strides: [this.step], padding: this.padding, dilationRate: [1] }); // [B*C, frames, F]
    return tfc.reshape(tfc.transpose(y, [0, 2, 1]), [b, c, y.shape[2] as number, y.shape[1] as number]);
  }

  /** [B, C, F, frames] -> (batch, frames, C × F), or (batch, frames, F, C). */
  private arrange(y: tfc.Tensor): tfc.Tensor {
    const [b, c, f, frames] = y.shape;
    if (this.expandDims) return tfc.transpose(y, [0, 3, 2, 1]);
    return tfc.transpose(tfc.reshape(y, [b, c * f, frames]), [0, 2, 1]);
  }

  call(x: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    void ctx;
    const real = this.realKernel ? this.frames(x, this.realKernel) : null;
    const imag = this.imagKernel ? this.frames(x, this.imagKernel) : null;
    if (this.mode === 'real') return this.arrange(real as tfc.Tensor);
    if (this.mode === 'imag') return this.arrange(imag as tfc.Tensor);
    const [re, im] = [real as tfc.Tensor, imag as tfc.Tensor];
    if (this.mode === 'angle') return this.arrange(tfc.atan2(im, re));
    if (this.mode === 'stft') return this.arrange(tfc.concat([re, im], 2));
    const power = tfc.add(tfc.square(re), tfc.square(im));
    if (this.mode === 'psd') {
      const f = power.shape[2] as number;
      const inner = f > 2 ? tfc.pad(tfc.slice(power, [0, 0, 1, 0], [-1, -1, f - 2, -1]), [[0, 0], [0, 0], [1, 1], [0, 0]]) : tfc.zerosLike(power);
      return this.arrange(tfc.add(power, inner));
    }
    const eps = 1e-7;
    const magnitude = this.arrange(tfc.sqrt(tfc.maximum(power, eps)));
    return this.mode === 'magnitude' ? magnitude : tfc.log(tfc.maximum(magnitude, eps));
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(), mode: this.mode, frameLength: this.frameLength, frameStep: this.frameStep, fftLength: this.fftLength, window: this.window,
      periodic: this.periodic, scaling: this.scaling, padding: this.padding, dataFormat: 'channels_last', expandDims: this.expandDims,
    };
  }
}
