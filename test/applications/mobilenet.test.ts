/**
 * k.applications.MobileNet, MobileNetV3Small and MobileNetV3Large: Keras's exact parameter counts
 * (test/reference/application_params.py), Keras's layer and model names, the family options, the
 * module functions, and a predict without leaks.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, expectNoLeak, testBackend } from '../helpers';
import { counts, familyRows } from './keras_params';

const apps = k.applications as unknown as Record<string, (o: object) => Promise<k.Model>>;

beforeAll(async () => {
  await k.setBackend(testBackend());
});

test.each([...familyRows('MobileNet', /V2/)])("%s %j has Keras's parameter counts", async (name, opts, total, trainable) => {
  const m = await apps[name]({ weights: null, ...opts });
  expect(counts(m)).toEqual([total, trainable]);
  m.dispose();
});

describe('MobileNet', () => {
  test("Keras's names, the top as Keras builds it, dropout and depthMultiplier", async () => {
    const m = await k.applications.MobileNet({ weights: null, dropout: 0.3 });
    expect(m.name).toBe('mobilenet_1.00_224');
    for (const name of ['conv1', 'conv1_bn', 'conv1_relu', 'conv_pad_2', 'conv_dw_1', 'conv_dw_13_bn', 'conv_pw_13_relu', 'dropout', 'conv_preds', 'reshape_2', 'predictions']) {
      expect(m.getLayer(name).name).toBe(name);
    }
    expect(m.getLayer('dropout').getConfig().rate).toBe(0.3);
    expect(m.outputs[0].shape).toEqual([null, 1000]);
    const deep = await k.applications.MobileNet({ weights: null, includeTop: false, depthMultiplier: 2, alpha: 0.25, inputShape: [128, 128, 3] });
    expect(deep.name).toBe('mobilenet_0.25_128');
    expect(deep.getLayer('conv_dw_1').weights[0].shape).toEqual([3, 3, 8, 2]);
    expect(deep.outputs[0].shape).toEqual([null, 4, 4, 256]);
    m.dispose();
    deep.dispose();
  });

  test('bad options are refused with the fix', async () => {
    await expect(k.applications.MobileNet({ depthMultiplier: 2 })).rejects.toThrow(/depthMultiplier must be 1, got 2.*help:/);
    await expect(k.applications.MobileNet({ alpha: 0.35 })).rejects.toThrow(/alpha must be one of 0.25, 0.5, 0.75, 1.0, got 0.35.*help:/);
    await expect(k.applications.MobileNet({ weights: null, depthMultiplier: 1.5 })).rejects.toThrow(/depthMultiplier must be a positive integer.*help:/);
  });

  test('predict with pooling leaves no tensor behind; preprocessInput is mode tf', async () => {
    const m = await k.applications.MobileNet({ weights: null, includeTop: false, pooling: 'avg', alpha: 0.25, inputShape: [32, 32, 3] });
    const x = tfc.randomUniform([2, 32, 32, 3], 0, 255);
    tfc.dispose(m.predict(x) as tfc.Tensor);
    await expectNoLeak(() => {
      const scaled = k.applications.mobilenet.preprocessInput(x);
      const y = m.predict(scaled) as tfc.Tensor;
      expect(y.shape).toEqual([2, 256]);
      tfc.dispose([scaled, y]);
    }, 0);
    const p = k.applications.mobilenet.preprocessInput([[[[0, 127.5, 255]]]]);
    expectClose(p.flat(3), [-1, 0, 1]);
    tfc.dispose(x);
    m.dispose();
  });
});

describe('MobileNetV3', () => {
  test("Keras's names; the top's logits; pooling names; includePreprocessing", async () => {
    const m = await k.applications.MobileNetV3Small({ weights: null, dropoutRate: 0.1 });
    expect(m.name).toBe('MobileNetV3Small');
    for (const name of ['conv', 'conv_bn', 'expanded_conv_depthwise_pad', 'expanded_conv_squeeze_excite_conv', 'expanded_conv_3_expand_bn', 'expanded_conv_10_add', 'conv_1_bn', 'conv_2', 'logits', 'predictions']) {
      expect(m.getLayer(name).name).toBe(name);
    }
    expect(m.layers[1].constructor.name).toBe('Rescaling');
    const large = await k.applications.MobileNetV3Large({ weights: null, includeTop: false, pooling: 'max', includePreprocessing: false, inputShape: [64, 64, 3] });
    expect(large.name).toBe('MobileNetV3Large');
    expect(large.getLayer('max_pool').name).toBe('max_pool');
    expect(large.layers.some((l) => l.constructor.name === 'Rescaling')).toBe(false);
    expect(large.outputs[0].shape).toEqual([null, 960]);
    m.dispose();
    large.dispose();
  });

  test('bad options are refused with the fix', async () => {
    await expect(k.applications.MobileNetV3Small({ alpha: 0.5 })).rejects.toThrow(/alpha must be 0.75 or 1.0.*got 0.5.*help:/);
    await expect(k.applications.MobileNetV3Large({ minimalistic: true, alpha: 0.75 })).rejects.toThrow(/alpha must be 0.75 or 1.0 \(1.0 when minimalistic\), got 0.75/);
    await expect(k.applications.MobileNetV3Small({ weights: null, inputShape: [16, 64, 3] })).rejects.toThrow(/at least 32x32.*help:/);
  });

  test('predict on one small image leaves no tensor behind; preprocessInput is the identity', async () => {
    const m = await k.applications.MobileNetV3Small({ weights: null, minimalistic: true, inputShape: [32, 32, 3], classes: 4 });
    const x = tfc.randomUniform([1, 32, 32, 3], 0, 255);
    tfc.dispose(m.predict(x) as tfc.Tensor);
    await expectNoLeak(async () => {
      const y = m.predict(x) as tfc.Tensor;
      expect(y.shape).toEqual([1, 4]);
      expect(Array.from(await y.data()).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      y.dispose();
    });
    expect(k.applications.mobilenetV3.preprocessInput(x)).toBe(x);
    tfc.dispose(x);
    m.dispose();
  });
});
