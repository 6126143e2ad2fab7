/**
 * A user who never calls setBackend: synchronous calls (building, compile, predict, getBackend)
 * work at once on cpu, and fit, evaluate and k.ready() move to the default, wasm, carrying the
 * weights made meanwhile. (This file must not call setBackend: the engine is shared by its tests.)
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';

test('no setBackend: compile, predict and getBackend work synchronously, then fit trains on wasm', async () => {
  const model = new k.Sequential([
    new k.layers.Dense({ units: 4, activation: 'relu', inputShape: [3] }),
    new k.layers.Dense({ units: 2, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  expect(k.getBackend()).toBe('cpu');
  const x = tfc.tensor2d([[1, 2, 3], [3, 2, 1], [0, 1, 0], [1, 0, 1]]);
  const y = tfc.tensor2d([[1, 0], [0, 1], [1, 0], [0, 1]]);
  const before = model.predict(x) as tfc.Tensor;
  const beforeValues = Array.from(before.dataSync());
  before.dispose();
  const history = await model.fit(x, y, { epochs: 2, verbose: 0 });
  expect(k.getBackend()).toBe('wasm');
  expect(history.history.loss.every(Number.isFinite)).toBe(true);
  expect(k.backendReport().backend).toBe('wasm');
  // the weights made on cpu moved to wasm and trained: predictions changed, and are probabilities
  const after = model.predict(x) as tfc.Tensor;
  const afterValues = Array.from(after.dataSync());
  after.dispose();
  expect(afterValues).not.toEqual(beforeValues);
  for (let i = 0; i < 4; i++) expect(afterValues[2 * i] + afterValues[2 * i + 1]).toBeCloseTo(1, 5);
  expect(await k.ready()).toBe('wasm');
  model.dispose();
  tfc.dispose([x, y]);
});
