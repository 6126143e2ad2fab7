/**
 * k.mixedPrecision: policy objects as Keras 3's DTypePolicy, the global policy, a layer's policy
 * from its options or the global one, the policy kept through .keras files (Keras 3's DTypePolicy
 * object) and read from Keras's own config, the once-only warning, and fit under mixed_float16
 * (float32 compute: tfjs-core has no float16).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import { unzipSync } from 'fflate';
import * as k from '../../src';
import { resetPolicyWarning } from '../../src/mixed_precision/dtype_policy';

const { DTypePolicy, setGlobalPolicy, globalPolicy } = k.mixedPrecision;
let warnings: string[] = [];
let tmp: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kts-mixed-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
beforeEach(() => {
  warnings = [];
  k.utils.setLogger({ write: () => undefined, warn: (t) => void warnings.push(t) });
  resetPolicyWarning();
});
afterEach(() => {
  setGlobalPolicy(null);
  k.utils.setLogger(null);
});

test('policies name their compute and variable dtypes as Keras 3 does', () => {
  const cases: Array<[string, string, string]> = [
    ['mixed_float16', 'float16', 'float32'],
    ['mixed_bfloat16', 'bfloat16', 'float32'],
    ['float32', 'float32', 'float32'],
    ['float16', 'float16', 'float16'],
    ['int32', 'int32', 'int32'],
  ];
  for (const [name, compute, variable] of cases) {
    const p = new DTypePolicy(name);
    expect([p.name, p.computeDtype, p.variableDtype]).toEqual([name, compute, variable]);
    expect(p.getConfig()).toEqual({ name });
    expect(DTypePolicy.fromConfig(p.getConfig()).name).toBe(name);
    expect(String(p)).toBe(`<DTypePolicy "${name}">`);
  }
  expect(() => new DTypePolicy('mixed_float8')).toThrow(/cannot make a dtype policy of 'mixed_float8'.*help:/);
  expect(() => new DTypePolicy(3 as unknown as string)).toThrow(/must be a string.*help:/);
});

test('the global policy starts float32, is set by name or object, and null resets it', () => {
  expect(globalPolicy().name).toBe('float32');
  setGlobalPolicy('mixed_bfloat16');
  expect(globalPolicy()).toBeInstanceOf(DTypePolicy);
  expect([globalPolicy().name, globalPolicy().computeDtype, globalPolicy().variableDtype]).toEqual(['mixed_bfloat16', 'bfloat16', 'float32']);
  const p = new DTypePolicy('float32');
  setGlobalPolicy(p);
  expect(globalPolicy()).toBe(p);
  setGlobalPolicy(null);
  expect(globalPolicy().name).toBe('float32');
  expect(() => setGlobalPolicy('half' as never)).toThrow(/'half'.*help:/);
  expect(globalPolicy().name).toBe('float32');
  setGlobalPolicy('mixed_float16');
  k.utils.clearSession(); // as Keras 3's clear_session
  expect(globalPolicy().name).toBe('float32');
});

test("a layer's policy comes from dtype or dtypePolicy, else the global policy; tensors stay float32", () => {
  const a = new k.layers.Dense({ units: 2, dtype: 'mixed_float16' });
  expect([a.dtypePolicy.name, a.dtype]).toEqual(['mixed_float16', 'float32']);
  const b = new k.layers.Dense({ units: 2, dtypePolicy: new DTypePolicy('mixed_bfloat16') });
  expect([b.dtypePolicy.name, b.dtype, b.getConfig().dtype]).toEqual(['mixed_bfloat16', 'float32', 'mixed_bfloat16']);
  setGlobalPolicy('mixed_float16');
  const c = new k.layers.Dense({ units: 2 });
  const d = new k.layers.Dense({ units: 2, dtype: 'float32' });
  expect([c.dtypePolicy.name, d.dtypePolicy.name]).toEqual(['mixed_float16', 'float32']);
  expect(k.Input({ shape: [3] }).dtype).toBe('float32');
  expect(() => new k.layers.Dense({ units: 2, dtype: 'float32', dtypePolicy: 'mixed_float16' })).toThrow(/dtype 'float32' and dtypePolicy 'mixed_float16' disagree.*help:/);
  expect(() => new k.layers.Dense({ units: 2, dtype: 'float8' as never })).toThrow(/Dense 'dense_\d+': dtype: cannot make a dtype policy of 'float8'.*help:/);
  const before = tfc.memory().numTensors;
  const x = tfc.ones([4, 3]);
  const y = c.apply(x) as tfc.Tensor;
  expect(y.dtype).toBe('float32');
  expect(c.weights.map((w) => w.value.dtype)).toEqual(['float32', 'float32']);
  tfc.dispose([x, y]);
  expect(tfc.memory().numTensors).toBe(before + 2); // the kernel and bias c built, nothing else
  [a, b, c, d].forEach((l) => l.dispose());
  setGlobalPolicy(null);
  const lstm = new k.layers.LSTM({ units: 2, dtypePolicy: 'mixed_bfloat16' }); // the recurrent layer and its cell
  expect([lstm.dtypePolicy.name, lstm.cell.dtypePolicy.name, lstm.getConfig().dtype]).toEqual(['mixed_bfloat16', 'mixed_bfloat16', 'mixed_bfloat16']);
});

test('a mixed policy warns once, through the logger, that compute stays float32', () => {
  setGlobalPolicy('mixed_float16');
  new DTypePolicy('mixed_bfloat16');
  new k.layers.Dense({ units: 1, dtype: 'mixed_float16' }).dispose();
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatch(/'mixed_float16'.*no float16 dtype.*float32.*help:/);
  setGlobalPolicy('float32');
  expect(warnings).toHaveLength(1);
});

test('a model under mixed_float16 round-trips through .keras with its policy, written as Keras 3 does', async () => {
  setGlobalPolicy('mixed_float16');
  const model = new k.Sequential([new k.layers.Dense({ units: 3, inputShape: [2], name: 'd1' }), new k.layers.Dense({ units: 1, dtype: 'float32', name: 'd2' })]);
  const file = path.join(tmp, 'mixed.keras');
  await model.save(file);
  setGlobalPolicy(null);
  const entries = unzipSync(new Uint8Array(fs.readFileSync(file)));
  const json = JSON.parse(Buffer.from(entries['config.json']).toString('utf8'));
  const layers = json.config.layers.filter((l: { class_name: string }) => l.class_name === 'Dense');
  expect(layers.map((l: { config: { dtype: unknown } }) => l.config.dtype)).toEqual([
    { module: 'keras', class_name: 'DTypePolicy', config: { name: 'mixed_float16' }, registered_name: null },
    { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null },
  ]);
  const loaded = await k.models.loadModel(file);
  expect(loaded.layers.filter((l) => l.className === 'Dense').map((l) => l.dtypePolicy.name)).toEqual(['mixed_float16', 'float32']);
  const x = tfc.tensor2d([[1, 2], [-1, 0.5]]);
  const [p, q] = [model.predict(x) as tfc.Tensor, loaded.predict(x) as tfc.Tensor];
  expect(Array.from(q.dataSync())).toEqual(Array.from(p.dataSync()));
  const h5 = path.join(tmp, 'mixed.h5'); // Keras 2's dialect: tf.keras 2's Policy object for the mixed layer
  await model.save(h5);
  const fromH5 = await k.models.loadModel(h5);
  expect(fromH5.layers.filter((l) => l.className === 'Dense').map((l) => l.dtypePolicy.name)).toEqual(['mixed_float16', 'float32']);
  tfc.dispose([x, p, q]);
  [loaded, fromH5, model].forEach((m) => m.dispose());
});

test('a Keras-written config with a mixed DTypePolicy object loads, runs in float32 and keeps the policy', () => {
  const policy = (name: string) => ({ module: 'keras', class_name: 'DTypePolicy', config: { name }, registered_name: null });
  const config = {
    module: 'keras', class_name: 'Sequential', registered_name: null,
    config: {
      name: 'sequential', trainable: true, dtype: policy('mixed_float16'),
      layers: [
        { module: 'keras.layers', class_name: 'InputLayer', registered_name: null, config: { batch_shape: [null, 2], dtype: 'float32', sparse: false, name: 'input_layer' } },
        {
          module: 'keras.layers', class_name: 'Dense', registered_name: null, build_config: { input_shape: [null, 2] },
          config: {
            name: 'dense', trainable: true, dtype: policy('mixed_float16'), units: 2, activation: 'linear', use_bias: true,
            kernel_initializer: { module: 'keras.initializers', class_name: 'Ones', config: {}, registered_name: null },
            bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_name: null },
            kernel_regularizer: null, bias_regularizer: null, kernel_constraint: null, bias_constraint: null,
          },
        },
      ],
      build_input_shape: [null, 2],
    },
  };
  const model = k.models.modelFromJson(config);
  const dense = model.layers.find((l) => l.className === 'Dense')!;
  expect([dense.dtypePolicy.name, dense.dtype]).toEqual(['mixed_float16', 'float32']);
  expect(warnings).toHaveLength(1);
  const x = tfc.tensor2d([[1, 2]]);
  const y = model.predict(x) as tfc.Tensor;
  expect([y.dtype, Array.from(y.dataSync())]).toEqual(['float32', [3, 3]]); // kernel of ones: [1 + 2, 1 + 2]
  tfc.dispose([x, y]);
  model.dispose();
});

test('fit under mixed_float16 trains in float32 and leaves no tensor behind', async () => {
  setGlobalPolicy('mixed_float16');
  k.utils.setRandomSeed(3);
  const model = new k.Sequential([new k.layers.Dense({ units: 1, inputShape: [1] })]);
  model.compile({ optimizer: new k.optimizers.SGD({ learningRate: 0.1 }), loss: 'mse' });
  const x = tfc.tensor2d([[0], [1], [2], [3]]);
  const y = tfc.tensor2d([[1], [3], [5], [7]]); // y = 2x + 1
  const first = await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 }); // builds the weights and the optimizer's state
  const before = tfc.memory().numTensors;
  const history = await model.fit(x, y, { epochs: 60, batchSize: 4, verbose: 0 });
  expect(tfc.memory().numTensors).toBe(before);
  const losses = history.history.loss as number[];
  expect(losses[losses.length - 1]).toBeLessThan((first.history.loss as number[])[0] / 10);
  expect(model.weights.every((w) => w.value.dtype === 'float32')).toBe(true);
  tfc.dispose([x, y]);
  model.dispose();
});
