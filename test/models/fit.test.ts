import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, testBackend } from '../helpers';

beforeAll(async () => {
  await k.setBackend(testBackend());
});

/** A small classification problem: class = which of 3 features is largest. */
function problem(n: number, seed = 1): { x: number[][]; labels: number[]; oneHot: number[][] } {
  let s = seed;
  const rand = (): number => ((s = (s * 16807) % 2147483647) / 2147483647);
  const x: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = [rand(), rand(), rand()];
    x.push(row);
    labels.push(row.indexOf(Math.max(...row)));
  }
  return { x, labels, oneHot: labels.map((l) => [0, 1, 2].map((c) => (c === l ? 1 : 0))) };
}

function classifier(): k.Model {
  const inputs = k.Input({ shape: [3] });
  const h = new k.layers.Dense({ units: 16, activation: 'relu' }).apply(inputs);
  return new k.Model({ inputs, outputs: new k.layers.Dense({ units: 3, activation: 'softmax' }).apply(h) });
}

test('fit learns, returns Keras history keys, and evaluate/predict agree', async () => {
  k.utils.setRandomSeed(7);
  const { x, oneHot } = problem(400);
  const model = classifier();
  model.compile({ optimizer: new k.optimizers.Adam({ learningRate: 0.02 }), loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  const history = await model.fit(x, oneHot, { epochs: 30, batchSize: 32, validationSplit: 0.25, verbose: 0 });
  expect(Object.keys(history.history).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
  expect(history.epoch).toHaveLength(30);
  expect(history.history.loss[29]).toBeLessThan(history.history.loss[0] * 0.5);
  expect(history.history.val_accuracy[29]).toBeGreaterThan(0.85);
  const [loss, accuracy] = await model.evaluate(x.slice(300), oneHot.slice(300));
  expect(loss).toBeCloseTo(history.history.val_loss[29], 5); // validationSplit took the last 100
  const dict = await model.evaluate(x.slice(300), oneHot.slice(300), { returnDict: true });
  expect(dict).toEqual({ loss, accuracy });
  // accuracy from predict, computed here by hand
  const probs = model.predict(x.slice(300), { batchSize: 7 }) as tfc.Tensor;
  const rows = probs.arraySync() as number[][];
  const correct = rows.filter((r, i) => r.indexOf(Math.max(...r)) === oneHot[300 + i].indexOf(1)).length;
  expect(accuracy).toBeCloseTo(correct / 100, 6);
  probs.dispose();
  model.dispose();
});

test('reported loss is the sample-weighted mean over the epoch (by hand, with a zero learning rate)', async () => {
  const inputs = k.Input({ shape: [1] });
  const model = new k.Model({ inputs, outputs: new k.layers.Dense({ units: 1, kernelInitializer: 'zeros' }).apply(inputs) });
  model.compile({ optimizer: new k.optimizers.SGD({ learningRate: 0 }), loss: 'mse', metrics: ['mae'] });
  // predictions are all 0: batches [1,2] and [3]: mse = (1+4+9)/3, mae = (1+2+3)/3
  const h = await model.fit([[0], [0], [0]], [[1], [2], [3]], { batchSize: 2, epochs: 1, shuffle: false, verbose: 0 });
  expect(h.history.loss[0]).toBeCloseTo(14 / 3, 5);
  expect(h.history.mae[0]).toBeCloseTo(2, 5);
  model.dispose();
});

test('sparse labels pick sparse accuracy; binary output picks binary accuracy', async () => {
  k.utils.setRandomSeed(1);
  const { x, labels } = problem(64);
  const model = classifier();
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['acc'] });
  const h = await model.fit(x, labels, { epochs: 1, verbose: 0 });
  expect(h.history.acc[0]).toBeGreaterThanOrEqual(0);
  expect(h.history.acc[0]).toBeLessThanOrEqual(1);
  model.dispose();

  const inputs = k.Input({ shape: [1] });
  const bin = new k.Model({ inputs, outputs: new k.layers.Dense({ units: 1, activation: 'sigmoid', kernelInitializer: 'ones' }).apply(inputs) });
  bin.compile({ optimizer: new k.optimizers.SGD({ learningRate: 0 }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
  // sigmoid(x): x = [2, -2, 3, -1] -> predicted [1, 0, 1, 0]; labels [1, 1, 1, 0] -> 3/4 correct
  const [, acc] = await bin.evaluate([[2], [-2], [3], [-1]], [[1], [1], [1], [0]]);
  expect(acc).toBeCloseTo(0.75, 6);
  bin.dispose();
});

test('several outputs: a loss per output (record), logged as <output>_loss', async () => {
  const inputs = k.Input({ shape: [3] });
  const h = new k.layers.Dense({ units: 8, activation: 'relu' }).apply(inputs);
  const cls = new k.layers.Dense({ units: 3, activation: 'softmax', name: 'cls' }).apply(h);
  const reg = new k.layers.Dense({ units: 1, name: 'reg' }).apply(h);
  const model = new k.Model({ inputs, outputs: [cls, reg] });
  model.compile({ optimizer: 'adam', loss: { cls: 'categorical_crossentropy', reg: 'mse' }, metrics: { cls: ['accuracy'] } });
  const { x, oneHot } = problem(64);
  const target = x.map((r) => [r[0] + r[1]]);
  const hist = await model.fit(x, { cls: oneHot, reg: target }, { epochs: 2, verbose: 0 });
  expect(Object.keys(hist.history).sort()).toEqual(['cls_accuracy', 'cls_loss', 'loss', 'reg_loss']);
  const total = hist.history.loss[1];
  expect(total).toBeCloseTo(hist.history.cls_loss[1] + hist.history.reg_loss[1], 4);
  model.dispose();
});

test('frozen layers keep their weights through fit', async () => {
  const model = classifier();
  const first = model.layers[1];
  first.trainable = false;
  model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
  const before = first.getWeights();
  const otherBefore = model.layers[2].getWeights();
  const { x, oneHot } = problem(64);
  await model.fit(x, oneHot, { epochs: 2, verbose: 0 });
  const after = first.getWeights();
  expectClose(after[0], Array.from(before[0].dataSync()), 0);
  const otherAfter = model.layers[2].getWeights();
  expect(Array.from(otherAfter[0].dataSync())).not.toEqual(Array.from(otherBefore[0].dataSync()));
  tfc.dispose([...before, ...after, ...otherBefore, ...otherAfter]);
  model.dispose();
});

test('callbacks get every hook with plain-number logs, in order', async () => {
  const events: string[] = [];
  const cb: k.callbacks.Callback = {
    onTrainBegin: () => void events.push('train_begin'),
    onEpochBegin: (e) => void events.push(`epoch_begin ${e}`),
    onBatchBegin: (b) => void events.push(`batch_begin ${b}`),
    onBatchEnd: (b, logs) => void events.push(`batch_end ${b} ${typeof logs.loss}`),
    onEpochEnd: (e, logs) => void events.push(`epoch_end ${e} ${Object.keys(logs).join(',')}`),
    onTrainEnd: () => void events.push('train_end'),
  };
  const model = classifier();
  model.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  const { x, oneHot } = problem(10);
  await model.fit(x, oneHot, { epochs: 3, batchSize: 5, initialEpoch: 1, verbose: 0, callbacks: [cb], validationData: [x, oneHot] });
  expect(events).toEqual([
    'train_begin',
    'epoch_begin 1', 'batch_begin 0', 'batch_end 0 number', 'batch_begin 1', 'batch_end 1 number',
    'epoch_end 1 loss,accuracy,val_loss,val_accuracy',
    'epoch_begin 2', 'batch_begin 0', 'batch_end 0 number', 'batch_begin 1', 'batch_end 1 number',
    'epoch_end 2 loss,accuracy,val_loss,val_accuracy',
    'train_end',
  ]);
  model.dispose();
});

test('stopTraining set by a callback ends fit after the current batch', async () => {
  const model = classifier();
  model.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy' });
  let batches = 0;
  const stopper: k.callbacks.Callback = { onBatchEnd: () => void (batches++ === 2 && (model.stopTraining = true)) };
  const { x, oneHot } = problem(100);
  const h = await model.fit(x, oneHot, { epochs: 5, batchSize: 10, verbose: 0, callbacks: [stopper] });
  expect(batches).toBe(3);
  expect(h.epoch).toEqual([0]);
  model.dispose();
});

test('TerminateOnNaN stops training when the loss becomes NaN and says so', async () => {
  const inputs = k.Input({ shape: [1] });
  const model = new k.Model({ inputs, outputs: new k.layers.Dense({ units: 1 }).apply(inputs) });
  model.compile({ optimizer: new k.optimizers.SGD({ learningRate: 1e20 }), loss: 'mse' });
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const nan = new k.callbacks.TerminateOnNaN();
  const x = Array.from({ length: 64 }, (_, i) => [i]);
  const h = await model.fit(x, x, { epochs: 5, batchSize: 4, verbose: 0, callbacks: [nan] });
  const printed = stderr.mock.calls.flat().join('');
  stderr.mockRestore();
  expect(nan.invalidAt).not.toBeNull();
  expect(h.epoch.length).toBeLessThanOrEqual(1);
  expect(printed).toMatch(/TerminateOnNaN: epoch 1, batch \d+: invalid loss (NaN|Infinity)/);
  model.dispose();
});
