/**
 * STFTSpectrogram and MelSpectrogram against NumPy's FFT (test/reference/layers5_references.py,
 * numbers in layers5_refs.ts): every STFT mode's arithmetic, windows, scalings, paddings and
 * layouts; the mel filter bank and decibels; gradients of the trainable STFT kernels against
 * central differences; configs, .keras/.h5, leaks and refusals.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, expectNoLeak, testBackend } from '../helpers';
import { checkGradients, expectRoundTrip, seq } from './layers5_helpers';
import { LAYERS5_REFS } from './layers5_refs';

const L = k.layers;

beforeAll(async () => {
  await k.setBackend(testBackend());
});

const signal = (): tfc.Tensor => seq([2, 40, 2], 0.1);

describe('STFTSpectrogram', () => {
  test.each([
    ['STFTSpectrogram log hann 16/8 fft 16 valid', { frameLength: 16, frameStep: 8 }],
    ['STFTSpectrogram stft periodic 10/4 fft 16 same expandDims', { mode: 'stft', frameLength: 10, frameStep: 4, periodic: true, padding: 'same', expandDims: true }],
    ['STFTSpectrogram psd boxcar spectrum 8/3 fft 8', { mode: 'psd', frameLength: 8, frameStep: 3, window: 'boxcar', scaling: 'spectrum' }],
  ] as Array<[string, k.layers.STFTSpectrogramArgs]>)('%s equals NumPy\'s rfft, with the symbolic shape of the real output', (name, options) => {
    const layer = new L.STFTSpectrogram(options);
    const x = signal();
    const y = layer.apply(x) as tfc.Tensor;
    const ref = LAYERS5_REFS[name];
    expect(y.shape).toEqual(ref.shape);
    expect(layer.apply(k.Input({ shape: [40, 2] })).shape.slice(1)).toEqual(ref.shape.slice(1));
    expectClose(y, ref.values, 1e-4);
    tfc.dispose([x, y]);
    layer.dispose();
  });

  test('angle mode: the phase equals NumPy\'s (compared as cos and sin, since ±π are one angle)', () => {
    const layer = new L.STFTSpectrogram({ mode: 'angle', frameLength: 12, frameStep: 5, fftLength: 16 });
    const x = signal();
    const y = layer.apply(x) as tfc.Tensor;
    const ref = LAYERS5_REFS['STFTSpectrogram angle 12/5 fft 16'];
    expect(y.shape).toEqual(ref.shape);
    expectClose(tfc.cos(y), ref.values.map(Math.cos), 1e-3);
    expectClose(tfc.sin(y), ref.values.map(Math.sin), 1e-3);
    tfc.dispose([x, y]);
    layer.dispose();
  });

  test('the kernels are trainable weights as Keras names them; their gradients equal central differences', () => {
    const layer = new L.STFTSpectrogram({ mode: 'psd', frameLength: 8, frameStep: 4, padding: 'same' });
    const x = tfc.variable(seq([1, 12, 1], 0.3));
    tfc.dispose(layer.apply(x));
    expect(layer.trainableWeights.map((w) => [w.name.split('/').pop(), w.shape])).toEqual([['real_kernel', [8, 1, 5]], ['imag_kernel', [8, 1, 5]]]);
    checkGradients('STFTSpectrogram', () => layer.apply(x) as tfc.Tensor, [...layer.trainableWeights.map((w) => w.value), x]);
    expect(new L.STFTSpectrogram({ mode: 'real' }).apply(seq([1, 300, 1])).shape).toEqual([1, 1, 129]);
    x.dispose();
    layer.dispose();
  });

  test('config, .keras/.h5, leaks and refusals', async () => {
    const layer = new L.STFTSpectrogram({ frameLength: 16, frameStep: 4, fftLength: 32, window: 'hamming', scaling: null });
    expect(layer.getConfig()).toMatchObject({ mode: 'log', frameLength: 16, frameStep: 4, fftLength: 32, window: 'hamming', periodic: false, scaling: null, padding: 'valid', expandDims: false, dataFormat: 'channels_last' });
    expect(new L.STFTSpectrogram(layer.getConfig() as never).getConfig()).toEqual({ ...layer.getConfig(), name: expect.any(String) });
    const x = signal();
    tfc.dispose(layer.apply(x));
    await expectNoLeak(() => tfc.dispose(layer.apply(x)));
    await expectRoundTrip(() => new L.STFTSpectrogram({ mode: 'psd', frameLength: 8, expandDims: true }), [40, 2], x);
    expect(() => new L.STFTSpectrogram({ frameLength: 8, frameStep: 9 })).toThrow(/`frameStep` must be an integer in \[1, frameLength = 8\].*help:/);
    expect(() => new L.STFTSpectrogram({ frameLength: 8, fftLength: 4 })).toThrow(/`fftLength` must be.*help:/);
    expect(() => new L.STFTSpectrogram({ mode: 'power' as never })).toThrow(/unknown `mode` 'power'.*help:/);
    expect(() => new L.STFTSpectrogram({ window: 'kaiser' as never })).toThrow(/unknown window 'kaiser'.*help:/);
    expect(() => new L.STFTSpectrogram().apply(k.Input({ shape: [40] }))).toThrow(/rank 3.*help:/);
    x.dispose();
    layer.dispose();
  });
});

describe('MelSpectrogram', () => {
  const audio = (): tfc.Tensor => tfc.tidy(() => tfc.add(seq([2, 200], 0.2), tfc.mul(0.5, tfc.sin(tfc.mul(tfc.range(0, 200), 0.31)))));

  test.each([
    ['MelSpectrogram fft 64 stride 16 rate 8000, 10 mels, dB', { fftLength: 64, sequenceStride: 16, samplingRate: 8000, numMelBins: 10 }],
    ['MelSpectrogram fft 64 window 48 stride 20, magnitude, 8 mels 100-3000 Hz, topDb 30', { fftLength: 64, sequenceLength: 48, sequenceStride: 20, samplingRate: 8000, numMelBins: 8, minFreq: 100, maxFreq: 3000, topDb: 30, magExp: 1 }],
  ] as Array<[string, k.layers.MelSpectrogramArgs]>)('%s equals NumPy', (name, options) => {
    const layer = new L.MelSpectrogram(options);
    const x = audio();
    const y = layer.apply(x) as tfc.Tensor;
    const ref = LAYERS5_REFS[name];
    expect(y.shape).toEqual(ref.shape);
    expect(layer.apply(k.Input({ shape: [200] })).shape.slice(1)).toEqual(ref.shape.slice(1));
    expectClose(y, ref.values, 2e-3);
    const one = layer.apply(tfc.slice(x, [0, 0], [1, -1]).reshape([200])) as tfc.Tensor;
    expect(one.shape).toEqual(ref.shape.slice(1));
    tfc.dispose([x, y, one]);
  });

  test('power output without decibels; config, .keras/.h5, leaks and refusals', async () => {
    const layer = new L.MelSpectrogram({ fftLength: 32, sequenceStride: 8, numMelBins: 6, powerToDb: false, samplingRate: 8000 });
    const x = audio();
    const y = layer.apply(x) as tfc.Tensor;
    expect(y.shape).toEqual([2, 6, 26]);
    expect(tfc.min(y).dataSync()[0]).toBeGreaterThanOrEqual(0);
    expect(layer.getConfig()).toMatchObject({ fftLength: 32, sequenceStride: 8, sequenceLength: 32, window: 'hann', samplingRate: 8000, numMelBins: 6, minFreq: 20, maxFreq: 4000, powerToDb: false, topDb: 80, magExp: 2, minPower: 1e-10, refPower: 1 });
    await expectNoLeak(() => tfc.dispose(layer.apply(x)));
    await expectRoundTrip(() => new L.MelSpectrogram({ fftLength: 32, sequenceStride: 8, numMelBins: 6 }), [200], x);
    expect(() => new L.MelSpectrogram({ fftLength: 32, sequenceLength: 64 })).toThrow(/`fftLength` \(32\) must be at least `sequenceLength` \(64\).*help:/);
    expect(() => new L.MelSpectrogram({ window: 'boxcar' as never })).toThrow(/unknown `window`.*help:/);
    expect(() => new L.MelSpectrogram({ fftLength: 64 }).apply(tfc.zeros([1, 20]))).toThrow(/too short.*help:/);
    tfc.dispose([x, y]);
  });
});
