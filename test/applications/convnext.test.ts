/**
 * k.applications.ConvNeXtTiny ... XLarge: Keras's exact parameter counts
 * (test/reference/application_params.py; Large and XLarge, over 100M parameters, are only counted),
 * Keras's layer and model names (the nested Sequential stem and downsampling blocks), and a
 * predict without leaks.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectNoLeak, testBackend } from '../helpers';
import { counts, familyRows } from './keras_params';

const apps = k.applications as unknown as Record<string, (o: object) => Promise<k.Model>>;

beforeAll(async () => {
  await k.setBackend(testBackend());
});

test.each(familyRows('ConvNeXt'))("%s %j has Keras's parameter counts", async (name, opts, total, trainable) => {
  const m = await apps[name]({ weights: null, ...opts });
  expect(counts(m)).toEqual([total, trainable]);
  m.dispose();
});

test("Keras's names: prestem normalisation, nested stem and downsampling, blocks, head", async () => {
  const m = await k.applications.ConvNeXtTiny({ weights: null });
  expect(m.name).toBe('convnext_tiny');
  for (const name of ['convnext_tiny_prestem_normalization', 'convnext_tiny_stem', 'convnext_tiny_downsampling_block_2', 'convnext_tiny_stage_2_block_8_depthwise_conv',
    'convnext_tiny_stage_3_block_2_layer_scale', 'convnext_tiny_stage_0_block_0_identity', 'convnext_tiny_head_gap', 'convnext_tiny_head_layernorm', 'convnext_tiny_head_dense']) {
    expect(m.getLayer(name).name).toBe(name);
  }
  const stem = m.getLayer('convnext_tiny_stem') as k.Model;
  expect(stem.layers.map((l) => l.name)).toEqual(['convnext_tiny_stem_conv', 'convnext_tiny_stem_layernorm']);
  const dw = m.getLayer('convnext_tiny_stage_0_block_0_depthwise_conv');
  expect(dw.getConfig().groups).toBe(96);
  expect(dw.weights.map((w) => w.shape)).toEqual([[7, 7, 1, 96], [96]]);
  expect(m.getLayer('convnext_tiny_prestem_normalization').weights).toHaveLength(0);
  m.dispose();
});

test('without the top: pooling then LayerNormalization; predict leaves no tensor behind', async () => {
  const m = await k.applications.ConvNeXtTiny({ weights: null, includeTop: false, pooling: 'avg', inputShape: [32, 32, 3] });
  expect(m.layers[m.layers.length - 1].constructor.name).toBe('LayerNormalization');
  const x = tfc.randomUniform([1, 32, 32, 3], 0, 255);
  tfc.dispose(m.predict(x) as tfc.Tensor);
  await expectNoLeak(() => {
    const y = m.predict(x) as tfc.Tensor;
    expect(y.shape).toEqual([1, 768]);
    y.dispose();
  });
  expect(k.applications.convnext.preprocessInput(x)).toBe(x);
  tfc.dispose(x);
  m.dispose();
});

test('bad options are refused with the fix', async () => {
  await expect(k.applications.ConvNeXtSmall({ classes: 10 })).rejects.toThrow(/classes must be 1000, got 10.*help:/);
  await expect(k.applications.ConvNeXtBase({ weights: null, includeTop: false, inputShape: [31, 31, 3] })).rejects.toThrow(/at least 32x32.*help:/);
});
