import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { testBackend } from '../helpers';

beforeAll(async () => {
  await k.setBackend(testBackend());
});

function mlp(): k.Model {
  const inputs = k.Input({ shape: [6] });
  let x = new k.layers.Dense({ units: 8, activation: 'sigmoid' }).apply(inputs);
  x = new k.layers.Dropout({ rate: 0.2 }).apply(x);
  return new k.Model({ inputs, outputs: new k.layers.Dense({ units: 3, activation: 'softmax' }).apply(x) });
}

test('after fit, evaluate and predict the live tensors are the model weights, optimizer slots and metric state', async () => {
  const x = tfc.randomUniform([50, 6]);
  const y = tfc.oneHot(tfc.tensor1d(Array.from({ length: 50 }, (_, i) => i % 3), 'int32'), 3);
  const start = tfc.memory().numTensors;
  const model = mlp();
  model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy', 'mse'] });
  await model.fit(x, y, { epochs: 2, batchSize: 8, validationSplit: 0.2, verbose: 0 });
  const weights = model.weights.length; // 4
  const slots = 2 * weights; // Adam: m and v
  const metricState = 2 * 3; // loss tracker, accuracy, mse: total and count each
  expect(tfc.memory().numTensors - start).toBe(weights + slots + metricState);
  const afterFit = tfc.memory().numTensors;

  await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
  await model.evaluate(x, y, { batchSize: 16 });
  tfc.dispose(model.predict(x, { batchSize: 16 }));
  await model.fit(x.arraySync() as number[][], y.arraySync() as number[][], { epochs: 1, verbose: 0 });
  expect(tfc.memory().numTensors).toBe(afterFit);

  model.dispose();
  expect(tfc.memory().numTensors).toBe(start);
  tfc.dispose([x, y]);
});

test('live tensors are the same at the end of every epoch', async () => {
  const x = tfc.randomUniform([40, 6]);
  const y = tfc.oneHot(tfc.tensor1d(Array.from({ length: 40 }, (_, i) => i % 3), 'int32'), 3);
  const model = mlp();
  model.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  const counts: number[] = [];
  await model.fit(x, y, { epochs: 4, batchSize: 8, verbose: 0, callbacks: [{ onEpochEnd: () => void counts.push(tfc.memory().numTensors) }] });
  expect(new Set(counts).size).toBe(1);
  model.dispose();
  tfc.dispose([x, y]);
});

test('fit with weights, regularizers, constraints, callbacks and a validation dataset leaves nothing behind', async () => {
  const inputs = k.Input({ shape: [6] });
  const dense = new k.layers.Dense({ units: 3, activation: 'softmax', kernelRegularizer: 'l2', kernelConstraint: 'max_norm', activityRegularizer: 'l1' });
  const model = new k.Model({ inputs, outputs: dense.apply(inputs) });
  model.compile({ optimizer: new k.optimizers.Nadam({ clipnorm: 1 }), loss: 'categorical_crossentropy', metrics: ['accuracy', 'auc', 'precision'] });
  const x = tfc.randomUniform([30, 6]);
  const y = tfc.oneHot(tfc.tensor1d(Array.from({ length: 30 }, (_, i) => i % 3), 'int32'), 3);
  const val: Iterable<k.DatasetElement> = {
    *[Symbol.iterator]() {
      for (let i = 0; i < 2; i++) yield { xs: tfc.randomUniform([5, 6]), ys: tfc.tidy(() => tfc.oneHot(tfc.tensor1d([0, 1, 2, 0, 1], 'int32'), 3)) };
    },
  }; // iterated afresh at each epoch's validation (a generator object would run once)
  const es = new k.callbacks.EarlyStopping({ monitor: 'loss', patience: 5, restoreBestWeights: true });
  await model.fit(x, y, { epochs: 1, verbose: 0 }); // creates weights, slots and metric state
  const live = tfc.memory().numTensors;
  await model.fit(x, y, {
    epochs: 3, batchSize: 8, verbose: 0, sampleWeight: Array.from({ length: 30 }, (_, i) => 1 + (i % 2)),
    validationData: val, callbacks: [es, new k.callbacks.ReduceLROnPlateau({ monitor: 'loss' })],
  });
  model.trainOnBatch(x, y, { classWeight: { 0: 2 } });
  await model.evaluate(x, y, { sampleWeight: Array.from({ length: 30 }, () => 2) });
  expect(tfc.memory().numTensors).toBe(live);
  model.dispose();
  tfc.dispose([x, y]);
});
