/**
 * k.applications.InceptionV3 and InceptionResNetV2: Keras's exact parameter counts
 * (test/reference/application_params_b.py), Keras's layer names, the options, a predict without
 * leaks, the 'tf' preprocessing of the inceptionV3 / inceptionResnetV2 namespaces, and Keras's
 * 'imagenet' file names.
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
  ['InceptionV3', 'inception_v3', [23851784, 23817352, 34432], [21802784, 21768352, 34432]],
  ['InceptionResNetV2', 'inception_resnet_v2', [55873736, 55813192, 60544], [54336736, 54276192, 60544]],
] as const)("%s has Keras's parameter counts, with the top and without", async (name, modelName, top, notop) => {
  const withTop = await A[name]({ weights: null });
  expect(counts(withTop)).toEqual(top);
  expect(withTop.name).toBe(modelName);
  expect(withTop.inputs[0].shape).toEqual([null, 299, 299, 3]);
  withTop.dispose();
  const noTop = await A[name]({ weights: null, includeTop: false });
  expect(counts(noTop)).toEqual(notop);
  noTop.dispose();
});

test("InceptionV3: Keras's block names and shapes; BN without scale", async () => {
  const m = await A.InceptionV3({ weights: null });
  const shapes: Record<string, number[]> = { mixed0: [35, 35, 256], mixed2: [35, 35, 288], mixed3: [17, 17, 768], mixed7: [17, 17, 768], mixed8: [8, 8, 1280], mixed9_0: [8, 8, 768], mixed9: [8, 8, 2048], mixed10: [8, 8, 2048] };
  for (const [name, shape] of Object.entries(shapes)) expect(m.getLayer(name).outputShape).toEqual([null, ...shape]);
  expect(m.getLayer('avg_pool').className).toBe('GlobalAveragePooling2D');
  const bns = m.layers.filter((l) => l.className === 'BatchNormalization');
  expect(bns.length).toBe(94);
  expect(bns.every((l) => l.getConfig().scale === false)).toBe(true);
  m.dispose();
});

test("InceptionResNetV2: Keras's block names, CustomScaleLayer scales and shapes", async () => {
  const m = await A.InceptionResNetV2({ weights: null });
  const shapes: Record<string, number[]> = { mixed_5b: [35, 35, 320], block35_10_ac: [35, 35, 320], mixed_6a: [17, 17, 1088], block17_20_ac: [17, 17, 1088], mixed_7a: [8, 8, 2080], block8_9_ac: [8, 8, 2080], conv_7b_ac: [8, 8, 1536] };
  for (const [name, shape] of Object.entries(shapes)) expect(m.getLayer(name).outputShape).toEqual([null, ...shape]);
  for (const name of ['block35_1_mixed', 'block35_1_conv', 'block17_1_conv', 'block8_10_conv', 'conv_7b', 'conv_7b_bn', 'predictions']) expect(m.getLayer(name).name).toBe(name);
  expect(() => m.getLayer('block8_10_ac')).toThrow(); // the last block has no activation, as in Keras
  const scales = m.layers.filter((l) => l.className === 'CustomScaleLayer').map((l) => l.getConfig().scale);
  expect(scales).toEqual([...Array(10).fill(0.17), ...Array(20).fill(0.1), ...Array(9).fill(0.2), 1]);
  expect(m.getLayer('block35_1_conv').getConfig()).toMatchObject({ useBias: true });
  m.dispose();
});

test('pooling, classes, classifierActivation, inputTensor, and bad options', async () => {
  const avg = await A.InceptionV3({ weights: null, includeTop: false, pooling: 'avg', inputShape: [75, 75, 3] });
  expect(avg.outputs[0].shape).toEqual([null, 2048]);
  const max = await A.InceptionResNetV2({ weights: null, includeTop: false, pooling: 'max', inputShape: [75, 75, 3] });
  expect(max.outputs[0].shape).toEqual([null, 1536]);
  expect(max.layers[max.layers.length - 1].className).toBe('GlobalMaxPooling2D');
  const input = k.Input({ shape: [139, 139, 3] });
  const fromTensor = await A.InceptionV3({ weights: null, includeTop: false, inputTensor: input });
  expect(fromTensor.inputs[0]).toBe(input);
  expect(fromTensor.outputs[0].shape).toEqual([null, 3, 3, 2048]);
  const few = await A.InceptionResNetV2({ weights: null, classes: 4, classifierActivation: null, inputShape: [75, 75, 3] });
  expect(few.outputs[0].shape).toEqual([null, 4]);
  [avg, max, fromTensor, few].forEach((m) => m.dispose());
  await expect(A.InceptionV3({ weights: null, includeTop: false, inputShape: [74, 74, 3] })).rejects.toThrow(/InceptionV3: the input must be at least 75x75.*help:/);
  await expect(A.InceptionResNetV2({ inputShape: [224, 224, 3] })).rejects.toThrow(/inputShape must be \[299,299,3\].*help:/);
  await expect(A.InceptionV3({ classes: 5 })).rejects.toThrow(/classes must be 1000, got 5.*help:/);
});

test('predict on one small image leaves no tensor behind', async () => {
  await predictsWithoutLeak(await A.InceptionV3({ weights: null, inputShape: [75, 75, 3], classes: 5 }));
  await predictsWithoutLeak(await A.InceptionResNetV2({ weights: null, inputShape: [75, 75, 3], classes: 5 }));
});

test("inceptionV3 and inceptionResnetV2 preprocess in 'tf' mode (by hand: x / 127.5 - 1)", () => {
  expectClose(flat(A.inceptionV3.preprocessInput([[[[255, 0, 63.75]]]])), [1, -1, -0.5], 1e-6);
  expectClose(flat(A.inceptionResnetV2.preprocessInput([[[[127.5, 191.25, 0]]]])), [0, 0.5, -1], 1e-6);
  expect(A.inceptionV3.decodePredictions).toBe(A.imagenetUtils.decodePredictions);
  expect(A.inceptionResnetV2.InceptionResNetV2).toBe(A.InceptionResNetV2);
});

test("weights 'imagenet' offline names Keras's URL and the exact cache path", async () => {
  await withKerasHome(async (home) => {
    for (const [build, file] of [
      [() => A.InceptionV3(), 'inception_v3/inception_v3_weights_tf_dim_ordering_tf_kernels.h5'],
      [() => A.InceptionV3({ includeTop: false }), 'inception_v3/inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5'],
      [() => A.InceptionResNetV2(), 'inception_resnet_v2/inception_resnet_v2_weights_tf_dim_ordering_tf_kernels.h5'],
      [() => A.InceptionResNetV2({ includeTop: false }), 'inception_resnet_v2/inception_resnet_v2_weights_tf_dim_ordering_tf_kernels_notop.h5'],
    ] as const) {
      await expect(build()).rejects.toThrow(`${KERAS_APPS_URL}${file}`);
      await expect(build()).rejects.toThrow(path.join(home, 'models', path.basename(file)));
    }
  });
});
