/**
 * k.applications.ResNet50/101/152 and ResNet50V2/101V2/152V2: Keras's exact parameter counts
 * (test/reference/application_params_b.py), Keras's layer and model names, the options, a predict
 * without leaks, the module namespaces' preprocessing mode, and Keras's 'imagenet' file names.
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
const KERAS_COUNTS = {
  ResNet50: [[25636712, 25583592, 53120], [23587712, 23534592, 53120]],
  ResNet101: [[44707176, 44601832, 105344], [42658176, 42552832, 105344]],
  ResNet152: [[60419944, 60268520, 151424], [58370944, 58219520, 151424]],
  ResNet50V2: [[25613800, 25568360, 45440], [23564800, 23519360, 45440]],
  ResNet101V2: [[44675560, 44577896, 97664], [42626560, 42528896, 97664]],
  ResNet152V2: [[60380648, 60236904, 143744], [58331648, 58187904, 143744]],
} as const;

test.each(Object.entries(KERAS_COUNTS))("%s has Keras's parameter counts, with the top and without", async (name, [top, notop]) => {
  const build = A[name as keyof typeof KERAS_COUNTS];
  const withTop = await build({ weights: null });
  expect(counts(withTop)).toEqual(top);
  expect(withTop.name).toBe(name.toLowerCase());
  withTop.dispose();
  const noTop = await build({ weights: null, includeTop: false });
  expect(counts(noTop)).toEqual(notop);
  noTop.dispose();
});

test("Keras's layer names", async () => {
  const v1 = await A.ResNet50({ weights: null });
  for (const name of ['conv1_pad', 'conv1_conv', 'conv1_bn', 'conv1_relu', 'pool1_pad', 'pool1_pool', 'conv2_block1_0_conv', 'conv2_block1_add', 'conv4_block6_out', 'conv5_block3_3_bn', 'conv5_block3_out', 'avg_pool', 'predictions']) {
    expect(v1.getLayer(name).name).toBe(name);
  }
  expect(v1.getLayer('conv5_block3_out').outputShape).toEqual([null, 7, 7, 2048]);
  expect(v1.getLayer('conv1_bn').getConfig()).toMatchObject({ epsilon: 1.001e-5 });
  v1.dispose();
  const v2 = await A.ResNet50V2({ weights: null });
  for (const name of ['conv1_conv', 'conv2_block1_preact_bn', 'conv2_block3_2_pad', 'conv4_block6_out', 'conv5_block3_out', 'post_bn', 'post_relu', 'avg_pool', 'predictions']) {
    expect(v2.getLayer(name).name).toBe(name);
  }
  expect(() => v2.getLayer('conv1_bn')).toThrow(); // pre-activation: no BN after conv1
  expect(v2.getLayer('conv2_block3_1_conv').getConfig()).toMatchObject({ useBias: false });
  expect(v2.getLayer('post_relu').outputShape).toEqual([null, 7, 7, 2048]);
  v2.dispose();
});

test('pooling, classes, classifierActivation, inputShape and inputTensor', async () => {
  const avg = await A.ResNet50({ weights: null, includeTop: false, pooling: 'avg', inputShape: [64, 64, 3] });
  expect(avg.outputs[0].shape).toEqual([null, 2048]);
  expect(avg.getLayer('avg_pool').className).toBe('GlobalAveragePooling2D');
  const max = await A.ResNet50V2({ weights: null, includeTop: false, pooling: 'max', inputShape: [64, 64, 3] });
  expect(max.outputs[0].shape).toEqual([null, 2048]);
  expect(max.getLayer('max_pool').className).toBe('GlobalMaxPooling2D');
  const free = await A.ResNet101({ weights: null, includeTop: false });
  expect(free.inputs[0].shape).toEqual([null, null, null, 3]);
  const few = await A.ResNet50({ weights: null, classes: 7, classifierActivation: null, name: 'mine' });
  expect(few.name).toBe('mine');
  expect(few.outputs[0].shape).toEqual([null, 7]);
  expect(few.getLayer('predictions').getConfig().activation).toBe('linear');
  const input = k.Input({ shape: [96, 96, 3] });
  const fromTensor = await A.ResNet50({ weights: null, includeTop: false, inputTensor: input });
  expect(fromTensor.inputs[0]).toBe(input);
  expect(fromTensor.outputs[0].shape).toEqual([null, 3, 3, 2048]);
  [avg, max, free, few, fromTensor].forEach((m) => m.dispose());
});

test('bad options are refused with the fix', async () => {
  await expect(A.ResNet50({ weights: null, includeTop: false, inputShape: [31, 64, 3] })).rejects.toThrow(/ResNet50: the input must be at least 32x32.*help:/);
  await expect(A.ResNet152V2({ classes: 10 })).rejects.toThrow(/ResNet152V2: .*classes must be 1000, got 10.*help:/);
  await expect(A.ResNet50({ inputShape: [200, 200, 3] })).rejects.toThrow(/inputShape must be \[224,224,3\].*help:/);
  await expect(A.ResNet101V2({ weights: null, pooling: 'sum' as never })).rejects.toThrow(/pooling must be 'avg', 'max' or null.*help:/);
});

test('predict on one small image leaves no tensor behind (v1 and v2)', async () => {
  for (const build of [A.ResNet50, A.ResNet50V2]) await predictsWithoutLeak(await build({ weights: null, inputShape: [32, 32, 3], classes: 5 }));
});

test("module namespaces: resnet and resnet50 preprocess in 'caffe' mode, resnetV2 in 'tf' (by hand)", () => {
  const pixel = [[[[255, 0, 127.5]]]];
  // caffe: RGB -> BGR, minus [103.939, 116.779, 123.68]; tf: x / 127.5 - 1.
  expectClose(flat(A.resnet.preprocessInput(pixel)), [23.561, -116.779, 131.32], 1e-4);
  expectClose(flat(A.resnet50.preprocessInput(pixel)), [23.561, -116.779, 131.32], 1e-4);
  expectClose(flat(A.resnetV2.preprocessInput(pixel)), [1, -1, 0], 1e-6);
  expect(A.resnet50.ResNet50).toBe(A.ResNet50);
  expect(A.resnet.decodePredictions).toBe(A.imagenetUtils.decodePredictions);
  expect(A.resnetV2.decodePredictions).toBe(A.imagenetUtils.decodePredictions);
});

test("weights 'imagenet' offline names Keras's URL and the exact cache path of each file", async () => {
  await withKerasHome(async (home) => {
    const cases: Array<[() => Promise<k.Model>, string]> = [
      [() => A.ResNet50(), 'resnet50_weights_tf_dim_ordering_tf_kernels.h5'],
      [() => A.ResNet152({ includeTop: false }), 'resnet152_weights_tf_dim_ordering_tf_kernels_notop.h5'],
      [() => A.ResNet101V2(), 'resnet101v2_weights_tf_dim_ordering_tf_kernels.h5'],
      [() => A.ResNet50V2({ includeTop: false }), 'resnet50v2_weights_tf_dim_ordering_tf_kernels_notop.h5'],
    ];
    for (const [build, file] of cases) {
      await expect(build()).rejects.toThrow(`${KERAS_APPS_URL}resnet/${file}`);
      await expect(build()).rejects.toThrow(path.join(home, 'models', file));
    }
  });
});
