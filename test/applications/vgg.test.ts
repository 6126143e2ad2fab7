/**
 * k.applications.VGG16 and VGG19: Keras's exact parameter counts (test/reference/application_params_b.py),
 * Keras's layer names, the options, a predict without leaks, the 'caffe' preprocessing of the
 * vgg16 / vgg19 namespaces, and Keras's 'imagenet' file names.
 */
import * as path from 'path';
import * as k from '../../src';
import { expectClose, testBackend } from '../helpers';
import { counts, flat, KERAS_APPS_URL, predictsWithoutLeak, withKerasHome } from './app_checks';

const A = k.applications;

beforeAll(async () => {
  await k.setBackend(testBackend());
});

// python3 test/reference/application_params_b.py: [total, trainable, non-trainable], with the top and without.
test.each([
  ['VGG16', [138357544, 138357544, 0], [14714688, 14714688, 0]],
  ['VGG19', [143667240, 143667240, 0], [20024384, 20024384, 0]],
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
  const m = await A.VGG19({ weights: null });
  for (const name of ['block1_conv1', 'block1_pool', 'block3_conv4', 'block5_conv4', 'block5_pool', 'flatten', 'fc1', 'fc2', 'predictions']) {
    expect(m.getLayer(name).name).toBe(name);
  }
  expect(m.getLayer('block5_pool').outputShape).toEqual([null, 7, 7, 512]);
  expect(m.getLayer('fc1').getConfig()).toMatchObject({ units: 4096, activation: 'relu' });
  m.dispose();
  const v16 = await A.VGG16({ weights: null, includeTop: false });
  expect(() => v16.getLayer('block3_conv4')).toThrow();
  expect(v16.layers.map((l) => l.name)).not.toContain('fc1');
  v16.dispose();
});

test('pooling (unnamed, as in Keras), classes, classifierActivation, inputTensor, and bad options', async () => {
  const avg = await A.VGG16({ weights: null, includeTop: false, pooling: 'avg', inputShape: [64, 64, 3] });
  expect(avg.outputs[0].shape).toEqual([null, 512]);
  expect(avg.layers[avg.layers.length - 1].className).toBe('GlobalAveragePooling2D');
  const few = await A.VGG19({ weights: null, classes: 3, classifierActivation: 'sigmoid', inputShape: [32, 32, 3] });
  expect(few.outputs[0].shape).toEqual([null, 3]);
  expect(few.getLayer('predictions').getConfig().activation).toBe('sigmoid');
  expect(few.getLayer('fc1').weights[0].shape).toEqual([512, 4096]); // flatten of the 1x1x512 map
  const input = k.Input({ shape: [64, 64, 3] });
  const fromTensor = await A.VGG16({ weights: null, includeTop: false, inputTensor: input });
  expect(fromTensor.inputs[0]).toBe(input);
  expect(fromTensor.outputs[0].shape).toEqual([null, 2, 2, 512]);
  [avg, few, fromTensor].forEach((m) => m.dispose());
  await expect(A.VGG16({ weights: null, includeTop: false, inputShape: [16, 16, 3] })).rejects.toThrow(/VGG16: the input must be at least 32x32.*help:/);
  await expect(A.VGG19({ classifierActivation: 'relu' })).rejects.toThrow(/classifierActivation must be 'softmax' or null.*help:/);
});

test('predict on one small image leaves no tensor behind', async () => {
  await predictsWithoutLeak(await A.VGG16({ weights: null, inputShape: [32, 32, 3], classes: 5 }));
});

test("vgg16 and vgg19 preprocess in 'caffe' mode (by hand), and decode with imagenetUtils", () => {
  expectClose(flat(A.vgg16.preprocessInput([[[[255, 0, 127.5]]]])), [23.561, -116.779, 131.32], 1e-4);
  expectClose(flat(A.vgg19.preprocessInput([[[[0, 255, 255]]]])), [151.061, 138.221, -123.68], 1e-4);
  expect(A.vgg16.decodePredictions).toBe(A.imagenetUtils.decodePredictions);
  expect(A.vgg19.VGG19).toBe(A.VGG19);
});

test("weights 'imagenet' offline names Keras's URL and the exact cache path", async () => {
  await withKerasHome(async (home) => {
    for (const [build, file] of [
      [() => A.VGG16(), 'vgg16/vgg16_weights_tf_dim_ordering_tf_kernels.h5'],
      [() => A.VGG19({ includeTop: false }), 'vgg19/vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5'],
    ] as const) {
      await expect(build()).rejects.toThrow(`${KERAS_APPS_URL}${file}`);
      await expect(build()).rejects.toThrow(path.join(home, 'models', path.basename(file)));
    }
  });
});
