/**
 * k.saving's Keras names: serializeKerasObject / deserializeKerasObject against dicts in Keras 3's
 * format (written here by hand from Keras 3.15's `serialize_keras_object` output), the custom-object
 * table and scopes, registered names, and the thin save/load aliases.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, expectNoLeak, testBackend } from '../helpers';

beforeAll(async () => {
  await k.setBackend(testBackend());
});

describe('serializeKerasObject', () => {
  test('an optimizer, initializer and regularizer as Keras 3 dicts', () => {
    const adam = k.saving.serializeKerasObject(new k.optimizers.Adam({ learningRate: 0.01 })) as Record<string, unknown>;
    expect(adam).toMatchObject({ module: 'keras.optimizers', class_name: 'Adam', registered_name: null });
    expect(adam.config).toMatchObject({ learning_rate: 0.01, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, amsgrad: false });
    expect(k.saving.serializeKerasObject(new k.regularizers.L2({ l2: 0.01 }))).toEqual({ module: 'keras.regularizers', class_name: 'L2', config: { l2: 0.01 }, registered_name: null });
    expect(k.saving.serializeKerasObject(new k.initializers.Constant({ value: 2 }))).toEqual({ module: 'keras.initializers', class_name: 'Constant', config: { value: 2 }, registered_name: null });
    expect(k.saving.serializeKerasObject([1, 'a', null, { b: true }])).toEqual([1, 'a', null, { b: true }]);
  });

  test('a layer round-trips, and so does a tensor', () => {
    const dense = new k.layers.Dense({ units: 3, activation: 'relu', name: 'd0' });
    const json = k.saving.serializeKerasObject(dense) as Record<string, unknown>;
    expect(json).toMatchObject({ module: 'keras.layers', class_name: 'Dense', registered_name: null });
    expect(json.config).toMatchObject({ units: 3, activation: 'relu', name: 'd0' });
    const back = k.saving.deserializeKerasObject(JSON.parse(JSON.stringify(json))) as k.Layer;
    expect(back).toBeInstanceOf(k.layers.Dense);
    expect(back.getConfig()).toEqual(dense.getConfig());
    const t = tfc.tensor([[1, 2], [3, 4]]);
    const rebuilt = k.saving.deserializeKerasObject(k.saving.serializeKerasObject(t)) as tfc.Tensor;
    expectClose(rebuilt, [[1, 2], [3, 4]]);
    tfc.dispose([t, rebuilt]);
  });

  test("reads the dicts Keras 3 writes", () => {
    // keras.saving.serialize_keras_object(keras.optimizers.SGD(learning_rate=0.05, momentum=0.9)) in Keras 3.15
    const sgd = k.saving.deserializeKerasObject({
      module: 'keras.optimizers', class_name: 'SGD',
      config: { name: 'SGD', learning_rate: 0.05, weight_decay: null, clipnorm: null, global_clipnorm: null, clipvalue: null, use_ema: false, ema_momentum: 0.99, ema_overwrite_frequency: null, loss_scale_factor: null, gradient_accumulation_steps: null, momentum: 0.9, nesterov: false },
      registered_name: null,
    }) as k.optimizers.SGD;
    expect(sgd).toBeInstanceOf(k.optimizers.SGD);
    expect(sgd.learningRate).toBeCloseTo(0.05);
    expect(sgd.getConfig().momentum).toBe(0.9);
    const l1l2 = k.saving.deserializeKerasObject({ module: 'keras.regularizers', class_name: 'L1L2', config: { l1: 0.1, l2: 0.2 }, registered_name: null }) as k.regularizers.Regularizer;
    expect(l1l2.getConfig()).toEqual({ l1: 0.1, l2: 0.2 });
    const schedule = k.saving.deserializeKerasObject({
      module: 'keras.optimizers.schedules', class_name: 'ExponentialDecay',
      config: { initial_learning_rate: 0.1, decay_steps: 10, decay_rate: 0.5, staircase: false, name: 'ExponentialDecay' }, registered_name: null,
    }) as k.optimizers.schedules.LearningRateSchedule;
    expect(schedule.call(10)).toBeCloseTo(0.05); // 0.1 · 0.5^(10/10)
  });

  test('refuses an unknown class, naming it and the fix', () => {
    expect(() => k.saving.deserializeKerasObject({ module: null, class_name: 'NotAThing', config: {}, registered_name: 'my_pkg>NotAThing' })).toThrow(/NotAThing.*help: .*registerKerasSerializable/s);
    expect(() => k.saving.deserializeKerasObject({ module: null, class_name: 'function', config: 'myLoss', registered_name: 'pkg>myLoss' })).toThrow(/myLoss.*help:/s);
  });
});

describe('custom objects', () => {
  class Twice extends k.layers.Dense {}
  const json = { module: null, class_name: 'Twice', config: { units: 2, name: 'tw' }, registered_name: 'Custom>Twice' };

  test('a CustomObjectScope lets a load name a class while it is open, and only then', () => {
    expect(() => k.saving.deserializeKerasObject(json)).toThrow(/Twice/);
    const scope = new k.saving.CustomObjectScope({ Twice });
    const layer = scope.run(() => k.saving.deserializeKerasObject(json));
    expect(layer).toBeInstanceOf(Twice);
    expect(() => k.saving.deserializeKerasObject(json)).toThrow(/Twice/);
    expect(k.utils.CustomObjectScope).toBe(k.saving.CustomObjectScope);
  });

  test('getCustomObjects is the global table every load reads', () => {
    const table = k.saving.getCustomObjects();
    table.Twice = Twice;
    try {
      expect(k.saving.deserializeKerasObject(json)).toBeInstanceOf(Twice);
      expect(k.saving.getRegisteredObject('Twice')).toBe(Twice);
    } finally {
      delete table.Twice;
    }
    expect(k.saving.getRegisteredObject('Twice')).toBeUndefined();
    expect(k.saving.getRegisteredObject('Twice', { Twice })).toBe(Twice);
  });

  test('registered names: package>Name for a registered class, the class name otherwise', () => {
    class Thrice extends k.layers.Dense {}
    expect(k.saving.getRegisteredName(Thrice)).toBe('Thrice');
    k.saving.registerKerasSerializable(Thrice, { package: 'my_pkg' });
    expect(k.saving.getRegisteredName(Thrice)).toBe('my_pkg>Thrice');
    expect(k.saving.getRegisteredObject('my_pkg>Thrice')).toBe(Thrice);
    expect(k.saving.getRegisteredObject('Dense')).toBe(k.layers.Dense);
    expect((k.saving.serializeKerasObject(new Thrice({ units: 1 })) as { registered_name: string }).registered_name).toBe('my_pkg>Thrice');
    expect(() => k.saving.getRegisteredName(3)).toThrow(/got number.*help:/);
  });
});

test('saveModel / loadModel / saveWeights / loadWeights are the model functions', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-saving-api-'));
  try {
    const model = new k.Sequential({ layers: [k.Input({ shape: [2] }), new k.layers.Dense({ units: 1 })] });
    await k.saving.saveModel(model, path.join(tmp, 'm.keras'));
    const loaded = await k.saving.loadModel(path.join(tmp, 'm.keras'));
    expectClose(loaded.getWeights()[0], model.getWeights()[0].arraySync() as number[][]);
    await k.saving.saveWeights(model, path.join(tmp, 'm.weights.h5'));
    const other = new k.Sequential({ layers: [k.Input({ shape: [2] }), new k.layers.Dense({ units: 1 })] });
    await k.saving.loadWeights(other, path.join(tmp, 'm.weights.h5'));
    expectClose(other.getWeights()[0], model.getWeights()[0].arraySync() as number[][]);
    expect(k.models.Model).toBe(k.Model);
    expect(k.models.Sequential).toBe(k.Sequential);
    [model, loaded, other].forEach((m) => m.dispose());
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('serializing and deserializing leak no tensors', async () => {
  await expectNoLeak(() => {
    const json = k.saving.serializeKerasObject(new k.optimizers.Adam());
    k.saving.deserializeKerasObject(json);
    const t = tfc.tensor([1, 2]);
    (k.saving.deserializeKerasObject(k.saving.serializeKerasObject(t)) as tfc.Tensor).dispose();
    t.dispose();
  });
});

test('KerasFileEditor: a .keras file\'s arrays by object path, a summary, a comparison with models', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-editor-'));
  try {
    const model = new k.Sequential({ layers: [k.Input({ shape: [3] }), new k.layers.Dense({ units: 2, name: 'first' }), new k.layers.Dense({ units: 1, name: 'second' })] });
    model.compile({ optimizer: 'adam', loss: 'mse' });
    const file = path.join(tmp, 'm.keras');
    await model.save(file);
    const editor = await k.saving.KerasFileEditor.open(file);
    expect(editor.config.class_name).toBe('Sequential');
    const layers = Object.entries(editor.weightsDict).filter(([p]) => p.startsWith('layers/'));
    // Keras 3's layout names each layer's group by its class (dense, dense_1), not by the layer's name
    expect(layers.map(([p, arrays]) => [p, Object.values(arrays).map((a) => a.shape)])).toEqual([['layers/dense', [[3, 2], [2]]], ['layers/dense_1', [[2, 1], [1]]]]);
    expect(Array.from(editor.weightsDict['layers/dense']['0'].data)).toEqual(Array.from(model.getWeights()[0].dataSync()));
    // never trained: the optimizer's iteration count and learning rate only, as Keras saves an unbuilt optimizer
    expect(Object.values(editor.weightsDict.optimizer).map((a) => [a.shape, Number(a.data[0])])).toEqual([[[], 0], [[], expect.closeTo(0.001, 6)]]);
    expect(editor.summary()).toMatch(/layers\/dense: 0 \[3, 2\], 1 \[2\]/);
    expect(editor.compare(model)).toEqual({ status: 'success', messages: [] });
    const other = new k.Sequential({ layers: [k.Input({ shape: [4] }), new k.layers.Dense({ units: 2 })] });
    const diff = editor.compare(other);
    expect(diff.status).toBe('error');
    expect(diff.messages.join('\n')).toMatch(/holds 4 layer weights, the model has 2[\s\S]*\[4,2\], the file's \(layers\/dense\) \[3,2\]/);
    await expect(k.saving.KerasFileEditor.open(path.join(tmp, 'm.h5'))).rejects.toThrow(/expected a .keras file.*help:/);
    model.dispose();
    other.dispose();
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
