/**
 * Training state: fit after loading continues exactly as a run that never stopped (same losses),
 * through every format that keeps the optimizer's state; a learning-rate schedule resumes at its step.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';

let tmp: string;
beforeAll(async () => {
  await k.setBackend('cpu');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-resume-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function data(): { x: tfc.Tensor; y: tfc.Tensor } {
  const x = tfc.randomNormal([48, 5], 0, 1, 'float32', 11);
  const y = tfc.oneHot(tfc.argMax(tfc.matMul(x, tfc.randomNormal([5, 3], 0, 1, 'float32', 12)), 1), 3);
  return { x, y };
}

function build(optimizer: () => k.optimizers.Optimizer): k.Model {
  k.utils.setRandomSeed(3);
  const inputs = k.Input({ shape: [5] });
  const h = new k.layers.Dense({ units: 8, activation: 'tanh' }).apply(inputs);
  const n = new k.layers.BatchNormalization().apply(h);
  const out = new k.layers.Dense({ units: 3, activation: 'softmax' }).apply(n);
  const model = new k.Model({ inputs, outputs: out });
  model.compile({ optimizer: optimizer(), loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  return model;
}

const optimizers: Array<[string, () => k.optimizers.Optimizer]> = [
  ['Adam', () => new k.optimizers.Adam({ learningRate: 0.02 })],
  ['SGD with momentum and an ExponentialDecay schedule', () => new k.optimizers.SGD({
    momentum: 0.9, learningRate: new k.optimizers.schedules.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 3, decayRate: 0.5 }),
  })],
  ['RMSprop (centered, momentum)', () => new k.optimizers.RMSprop({ learningRate: 0.01, centered: true, momentum: 0.5 })],
];

describe.each(optimizers)('%s', (_name, optimizer) => {
  test.each([['model.keras'], ['model.h5']])('fit after loadModel(%s) gives the losses of an uninterrupted run', async (file) => {
    const { x, y } = data();
    const whole = build(optimizer);
    const reference = (await whole.fit(x, y, { epochs: 4, batchSize: 16, shuffle: false, verbose: 0 })).history.loss;

    const first = build(optimizer);
    await first.fit(x, y, { epochs: 2, batchSize: 16, shuffle: false, verbose: 0 });
    const target = path.join(tmp, `${_name.slice(0, 4)}-${file}`);
    await first.save(target);
    const loaded = await k.models.loadModel(target);
    expect(loaded.optimizer.iterations).toBe(first.optimizer.iterations);
    expect(loaded.optimizer.learningRate).toBeCloseTo(first.optimizer.learningRate, 10);
    const rest = (await loaded.fit(x, y, { epochs: 4, initialEpoch: 2, batchSize: 16, shuffle: false, verbose: 0 })).history.loss;
    expect(rest).toHaveLength(2);
    rest.forEach((loss, i) => expect(Math.abs(loss - reference[i + 2])).toBeLessThan(1e-6));
    [whole, first, loaded].forEach((m) => m.dispose());
    tfc.dispose([x, y]);
  });
});

test('saveWeights(.weights.h5) carries the optimizer state into a compiled twin; without it fit starts over', async () => {
  const { x, y } = data();
  const make = (): k.optimizers.Optimizer => new k.optimizers.Adam({ learningRate: 0.02 });
  const whole = build(make);
  const reference = (await whole.fit(x, y, { epochs: 3, batchSize: 16, shuffle: false, verbose: 0 })).history.loss;
  const first = build(make);
  await first.fit(x, y, { epochs: 1, batchSize: 16, shuffle: false, verbose: 0 });
  await first.saveWeights(path.join(tmp, 'w.weights.h5'));
  const twin = build(make);
  await twin.loadWeights(path.join(tmp, 'w.weights.h5'));
  expect(twin.optimizer.iterations).toBe(3);
  const rest = (await twin.fit(x, y, { epochs: 3, initialEpoch: 1, batchSize: 16, shuffle: false, verbose: 0 })).history.loss;
  rest.forEach((loss, i) => expect(Math.abs(loss - reference[i + 1])).toBeLessThan(1e-6));

  await first.save(path.join(tmp, 'no-opt.keras'), { includeOptimizer: false });
  const fresh = await k.models.loadModel(path.join(tmp, 'no-opt.keras'));
  expect(fresh.compileArgs).toBeNull();
  [whole, first, twin, fresh].forEach((m) => m.dispose());
  tfc.dispose([x, y]);
});

test('ModelCheckpoint: a template per epoch, saveBestOnly on the monitored value, and weights only', async () => {
  const { x, y } = data();
  const model = build(() => new k.optimizers.Adam({ learningRate: 0.05 }));
  const dir = path.join(tmp, 'ckpt');
  const all = new k.callbacks.ModelCheckpoint(path.join(dir, 'all-{epoch:02d}-{loss:.3f}.keras'), { monitor: 'loss' });
  const best = new k.callbacks.ModelCheckpoint(path.join(dir, 'best.weights.h5'), { monitor: 'val_accuracy', saveBestOnly: true, saveWeightsOnly: true });
  const batches = new k.callbacks.ModelCheckpoint(path.join(dir, 'b-{epoch}-{batch}.keras'), { saveFreq: 2, monitor: 'loss' });
  const history = await model.fit(x, y, { epochs: 3, batchSize: 16, verbose: 0, validationData: [x, y], callbacks: [all, best, batches] });
  const files = fs.readdirSync(dir).sort();
  const expected = history.history.loss.map((l, i) => `all-${String(i + 1).padStart(2, '0')}-${l.toFixed(3)}.keras`);
  expect(files.filter((f) => f.startsWith('all-'))).toEqual(expected);
  // 3 batches per epoch and a save every 2 batches: after batch 2 of epoch 1, batch 1 of epoch 2, batch 3 of epoch 2, batch 2 of epoch 3
  expect(files.filter((f) => f.startsWith('b-'))).toEqual(['b-1-2.keras', 'b-2-1.keras', 'b-2-3.keras', 'b-3-2.keras']);
  expect(files).toContain('best.weights.h5');
  const accs = history.history.val_accuracy;
  expect(best.best).toBe(Math.max(...accs));
  // The last full checkpoint holds the final weights.
  const last = await k.models.loadModel(path.join(dir, expected[2]));
  const a = model.predict(x) as tfc.Tensor;
  const b = last.predict(x) as tfc.Tensor;
  expect(tfc.max(tfc.abs(tfc.sub(a, b))).dataSync()[0]).toBe(0);
  expect(() => new k.callbacks.ModelCheckpoint('ckpt.keras', { saveWeightsOnly: true })).toThrow(/must end in '.weights.h5'/);
  expect(() => new k.callbacks.ModelCheckpoint('ckpt.txt')).toThrow(/must end in '.keras'/);
  expect(() => new k.callbacks.ModelCheckpoint('ckpt-{val_f1}.keras', { monitor: 'loss' })).not.toThrow();
  const bad = new k.callbacks.ModelCheckpoint(path.join(dir, 'x-{val_f1}.keras'), { monitor: 'loss' });
  await expect(model.fit(x, y, { epochs: 1, verbose: 0, callbacks: [bad] })).rejects.toThrow(/needs '\{val_f1\}', which is not in the logs/);
  tfc.dispose([x, y, a, b]);
  model.dispose();
  last.dispose();
});

test('file name templates format as Python does', () => {
  const { formatFilepath } = require('../../src/callbacks/filepath_template') as typeof import('../../src/callbacks/filepath_template');
  expect(formatFilepath('ckpt-{epoch:02d}-{val_loss:.2f}.keras', { epoch: 3, val_loss: 0.12345 }, 't')).toBe('ckpt-03-0.12.keras');
  expect(formatFilepath('{epoch:03d}-{loss:.4e}-{acc:.1%}-{x:g}', { epoch: 7, loss: 0.000123456, acc: 0.9234, x: 0.5 }, 't')).toBe('007-1.2346e-04-92.3%-0.5');
  expect(formatFilepath('{epoch}-{loss:8.3f}', { epoch: 1, loss: -1.5 }, 't')).toBe('1-  -1.500');
});

test('save, load and loadWeights in every format leave no tensors behind', async () => {
  const { x, y } = data();
  const model = build(() => new k.optimizers.Adam());
  await model.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0 });
  for (const file of ['leak.keras', 'leak.h5', 'leak-tfjs/']) {
    const target = path.join(tmp, file);
    await model.save(target); // warm: h5wasm's first use
    const before = tfc.memory().numTensors;
    await model.save(target);
    const loaded = await k.models.loadModel(target);
    await loaded.loadWeights(target);
    loaded.dispose();
    expect(tfc.memory().numTensors).toBe(before);
  }
  const before = tfc.memory().numTensors;
  await model.saveWeights(path.join(tmp, 'leak.weights.h5'));
  await model.loadWeights(path.join(tmp, 'leak.weights.h5'));
  expect(tfc.memory().numTensors).toBe(before);
  model.dispose();
  tfc.dispose([x, y]);
});
