/**
 * The models whose kernels issues 21 and 23 moved into the addon train and predict on 'native'
 * with nothing on tfjs's JavaScript CPU kernels, as k.backendReport() counts them: a small
 * MobileNet-style convolutional model (ZeroPadding2D, DepthwiseConv2D with a channel multiplier,
 * SeparableConv2D, BatchNormalization, ReLU(6), and RandomRotation / RandomTranslation, whose shared
 * affine transform runs in training) and an Embedding into two Bidirectional LSTMs and a goBackwards LSTM.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../../src';
import { nativeBuilt } from '../../helpers';

const onNative = nativeBuilt() ? describe : describe.skip;
const L = k.layers;

/** The kernels this work made native: none may be in the report. */
const MOVED = ['DepthwiseConv2dNative', 'DepthwiseConv2dNativeBackpropInput', 'DepthwiseConv2dNativeBackpropFilter', 'FusedDepthwiseConv2D',
  'Reverse', 'Transform', 'Pack', 'Unpack', 'PadV2', 'MirrorPad', 'UnsortedSegmentSum', 'Slice'];

async function fallbacksOf(model: k.Sequential, x: tfc.Tensor, y: tfc.Tensor): Promise<Record<string, number>> {
  k.resetFallbackReport();
  await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
  tfc.dispose(model.predict(x) as tfc.Tensor);
  return k.backendReport().fallbacks;
}

onNative('fit and predict on native run no kernel on the CPU fallback', () => {
  beforeAll(async () => {
    await k.setBackend('native');
  });
  afterAll(async () => {
    await k.setBackend('cpu');
  });

  test('a MobileNet-style model: depthwise and separable convolutions, padding, augmentation', async () => {
    const before = tfc.memory().numTensors;
    k.utils.setRandomSeed(3);
    const model = new k.Sequential([
      new L.RandomRotation({ factor: 0.1, fillMode: 'reflect', inputShape: [12, 12, 3] }),
      new L.RandomTranslation({ heightFactor: 0.1, widthFactor: 0.1, fillMode: 'constant' }),
      new L.ZeroPadding2D({ padding: 1 }),
      new L.DepthwiseConv2D({ kernelSize: 3, strides: 2, depthMultiplier: 2, useBias: false }),
      new L.BatchNormalization(),
      new L.ReLU({ maxValue: 6 }),
      new L.SeparableConv2D({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }),
      new L.DepthwiseConv2D({ kernelSize: 3, padding: 'same', dilationRate: 2 }),
      new L.GlobalAveragePooling2D(),
      new L.Dense({ units: 3, activation: 'softmax' }),
    ]);
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
    const x = tfc.randomUniform([16, 12, 12, 3], 0, 1, 'float32', 1);
    const y = tfc.tensor1d(Array.from({ length: 16 }, (_, i) => i % 3));
    const fallbacks = await fallbacksOf(model, x, y);
    expect(Object.keys(fallbacks).filter((name) => MOVED.includes(name))).toEqual([]);
    expect(fallbacks).toEqual({});
    tfc.dispose([x, y]);
    model.dispose();
    expect(tfc.memory().numTensors).toBe(before);
  });

  test('an Embedding into two Bidirectional LSTMs and a goBackwards LSTM', async () => {
    const before = tfc.memory().numTensors;
    k.utils.setRandomSeed(4);
    const model = new k.Sequential([
      new L.Embedding({ inputDim: 30, outputDim: 8, inputShape: [10] }),
      new L.Bidirectional({ layer: new L.LSTM({ units: 6, returnSequences: true }) }),
      new L.Bidirectional({ layer: new L.LSTM({ units: 5, returnSequences: true }) }),
      new L.LSTM({ units: 4, goBackwards: true }),
      new L.Dense({ units: 1, activation: 'sigmoid' }),
    ]);
    model.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
    const x = tfc.tensor2d(Array.from({ length: 16 * 10 }, (_, i) => (i * 7) % 30), [16, 10]);
    const y = tfc.tensor1d(Array.from({ length: 16 }, (_, i) => i % 2));
    const fallbacks = await fallbacksOf(model, x, y);
    expect(Object.keys(fallbacks).filter((name) => MOVED.includes(name))).toEqual([]);
    expect(fallbacks).toEqual({});
    tfc.dispose([x, y]);
    model.dispose();
    expect(tfc.memory().numTensors).toBe(before);
  });
});
