/**
 * k.applications.DenseNet121/169/201: Keras's exact parameter counts
 * (test/reference/application_params_b.py), Keras's layer names, the options, a predict without
 * leaks, the 'torch' preprocessing of the densenet namespace, and Keras's 'imagenet' file names.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, testBackend } from '../helpers';
import { counts, flat, KERAS_APPS_URL, predictsWithoutLeak, withKerasHome } from './app_checks';

const A = k.applications;

beforeAll(async () => {
  await k.setBackend(testBackend());
});

// python3 test/reference/application_params_b.py: [total, trainable, non-trainable], with the top and without.
test.each([
  ['DenseNet121', [8062504, 7978856, 83648], [7037504, 6953856, 83648]],
  ['DenseNet169', [14307880, 14149480, 158400], [12642880, 12484480, 158400]],
  ['DenseNet201', [20242984, 20013928, 229056], [18321984, 18092928, 229056]],
] as const)("%s has Keras's parameter counts, with the top and without", async (name, top, notop) => {
  const withTop = await A[name]({ weights: null });
  expect(counts(withTop)).toEqual(top);
  expect(withTop.name).toBe(name.toLowerCase());
  withTop.dispose();
  const noTop = await A[name]({ weights: null, includeTop: false });
  expect(counts(noTop)).toEqual(notop);
  noTop.dispose();
});

test("Keras's layer names and shapes", async () => {
  const m = await A.DenseNet121({ weights: null });
  const shapes: Record<string, number[]> = {
    conv1_relu: [112, 112, 64], pool1: [56, 56, 64], conv2_block6_concat: [56, 56, 256], pool2_pool: [28, 28, 128],
    conv3_block12_concat: [28, 28, 512], pool3_conv: [28, 28, 256], conv4_block24_concat: [14, 14, 1024], conv5_block16_concat: [7, 7, 1024], relu: [7, 7, 1024],
  };
  for (const [name, shape] of Object.entries(shapes)) expect(m.getLayer(name).outputShape).toEqual([null, ...shape]);
  for (const name of ['conv1_conv', 'conv1_bn', 'conv2_block1_0_bn', 'conv2_block1_1_conv', 'conv2_block1_2_conv', 'pool4_relu', 'bn', 'avg_pool', 'predictions']) expect(m.getLayer(name).name).toBe(name);
  expect(m.getLayer('bn').getConfig()).toMatchObject({ epsilon: 1.001e-5 });
  m.dispose();
  const big = await A.DenseNet201({ weights: null, includeTop: false });
  expect(big.getLayer('conv4_block48_concat').outputShape).toEqual([null, null, null, 1792]); // no inputShape without the top: any size
  big.dispose();
});

test('pooling (named avg_pool / max_pool, as in Keras), classes, inputTensor, and bad options', async () => {
  const max = await A.DenseNet169({ weights: null, includeTop: false, pooling: 'max', inputShape: [64, 64, 3] });
  expect(max.outputs[0].shape).toEqual([null, 1664]);
  expect(max.getLayer('max_pool').className).toBe('GlobalMaxPooling2D');
  const input = k.Input({ shape: [64, 64, 3] });
  const fromTensor = await A.DenseNet121({ weights: null, includeTop: false, inputTensor: input, pooling: 'avg' });
  expect(fromTensor.inputs[0]).toBe(input);
  expect(fromTensor.getLayer('avg_pool').outputShape).toEqual([null, 1024]);
  [max, fromTensor].forEach((m) => m.dispose());
  await expect(A.DenseNet121({ weights: null, includeTop: false, inputShape: [64, 20, 3] })).rejects.toThrow(/DenseNet121: the input must be at least 32x32.*help:/);
  await expect(A.DenseNet201({ classes: 2 })).rejects.toThrow(/classes must be 1000, got 2.*help:/);
});

test('predict on one small image leaves no tensor behind', async () => {
  await predictsWithoutLeak(await A.DenseNet121({ weights: null, inputShape: [32, 32, 3], classes: 5 }));
});

test('fine-tuning a new head on a frozen base changes only the head (the BN moving statistics stay too)', async () => {
  const base = await A.DenseNet121({ weights: null, includeTop: false, pooling: 'avg', inputShape: [32, 32, 3] });
  base.trainable = false;
  const input = k.Input({ shape: [32, 32, 3] });
  const head = new k.layers.Dense({ units: 2, activation: 'softmax', name: 'new_head' });
  const model = new k.Model({ inputs: input, outputs: head.apply(base.apply(input)) });
  model.compile({ optimizer: new k.optimizers.SGD({ learningRate: 0.5 }), loss: 'sparseCategoricalCrossentropy' });
  const x = tfc.randomUniform([2, 32, 32, 3], 0, 1, 'float32', 5);
  const y = tfc.tensor1d([0, 1]);
  const snapshot = (layer: k.Layer): Float32Array[] => layer.getWeights().map((t) => {
    const values = (t.dataSync() as Float32Array).slice();
    t.dispose();
    return values;
  });
  const same = (a: Float32Array[], b: Float32Array[]): boolean => a.length === b.length && a.every((v, i) => Buffer.compare(Buffer.from(v.buffer), Buffer.from(b[i].buffer)) === 0);
  const before = snapshot(base);
  const headBefore = snapshot(head);
  await model.fit(x, y, { epochs: 1, batchSize: 2, verbose: 0 });
  expect(before.length).toBe(604); // 120 convolution kernels (no bias) and 121 BNs of 4 weights (moving statistics included)
  expect(same(snapshot(base), before)).toBe(true); // kernels, gammas, betas and moving means/variances alike
  expect(same(snapshot(head), headBefore)).toBe(false);
  expect(model.trainableWeights.map((w) => w.name)).toEqual(['new_head/kernel', 'new_head/bias']);
  tfc.dispose([x, y]);
  model.dispose();
});

test("densenet preprocesses in 'torch' mode (by hand: (x / 255 - mean) / std)", () => {
  // (1 - 0.485) / 0.229, (0 - 0.456) / 0.224, (0.5 - 0.406) / 0.225
  expectClose(flat(A.densenet.preprocessInput([[[[255, 0, 127.5]]]])), [2.2489083, -2.0357143, 0.4177778], 1e-5);
  expect(A.densenet.decodePredictions).toBe(A.imagenetUtils.decodePredictions);
  expect(A.densenet.DenseNet169).toBe(A.DenseNet169);
});

test("weights 'imagenet' loads a file placed in Keras's cache under Keras's file name", async () => {
  await withKerasHome(async (home) => {
    const source = await A.DenseNet121({ weights: null, includeTop: false });
    const target = path.join(home, 'models', 'densenet121_weights_tf_dim_ordering_tf_kernels_notop.h5');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    await source.saveWeights(target);
    const loaded = await A.DenseNet121({ includeTop: false });
    for (const name of ['conv1_conv', 'conv3_block7_1_bn', 'pool4_conv', 'bn']) {
      const a = source.getLayer(name).getWeights();
      const b = loaded.getLayer(name).getWeights();
      expect(b.length).toBe(a.length);
      a.forEach((t, i) => expect(Array.from(b[i].dataSync())).toEqual(Array.from(t.dataSync())));
      tfc.dispose([...a, ...b]);
    }
    source.dispose();
    loaded.dispose();
  });
});

test("weights 'imagenet' offline names Keras's URL and the exact cache path", async () => {
  await withKerasHome(async (home) => {
    for (const [build, file] of [
      [() => A.DenseNet121(), 'densenet121_weights_tf_dim_ordering_tf_kernels.h5'],
      [() => A.DenseNet169({ includeTop: false }), 'densenet169_weights_tf_dim_ordering_tf_kernels_notop.h5'],
      [() => A.DenseNet201(), 'densenet201_weights_tf_dim_ordering_tf_kernels.h5'],
    ] as const) {
      await expect(build()).rejects.toThrow(`${KERAS_APPS_URL}densenet/${file}`);
      await expect(build()).rejects.toThrow(path.join(home, 'models', file));
    }
  });
});
