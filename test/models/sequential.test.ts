import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, testBackend } from '../helpers';

beforeAll(async () => {
  await k.setBackend(testBackend());
});

test('constructor list with inputShape on the first layer', () => {
  const model = new k.Sequential([
    new k.layers.Dense({ units: 8, inputShape: [4], activation: 'relu' }),
    new k.layers.Dense({ units: 3, activation: 'softmax' }),
  ]);
  expect(model.outputShapes).toEqual([[null, 3]]);
  expect(model.countParams()).toBe(4 * 8 + 8 + 8 * 3 + 3);
  expect(model.summary(() => undefined)).toMatch(/Model: "sequential(_\d+)?"[\s\S]*dense(_\d+)? \(Dense\)\s+\(None, 8\)\s+40/);
  model.dispose();
});

test('add and pop, with an Input first', () => {
  const model = new k.Sequential();
  model.add(k.Input({ shape: [5] }));
  model.add(new k.layers.Dense({ units: 4 }));
  model.add(new k.layers.Dense({ units: 2 }));
  expect(model.layers).toHaveLength(2);
  expect(model.outputShapes).toEqual([[null, 2]]);
  const last = model.pop();
  expect(last).toBeInstanceOf(k.layers.Dense);
  expect(model.outputShapes).toEqual([[null, 4]]);
  model.dispose();
});

test('built on first call when no input shape is given', async () => {
  const model = new k.Sequential([new k.layers.Dense({ units: 2, kernelInitializer: 'ones' })]);
  expect(model.isDefined).toBe(false);
  expect(() => model.summary(() => undefined)).not.toThrow();
  const x = tfc.tensor2d([[1, 2, 3]]);
  const y = model.predict(x) as tfc.Tensor;
  expectClose(y, [[6, 6]]);
  expect(model.inputShapes).toEqual([[null, 3]]);
  tfc.dispose([x, y]);
  model.dispose();
});

test('compile before the input shape is known, then fit builds it', async () => {
  const model = new k.Sequential([new k.layers.Dense({ units: 1 })]);
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const history = await model.fit([[1], [2]], [[2], [4]], { epochs: 2, verbose: 0 });
  expect(history.history.loss).toHaveLength(2);
  model.dispose();
});

test('a layer shape mismatch while adding leaves the model unchanged', () => {
  const model = new k.Sequential([new k.layers.Dense({ units: 4, inputShape: [3] })]);
  const other = new k.layers.Dense({ units: 2 });
  other.apply(k.Input({ shape: [7] })); // built for 7 features
  expect(() => model.add(other)).toThrow(/expected input of shape \(None, 7\), got \(None, 4\)/);
  expect(model.layers).toHaveLength(1);
  expect(model.outputShapes).toEqual([[null, 4]]);
});
