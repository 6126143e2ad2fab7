import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';

beforeAll(async () => {
  await k.setBackend('cpu');
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
