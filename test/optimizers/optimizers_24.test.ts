/**
 * Ftrl, Lamb and Adafactor (issue 24): trajectories against NumPy reimplementations of Keras 3's
 * update rules (test/reference/optimizer_references_24.py), config round trips, the optimizer state
 * through .keras and .h5, leak counts, and a fit that lowers the loss.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { compileFromKeras, compileToKeras } from '../../src/saving/serialize_training';
import { expectClose, expectNoLeak, testBackend } from '../helpers';
import { trajectory as run, W0 } from './quadratic';

// Printed by test/reference/optimizer_references_24.py (float64).
const REF: Record<string, number[][]> = {
  ftrl: [[0.6276030718, -1.7998622006, 0.3298785213], [0.5739548048, -1.7328199719, 0.2734409930], [0.5294537898, -1.6785122677, 0.2301292429]],
  ftrl_regularized: [[0.4817776735, -1.7286589188, 0.2862769545], [0.4395779473, -1.6630557004, 0.2363873177], [0.4031657379, -1.6094963248, 0.1973517351]],
  ftrl_fixed_rate: [[-0.0800000000, 0.6000000000, -0.1900000000], [-0.0820000000, 0.4500000000, -0.1340000000], [-0.0838000000, 0.3450000000, -0.1004000000]],
  lamb: [[0.9867712440, -1.9867712430, 0.4867712434], [0.9736580841, -1.9736559315, 0.4736630013], [0.9606585652, -1.9606507016, 0.4606766643]],
  lamb_weight_decay: [[0.8590353154, -1.8490353055, 0.3640353094], [0.7313767039, -1.7102094662, 0.2447122852], [0.6149082474, -1.5807220435, 0.1425129043]],
  adafactor: [[0.8677124344, -1.8677124344, 0.3677124344], [0.7538040677, -1.7503518641, 0.2622770029], [0.6548513577, -1.6451992847, 0.1792218870]],
  adafactor_no_relative_step: [[0.9338562172, -1.9338562172, 0.4338562172], [0.8702560661, -1.8693936834, 0.3722128979], [0.8090498035, -1.8064723171, 0.3150202664]],
  adafactor_matrix: [[0.8781838681, -1.8719825689, 0.4398553599, 0.2309058519, 1.1683044922, -0.5209011918], [0.7723898172, -1.7595789987, 0.3848291025, 0.1820339053, 1.1360308561, -0.3694130804], [0.6804164704, -1.6602751161, 0.3345374688, 0.1489822479, 1.1031054548, -0.2469517069]],
};

const O = k.optimizers;
let tmp: string;
beforeAll(async () => {
  await k.setBackend(testBackend());
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-optim24-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const cases: Array<[string, () => k.optimizers.Optimizer]> = [
  ['ftrl', () => new O.Ftrl({ learningRate: 0.1 })],
  ['ftrl_regularized', () => new O.Ftrl({
    learningRate: 0.1, l1RegularizationStrength: 0.05, l2RegularizationStrength: 0.01, l2ShrinkageRegularizationStrength: 0.02, beta: 0.1, initialAccumulatorValue: 0.2,
  })],
  ['ftrl_fixed_rate', () => new O.Ftrl({ learningRate: 0.1, learningRatePower: 0, l1RegularizationStrength: 0.3 })],
  ['lamb', () => new O.Lamb({ learningRate: 0.01 })],
  ['lamb_weight_decay', () => new O.Lamb({ learningRate: 0.1, beta1: 0.5, beta2: 0.9, weightDecay: 0.1 })],
  ['adafactor', () => new O.Adafactor({ learningRate: 0.1 })],
  ['adafactor_no_relative_step', () => new O.Adafactor({ learningRate: 0.1, relativeStep: false, clipThreshold: 0.5 })],
];

test.each(cases)('%s: three steps match the NumPy reference of Keras\'s rule to 1e-5', (name, make) => {
  expectClose(run(make()), REF[name], 1e-5);
});

test('adafactor_matrix: the factored second moment of a 2x3 variable matches the reference to 1e-5', () => {
  // f(W) = sum(C W²) + sum(D W), as in the reference script
  const C = tfc.tensor2d([[0.5, 1.5, 2.0], [1.0, 0.25, 3.0]]);
  const D = tfc.tensor2d([[0.1, -0.3, 0.2], [-0.2, 0.4, 0.0]]);
  const init = tfc.tensor2d([[1.0, -2.0, 0.5], [0.3, 1.2, -0.7]]);
  const w = tfc.variable(init);
  const opt = new O.Adafactor({ learningRate: 0.1 });
  const out: number[][] = [];
  for (let i = 0; i < 3; i++) {
    tfc.tidy(() => opt.applyGradients([[tfc.add(tfc.mul(tfc.mul(C, 2), w), D), w]]));
    out.push(Array.from(w.dataSync()));
  }
  expectClose(out, REF.adafactor_matrix, 1e-5);
  // Keras's layout: r (rows), c (columns), v (full)
  expect(opt.getState([{ name: 'w', variable: w }]).slice(2).map((a) => [a.name, a.shape])).toEqual([
    ['Adafactor/w_r', [2]], ['Adafactor/w_c', [3]], ['Adafactor/w_v', [2, 3]],
  ]);
  opt.dispose();
  tfc.dispose([C, D, init, w]);
});

test('Adafactor keeps scalar r and c for a vector, as Keras', () => {
  const w = tfc.variable(tfc.zeros([3]));
  const g = tfc.ones([3]);
  const opt = new O.Adafactor();
  opt.applyGradients([[g, w]]);
  expect(opt.getState([{ name: 'b', variable: w }]).slice(2).map((a) => a.shape)).toEqual([[], [], [3]]);
  opt.dispose();
  tfc.dispose([w, g]);
});

// Each new optimizer by its Keras name, with options that differ from the defaults.
const named: Array<[string, string, () => k.optimizers.Optimizer, number]> = [
  ['ftrl', 'Ftrl', () => new O.Ftrl({ learningRate: 0.2, l1RegularizationStrength: 0.001, beta: 0.5, clipnorm: 3 }), 2],
  ['lamb', 'Lamb', () => new O.Lamb({ learningRate: 0.01, beta1: 0.8, epsilon: 1e-6, weightDecay: 0.01 }), 2],
  ['adafactor', 'Adafactor', () => new O.Adafactor({ learningRate: 0.05, beta2Decay: -0.5, epsilon2: 1e-2, clipThreshold: 2, relativeStep: false }), 3],
];

test.each(named)('%s: reachable by name, Keras\'s defaults, config round trip', (id, className, make) => {
  const byName = O.getOptimizer(id, 'test');
  expect(byName.className).toBe(className);
  expect(O.getOptimizer(className, 'test').className).toBe(className);
  const opt = make();
  const copy = O.deserializeOptimizer(JSON.parse(JSON.stringify(O.serializeOptimizer(opt))));
  expect(copy.className).toBe(className);
  expect(copy.getConfig()).toEqual(opt.getConfig());
  expect(copy.getConfig()).not.toEqual(byName.getConfig());
});

test('Ftrl defaults are Keras\'s', () => {
  expect(new O.Ftrl().getConfig()).toEqual({
    name: 'Ftrl', learningRate: 0.001, learningRatePower: -0.5, initialAccumulatorValue: 0.1,
    l1RegularizationStrength: 0, l2RegularizationStrength: 0, l2ShrinkageRegularizationStrength: 0, beta: 0,
  });
});

test('Lamb defaults are Keras\'s', () => {
  expect(new O.Lamb().getConfig()).toEqual({ name: 'Lamb', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
});

test('Lamb: a zero variable moves by the plain Adam step (trust ratio 1)', () => {
  const w = tfc.variable(tfc.zeros([2]));
  const g = tfc.tensor1d([0.5, -2]);
  const opt = new O.Lamb({ learningRate: 0.1 });
  opt.applyGradients([[g, w]]);
  // step 1: m/(1-b1) = g, v/(1-b2) = g², so u = g / (|g| + 1e-7) ≈ sign(g); ratio 1 as ‖w‖ = 0
  expectClose(Array.from(w.dataSync()), [-0.1 * 0.5 / (0.5 + 1e-7), 0.1 * 2 / (2 + 1e-7)], 1e-6);
  opt.dispose();
  tfc.dispose([w, g]);
});

test('Adafactor defaults are Keras\'s', () => {
  expect(new O.Adafactor().getConfig()).toEqual({
    name: 'Adafactor', learningRate: 0.001, beta2Decay: -0.8, epsilon1: 1e-30, epsilon2: 1e-3, clipThreshold: 1.0, relativeStep: true,
  });
});

// Keras 3's get_config keys for each (keras/src/optimizers/{ftrl,lamb,adafactor}.py), beyond the base ones.
const kerasKeys: Array<[string, () => k.optimizers.Optimizer, Record<string, unknown>]> = [
  ['Ftrl', () => new O.Ftrl({ l1RegularizationStrength: 0.01 }), {
    learning_rate_power: -0.5, initial_accumulator_value: 0.1, l1_regularization_strength: 0.01, l2_regularization_strength: 0,
    l2_shrinkage_regularization_strength: 0, beta: 0,
  }],
  ['Lamb', () => new O.Lamb({ beta2: 0.99 }), { beta_1: 0.9, beta_2: 0.99, epsilon: 1e-7 }],
  ['Adafactor', () => new O.Adafactor({ epsilon2: 0.01 }), { beta_2_decay: -0.8, epsilon_1: 1e-30, epsilon_2: 0.01, clip_threshold: 1, relative_step: true }],
];

test.each(kerasKeys)('%s: the saved compile config uses Keras\'s key names and reads back', (className, make, keys) => {
  const optimizer = make();
  const json = JSON.parse(JSON.stringify(compileToKeras({ optimizer, loss: 'mse' }, optimizer, 'keras3')));
  expect(json.optimizer.class_name).toBe(className);
  expect(json.optimizer.config).toEqual(expect.objectContaining({ ...keys, name: className, learning_rate: 0.001 }));
  const back = compileFromKeras(json, 'test').optimizer as k.optimizers.Optimizer;
  expect(back.className).toBe(className);
  expect(back.getConfig()).toEqual(optimizer.getConfig());
});

test('bad options are refused with the value and the fix', () => {
  expect(() => new O.Ftrl({ learningRatePower: 0.5 })).toThrow(/Ftrl: `learningRatePower` must be a number <= 0, got 0.5. help:/);
  expect(() => new O.Ftrl({ initialAccumulatorValue: -1 })).toThrow(/`initialAccumulatorValue` must be a number >= 0, got -1. help:/);
  expect(() => new O.Ftrl({ l1RegularizationStrength: -0.1 })).toThrow(/`l1RegularizationStrength` must be a number >= 0, got -0.1/);
  expect(() => new O.Lamb({ beta1: 1 })).toThrow(/Lamb: `beta1` must be a number in \[0, 1\), got 1/);
  expect(() => new O.Adafactor({ clipThreshold: 0 })).toThrow(/Adafactor: `clipThreshold` must be a positive number, got 0. help:/);
  expect(() => new O.Adafactor({ relativeStep: 'yes' as unknown as boolean })).toThrow(/`relativeStep` must be true or false, got yes/);
  expect(() => new O.Ftrl({ learningRatePower: -0.5, lrPower: 1 } as unknown as k.optimizers.FtrlArgs)).toThrow(/lrPower/);
});

test.each(named)('%s: steps leak nothing beyond the slots, and dispose frees the slots', async (_id, _cls, make, slots) => {
  const init = tfc.tensor1d(W0);
  const w = tfc.variable(init);
  const g = tfc.tensor1d([0.5, -1, 2]);
  const opt = make();
  opt.applyGradients([[g, w]]); // creates the slots
  await expectNoLeak(() => opt.applyGradients([[g, w]]));
  await expectNoLeak(() => opt.dispose(), -slots);
  tfc.dispose([init, w, g]);
});

test('Adafactor: steps on a matrix (factored slots) leak nothing', async () => {
  const init = tfc.tensor2d([[1, -2, 0.5], [0.3, 1.2, -0.7]]);
  const w = tfc.variable(init);
  const g = tfc.tensor2d([[0.5, -1, 2], [0.1, 0.2, -0.3]]);
  const opt = new O.Adafactor();
  opt.applyGradients([[g, w]]);
  await expectNoLeak(() => opt.applyGradients([[g, w]]));
  await expectNoLeak(() => opt.dispose(), -3);
  tfc.dispose([init, w, g]);
});

function data(): { x: tfc.Tensor; y: tfc.Tensor } {
  const x = tfc.randomNormal([48, 5], 0, 1, 'float32', 11);
  const y = tfc.oneHot(tfc.argMax(tfc.matMul(x, tfc.randomNormal([5, 3], 0, 1, 'float32', 12)), 1), 3);
  return { x, y };
}

function build(optimizer: () => k.optimizers.Optimizer): k.Model {
  k.utils.setRandomSeed(3);
  const inputs = k.Input({ shape: [5] });
  const h = new k.layers.Dense({ units: 8, activation: 'tanh' }).apply(inputs);
  const out = new k.layers.Dense({ units: 3, activation: 'softmax' }).apply(h);
  const model = new k.Model({ inputs, outputs: out });
  model.compile({ optimizer: optimizer(), loss: 'categorical_crossentropy' });
  return model;
}

const fits: Array<[string, () => k.optimizers.Optimizer]> = [
  ['Ftrl', () => new O.Ftrl({ learningRate: 0.3 })],
  ['Lamb', () => new O.Lamb({ learningRate: 0.02 })],
  ['Adafactor', () => new O.Adafactor({ learningRate: 0.1 })],
];

describe.each(fits)('%s in a model', (name, optimizer) => {
  test.each([['keras'], ['h5']])('fit lowers the loss; the state saved in .%s resumes as an uninterrupted run', async (ext) => {
    const { x, y } = data();
    const whole = build(optimizer);
    const reference = (await whole.fit(x, y, { epochs: 4, batchSize: 16, shuffle: false, verbose: 0 })).history.loss;
    expect(reference[3]).toBeLessThan(reference[0] * 0.95);

    const first = build(optimizer);
    await first.fit(x, y, { epochs: 2, batchSize: 16, shuffle: false, verbose: 0 });
    const target = path.join(tmp, `${name}.${ext}`);
    await first.save(target);
    const loaded = await k.models.loadModel(target);
    expect(loaded.optimizer.className).toBe(name);
    expect(loaded.optimizer.getConfig()).toEqual(first.optimizer.getConfig());
    expect(loaded.optimizer.iterations).toBe(6);
    const rest = (await loaded.fit(x, y, { epochs: 4, initialEpoch: 2, batchSize: 16, shuffle: false, verbose: 0 })).history.loss;
    rest.forEach((loss, i) => expect(Math.abs(loss - reference[i + 2])).toBeLessThan(1e-6));
    [whole, first, loaded].forEach((m) => m.dispose());
    tfc.dispose([x, y]);
  });

  test('by name in compile', async () => {
    const inputs = k.Input({ shape: [2] });
    const model = new k.Model({ inputs, outputs: new k.layers.Dense({ units: 1 }).apply(inputs) });
    model.compile({ optimizer: name.toLowerCase() as k.optimizers.OptimizerName, loss: 'mse' });
    expect(model.optimizer.className).toBe(name);
    await model.fit([[1, 2]], [[1]], { verbose: 0 });
    expect(model.optimizer.iterations).toBe(1);
    model.dispose();
  });
});
