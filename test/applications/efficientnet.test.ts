/**
 * k.applications.EfficientNetB0-B7 and EfficientNetV2B0-B3/S/M/L: Keras's exact parameter counts
 * (test/reference/application_params.py), Keras's layer and model names, the built-in
 * preprocessing layers, and a predict without leaks.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectNoLeak, testBackend } from '../helpers';
import { counts, familyRows } from './keras_params';

const apps = k.applications as unknown as Record<string, (o: object) => Promise<k.Model>>;

beforeAll(async () => {
  await k.setBackend(testBackend());
});

describe('EfficientNet', () => {
  test.each(familyRows('EfficientNetB'))("%s %j has Keras's parameter counts", async (name, opts, total, trainable) => {
    const m = await apps[name]({ weights: null, ...opts });
    expect(counts(m)).toEqual([total, trainable]);
    m.dispose();
  });

  test("Keras's names and preprocessing layers (the per-channel Rescaling only with 'imagenet' weights)", async () => {
    const m = await k.applications.EfficientNetB0({ weights: null });
    expect(m.name).toBe('efficientnetb0');
    expect(m.inputs[0].shape).toEqual([null, 224, 224, 3]);
    for (const name of ['stem_conv_pad', 'stem_conv', 'stem_bn', 'block1a_se_excite', 'block2a_dwconv_pad', 'block2b_drop', 'block2b_add', 'block7a_project_bn', 'top_conv', 'top_activation', 'avg_pool', 'top_dropout', 'predictions']) {
      expect(m.getLayer(name).name).toBe(name);
    }
    expect(m.layers.slice(1, 3).map((l) => l.constructor.name)).toEqual(['Rescaling', 'Normalization']);
    expect(m.getLayer('block2b_drop').getConfig().noiseShape).toEqual([null, 1, 1, 1]);
    const b3 = await k.applications.EfficientNetB3({ weights: null, includeTop: false, pooling: 'max' });
    expect(b3.name).toBe('efficientnetb3');
    expect(b3.getLayer('max_pool').name).toBe('max_pool');
    expect(b3.outputs[0].shape).toEqual([null, 1536]);
    m.dispose();
    b3.dispose();
  });

  test('predict on one small image leaves no tensor behind; preprocessInput is the identity', async () => {
    const m = await k.applications.EfficientNetB0({ weights: null, inputShape: [32, 32, 3], classes: 3 });
    const x = tfc.randomUniform([1, 32, 32, 3], 0, 255);
    tfc.dispose(m.predict(x) as tfc.Tensor);
    await expectNoLeak(async () => {
      const y = m.predict(x) as tfc.Tensor;
      expect(y.shape).toEqual([1, 3]);
      expect(Array.from(await y.data()).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      y.dispose();
    });
    expect(k.applications.efficientnet.preprocessInput(x)).toBe(x);
    tfc.dispose(x);
    m.dispose();
  });

  test('bad options are refused with the fix', async () => {
    await expect(k.applications.EfficientNetB1({ inputShape: [224, 224, 3] })).rejects.toThrow(/inputShape must be \[240,240,3\].*help:/);
    await expect(k.applications.EfficientNetB0({ weights: null, pooling: 'sum' as 'avg', includeTop: false })).rejects.toThrow(/pooling must be 'avg', 'max' or null/);
  });
});

describe('EfficientNetV2', () => {
  test.each(familyRows('EfficientNetV2'))("%s %j has Keras's parameter counts", async (name, opts, total, trainable) => {
    const m = await apps[name]({ weights: null, ...opts });
    expect(counts(m)).toEqual([total, trainable]);
    m.dispose();
  });

  test("Keras's names; B models normalise, S/M/L rescale to -1..1; includePreprocessing: false has neither", async () => {
    const b0 = await k.applications.EfficientNetV2B0({ weights: null });
    expect(b0.name).toBe('efficientnetv2-b0');
    for (const name of ['stem_conv', 'block1a_project_conv', 'block1a_project_activation', 'block2a_expand_conv', 'block4a_dwconv2', 'block4a_se_excite', 'block6h_add', 'top_activation', 'predictions']) {
      expect(b0.getLayer(name).name).toBe(name);
    }
    expect(b0.layers.slice(1, 3).map((l) => l.constructor.name)).toEqual(['Rescaling', 'Normalization']);
    expect(b0.layers[2].weights).toHaveLength(0);
    const s = await k.applications.EfficientNetV2S({ weights: null, includeTop: false, inputShape: [64, 64, 3] });
    expect(s.name).toBe('efficientnetv2-s');
    expect(s.layers[1].getConfig()).toMatchObject({ scale: 1 / 128, offset: -1 });
    const bare = await k.applications.EfficientNetV2B1({ weights: null, includeTop: false, includePreprocessing: false, inputShape: [64, 64, 3] });
    expect(bare.layers[1].name).toBe('stem_conv');
    [b0, s, bare].forEach((m) => m.dispose());
  });

  test('predict on one small image leaves no tensor behind', async () => {
    const m = await k.applications.EfficientNetV2B0({ weights: null, includeTop: false, pooling: 'avg', inputShape: [32, 32, 3] });
    const x = tfc.randomUniform([1, 32, 32, 3], 0, 255);
    tfc.dispose(m.predict(x) as tfc.Tensor);
    await expectNoLeak(() => {
      const y = m.predict(x) as tfc.Tensor;
      expect(y.shape).toEqual([1, 1280]);
      y.dispose();
    });
    expect(k.applications.efficientnetV2.preprocessInput(x)).toBe(x);
    tfc.dispose(x);
    m.dispose();
  });
});
