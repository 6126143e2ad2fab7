/**
 * k.applications.Xception: Keras's exact parameter counts (test/reference/application_params_b.py),
 * Keras's layer names, the options, a predict without leaks, the 'tf' preprocessing of the xception
 * namespace, and Keras's 'imagenet' file names.
 */
import * as path from 'path';
import * as k from '../../src';
import { expectClose, testBackend } from '../helpers';
import { counts, flat, KERAS_APPS_URL, predictsWithoutLeak, withKerasHome } from './app_checks';

const { Xception, xception } = k.applications;

beforeAll(async () => {
  await k.setBackend(testBackend());
});

test("Keras's parameter counts, with the top and without (python3 test/reference/application_params_b.py)", async () => {
  const top = await Xception({ weights: null });
  expect(counts(top)).toEqual([22910480, 22855952, 54528]);
  expect(top.name).toBe('xception');
  expect(top.inputs[0].shape).toEqual([null, 299, 299, 3]);
  top.dispose();
  const notop = await Xception({ weights: null, includeTop: false });
  expect(counts(notop)).toEqual([20861480, 20806952, 54528]);
  notop.dispose();
});

test("Keras's layer names and shapes", async () => {
  const m = await Xception({ weights: null });
  const shapes: Record<string, number[]> = {
    block1_conv1_act: [149, 149, 32], block1_conv2_act: [147, 147, 64], block2_pool: [74, 74, 128], block4_pool: [19, 19, 728],
    block12_sepconv3_bn: [19, 19, 728], block13_pool: [10, 10, 1024], block14_sepconv2_act: [10, 10, 2048],
  };
  for (const [name, shape] of Object.entries(shapes)) expect(m.getLayer(name).outputShape).toEqual([null, ...shape]);
  for (const name of ['block2_sepconv1', 'block2_sepconv2_act', 'block5_sepconv1_act', 'block14_sepconv1_bn', 'avg_pool', 'predictions']) expect(m.getLayer(name).name).toBe(name);
  expect(() => m.getLayer('block2_sepconv1_act')).toThrow(); // block 2 starts without a ReLU, as in Keras
  expect(m.layers.filter((l) => l.className === 'SeparableConv2D').length).toBe(34);
  expect(m.getLayer('block2_sepconv1').weights.map((w) => w.shape)).toEqual([[3, 3, 64, 1], [1, 1, 64, 128]]);
  m.dispose();
});

test('pooling, classes, inputTensor, and bad options', async () => {
  const max = await Xception({ weights: null, includeTop: false, pooling: 'max', inputShape: [71, 71, 3] });
  expect(max.outputs[0].shape).toEqual([null, 2048]);
  const input = k.Input({ shape: [96, 96, 3] });
  const fromTensor = await Xception({ weights: null, includeTop: false, inputTensor: input });
  expect(fromTensor.inputs[0]).toBe(input);
  expect(fromTensor.outputs[0].shape).toEqual([null, 3, 3, 2048]);
  [max, fromTensor].forEach((m) => m.dispose());
  await expect(Xception({ weights: null, includeTop: false, inputShape: [70, 80, 3] })).rejects.toThrow(/Xception: the input must be at least 71x71.*help:/);
  await expect(Xception({ weights: null, includeTop: false, inputShape: [80, 80] })).rejects.toThrow(/inputShape must be three numbers.*help:/);
});

test('predict on one small image leaves no tensor behind', async () => {
  await predictsWithoutLeak(await Xception({ weights: null, inputShape: [71, 71, 3], classes: 5 }));
});

test("xception preprocesses in 'tf' mode (by hand: x / 127.5 - 1)", () => {
  expectClose(flat(xception.preprocessInput([[[[255, 0, 63.75]]]])), [1, -1, -0.5], 1e-6);
  expect(xception.decodePredictions).toBe(k.applications.imagenetUtils.decodePredictions);
});

test("weights 'imagenet' offline names Keras's URL and the exact cache path", async () => {
  await withKerasHome(async (home) => {
    const file = 'xception_weights_tf_dim_ordering_tf_kernels_notop.h5';
    await expect(Xception({ includeTop: false })).rejects.toThrow(`${KERAS_APPS_URL}xception/${file}`);
    await expect(Xception({ includeTop: false })).rejects.toThrow(path.join(home, 'models', file));
    await expect(Xception()).rejects.toThrow(`${KERAS_APPS_URL}xception/xception_weights_tf_dim_ordering_tf_kernels.h5`);
  });
});
