import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, expectNoLeak, testBackend } from '../helpers';

beforeAll(async () => {
  await k.setBackend(testBackend());
});

test('Dense forward with sigmoid matches NumPy', () => {
  // Reference: test/reference/make_references.py (dense_sigmoid)
  const layer = new k.layers.Dense({ units: 2, activation: 'sigmoid' });
  const x = tfc.tensor2d([[0.1, -0.2, 0.3], [0.5, 0.4, -0.6]]);
  layer.apply(x).dispose(); // builds
  layer.setWeights([[[0.2, -0.1], [0.4, 0.3], [-0.5, 0.25]], [0.05, -0.02]]);
  const y = layer.apply(x);
  expectClose(y, [[0.4600851154, 0.4962500703], [0.6479408021, 0.4750208125]]);
  tfc.dispose([x, y]);
  layer.dispose();
});

test('Dense applies to the last axis of a 3-D input', () => {
  const layer = new k.layers.Dense({ units: 1, useBias: false, kernelInitializer: 'ones' });
  const x = tfc.tensor3d([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
  const y = layer.apply(x);
  expect(y.shape).toEqual([2, 2, 1]);
  expectClose(y, [3, 7, 11, 15]);
  tfc.dispose([x, y]);
});

test('Dense symbolic apply gives the output shape and creates kernel and bias', () => {
  const inputs = k.Input({ shape: [784] });
  const dense = new k.layers.Dense({ units: 64 });
  const out = dense.apply(inputs);
  expect(out.shape).toEqual([null, 64]);
  expect(dense.weights.map((w) => w.shape)).toEqual([[784, 64], [64]]);
  expect(dense.countParams()).toBe(784 * 64 + 64);
});

test('glorot_uniform kernel values lie within the Glorot limit', () => {
  const dense = new k.layers.Dense({ units: 30 });
  dense.apply(k.Input({ shape: [20] }));
  const [kernel, bias] = dense.getWeights();
  const limit = Math.sqrt(6 / (20 + 30)); // Glorot & Bengio 2010
  const values = Array.from(kernel.dataSync());
  expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(limit);
  expect(Math.max(...values.map(Math.abs))).toBeGreaterThan(limit * 0.8);
  expect(Array.from(bias.dataSync()).every((v) => v === 0)).toBe(true);
  tfc.dispose([kernel, bias]);
  dense.dispose();
});

test('config round-trips through fromConfig', () => {
  const dense = new k.layers.Dense({ units: 7, activation: 'leakyRelu', useBias: false, kernelInitializer: 'he_normal', name: 'probe' });
  const copy = k.layers.Dense.fromConfig(dense.getConfig());
  expect(copy.getConfig()).toEqual(dense.getConfig());
  expect(copy.getConfig()).toMatchObject({ units: 7, activation: 'leaky_relu', useBias: false, name: 'probe' });
});

test('bad arguments name the layer, the value and the fix', () => {
  expect(() => new k.layers.Dense({ units: -3 })).toThrow(/Dense: `units` must be a positive integer, got -3\. help: pass e\.g\. \{units: 32\}/);
  expect(() => new k.layers.Dense({ units: 3, activation: 'sigmod' as 'sigmoid' })).toThrow(/unknown activation 'sigmod'.*'sigmoid'/);
  expect(() => new k.layers.Dense({ units: 3, kernelInitializer: 'glorot' as 'glorot_normal' })).toThrow(
    /unknown initializer 'glorot'.*'glorot_uniform'/,
  );
});

test('apply on tensors leaks nothing', async () => {
  const dense = new k.layers.Dense({ units: 4, activation: 'relu' });
  const x = tfc.ones([3, 5]);
  dense.apply(x).dispose(); // builds: creates 2 weights
  await expectNoLeak(() => dense.apply(x).dispose());
  x.dispose();
  dense.dispose();
});

test('a sigmoid Dense output trains with binary cross-entropy even when saturated: the gradient is taken from its logits', () => {
  // z = 2·10 = 20, p = sigmoid(20) = 1 - 2e-9 (1 in float32), target 0. With the loss taken from
  // clipped probabilities the gradient would vanish; from the logits dL/dz = p - t = 1, so one SGD
  // step of 0.1 moves the kernel by 0.1 · x · 1 = 0.2 (by hand), and the bias by 0.1.
  const inputs = k.Input({ shape: [1] });
  const outputs = new k.layers.Dense({ units: 1, activation: 'sigmoid', kernelInitializer: new k.initializers.Constant({ value: 10 }) }).apply(inputs);
  const model = new k.Model({ inputs, outputs });
  model.compile({ optimizer: new k.optimizers.SGD({ learningRate: 0.1 }), loss: 'binary_crossentropy' });
  model.trainOnBatch(new Float32Array([2]), new Float32Array([0]));
  const [kernel, bias] = model.getWeights();
  expectClose(kernel, [[9.8]], 1e-5);
  expectClose(bias, [-0.1], 1e-6);
  tfc.dispose([kernel, bias]);
  model.dispose();
});

