import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, testBackend } from '../helpers';

beforeAll(async () => {
  await k.setBackend(testBackend());
});

/** y = x · w + b with w = 1, b = 0, never updated (learning rate 0): predictions equal inputs. */
function identity(metrics: k.metrics.MetricIdentifier[] = [], extra: Partial<k.layers.DenseArgs> = {}): k.Model {
  const inputs = k.Input({ shape: [1] });
  const dense = new k.layers.Dense({ units: 1, kernelInitializer: 'ones', ...extra });
  const model = new k.Model({ inputs, outputs: dense.apply(inputs) });
  model.compile({ optimizer: new k.optimizers.SGD({ learningRate: 0 }), loss: 'mse', metrics });
  return model;
}

const X0 = [[0], [0], [0]];
const Y = [[1], [2], [3]];

test('sampleWeight scales each sample in the loss and the metrics (by hand)', async () => {
  const model = identity(['mae']);
  // squared errors 1, 4, 9 with weights 1, 2, 0: loss = (1 + 8 + 0) / 3; weighted mae = (1 + 4 + 0) / 3
  const h = await model.fit(X0, Y, { batchSize: 3, verbose: 0, sampleWeight: [1, 2, 0] });
  expect(h.history.loss[0]).toBeCloseTo(3, 5);
  expect(h.history.mae[0]).toBeCloseTo(5 / 3, 5);
  const [loss] = await model.evaluate(X0, Y, { sampleWeight: [1, 2, 0] });
  expect(loss).toBeCloseTo(3, 5);
  model.dispose();
});

test('classWeight weights samples by their class, combined with sampleWeight', async () => {
  const model = identity();
  // labels 0, 1, 1 as classes; squared errors 0, 1, 1; class weights 2, 3: (0 + 3 + 3) / 3
  const y = [[0], [1], [1]];
  let h = await model.fit(X0, y, { batchSize: 3, verbose: 0, classWeight: { 0: 2, 1: 3 } });
  expect(h.history.loss[0]).toBeCloseTo(2, 5);
  h = await model.fit(X0, y, { batchSize: 3, verbose: 0, classWeight: { 1: 3 }, sampleWeight: [1, 1, 0] }); // unlisted class: 1
  expect(h.history.loss[0]).toBeCloseTo(1, 5);
  model.dispose();
});

test('validationData with sample weights, and validationFreq', async () => {
  const model = identity();
  const h = await model.fit(X0, Y, { epochs: 4, verbose: 0, validationData: [X0, Y, [0, 0, 1]], validationFreq: 2 });
  expect(h.history.loss).toHaveLength(4);
  expect(h.history.val_loss).toHaveLength(2); // epochs 2 and 4
  expect(h.history.val_loss[0]).toBeCloseTo(9 / 3, 5);
  const h2 = await model.fit(X0, Y, { epochs: 3, verbose: 0, validationData: [X0, Y], validationFreq: [1, 3] });
  expect(h2.history.val_loss).toHaveLength(2);
  model.dispose();
});

function* endless(): Generator<k.DatasetElement> {
  for (let i = 0; ; i++) yield { xs: tfc.tensor2d([[i % 3]]), ys: tfc.tensor2d([[(i % 3) * 2]]) };
}

test('a generator with stepsPerEpoch: one iterator across epochs, batch tensors disposed', async () => {
  const model = identity();
  let pulled = 0;
  function* counted(): Generator<k.DatasetElement> {
    for (const el of endless()) {
      pulled++;
      yield el;
    }
  }
  tfc.dispose(model.getWeights()); // creates the weights, so only fit's own tensors are counted
  const before = tfc.memory().numTensors;
  const h = await model.fit(counted(), { epochs: 3, stepsPerEpoch: 4, verbose: 0 });
  expect(pulled).toBe(12);
  expect(h.history.loss).toHaveLength(3);
  // predictions x vs labels 2x: squared errors x² for x = 0,1,2,0 | 1,2,0,1 | 2,0,1,2
  expect(h.history.loss[0]).toBeCloseTo((0 + 1 + 4 + 0) / 4, 5);
  expect(h.history.loss[1]).toBeCloseTo((1 + 4 + 0 + 1) / 4, 5);
  expect(tfc.memory().numTensors).toBe(before);
  model.dispose();
});

test('an async generator, a re-iterable dataset without steps, and evaluate on a dataset', async () => {
  const model = identity();
  async function* batches(): AsyncGenerator<k.DatasetElement> {
    for (let i = 0; i < 3; i++) yield [[[1], [2]], [[1], [4]]]; // squared errors 0, 4
  }
  const h1 = await model.fit(batches(), { epochs: 1, verbose: 0 });
  expect(h1.history.loss[0]).toBeCloseTo(2, 5);
  let started = 0;
  const reiterable: Iterable<k.DatasetElement> = {
    *[Symbol.iterator]() {
      started++;
      yield [[[1]], [[3]]]; // squared error 4
      yield [[[1]], [[1]]]; // 0
    },
  };
  const h2 = await model.fit(reiterable, { epochs: 2, verbose: 0 });
  expect(started).toBe(2); // iterated afresh each epoch
  expect(h2.history.loss).toEqual([2, 2]);
  const [loss] = await model.evaluate(batches());
  expect(loss).toBeCloseTo(2, 5);
  model.dispose();
});

test('a dataset that runs out before stepsPerEpoch stops training with a message', async () => {
  const model = identity();
  function* three(): Generator<k.DatasetElement> {
    for (let i = 0; i < 3; i++) yield [[[1]], [[1]]];
  }
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const h = await model.fit(three(), { epochs: 5, stepsPerEpoch: 2, verbose: 0 });
  const printed = stderr.mock.calls.flat().join('');
  stderr.mockRestore();
  expect(h.epoch).toEqual([0, 1]);
  expect(printed).toMatch(/the dataset ran out of data in epoch 2 after 1 of 2 batches[\s\S]*help: make the dataset repeat/);
  model.dispose();
});

test('trainOnBatch accumulates until resetMetrics; testOnBatch; predictOnBatch', () => {
  const model = identity();
  expect(model.trainOnBatch([[0]], [[1]])).toEqual([1]);
  const second = model.trainOnBatch([[0]], [[3]], { returnDict: true });
  expect(second.loss).toBeCloseTo(5, 5); // running mean of 1 and 9
  model.resetMetrics();
  expect(model.testOnBatch([[0], [0]], [[2], [2]])[0]).toBeCloseTo(4, 5);
  const p = model.predictOnBatch([[5], [6]]) as tfc.Tensor;
  expectClose(p, [[5], [6]]);
  p.dispose();
  model.dispose();
});

test('kernel and activity regularizers add to the loss (by hand)', async () => {
  // kernel 1, l2(0.5): + 0.5; outputs 1 and 2 with activity l1(0.1): + 0.1 · 3 per batch
  const model = identity([], { kernelRegularizer: k.regularizers.l2(0.5), activityRegularizer: k.regularizers.l1(0.1) });
  const h = await model.fit([[1], [2]], [[1], [2]], { batchSize: 2, verbose: 0 });
  expect(h.history.loss[0]).toBeCloseTo(0.5 + 0.3, 5);
  model.dispose();
});

test('constraints hold after every update', async () => {
  k.utils.setRandomSeed(5);
  const inputs = k.Input({ shape: [4] });
  const dense = new k.layers.Dense({ units: 3, kernelConstraint: 'non_neg', biasConstraint: new k.constraints.MaxNorm({ maxValue: 0.1 }) });
  const model = new k.Model({ inputs, outputs: dense.apply(inputs) });
  model.compile({ optimizer: new k.optimizers.SGD({ learningRate: 0.5 }), loss: 'mse' });
  await model.fit([[1, 2, 3, 4], [-1, 0, 2, 1]], [[-5, 3, 9], [-2, -7, 1]], { epochs: 5, verbose: 0 });
  const [kernel, bias] = model.getWeights();
  expect(Math.min(...kernel.dataSync())).toBeGreaterThanOrEqual(0);
  const norm = Math.hypot(...bias.dataSync());
  expect(norm).toBeLessThanOrEqual(0.1 + 1e-6);
  tfc.dispose([kernel, bias]);
  model.dispose();
});

test('the same seed gives identical histories (dropout and shuffling included)', async () => {
  const run = async (): Promise<Record<string, number[]>> => {
    k.utils.setRandomSeed(99);
    const inputs = k.Input({ shape: [3] });
    let x = new k.layers.Dense({ units: 8, activation: 'relu' }).apply(inputs);
    x = new k.layers.Dropout({ rate: 0.3 }).apply(x);
    const model = new k.Model({ inputs, outputs: new k.layers.Dense({ units: 1 }).apply(x) });
    model.compile({ optimizer: 'adam', loss: 'mse' });
    const data = Array.from({ length: 40 }, (_, i) => [Math.sin(i), Math.cos(i), i / 40]);
    const h = await model.fit(data, data.map((r) => [r[0] + r[1]]), { epochs: 3, batchSize: 8, verbose: 0, validationSplit: 0.2 });
    model.dispose();
    return h.history;
  };
  expect(await run()).toEqual(await run());
});

test('bad weights and metrics are refused with the value and the fix', async () => {
  const model = identity(['accuracy']);
  await expect(model.fit(X0, Y, { sampleWeight: [1, 2], verbose: 0 })).rejects.toThrow(/sampleWeight has shape \[2\] for 3 samples/);
  await expect(model.fit(X0, Y, { classWeight: { 0: -1 }, verbose: 0 })).rejects.toThrow(/`classWeight` for class 0 must be a non-negative number, got -1/);
  await expect(model.fit(X0, Y, { classWeight: { a: 1 } as unknown as Record<number, number>, verbose: 0 })).rejects.toThrow(/keys must be class indices/);
  const inputs = k.Input({ shape: [1] });
  const one = new k.Model({ inputs, outputs: new k.layers.Dense({ units: 1 }).apply(inputs) });
  one.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['categorical_accuracy'] });
  const before = one.getWeights();
  await expect(one.fit(X0, Y, { verbose: 0 })).rejects.toThrow(/metric 'categorical_accuracy' needs one score per class/);
  const after = one.getWeights();
  expectClose(after[0], Array.from(before[0].dataSync())); // refused before any update
  tfc.dispose([...before, ...after]);
  const h = await model.fit(X0, Y, { verbose: 0 }); // the first model still trains
  expect(h.history.loss).toHaveLength(1);
  model.dispose();
  one.dispose();
});
