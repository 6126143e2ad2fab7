import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, testBackend } from '../helpers';

beforeAll(async () => {
  await k.setBackend(testBackend());
});

/** A stand-in model whose "weights" are one scalar per epoch, to watch callbacks by hand. */
function stub(lr = 1): k.callbacks.CallbackModel & { current: number; restored: number | null } {
  const m = {
    stopTraining: false,
    name: 'stub',
    current: 0,
    restored: null as number | null,
    optimizer: { learningRate: lr },
    getWeights: () => [tfc.scalar(m.current)],
    setWeights: (v: tfc.Tensor[]) => void (m.restored = v[0].dataSync()[0]),
  };
  return m;
}

function drive(cb: k.callbacks.Callback, model: ReturnType<typeof stub>, values: number[], key = 'val_loss'): number {
  cb.setModel?.(model);
  cb.onTrainBegin?.({});
  let epochs = 0;
  for (let e = 0; e < values.length && !model.stopTraining; e++, epochs++) {
    cb.onEpochBegin?.(e, {});
    model.current = e;
    cb.onEpochEnd?.(e, { [key]: values[e] });
  }
  cb.onTrainEnd?.({});
  return epochs;
}

test('EarlyStopping: patience, minDelta, mode, and restoring the best epoch', () => {
  const model = stub();
  const es = new k.callbacks.EarlyStopping({ patience: 2, restoreBestWeights: true });
  // best at epoch 1; epochs 2 and 3 do not improve -> stop after epoch 3, restore epoch 1's weights
  expect(drive(es, model, [1.0, 0.5, 0.7, 0.8, 0.2])).toBe(4);
  expect(es.stoppedEpoch).toBe(3);
  expect(model.restored).toBe(1);

  const acc = stub();
  const es2 = new k.callbacks.EarlyStopping({ monitor: 'val_accuracy', minDelta: 0.05, patience: 1 });
  expect(drive(es2, acc, [0.5, 0.52, 0.9], 'val_accuracy')).toBe(2); // +0.02 is not an improvement
  expect(() => new k.callbacks.EarlyStopping({ monitor: 'val_f1' })).toThrow(/cannot tell whether 'val_f1' should go up or down. help: pass mode/);
});

test('EarlyStopping baseline and startFromEpoch', () => {
  const model = stub();
  // As Keras 3: improving on the best returns before the patience check, even below the baseline...
  expect(drive(new k.callbacks.EarlyStopping({ patience: 2, baseline: 0.1 }), model, [0.9, 0.8, 0.7, 0.6])).toBe(4);
  // ...but the wait is not reset, so the first epoch that does not improve stops training
  const flat = stub();
  expect(drive(new k.callbacks.EarlyStopping({ patience: 2, baseline: 0.1 }), flat, [0.9, 0.8, 0.85, 0.6])).toBe(3);
  const warm = stub();
  expect(drive(new k.callbacks.EarlyStopping({ patience: 0, startFromEpoch: 2 }), warm, [1, 2, 3, 4])).toBe(4);
});

test('EarlyStopping with restoreBestWeights in a real fit restores the best epoch', async () => {
  k.utils.setRandomSeed(3);
  const inputs = k.Input({ shape: [2] });
  const model = new k.Model({ inputs, outputs: new k.layers.Dense({ units: 1 }).apply(inputs) });
  model.compile({ optimizer: new k.optimizers.SGD({ learningRate: 0.05 }), loss: 'mse' });
  const x = Array.from({ length: 32 }, (_, i) => [Math.sin(i), Math.cos(i)]);
  const y = x.map((r) => [2 * r[0] - r[1]]);
  const snapshots: number[][] = [];
  const recorder: k.callbacks.Callback = { onEpochEnd: () => void snapshots.push(model.getWeights().flatMap((t) => { const v = Array.from(t.dataSync()); t.dispose(); return v; })) };
  // from epoch 3 on the learning rate is far too large: the loss rises, and training stops
  const diverge = new k.callbacks.LearningRateScheduler((epoch, lr) => (epoch >= 3 ? 3 : lr));
  const es = new k.callbacks.EarlyStopping({ monitor: 'loss', patience: 2, restoreBestWeights: true });
  const h = await model.fit(x, y, { epochs: 20, batchSize: 32, shuffle: false, verbose: 0, callbacks: [diverge, es, recorder] });
  const losses = h.history.loss;
  const best = losses.indexOf(Math.min(...losses));
  expect(losses.length).toBeLessThan(20);
  expect(best).toBeLessThan(losses.length - 1);
  const now = model.getWeights().flatMap((t) => Array.from(t.dataSync()));
  expectClose(now, snapshots[best], 0);
  model.dispose();
});

test('ReduceLROnPlateau: factor, patience, cooldown and minLr, logged as learning_rate', () => {
  const model = stub(1);
  const cb = new k.callbacks.ReduceLROnPlateau({ factor: 0.5, patience: 1, cooldown: 1, minLr: 0.2 });
  const rates: number[] = [];
  cb.setModel(model);
  cb.onTrainBegin();
  [1.0, 1.0, 1.0, 1.0, 1.0, 1.0].forEach((v, e) => {
    const logs: k.callbacks.Logs = { val_loss: v };
    cb.onEpochEnd(e, logs);
    rates.push(model.optimizer.learningRate);
    expect(logs.learning_rate).toBeDefined();
  });
  // by hand, following Keras 3: e0 is the first best; e1 reduces to 0.5 and starts a cooldown of 1; at e2 the
  // cooldown ends before the wait is counted, so it reduces again (0.25); e3 goes to 0.125, floored at minLr 0.2;
  // from then on the rate is not above minLr and stays.
  expect(rates).toEqual([1, 0.5, 0.25, 0.2, 0.2, 0.2]);
  expect(() => new k.callbacks.ReduceLROnPlateau({ factor: 1.5 })).toThrow(/`factor` must be in \(0, 1\), got 1.5/);
});

test('LearningRateScheduler sets the rate each epoch and History records it', async () => {
  const inputs = k.Input({ shape: [1] });
  const model = new k.Model({ inputs, outputs: new k.layers.Dense({ units: 1 }).apply(inputs) });
  model.compile({ optimizer: new k.optimizers.SGD({ learningRate: 0.1 }), loss: 'mse' });
  const h = await model.fit([[1]], [[1]], { epochs: 3, verbose: 0, callbacks: [new k.callbacks.LearningRateScheduler((e, lr) => (e === 0 ? lr : lr / 2))] });
  expect(h.history.learning_rate).toEqual([0.1, 0.05, 0.025]);
  expect(model.optimizer.learningRate).toBe(0.025);
  model.dispose();
});

test('CSVLogger writes a header and a row per epoch, and appends', async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'csv-')), 'log.csv');
  const inputs = k.Input({ shape: [1] });
  const model = new k.Model({ inputs, outputs: new k.layers.Dense({ units: 1 }).apply(inputs) });
  model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
  await model.fit([[1]], [[1]], { epochs: 2, verbose: 0, callbacks: [new k.callbacks.CSVLogger(file)] });
  await model.fit([[1]], [[1]], { epochs: 1, verbose: 0, callbacks: [new k.callbacks.CSVLogger(file, ';', true)] });
  const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
  expect(lines[0]).toBe('epoch,loss,mae');
  expect(lines).toHaveLength(4);
  expect(lines[1]).toMatch(/^0,[\d.e-]+,[\d.e-]+$/);
  expect(lines[3]).toMatch(/^0;[\d.e-]+;[\d.e-]+$/);
  model.dispose();
});

test('LambdaCallback calls the functions given', async () => {
  const seen: string[] = [];
  const cb = new k.callbacks.LambdaCallback({ onEpochEnd: (e) => void seen.push(`end ${e}`), onTrainBegin: () => void seen.push('begin') });
  const inputs = k.Input({ shape: [1] });
  const model = new k.Model({ inputs, outputs: new k.layers.Dense({ units: 1 }).apply(inputs) });
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  await model.fit([[1]], [[1]], { epochs: 2, verbose: 0, callbacks: [cb] });
  expect(seen).toEqual(['begin', 'end 0', 'end 1']);
  model.dispose();
});
