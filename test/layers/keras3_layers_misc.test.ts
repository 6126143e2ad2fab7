/**
 * The Keras 3 layers of issue 24 without a PyTorch reference: padding, cropping and upsampling in
 * 1-D and 3-D (worked by hand), the random layers' structure and statistics (SpatialDropout1D/3D,
 * AlphaDropout with Keras's formulas), ActivityRegularization's penalty, Identity, the lowercase
 * merge functions, and the refusals (channels_first, bad options) with their fixes.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, expectNoLeak } from '../helpers';

const L = k.layers;
const range = (shape: number[]): tfc.Tensor => tfc.tensor(Array.from({ length: shape.reduce((p, q) => p * q, 1) }, (_, i) => i + 1), shape);

beforeAll(async () => {
  await k.setBackend('cpu');
});

test('ZeroPadding1D, Cropping1D and UpSampling1D on [1, 3, 1] = [1, 2, 3]', () => {
  const x = range([1, 3, 1]);
  expectClose(new L.ZeroPadding1D([2, 1]).apply(x), [0, 0, 1, 2, 3, 0]);
  expectClose(new L.ZeroPadding1D().apply(x), [0, 1, 2, 3, 0]);
  expectClose(new L.Cropping1D([1, 0]).apply(x), [2, 3]);
  expectClose(new L.Cropping1D().apply(x), [2]);
  expectClose(new L.UpSampling1D().apply(x), [1, 1, 2, 2, 3, 3]);
  expectClose(new L.UpSampling1D(3).apply(x), [1, 1, 1, 2, 2, 2, 3, 3, 3]);
});

test('ZeroPadding3D, Cropping3D and UpSampling3D on a [1, 2, 2, 2, 1] volume of 1..8, leaking nothing', async () => {
  const x = range([1, 2, 2, 2, 1]);
  const padded = new L.ZeroPadding3D([[1, 0], [0, 0], [0, 1]]).apply(x);
  expect(padded.shape).toEqual([1, 3, 2, 3, 1]);
  // depth 0 is zeros; then each row [a, b] gains a trailing 0
  expectClose(padded, [0, 0, 0, 0, 0, 0, 1, 2, 0, 3, 4, 0, 5, 6, 0, 7, 8, 0]);
  expect(new L.ZeroPadding3D().apply(x).shape).toEqual([1, 4, 4, 4, 1]);
  expectClose(new L.Cropping3D([[1, 0], [0, 1], [1, 0]]).apply(x), [6]);
  expect(() => new L.Cropping3D().apply(x)).toThrow(/Cropping3D\): cropping \[\[1,1\],\[1,1\],\[1,1\]\] removes all of input \(None, 2, 2, 2, 1\)|removes all/);
  const up = new L.UpSampling3D([1, 1, 2]).apply(x);
  expectClose(up, [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8]);
  expect(new L.UpSampling3D().apply(x).shape).toEqual([1, 4, 4, 4, 1]);
  expect(new L.UpSampling3D().getConfig().size).toEqual([2, 2, 2]);
  const layers = [new L.ZeroPadding3D(), new L.Cropping3D([[1, 0], [0, 0], [0, 0]]), new L.UpSampling3D(), new L.UpSampling1D(), new L.ZeroPadding1D(), new L.Cropping1D([0, 1])];
  for (const layer of layers) {
    const input = layer.className.endsWith('1D') ? tfc.reshape(x, [1, 8, 1]) : x;
    tfc.dispose(layer.apply(input));
    await expectNoLeak(() => tfc.dispose(layer.apply(input)));
    if (input !== x) input.dispose();
  }
  x.dispose();
});

test('configs carry Keras 3\'s shapes: 1-D margins as [before, after], 3-D as three pairs', () => {
  expect(new L.ZeroPadding1D(2).getConfig().padding).toEqual([2, 2]);
  expect(new L.Cropping1D().getConfig().cropping).toEqual([1, 1]);
  expect(new L.ZeroPadding3D([1, 2, 3]).getConfig().padding).toEqual([[1, 1], [2, 2], [3, 3]]);
  expect(new L.Cropping3D().getConfig().cropping).toEqual([[1, 1], [1, 1], [1, 1]]);
});

test('SpatialDropout1D and SpatialDropout3D drop whole channels, scale the rest, and pass through in inference', () => {
  const x1 = tfc.ones([4, 6, 8]);
  const y1 = new L.SpatialDropout1D(0.5, { seed: 1 }).apply(x1, { training: true });
  const v1 = y1.arraySync() as number[][][];
  for (const sample of v1) {
    for (let c = 0; c < 8; c++) {
      const column = sample.map((step) => step[c]);
      expect(new Set(column).size).toBe(1); // the channel is kept or dropped at every step
      expect([0, 2]).toContain(column[0]);
    }
  }
  expect(v1.flat(2)).toEqual(expect.arrayContaining([0, 2]));
  const x3 = tfc.ones([2, 2, 3, 2, 5]);
  const y3 = new L.SpatialDropout3D(0.4, { seed: 2 }).apply(x3, { training: true });
  const flat3 = Array.from(y3.dataSync());
  for (let n = 0; n < 2; n++) {
    for (let c = 0; c < 5; c++) {
      const values = new Set(Array.from({ length: 12 }, (_, p) => flat3[n * 60 + p * 5 + c]));
      expect(values.size).toBe(1);
    }
  }
  expectClose(new L.SpatialDropout3D(0.4).apply(x3), Array.from(x3.dataSync()));
  expect(() => new L.SpatialDropout1D(0.2).apply(tfc.ones([2, 3, 4, 5]))).toThrow(/SpatialDropout1D\): expected input of rank 3/);
  tfc.dispose([x1, y1, x3, y3]);
});

test('AlphaDropout keeps a unit Gaussian\'s mean and variance, and sets dropped units to a·(−λα) + b', () => {
  const rate = 0.2;
  const x = tfc.randomNormal([200000], 0, 1, 'float32', 4);
  const y = new L.AlphaDropout(rate, { seed: 9 }).apply(x, { training: true });
  const { mean, variance } = tfc.moments(y);
  expect(Math.abs(mean.dataSync()[0])).toBeLessThan(0.01);
  expect(Math.abs(variance.dataSync()[0] - 1)).toBeLessThan(0.02);
  // Keras's constants, by hand: alphaP = −1.0507009873554805 · 1.6732632423543772 = −1.7580993408473766
  const alphaP = -1.7580993408473766;
  const a = ((1 - rate) * (1 + rate * alphaP * alphaP)) ** -0.5;
  const b = -a * alphaP * rate;
  const dropped = a * alphaP + b;
  const values = Array.from(y.dataSync());
  const share = values.filter((v) => Math.abs(v - dropped) < 1e-5).length / values.length;
  expect(share).toBeGreaterThan(0.19);
  expect(share).toBeLessThan(0.21);
  expectClose(new L.AlphaDropout(rate).apply(x), Array.from(x.dataSync()));
  tfc.dispose([x, y, mean, variance]);
});

test('ActivityRegularization adds l1·sum|x| + l2·sum x² (averaged over the batch as Keras\'s fit) and passes x through', async () => {
  const inputs = k.Input({ shape: [2] });
  const model = new k.Model({ inputs, outputs: new L.ActivityRegularization({ l1: 0.1, l2: 0.2 }).apply(inputs) });
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const x = tfc.tensor2d([[1, -2]]);
  // mse(x, x) = 0; penalty = 0.1 · (1 + 2) + 0.2 · (1 + 4) = 1.3, batch of one
  const [loss] = await model.evaluate(x, x);
  expect(loss).toBeCloseTo(1.3, 5);
  expect(new L.ActivityRegularization().getConfig()).toMatchObject({ l1: 0, l2: 0 });
  expect(new L.ActivityRegularization().getConfig()).not.toHaveProperty('activityRegularizer');
  x.dispose();
  model.dispose();
});

test('Identity returns its input, keeps masks, and leaks nothing', async () => {
  const x = range([2, 3]);
  const layer = new L.Identity();
  expectClose(layer.apply(x), [1, 2, 3, 4, 5, 6]);
  expect(layer.supportsMasking).toBe(true);
  await expectNoLeak(() => tfc.dispose(layer.apply(x)));
  x.dispose();
});

test('the lowercase merge functions build the layer and apply it, on symbolic and real tensors', async () => {
  const a = tfc.tensor2d([[1, 2], [3, 4]]);
  const b = tfc.tensor2d([[5, 6], [7, 9]]);
  expectClose(L.add([a, b]), [6, 8, 10, 13]);
  expectClose(L.subtract([a, b]), [-4, -4, -4, -5]);
  expectClose(L.multiply([a, b]), [5, 12, 21, 36]);
  expectClose(L.average([a, b]), [3, 4, 5, 6.5]);
  expectClose(L.maximum([a, b]), [5, 6, 7, 9]);
  expectClose(L.minimum([a, b]), [1, 2, 3, 4]);
  expectClose(L.concatenate([a, b]), [1, 2, 5, 6, 3, 4, 7, 9]);
  const [a3, b3] = [tfc.reshape(a, [1, 2, 2]), tfc.reshape(b, [1, 2, 2])];
  expectClose(L.concatenate([a3, b3], { axis: 1 }), [1, 2, 3, 4, 5, 6, 7, 9]);
  tfc.dispose([a3, b3]);
  expectClose(L.dot([a, b]), [17, 57]);
  expectClose(L.dot([a, b], { axes: 1, normalize: true }), [17 / Math.sqrt(5 * 61), 57 / Math.sqrt(25 * 130)], 1e-6);
  await expectNoLeak(() => tfc.dispose(L.add([a, b])));
  const x = k.Input({ shape: [2] });
  const y = k.Input({ shape: [2] });
  const out = L.concatenate([L.add([x, y], { name: 'sum' }), L.dot([x, y])]);
  expect(out.shape).toEqual([null, 3]);
  const model = new k.Model({ inputs: [x, y], outputs: out });
  expect(model.getLayer('sum').className).toBe('Add');
  expectClose(model.predict([a, b]) as tfc.Tensor, [6, 8, 17, 10, 13, 57]);
  tfc.dispose([a, b]);
  model.dispose();
});

test.each<[string, () => unknown, RegExp]>([
  ['Conv3D channels_first', () => new L.Conv3D(2, 3, { dataFormat: 'channels_first' }), /Conv3D 'conv3d(_\d+)?': dataFormat 'channels_first' is not supported.*help: transpose the data to channels-last/],
  ['AdaptiveAveragePooling2D channels_first', () => new L.AdaptiveAveragePooling2D(2, { dataFormat: 'channels_first' }), /AdaptiveAveragePooling2D .*'channels_first' is not supported/],
  ['MaxPooling3D channels_first', () => new L.MaxPooling3D(2, { dataFormat: 'channels_first' }), /MaxPooling3D .*'channels_first' is not supported/],
  ['UpSampling3D channels_first', () => new L.UpSampling3D(2, { dataFormat: 'channels_first' }), /UpSampling3D .*'channels_first' is not supported/],
  ['Conv1DTranspose causal', () => new L.Conv1DTranspose(2, 3, { padding: 'causal' }), /Conv1DTranspose '.*': unknown `padding` 'causal'\. help: use 'valid' or 'same'/],
  ['DepthwiseConv1D causal', () => new L.DepthwiseConv1D(3, { padding: 'causal' }), /unknown `padding` 'causal'/],
  ['AdaptiveMaxPooling1D without outputSize', () => new (L.AdaptiveMaxPooling1D as unknown as new () => unknown)(), /AdaptiveMaxPooling1D '.*': `outputSize` is required\. help: pass e\.g\. \{outputSize: 4\}/],
  ['GroupNormalization groups 0', () => new L.GroupNormalization(0), /GroupNormalization '.*': `groups` must be a positive integer or -1, got 0\. help/],
  ['GroupNormalization groups not dividing', () => new L.GroupNormalization(4).apply(tfc.zeros([1, 6])), /6 channels .* cannot be split into 4 groups\. help: choose groups dividing/],
  ['AlphaDropout rate 2', () => new L.AlphaDropout(2), /AlphaDropout '.*': `rate` must be a number in \[0, 1\], got 2\. help/],
  ['EinsumDense bad equation', () => new L.EinsumDense('ab->b', 3), /EinsumDense '.*': `equation` must read like 'ab,bc->ac'.*help/],
  ['EinsumDense output mismatch', () => new L.EinsumDense('ab,bc->ac', [3, 4]).apply(k.Input({ shape: [2] })), /outputShape \[3,4\] does not match the output 'ac'.*help: check the equation/],
  ['PReLU sharedAxes 0', () => new L.PReLU({ sharedAxes: 0 }), /PReLU '.*': `sharedAxes` must be axes >= 1/],
  ['ActivityRegularization negative', () => new L.ActivityRegularization(-1), /ActivityRegularization: `l1` must be a non-negative number, got -1/],
])('%s is refused with the fix', (_name, make, message) => {
  expect(make).toThrow(message);
});

test('GroupNormalization with groups -1 is instance normalization; groups 1 normalizes all but the batch', () => {
  const x = tfc.tensor3d([[[1, 10], [3, 30]]]); // one sample, 2 steps, 2 channels
  // per channel over steps: [1, 3] -> ±1/sqrt(1 + eps), [10, 30] -> ±10/sqrt(100 + eps)
  const e = 1e-3;
  expectClose(new L.GroupNormalization(-1).apply(x), [-1 / Math.sqrt(1 + e), -10 / Math.sqrt(100 + e), 1 / Math.sqrt(1 + e), 10 / Math.sqrt(100 + e)], 1e-5);
  const all = [1, 10, 3, 30];
  const mean = all.reduce((p, q) => p + q) / 4;
  const variance = all.reduce((p, q) => p + (q - mean) ** 2, 0) / 4;
  expectClose(new L.GroupNormalization(1).apply(x), all.map((v) => (v - mean) / Math.sqrt(variance + e)), 1e-5);
  x.dispose();
});
