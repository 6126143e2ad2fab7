import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { testBackend } from '../helpers';

beforeAll(async () => {
  await k.setBackend(testBackend());
});

function model(): k.Model {
  const inputs = k.Input({ shape: [3] });
  return new k.Model({ inputs, outputs: new k.layers.Dense({ units: 2, activation: 'softmax' }).apply(inputs) });
}
const X = [[1, 2, 3], [4, 5, 6]];
const Y = [[0, 1], [1, 0]];

/** Each bad call is refused with a message, and the model still trains afterwards. */
async function refusedThenUsable(m: k.Model, bad: () => Promise<unknown>, message: RegExp): Promise<void> {
  await expect(bad()).rejects.toThrow(message);
  m.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy' });
  const h = await m.fit(X, Y, { verbose: 0 });
  expect(Number.isFinite(h.history.loss[0])).toBe(true);
}

test('fit or evaluate before compile', async () => {
  const m = model();
  await refusedThenUsable(m, () => m.fit(X, Y), /must be compiled before fit or evaluate. help: call model.compile/);
  const m2 = model();
  await refusedThenUsable(m2, () => m2.evaluate(X, Y), /must be compiled/);
});

test('x and y with different sample counts', async () => {
  const m = model();
  m.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy' });
  await refusedThenUsable(m, () => m.fit(X, [[0, 1]]), /x has 2 samples but y has 1/);
});

test('data whose shape does not match the input', async () => {
  const m = model();
  m.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy' });
  await refusedThenUsable(m, () => m.fit([[1, 2], [3, 4]], Y), /x: data of shape \(2, 2\) does not fit the model's input 'input_layer(_\d+)?' of shape \(None, 3\)/);
  const t = tfc.ones([2, 4]);
  expect(() => m.predict(t)).toThrow(/does not fit the model's input/);
  t.dispose();
});

test('unknown optimizer, loss and metric names list the valid ones', () => {
  const m = model();
  expect(() => m.compile({ optimizer: 'adamw2' as 'adam', loss: 'mse' })).toThrow(/unknown optimizer 'adamw2'. help: use one of 'sgd', 'adam', 'adamw'/);
  expect(() => m.compile({ optimizer: 'adam', loss: 'crossent' as 'mse' })).toThrow(/unknown loss 'crossent'.*'categorical_crossentropy'/);
  expect(() => m.compile({ optimizer: 'adam', loss: 'mse', metrics: ['accuracyy' as 'acc'] })).toThrow(/unknown metric 'accuracyy'.*'accuracy'/);
});

test('batchSize, validationSplit and epochs are checked', async () => {
  const m = model();
  m.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy' });
  await refusedThenUsable(m, () => m.fit(X, Y, { batchSize: 0 }), /`batchSize` must be a positive integer, got 0/);
  await refusedThenUsable(m, () => m.fit(X, Y, { batchSize: 2.5 }), /got 2.5/);
  await refusedThenUsable(m, () => m.fit(X, Y, { validationSplit: 1 }), /`validationSplit` must be a number in \[0, 1\), got 1/);
  await refusedThenUsable(m, () => m.fit(X, Y, { validationSplit: -0.1 }), /got -0.1/);
  expect(() => m.predict(X, { batchSize: -1 })).toThrow(/predict: `batchSize` must be a positive integer, got -1/);
});

test('class indices given to a categorical loss are refused naming the fix', async () => {
  const m = model();
  m.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy' });
  await refusedThenUsable(m, () => m.fit(X, [1, 0]), /labels of shape \(2\) do not fit output '.*' of shape \(None, 2\).*toCategorical.*sparse_categorical_crossentropy/);
});

test('sparse labels out of range', async () => {
  const m = model();
  m.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
  await expect(m.fit(X, [1, 2])).rejects.toThrow(/sparse label y\[1\] = 2 for output '.*' is not an integer in \[0, 2\)/);
  await expect(m.fit(X, [0.5, 1])).rejects.toThrow(/y\[0\] = 0.5/);
  const h = await m.fit(X, [1, 0], { verbose: 0 });
  expect(h.history.loss).toHaveLength(1);
});

test('fit while another fit on the same model is running', async () => {
  const m = model();
  m.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy' });
  const first = m.fit(X, Y, { epochs: 3, verbose: 0 });
  await expect(m.fit(X, Y, { verbose: 0 })).rejects.toThrow(/already running fit or evaluate. help: await the running call/);
  const h = await first;
  expect(h.epoch).toEqual([0, 1, 2]);
});

test('a refused call leaks no tensors', async () => {
  const m = model();
  m.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
  await m.fit(X, [0, 1], { verbose: 0 });
  const before = tfc.memory().numTensors;
  await expect(m.fit(X, [0, 7], { verbose: 0 })).rejects.toThrow();
  await expect(m.fit(X, [[0, 1]], { verbose: 0 })).rejects.toThrow();
  expect(tfc.memory().numTensors).toBe(before);
});
