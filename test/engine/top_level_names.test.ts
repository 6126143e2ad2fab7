/**
 * Keras's top-level names (issue 24): k.Variable under k.nameScope, k.InputSpec's checks,
 * k.version, the base-class aliases, k.utils.Config and standardizeDtype, schedules'
 * serialize/deserialize in Keras's dict format, the mixed-precision aliases.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, expectNoLeak, testBackend } from '../helpers';

beforeAll(async () => {
  await k.setBackend(testBackend());
});

describe('Variable and nameScope', () => {
  test('a value or an initializer; the path follows the open scopes', () => {
    const a = new k.Variable({ initializer: [[1, 2], [3, 4]], name: 'a' });
    expect(a.shape).toEqual([2, 2]);
    expect(a.numpy()).toEqual([[1, 2], [3, 4]]);
    expect(a.path).toBe('a');
    const b = k.nameScope('outer', () => k.nameScope('inner', () => new k.Variable({ initializer: new k.initializers.Ones(), shape: [3], name: 'b' })));
    expect(b.path).toBe('outer/inner/b');
    expect(b.numpy()).toEqual([1, 1, 1]);
    const c = new k.Variable({ initializer: 5, name: 'c' });
    expect(c.path).toBe('c');
    [a, b, c].forEach((v) => v.dispose());
  });

  test('an optimizer trains it: w ← w - lr·2w for loss sum(w²)', () => {
    const w = new k.Variable({ initializer: [1, -2] });
    const sgd = new k.optimizers.SGD({ learningRate: 0.1 });
    sgd.minimize(() => tfc.sum(tfc.square(w.value)), [w]).dispose();
    expectClose(w.value, [0.8, -1.6]); // w - 0.1 · 2w
    w.dispose();
    sgd.dispose();
  });

  test('refusals name the value and the fix', () => {
    expect(() => new k.Variable({ initializer: new k.initializers.Zeros() })).toThrow(/needs a `shape`.*help:/);
    expect(() => new k.Variable({ initializer: [1, 2], shape: [3] })).toThrow(/\[3\].*\[2\].*help:/);
    expect(() => k.nameScope('a/b', () => 1)).toThrow(/'a\/b'|"a\/b".*help:/);
  });

  test('a scope closes after an error, and after an async function settles', async () => {
    expect(() => k.nameScope('x', () => { throw new Error('boom'); })).toThrow('boom');
    await k.nameScope('y', async () => { await Promise.resolve(); });
    const v = new k.Variable({ initializer: [1], name: 'v' });
    expect(v.path).toBe('v');
    v.dispose();
  });

  test('leaks no tensors', async () => {
    await expectNoLeak(() => {
      new k.Variable({ initializer: [1, 2, 3] }).dispose();
      const t = tfc.tensor([1, 2]);
      new k.Variable({ initializer: t }).dispose();
      t.dispose();
    });
  });
});

describe('InputSpec', () => {
  test('checks rank, min/max rank, fixed axes and full shapes', () => {
    const spec = new k.InputSpec({ minNdim: 2, axes: { [-1]: 4 } });
    spec.check([null, 4], 'MyLayer');
    spec.check([2, 3, 4], 'MyLayer');
    expect(() => spec.check([4], 'MyLayer')).toThrow(/'MyLayer'.*expected min_ndim=2, found ndim=1.*help:/);
    expect(() => spec.check([2, 5], 'MyLayer')).toThrow(/expected axis -1 of the input to have value 4, got shape \(2, 5\).*help:/);
    const full = new k.InputSpec({ shape: [null, 3] });
    expect(full.ndim).toBe(2);
    expect(() => full.check([2, 3, 1], 'L')).toThrow(/expected ndim=2, found ndim=3/);
    expect(() => full.check([2, 2], 'L')).toThrow(/expected shape=\(None, 3\), got shape \(2, 2\)/);
    expect(new k.InputSpec(full.getConfig()).getConfig()).toEqual(full.getConfig());
  });
});

test('version and the base-class aliases', () => {
  expect(k.version()).toMatch(/^\d+\.\d+\.\d+/);
  expect(new k.layers.Dense({ units: 1 })).toBeInstanceOf(k.Layer);
  expect(new k.optimizers.Adam()).toBeInstanceOf(k.Optimizer);
  expect(new k.losses.MeanSquaredError()).toBeInstanceOf(k.Loss);
  expect(new k.metrics.Mean()).toBeInstanceOf(k.Metric);
  expect(new k.initializers.Zeros()).toBeInstanceOf(k.Initializer);
  expect(new k.regularizers.L2()).toBeInstanceOf(k.Regularizer);
  expect(k.KerasTensor).toBe(k.SymbolicTensor);
  expect(k.Input({ shape: [2] })).toBeInstanceOf(k.KerasTensor);
  expect(new k.FloatDTypePolicy('float32')).toBeInstanceOf(k.DTypePolicy);
  expect(k.mixedPrecision.dtypePolicy).toBe(k.mixedPrecision.globalPolicy);
  k.mixedPrecision.setDtypePolicy('float32');
  expect(k.mixedPrecision.dtypePolicy().name).toBe('float32');
  expect(new k.callbacks.Callback()).toBeInstanceOf(k.callbacks.BaseCallback);
  expect(new k.callbacks.CallbackList([]).callbacks).toEqual([]);
});

describe('utils.Config', () => {
  test('attribute and dict access, freezing, JSON', () => {
    const config = new k.utils.Config({ learningRate: 0.1 });
    config.momentum = 0.9;
    config.set('seed', 123);
    expect(config.learningRate).toBe(0.1);
    expect(config.get('momentum')).toBe(0.9);
    expect(config.keys()).toEqual(['learningRate', 'momentum', 'seed']);
    expect(JSON.parse(config.toJson())).toEqual({ learningRate: 0.1, momentum: 0.9, seed: 123 });
    config.freeze();
    expect(config.frozen).toBe(true);
    expect(() => { config.foo = 1; }).toThrow(/frozen.*help: call config.unfreeze/);
    config.unfreeze();
    expect(config.pop('seed')).toBe(123);
    expect(() => config.learningrate).toThrow(/unknown attribute 'learningrate'. Did you mean 'learningRate'\?/);
  });
});

test('standardizeDtype: Keras names, JavaScript types, refusals', () => {
  expect(k.utils.standardizeDtype()).toBe('float32');
  expect(k.utils.standardizeDtype('int')).toBe('int32');
  expect(k.utils.standardizeDtype(Number)).toBe('float32');
  expect(k.utils.standardizeDtype(Boolean)).toBe('bool');
  expect(k.utils.standardizeDtype('bfloat16')).toBe('bfloat16');
  const t = tfc.tensor([1], [1], 'int32');
  expect(k.utils.standardizeDtype(t)).toBe('int32');
  t.dispose();
  expect(() => k.utils.standardizeDtype('float31')).toThrow(/invalid dtype 'float31'.*help: use one of/);
});

test("schedules.serialize gives Keras's dict; deserialize reads it back, and Keras's own", () => {
  const s = new k.optimizers.schedules.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
  const json = k.optimizers.schedules.serialize(s);
  expect(json).toMatchObject({ module: 'keras.optimizers.schedules', class_name: 'ExponentialDecay', registered_name: null });
  expect(json.config).toMatchObject({ initial_learning_rate: 0.1, decay_steps: 10, decay_rate: 0.5 });
  const back = k.optimizers.schedules.deserialize(json);
  expect(back.call(20)).toBeCloseTo(0.025); // 0.1 · 0.5^2
  // Keras 3.15: serialize(CosineDecay(0.1, 100, alpha=0.1))
  const cos = k.optimizers.schedules.deserialize({
    module: 'keras.optimizers.schedules', class_name: 'CosineDecay',
    config: { initial_learning_rate: 0.1, decay_steps: 100, alpha: 0.1, name: 'CosineDecay', warmup_target: null, warmup_steps: 0 }, registered_name: null,
  });
  expect(cos.call(50)).toBeCloseTo(0.1 * (0.9 * 0.5 * (1 + Math.cos(Math.PI / 2)) + 0.1)); // 0.055
  expect(() => k.optimizers.schedules.deserialize({ nope: 1 })).toThrow(/expected \{class_name, config\}.*help:/);
});
