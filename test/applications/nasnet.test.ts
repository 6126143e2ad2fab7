/**
 * k.applications.NASNetMobile and NASNetLarge: Keras's exact parameter counts
 * (test/reference/application_params_b.py), Keras's layer names, the options, a predict without
 * leaks, the 'tf' preprocessing of the nasnet namespace, and Keras's 'imagenet' files (cached under
 * other names than the URL's).
 */
import * as path from 'path';
import * as k from '../../src';
import { expectClose, testBackend } from '../helpers';
import { counts, flat, KERAS_APPS_URL, predictsWithoutLeak, withKerasHome } from './app_checks';

const { NASNetMobile, NASNetLarge, nasnet } = k.applications;

beforeAll(async () => {
  await k.setBackend(testBackend());
});

// python3 test/reference/application_params_b.py: [total, trainable, non-trainable], with the top and without.
test.each([
  ['NASNetMobile', NASNetMobile, 'nasnet_mobile', 224, [5326716, 5289978, 36738], [4269716, 4232978, 36738]],
  ['NASNetLarge', NASNetLarge, 'nasnet_large', 331, [88949818, 88753150, 196668], [84916818, 84720150, 196668]],
] as const)("%s has Keras's parameter counts, with the top and without", async (_n, build, name, size, top, notop) => {
  const withTop = await build({ weights: null });
  expect(counts(withTop)).toEqual(top);
  expect(withTop.name).toBe(name);
  expect(withTop.inputs[0].shape).toEqual([null, size, size, 3]);
  withTop.dispose();
  const noTop = await build({ weights: null, includeTop: false, inputShape: [size, size, 3] });
  expect(counts(noTop)).toEqual(notop);
  noTop.dispose();
});

test("NASNetMobile: Keras's cell names and shapes", async () => {
  const m = await NASNetMobile({ weights: null });
  const shapes: Record<string, number[]> = {
    stem_bn1: [111, 111, 32], reduction_concat_stem_1: [56, 56, 44], reduction_concat_stem_2: [28, 28, 88], normal_concat_0: [28, 28, 264],
    normal_concat_3: [28, 28, 264], reduction_concat_reduce_4: [14, 14, 352], normal_concat_8: [14, 14, 528], reduction_concat_reduce_8: [7, 7, 704],
    normal_concat_12: [7, 7, 1056],
  };
  for (const [name, shape] of Object.entries(shapes)) expect(m.getLayer(name).outputShape).toEqual([null, ...shape]);
  const names = [
    'stem_conv1', 'reduction_conv_1_stem_1', 'separable_conv_1_pad_reduction_left1_stem_1', 'separable_conv_1_reduction_left1_stem_1',
    'reduction_pad_1_stem_1', 'reduction_left2_stem_1', 'reduction_add3_stem_1', 'reduction_add4_stem_1', 'adjust_relu_1_stem_2',
    'adjust_avg_pool_1_stem_2', 'adjust_conv_2_stem_2', 'adjust_bn_stem_2', 'adjust_relu_1_0', 'adjust_conv_projection_1', 'adjust_bn_1', 'normal_left3_0', 'normal_add_5_0',
    'separable_conv_2_bn_normal_left5_12', 'predictions',
  ];
  for (const name of names) expect(m.getLayer(name).name).toBe(name);
  // Keras's correct_pad before a strided 3x3: symmetric on the odd 111x111 map, one more after on the even 56x56 one.
  expect(m.getLayer('reduction_pad_1_stem_1').getConfig().padding).toEqual([[1, 1], [1, 1]]);
  expect(m.getLayer('reduction_pad_1_stem_2').getConfig().padding).toEqual([[0, 1], [0, 1]]);
  expect(m.layers.filter((l) => l.className === 'SeparableConv2D').length).toBe(160);
  m.dispose();
});

test('the default input without the top, pooling, inputTensor, and bad options', async () => {
  const notop = await NASNetMobile({ weights: null, includeTop: false });
  expect(notop.inputs[0].shape).toEqual([null, 224, 224, 3]); // Keras fixes NASNetMobile's no-top input at 224
  const avg = await NASNetMobile({ weights: null, includeTop: false, pooling: 'avg', inputShape: [32, 32, 3] });
  expect(avg.outputs[0].shape).toEqual([null, 1056]);
  const input = k.Input({ shape: [64, 64, 3] });
  const fromTensor = await NASNetMobile({ weights: null, includeTop: false, inputTensor: input });
  expect(fromTensor.inputs[0]).toBe(input);
  expect(fromTensor.outputs[0].shape).toEqual([null, 2, 2, 1056]);
  [notop, avg, fromTensor].forEach((m) => m.dispose());
  await expect(NASNetLarge({ weights: null, includeTop: false, inputShape: [31, 31, 3] })).rejects.toThrow(/NASNetLarge: the input must be at least 32x32.*help:/);
  await expect(NASNetMobile({ inputShape: [331, 331, 3] })).rejects.toThrow(/inputShape must be \[224,224,3\].*help:/);
});

test('predict on one small image leaves no tensor behind', async () => {
  await predictsWithoutLeak(await NASNetMobile({ weights: null, inputShape: [32, 32, 3], classes: 5 }));
});

test("nasnet preprocesses in 'tf' mode (by hand: x / 127.5 - 1)", () => {
  expectClose(flat(nasnet.preprocessInput([[[[255, 0, 191.25]]]])), [1, -1, 0.5], 1e-6);
  expect(nasnet.decodePredictions).toBe(k.applications.imagenetUtils.decodePredictions);
});

test("weights 'imagenet' offline names Keras's URL (NASNet-mobile.h5, ...) and the cache path under Keras's own name (nasnet_mobile.h5, ...)", async () => {
  await withKerasHome(async (home) => {
    for (const [build, url, file] of [
      [() => NASNetMobile(), 'NASNet-mobile.h5', 'nasnet_mobile.h5'],
      [() => NASNetMobile({ includeTop: false }), 'NASNet-mobile-no-top.h5', 'nasnet_mobile_no_top.h5'],
      [() => NASNetLarge(), 'NASNet-large.h5', 'nasnet_large.h5'],
      [() => NASNetLarge({ includeTop: false }), 'NASNet-large-no-top.h5', 'nasnet_large_no_top.h5'],
    ] as const) {
      await expect(build()).rejects.toThrow(`${KERAS_APPS_URL}nasnet/${url} `);
      await expect(build()).rejects.toThrow(path.join(home, 'models', file));
    }
  });
});
