/**
 * Issue 24's optimizer additions: Muon, ScheduleFreeAdamW, LossScaleOptimizer, and Keras 3's base
 * options (useEma / emaMomentum / emaOverwriteFrequency, gradientAccumulationSteps, lossScaleFactor),
 * each against a NumPy port of Keras's update rules (test/reference/optimizer_references_24b.py);
 * the state through .keras save/load; config round trips; leak counts; refusals.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { compileFromKeras, compileToKeras } from '../../src/saving/serialize_training';
import { expectClose, expectNoLeak, testBackend } from '../helpers';
import { C, D, W0 } from './quadratic';

// Printed by test/reference/optimizer_references_24b.py (float64).
const REF: Record<string, number[][]> = {
  muon_matrix: [[0.9933266770, -1.9731762211, 0.5023027713, 0.2925777407, 1.2085037969, -0.6644321745], [0.9866373435, -1.9464360061, 0.5043116533, 0.2850508075, 1.2168298789, -0.6289277843], [0.9799484670, -1.9197275209, 0.5058936910, 0.2775028390, 1.2248164078, -0.5937244481]],
  muon_vector_adam: [[0.8996002875, -1.8992000502, 0.3998001437], [0.7996038051, -1.7985987819, 0.3006587141], [0.7003110484, -1.6983133279, 0.2036473089]],
  schedule_free: [[0.9000000009, -1.9000000002, 0.4000000005], [0.8476770934, -1.8463567627, 0.3507432200], [0.7961632475, -1.7931163800, 0.3032743725]],
  schedule_free_warmup: [[0.9500000005, -1.9500000001, 0.4500000002], [0.8962929674, -1.8956662667, 0.3976770925], [0.8436765483, -1.8418884511, 0.3476600081]],
  sgd_accumulate_2: [[1.0000000000, -2.0000000000, 0.5000000000], [0.8900000000, -1.3700000000, 0.2800000000], [0.8900000000, -1.3700000000, 0.2800000000], [0.7910000000, -0.9290000000, 0.1480000000]],
  sgd_ema: [[0.8900000000, -1.3700000000, 0.2800000000], [0.7910000000, -0.9290000000, 0.1480000000], [0.7019000000, -0.6203000000, 0.0688000000]],
  sgd_ema_averages: [[0.8900000000, -1.3700000000, 0.2800000000], [0.8801000000, -1.3259000000, 0.2668000000], [0.8622800000, -1.2553400000, 0.2470000000]],
  sgd_ema_overwrite_2: [[0.8900000000, -1.3700000000, 0.2800000000], [0.8405000000, -1.1495000000, 0.2140000000], [0.7464500000, -0.7746500000, 0.1084000000], [0.7276400000, -0.7371650000, 0.1031200000]],
  adam_accumulate_ema: [[1.0000000000, -2.0000000000, 0.5000000000], [0.9000002875, -1.9000000502, 0.4000001437], [0.9000002875, -1.9000000502, 0.4000001437], [0.8003616590, -1.8001569314, 0.3010153335]],
  adam_accumulate_ema_averages: [[1.0000000000, -2.0000000000, 0.5000000000], [0.9000002875, -1.9000000502, 0.4000001437], [0.9000002875, -1.9000000502, 0.4000001437], [0.8900364246, -1.8900157383, 0.3901016627]],
};

const O = k.optimizers;
const C2 = [[0.5, 1.5, 2.0], [1.0, 0.25, 3.0]];
const D2 = [[0.1, -0.3, 0.2], [-0.2, 0.4, 0.0]];
const W2 = [[1.0, -2.0, 0.5], [0.3, 1.2, -0.7]];
let tmp: string;
beforeAll(async () => {
  await k.setBackend(testBackend());
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-optim24b-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** `calls` applyGradients calls of the gradient 2·c·w + d; the weights (and moving averages) after each. */
function calls(opt: k.optimizers.Optimizer, n: number, matrix = false): { weights: number[][]; averages: number[][] } {
  const [c, d, init] = matrix ? [tfc.tensor2d(C2), tfc.tensor2d(D2), tfc.tensor2d(W2)] : [tfc.tensor1d(C), tfc.tensor1d(D), tfc.tensor1d(W0)];
  const w = tfc.variable(init);
  const weights: number[][] = [];
  const averages: number[][] = [];
  for (let i = 0; i < n; i++) {
    tfc.tidy(() => opt.applyGradients([[tfc.add(tfc.mul(tfc.mul(c, 2), w), d), w]]));
    weights.push(Array.from(w.dataSync()));
    const avg = opt.averageOf(w);
    if (avg !== undefined) averages.push(Array.from(avg.dataSync()));
  }
  opt.dispose();
  tfc.dispose([c, d, init, w]);
  return { weights, averages };
}

describe('update rules against NumPy (3 or 4 calls)', () => {
  test('Muon: the Newton-Schulz rule on a matrix, AdamW on a vector', () => {
    expectClose(calls(new O.Muon({ learningRate: 0.1 }), 3, true).weights, REF.muon_matrix, 2e-5);
    expectClose(calls(new O.Muon({ learningRate: 0.1 }), 3).weights, REF.muon_vector_adam, 1e-5);
  });

  test('ScheduleFreeAdamW, with and without warm-up', () => {
    expectClose(calls(new O.ScheduleFreeAdamW({ learningRate: 0.1 }), 3).weights, REF.schedule_free, 1e-5);
    expectClose(calls(new O.ScheduleFreeAdamW({ learningRate: 0.1, warmupSteps: 2 }), 3).weights, REF.schedule_free_warmup, 1e-5);
  });

  test('gradientAccumulationSteps: one update per 2 calls, with their mean gradient', () => {
    expectClose(calls(new O.SGD({ learningRate: 0.1, gradientAccumulationSteps: 2 }), 4).weights, REF.sgd_accumulate_2, 1e-6);
  });

  test('useEma: the averages, and emaOverwriteFrequency', () => {
    const ema = calls(new O.SGD({ learningRate: 0.1, useEma: true, emaMomentum: 0.9 }), 3);
    expectClose(ema.weights, REF.sgd_ema, 1e-6);
    expectClose(ema.averages, REF.sgd_ema_averages, 1e-6);
    expectClose(calls(new O.SGD({ learningRate: 0.1, useEma: true, emaMomentum: 0.5, emaOverwriteFrequency: 2 }), 4).weights, REF.sgd_ema_overwrite_2, 1e-6);
  });

  test('Adam with accumulation and moving averages together', () => {
    const r = calls(new O.Adam({ learningRate: 0.1, gradientAccumulationSteps: 2, useEma: true, emaMomentum: 0.9 }), 4);
    expectClose(r.weights, REF.adam_accumulate_ema, 1e-5);
    expectClose(r.averages, REF.adam_accumulate_ema_averages, 1e-5);
  });

  test('lossScaleFactor divides the gradients: the same steps as SGD on g / 4', () => {
    // by hand: w - 0.1 · (2cw + d) / 4, three times
    let w = [...W0];
    const expected: number[][] = [];
    for (let i = 0; i < 3; i++) {
      w = w.map((x, j) => x - (0.1 * (2 * C[j] * x + D[j])) / 4);
      expected.push(w);
    }
    expectClose(calls(new O.SGD({ learningRate: 0.1, lossScaleFactor: 4 }), 3).weights, expected, 1e-6);
  });
});

describe('LossScaleOptimizer', () => {
  test('unscales, grows the scale after dynamicGrowthSteps finite steps, halves it and skips on inf', () => {
    const opt = new O.LossScaleOptimizer({ innerOptimizer: new O.SGD({ learningRate: 0.1 }), initialScale: 4, dynamicGrowthSteps: 2 });
    expect(k.mixedPrecision.LossScaleOptimizer).toBe(O.LossScaleOptimizer);
    const w = tfc.variable(tfc.tensor1d([1, -2]));
    const step = (g: number[]): void => tfc.tidy(() => opt.applyGradients([[tfc.mul(tfc.tensor1d(g), opt.lossScale), w]]));
    step([1, 1]); // scale 4: w = [0.9, -2.1]; counter 1
    expect([opt.dynamicScale, opt.stepCounter]).toEqual([4, 1]);
    step([1, -1]); // w = [0.8, -2.0]; the 2nd finite step doubles the scale
    expect([opt.dynamicScale, opt.stepCounter]).toEqual([8, 0]);
    expectClose(w, [0.8, -2.0], 1e-6);
    tfc.tidy(() => opt.applyGradients([[tfc.tensor1d([Infinity, 1]), w]]));
    expect([opt.dynamicScale, opt.stepCounter, opt.iterations]).toEqual([4, 0, 2]);
    expectClose(w, [0.8, -2.0], 1e-6); // skipped
    expect(opt.learningRate).toBeCloseTo(0.1);
    opt.learningRate = 0.05;
    expect(opt.innerOptimizer.learningRate).toBeCloseTo(0.05);
    opt.dispose();
    w.dispose();
  });

  test('refuses a missing inner optimizer, naming the fix', () => {
    expect(() => new O.LossScaleOptimizer({ innerOptimizer: 'adam' as unknown as k.optimizers.Optimizer })).toThrow(/innerOptimizer.*help: new k.optimizers.LossScaleOptimizer/);
    expect(() => new O.LossScaleOptimizer(undefined as unknown as k.optimizers.LossScaleOptimizerArgs)).toThrow(/innerOptimizer.*got undefined.*help:/);
  });
});

describe('in fit, and saved', () => {
  function model(): k.Sequential {
    k.utils.setRandomSeed(7);
    return new k.Sequential({ layers: [k.Input({ shape: [3] }), new k.layers.Dense({ units: 4, activation: 'tanh' }), new k.layers.Dense({ units: 1 })] });
  }
  const x = (): tfc.Tensor => tfc.tensor2d([[0.1, 0.2, 0.3], [-0.5, 0.4, 0.1], [0.9, -0.3, 0.2], [0.3, 0.3, -0.8]]);
  const y = (): tfc.Tensor => tfc.tensor2d([[1], [0], [-1], [0.5]]);

  test('fit with lossScaleFactor or a LossScaleOptimizer gives the weights fit gives without', async () => {
    const run = async (optimizer: k.optimizers.Optimizer): Promise<number[]> => {
      const m = model();
      m.compile({ optimizer, loss: 'mse' });
      const [xs, ys] = [x(), y()];
      await m.fit(xs, ys, { epochs: 3, batchSize: 2, verbose: 0, shuffle: false });
      const out = Array.from(m.getWeights()[0].dataSync());
      tfc.dispose([xs, ys]);
      m.dispose();
      return out;
    };
    const plain = await run(new O.Adam({ learningRate: 0.01 }));
    expectClose(await run(new O.Adam({ learningRate: 0.01, lossScaleFactor: 128 })), plain, 1e-5);
    expectClose(await run(new O.LossScaleOptimizer({ innerOptimizer: new O.Adam({ learningRate: 0.01 }), initialScale: 1024 })), plain, 1e-5);
  });

  test('fit with useEma ends with the weights set to their averages', async () => {
    const m = model();
    const opt = new O.SGD({ learningRate: 0.1, useEma: true, emaMomentum: 0.9 });
    m.compile({ optimizer: opt, loss: 'mse' });
    const [xs, ys] = [x(), y()];
    const seen: number[][] = [];
    await m.fit(xs, ys, { epochs: 2, batchSize: 4, verbose: 0, callbacks: [{ onTrainEnd: () => { seen.push(Array.from(m.getWeights()[1].dataSync())); } }] });
    const avg = Array.from(opt.averageOf(m.trainableWeights[1])!.dataSync());
    expectClose(seen[0], avg, 1e-7);
    tfc.dispose([xs, ys]);
    m.dispose();
  });

  const saved: Array<[string, () => k.optimizers.Optimizer]> = [
    ['Muon', () => new O.Muon({ learningRate: 0.01, excludeLayers: ['dense_9'], rmsRate: 0.1 })],
    ['ScheduleFreeAdamW', () => new O.ScheduleFreeAdamW({ learningRate: 0.01, warmupSteps: 3 })],
    ['LossScaleOptimizer', () => new O.LossScaleOptimizer({ innerOptimizer: new O.Adam({ learningRate: 0.01 }), initialScale: 64, dynamicGrowthSteps: 3 })],
    ['Adam+ema+accumulation', () => new O.Adam({ learningRate: 0.01, useEma: true, emaMomentum: 0.8, emaOverwriteFrequency: 5, gradientAccumulationSteps: 3, lossScaleFactor: 8 })],
  ];

  test.each(saved)('%s: state and config through .keras, training resumes identically', async (label, make) => {
    const a = model();
    a.compile({ optimizer: make(), loss: 'mse' });
    const [xs, ys] = [x(), y()];
    await a.fit(xs, ys, { epochs: 2, batchSize: 1, verbose: 0, shuffle: false }); // 8 calls: not a multiple of 3
    const file = path.join(tmp, `${label.replace(/\W/g, '_')}.keras`);
    await a.save(file);
    const b = await k.models.loadModel(file);
    expect(b.optimizer.className).toBe(a.optimizer.className);
    expect(b.optimizer.getConfig()).toEqual(a.optimizer.getConfig());
    expect(b.optimizer.iterations).toBe(a.optimizer.iterations);
    for (const m of [a, b]) await m.fit(xs, ys, { epochs: 1, batchSize: 1, verbose: 0, shuffle: false });
    a.getWeights().forEach((w, i) => expectClose(b.getWeights()[i], Array.from(w.dataSync()), 1e-5));
    tfc.dispose([xs, ys]);
    a.dispose();
    b.dispose();
  });
});

test('Keras 3 key names in the compile config, read back', () => {
  const optimizer = new O.Muon({ adamBeta1: 0.8, nsSteps: 4 });
  const json = JSON.parse(JSON.stringify(compileToKeras({ optimizer, loss: 'mse' }, optimizer, 'keras3')));
  expect(json.optimizer.config).toMatchObject({ adam_beta_1: 0.8, adam_beta_2: 0.999, ns_steps: 4, muon_a: 3.4445, exclude_embeddings: true, rms_rate: 0.2, weight_decay: 0.004 });
  expect(compileFromKeras(json, 'test').optimizer).toBeInstanceOf(O.Muon);
  const lso = new O.LossScaleOptimizer({ innerOptimizer: new O.SGD({ momentum: 0.5 }) });
  const lsoJson = JSON.parse(JSON.stringify(compileToKeras({ optimizer: lso, loss: 'mse' }, lso, 'keras3')));
  expect(lsoJson.optimizer.config).toMatchObject({ initial_scale: 32768, dynamic_growth_steps: 2000, inner_optimizer: { class_name: 'SGD', module: 'keras.optimizers' } });
  const back = compileFromKeras(lsoJson, 'test').optimizer as unknown as k.optimizers.LossScaleOptimizer;
  expect(back.innerOptimizer.getConfig()).toEqual(lso.innerOptimizer.getConfig());
  const ema = new O.SGD({ useEma: true, emaMomentum: 0.9, gradientAccumulationSteps: 4 });
  const emaJson = JSON.parse(JSON.stringify(compileToKeras({ optimizer: ema, loss: 'mse' }, ema, 'keras3')));
  expect(emaJson.optimizer.config).toMatchObject({ use_ema: true, ema_momentum: 0.9, gradient_accumulation_steps: 4 });
  expect((compileFromKeras(emaJson, 'test').optimizer as k.optimizers.Optimizer).getConfig()).toEqual(ema.getConfig());
});

test('by name; defaults are Keras\'s', () => {
  expect(O.getOptimizer('muon', 't')).toBeInstanceOf(O.Muon);
  expect(O.getOptimizer('schedule_free_adamw', 't')).toBeInstanceOf(O.ScheduleFreeAdamW);
  expect(new O.ScheduleFreeAdamW().getConfig()).toEqual({ name: 'ScheduleFreeAdamW', learningRate: 0.0025, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, warmupSteps: 0 });
  expect(new O.Muon().getConfig()).toMatchObject({ learningRate: 0.001, weightDecay: 0.004, adamWeightDecay: 0.004, momentum: 0.95, nsSteps: 5, nesterov: true, muonA: 3.4445, muonB: -4.775, muonC: 2.0315 });
});

test('Muon sends embeddings, excluded layers and non-matrices to Adam', () => {
  const muon = new O.Muon({ excludeLayers: ['^head/'] });
  const v = (name: string, shape: number[]): tfc.Variable => tfc.variable(tfc.zeros(shape), true, `${name}#${Math.random()}`);
  const vars = [v('dense/kernel', [2, 3]), v('embedding/embeddings', [4, 2]), v('head/kernel', [3, 1]), v('dense/bias', [3])];
  expect(vars.map((x) => muon.usesAdam(x))).toEqual([false, true, true, true]);
  tfc.dispose(vars);
});

test('the base options are checked', () => {
  expect(() => new O.SGD({ gradientAccumulationSteps: 1 })).toThrow(/gradientAccumulationSteps.*integer >= 2, got 1.*help:/);
  expect(() => new O.Adam({ emaMomentum: 1.5 })).toThrow(/emaMomentum.*\[0, 1\], got 1.5.*help:/);
  expect(() => new O.Adam({ emaOverwriteFrequency: 0 })).toThrow(/emaOverwriteFrequency.*got 0.*help:/);
  expect(() => new O.Adam({ lossScaleFactor: -2 })).toThrow(/lossScaleFactor.*got -2.*help:/);
  expect(() => new O.Muon({ nsSteps: 0 })).toThrow(/nsSteps.*help:/);
  expect(() => new O.ScheduleFreeAdamW({ beta1: 0 })).toThrow(/beta1.*help:/);
});

test('every new path leaks no tensors', async () => {
  await expectNoLeak(() => {
    calls(new O.Muon({ learningRate: 0.1 }), 2, true);
    calls(new O.ScheduleFreeAdamW(), 2);
    calls(new O.Adam({ useEma: true, gradientAccumulationSteps: 2, lossScaleFactor: 2 }), 3);
    const lso = new O.LossScaleOptimizer({ innerOptimizer: new O.SGD() });
    calls(lso, 2);
  });
});
