/**
 * MelSpectrogram, as Keras's: a signal (batch, samples) or (samples) to (batch, numMelBins, frames).
 * Frames of fftLength samples every sequenceStride, the signal first reflected by fftLength / 2 at
 * both ends (center), each frame times a periodic window of sequenceLength samples centred in
 * fftLength; |DFT|^magExp; the HTK mel filter bank (triangles of peak 1 from minFreq to maxFreq,
 * mel(f) = 1127 ln(1 + f / 700)); with powerToDb, 10 log10(max(S, minPower) / refPower) floored at
 * the whole batch's maximum minus topDb (Keras takes the maximum over the batch, not per sample).
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../../engine/errors';
import { CallContext, Layer, LAYER_KEYS, LayerArgs, LayerConfig } from '../../../engine/layer';
import { optionKeys } from '../../../engine/options';
import { layerArgs } from '../../../engine/positional';
import { formatShape, Shape } from '../../../engine/symbolic_tensor';
import { positiveInt } from '../../args';
import { WindowName, windowValues } from './windows';

export interface MelSpectrogramArgs extends LayerArgs {
  /** FFT size: samples per frame after padding the window. Keras: `fft_length` @default 2048 */
  fftLength?: number;
  /** Samples between frames. Keras: `sequence_stride` @default 512 */
  sequenceStride?: number;
  /** The window's length (at most fftLength). Keras: `sequence_length` @default fftLength */
  sequenceLength?: number | null;
  /** 'hann', 'hamming' (periodic) or null (none). Keras: `window` @default 'hann' */
  window?: 'hann' | 'hamming' | null;
  /** Samples per second of the signal. Keras: `sampling_rate` @default 16000 */
  samplingRate?: number;
  /** How many mel bands. Keras: `num_mel_bins` @default 128 */
  numMelBins?: number;
  /** The lowest band's lower edge, in Hz. Keras: `min_freq` @default 20 */
  minFreq?: number;
  /** The highest band's upper edge, in Hz. Keras: `max_freq` @default samplingRate / 2 */
  maxFreq?: number | null;
  /** Output decibels rather than power. Keras: `power_to_db` @default true */
  powerToDb?: boolean;
  /** Decibels kept below the maximum. Keras: `top_db` @default 80 */
  topDb?: number;
  /** The exponent of the magnitude (2: power). Keras: `mag_exp` @default 2 */
  magExp?: number;
  /** Power floor before the logarithm. Keras: `min_power` @default 1e-10 */
  minPower?: number;
  /** The power that maps to 0 dB. Keras: `ref_power` @default 1 */
  refPower?: number;
}

export class MelSpectrogram extends Layer {
  static override readonly optionKeys: readonly string[] = optionKeys<MelSpectrogramArgs>()(
    ...LAYER_KEYS, 'fftLength', 'sequenceStride', 'sequenceLength', 'window', 'samplingRate', 'numMelBins', 'minFreq', 'maxFreq', 'powerToDb', 'topDb', 'magExp', 'minPower', 'refPower',
  );
  readonly className = 'MelSpectrogram';
  readonly fftLength: number;
  readonly sequenceStride: number;
  readonly sequenceLength: number;
  readonly window: 'hann' | 'hamming' | null;
  readonly samplingRate: number;
  readonly numMelBins: number;
  readonly minFreq: number;
  readonly maxFreq: number;
  readonly powerToDb: boolean;
  readonly topDb: number;
  readonly magExp: number;
  readonly minPower: number;
  readonly refPower: number;

  static override readonly positional = ['fftLength'];

  constructor(fftLength?: number, options?: Omit<MelSpectrogramArgs, 'fftLength'>);
  constructor(args?: MelSpectrogramArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<MelSpectrogramArgs | undefined>(new.target, given) ?? {};
    super(args);
    const owner = `MelSpectrogram '${this.name}'`;
    this.fftLength = positiveInt(args.fftLength ?? 2048, 'fftLength', owner, 2048);
    this.sequenceStride = positiveInt(args.sequenceStride ?? 512, 'sequenceStride', owner, 512);
    this.sequenceLength = positiveInt(args.sequenceLength ?? this.fftLength, 'sequenceLength', owner, this.fftLength);
    if (this.fftLength < this.sequenceLength) {
      throw new ValueError(`${owner}: \`fftLength\` (${this.fftLength}) must be at least \`sequenceLength\` (${this.sequenceLength}). help: raise fftLength or lower sequenceLength.`);
    }
    this.window = args.window === undefined ? 'hann' : args.window;
    if (this.window !== null && !['hann', 'hamming'].includes(this.window)) throw new ValueError(`${owner}: unknown \`window\` '${String(this.window)}'. help: use 'hann', 'hamming' or null.`);
    this.samplingRate = args.samplingRate ?? 16000;
    this.numMelBins = positiveInt(args.numMelBins ?? 128, 'numMelBins', owner, 128);
    this.minFreq = args.minFreq ?? 20;
    this.maxFreq = args.maxFreq ?? Math.trunc(this.samplingRate / 2);
    this.powerToDb = args.powerToDb ?? true;
    this.topDb = args.topDb ?? 80;
    this.magExp = args.magExp ?? 2;
    this.minPower = args.minPower ?? 1e-10;
    this.refPower = args.refPower ?? 1;
  }

  protected override get fixedAxes(): null {
    return null;
  }

  private frameCount(samples: number | null): number | null {
    return samples === null ? null : Math.floor((samples + 2 * Math.floor(this.fftLength / 2) - this.fftLength) / this.sequenceStride) + 1;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    if (shape.length < 1 || shape.length > 2) throw new ValueError(`${this.name} (MelSpectrogram): expected (batch, samples) or (samples), got ${formatShape(shape)}. help: one signal per row, mono.`);
    const frames = this.frameCount(shape[shape.length - 1]);
    return shape.length === 1 ? [this.numMelBins, frames] : [shape[0], this.numMelBins, frames];
  }

  /** [fftLength, bins] cos and sin DFT rows times the window (sequenceLength long, centred). */
  private dft(): { cos: tfc.Tensor; sin: tfc.Tensor } {
    const n = this.fftLength;
    const bins = Math.floor(n / 2) + 1;
    const left = Math.floor((n - this.sequenceLength) / 2);
    const win = new Array<number>(n).fill(0);
    const core = this.window === null ? new Array<number>(this.sequenceLength).fill(1) : windowValues(this.window as WindowName, this.sequenceLength, true, this.name);
    core.forEach((v, i) => (win[left + i] = v));
    const cos = new Float32Array(n * bins);
    const sin = new Float32Array(n * bins);
    for (let t = 0; t < n; t++) {
      for (let f = 0; f < bins; f++) {
        const arg = (2 * Math.PI * ((t * f) % n)) / n;
        cos[t * bins + f] = Math.cos(arg) * win[t];
        sin[t * bins + f] = -Math.sin(arg) * win[t];
      }
    }
    return { cos: tfc.tensor2d(cos, [n, bins]), sin: tfc.tensor2d(sin, [n, bins]) };
  }

  /** Keras's linear_to_mel_weight_matrix: [bins, numMelBins], the DC row zero. */
  melMatrix(bins: number): number[][] {
    const mel = (hz: number): number => 1127 * Math.log(1 + hz / 700);
    const nyquist = this.samplingRate / 2;
    const [lo, hi] = [mel(this.minFreq), mel(this.maxFreq)];
    const edges = Array.from({ length: this.numMelBins + 2 }, (_, i) => lo + ((hi - lo) * i) / (this.numMelBins + 1));
    return Array.from({ length: bins }, (_, j) => {
      if (j === 0) return new Array<number>(this.numMelBins).fill(0);
      const m = mel((nyquist * j) / (bins - 1));
      return Array.from({ length: this.numMelBins }, (_, b) => Math.max(0, Math.min((m - edges[b]) / (edges[b + 1] - edges[b]), (edges[b + 2] - m) / (edges[b + 2] - edges[b + 1]))));
    });
  }

  call(input: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    void ctx;
    this.computeOutputShape(input.shape);
    const x = input.rank === 1 ? tfc.expandDims(input, 0) : input;
    const [b, samples] = x.shape;
    const half = Math.floor(this.fftLength / 2);
    if (samples <= half) throw new ValueError(`${this.name} (MelSpectrogram): a signal of ${samples} samples is too short to reflect by fftLength / 2 = ${half}. help: use longer signals or a smaller fftLength.`);
    const padded = tfc.mirrorPad(tfc.cast(x, 'float32') as tfc.Tensor2D, [[0, 0], [half, half]], 'reflect');
    const frames = this.frameCount(samples) as number;
    const index = Array.from({ length: frames * this.fftLength }, (_, i) => Math.floor(i / this.fftLength) * this.sequenceStride + (i % this.fftLength));
    const framed = tfc.reshape(tfc.gather(padded, tfc.tensor1d(index, 'int32'), 1), [b * frames, this.fftLength]);
    const { cos, sin } = this.dft();
    const re = tfc.matMul(framed, cos);
    const im = tfc.matMul(framed, sin);
    const magnitude = tfc.pow(tfc.sqrt(tfc.add(tfc.square(re), tfc.square(im))), this.magExp);
    const bins = cos.shape[1] as number;
    let spec = tfc.reshape(tfc.matMul(magnitude, tfc.tensor2d(this.melMatrix(bins))), [b, frames, this.numMelBins]);
    if (this.powerToDb) {
      const db = (t: tfc.Tensor | number): tfc.Tensor => tfc.mul(10 / Math.LN10, tfc.log(tfc.maximum(t, this.minPower)));
      const logSpec = tfc.sub(db(spec), db(Math.abs(this.refPower)));
      spec = tfc.maximum(logSpec, tfc.sub(tfc.max(logSpec), this.topDb));
    }
    const out = tfc.transpose(spec, [0, 2, 1]);
    return input.rank === 1 ? tfc.squeeze(out, [0]) : out;
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(), fftLength: this.fftLength, sequenceStride: this.sequenceStride, sequenceLength: this.sequenceLength, window: this.window,
      samplingRate: this.samplingRate, numMelBins: this.numMelBins, minFreq: this.minFreq, maxFreq: this.maxFreq, powerToDb: this.powerToDb,
      topDb: this.topDb, magExp: this.magExp, minPower: this.minPower, refPower: this.refPower,
    };
  }
}
