/**
 * ConvLSTM1D/2D/3D against Keras's ConvLSTMCell step written out in PyTorch
 * (test/reference/layers5_references.py, numbers in layers5_refs.ts); gradients against central
 * differences; returnState, masks' shapes, configs, .keras/.h5 round trips, leaks and refusals.
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

type Case = [string, () => k.Layer, number[], number[], number, number];
const cases: Case[] = [
  ['ConvLSTM2D same, sequences', () => new L.ConvLSTM2D(3, 2, { padding: 'same', returnSequences: true, returnState: true }), [2, 3, 4, 4, 2], [2, 2], 2, 3],
  ['ConvLSTM2D valid strides 2', () => new L.ConvLSTM2D(2, [3, 2], { strides: 2, returnState: true }), [1, 3, 5, 5, 2], [3, 2], 2, 2],
  ['ConvLSTM1D valid dilation 2', () => new L.ConvLSTM1D({ filters: 3, kernelSize: 2, dilationRate: 2, returnSequences: true, returnState: true }), [2, 4, 6, 1], [2], 1, 3],
  ['ConvLSTM3D same', () => new L.ConvLSTM3D(2, [2, 2, 1], { padding: 'same', returnState: true }), [1, 2, 3, 3, 2, 1], [2, 2, 1], 1, 2],
];

describe.each(cases)('%s', (name, make, xShape, kernel, channels, filters) => {
  const weights = (): tfc.Tensor[] => [seq([...kernel, channels, 4 * filters], 1, 0.5), seq([...kernel, filters, 4 * filters], 2, 0.5), seq([4 * filters], 3, 0.5)];

  test('output, h and c equal the reference, with the symbolic shapes of the real ones', () => {
    const layer = make();
    const symbolic = layer.apply(k.Input({ shape: xShape.slice(1) })) as unknown as k.SymbolicTensor[];
    const w = weights();
    layer.setWeights(w);
    const x = seq(xShape);
    const [y, h, c] = layer.apply(x) as unknown as tfc.Tensor[];
    const ref = LAYERS5_REFS[name];
    expect(y.shape).toEqual(ref.shape);
    expect(symbolic.map((s) => s.shape.slice(1))).toEqual([y.shape.slice(1), h.shape.slice(1), c.shape.slice(1)]);
    expectClose(y, ref.values, 1e-5);
    expectClose(c, LAYERS5_REFS[`${name} c`].values, 1e-5);
    if (y.rank === h.rank) expectClose(h, ref.values, 1e-5); // the last output is h
    tfc.dispose([x, y, h, c, ...w]);
    layer.dispose();
  });

  test('leaves no tensor behind, in training and inference', async () => {
    const layer = make();
    const x = seq(xShape);
    tfc.dispose(layer.apply(x) as unknown as tfc.Tensor[]);
    await expectNoLeak(() => tfc.dispose(layer.apply(x, { training: true }) as unknown as tfc.Tensor[]));
    await expectNoLeak(() => tfc.dispose(layer.apply(x) as unknown as tfc.Tensor[]));
    x.dispose();
    layer.dispose();
  });
});

test('ConvLSTM2D: gradients of the kernels, bias and input equal central differences', () => {
  const layer = new L.ConvLSTM2D(2, 2, { padding: 'same', returnSequences: true });
  const x = tfc.variable(seq([1, 2, 3, 3, 1], 0.4));
  tfc.dispose(layer.apply(x));
  layer.setWeights([seq([2, 2, 1, 8], 1, 0.5), seq([2, 2, 2, 8], 2, 0.5), seq([8], 3, 0.5)]);
  checkGradients('ConvLSTM2D', () => layer.apply(x), [...layer.trainableWeights.map((w) => w.value), x]);
  x.dispose();
  layer.dispose();
});

test('ConvLSTM1D: weights as Keras names and shapes them, unitForgetBias, config round trip', () => {
  const layer = new L.ConvLSTM1D(4, 3, { padding: 'same' });
  tfc.dispose(layer.apply(tfc.zeros([2, 5, 7, 2])));
  expect(layer.weights.map((w) => [w.name.split('/').slice(-1)[0], w.shape])).toEqual([['kernel', [3, 2, 16]], ['recurrent_kernel', [3, 4, 16]], ['bias', [16]]]);
  expectClose((layer.bias as k.Weight).value, [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
  const config = layer.getConfig();
  expect(config).toMatchObject({ filters: 4, kernelSize: [3], strides: [1], padding: 'same', dilationRate: [1], recurrentActivation: 'sigmoid', unitForgetBias: true, returnSequences: false });
  expect(config.rank).toBeUndefined();
  expect(new L.ConvLSTM1D(config as never).getConfig()).toEqual({ ...config, name: expect.any(String) });
  layer.dispose();
});

test('refusals name the layer, the value and the fix', () => {
  expect(() => new L.ConvLSTM2D(2, 3, { strides: 2, dilationRate: 2 })).toThrow(/strides > 1 cannot go with dilationRate > 1.*help:/);
  expect(() => new L.ConvLSTM2D(2, 3, { dataFormat: 'channels_first' })).toThrow(/channels_first.*help:/);
  expect(() => new L.ConvLSTM2D(0, 3)).toThrow(/`filters` must be a positive integer, got 0.*help:/);
  expect(() => new L.ConvLSTM2D(2, 3, { unitz: 3 } as never)).toThrow(/unitz/);
  expect(() => new L.ConvLSTM2D(2, 3).apply(k.Input({ shape: [4, 8, 3] }))).toThrow(/expected input of rank 5.*help:/);
  expect(() => new L.ConvLSTM2D(2, 3).apply(k.Input({ shape: [4, null, 8, 3] }))).toThrow(/every dimension but the batch known.*help:/);
});

test('a masked step keeps the states (as Keras), and a stateful layer carries them', () => {
  const layer = new L.ConvLSTM1D(2, 2, { padding: 'same', returnSequences: true });
  const x = seq([1, 3, 4, 1]);
  const mask = tfc.tensor2d([[1, 0, 1]], [1, 3], 'bool');
  const masked = layer.apply(x, { mask }) as tfc.Tensor;
  const steps = tfc.unstack(masked, 1);
  expectClose(steps[1], Array.from(steps[0].dataSync())); // the masked step repeats the previous output
  const stateful = new L.ConvLSTM1D(2, 2, { padding: 'same', stateful: true });
  const a = stateful.apply(x) as tfc.Tensor;
  const b = stateful.apply(x) as tfc.Tensor;
  expect(tfc.max(tfc.abs(tfc.sub(a, b))).dataSync()[0]).toBeGreaterThan(1e-4);
  stateful.resetStates();
  const c = stateful.apply(x) as tfc.Tensor;
  expectClose(c, Array.from(a.dataSync()));
  tfc.dispose([x, mask, masked, ...steps, a, b, c]);
  layer.dispose();
  stateful.dispose();
});

test.each([
  ['ConvLSTM1D', () => new L.ConvLSTM1D(2, 2, { kernelInitializer: 'random_normal' }), [3, 5, 2]],
  ['ConvLSTM2D', () => new L.ConvLSTM2D(2, 2, { padding: 'same', returnSequences: true, recurrentDropout: 0.1 }), [2, 3, 3, 1]],
  ['ConvLSTM3D', () => new L.ConvLSTM3D(1, 2, { strides: [1, 2, 1] }), [2, 3, 4, 3, 1]],
] as Array<[string, () => k.Layer, number[]]>)('%s round-trips through .keras and .h5', async (_name, make, shape) => {
  k.utils.setRandomSeed(3);
  const x = tfc.randomNormal([2, ...shape], 0, 1, 'float32', 2);
  await expectRoundTrip(make, shape, x);
  x.dispose();
});

test('a model of ConvLSTM2D trains with fit (the loss falls) and fit leaks no tensor', async () => {
  k.utils.setRandomSeed(7);
  const model = new k.Sequential([
    new L.ConvLSTM2D(2, 2, { padding: 'same', inputShape: [3, 4, 4, 1] }),
    new L.Flatten(),
    new L.Dense(1),
  ]);
  model.compile({ optimizer: new k.optimizers.Adam({ learningRate: 0.05 }), loss: 'mse' });
  const x = seq([8, 3, 4, 4, 1], 0.2);
  const y = tfc.tidy(() => tfc.reshape(tfc.mean(x, [1, 2, 3, 4]), [8, 1]));
  await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
  const before = tfc.memory().numTensors;
  const history = await model.fit(x, y, { epochs: 15, batchSize: 4, verbose: 0 });
  expect(tfc.memory().numTensors).toBe(before);
  const losses = history.history.loss as number[];
  expect(losses[losses.length - 1]).toBeLessThan(losses[0] * 0.5);
  tfc.dispose([x, y]);
  model.dispose();
});
