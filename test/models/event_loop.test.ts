/**
 * fit, evaluate and predict (of an async iterable) give Node's event loop a turn at least every
 * few tens of milliseconds: a 20 ms interval ticks during them in proportion to their measured
 * length, and a timer that sets model.stopTraining ends fit after the batch in progress, on arrays
 * and on an endless generator without stepsPerEpoch. No tensor is left behind.
 *
 * The expected tick counts are a third of what an ideal loop gives (duration / 20 ms): a loop that
 * yields only between epochs ticks once or twice whatever the duration.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { testBackend } from '../helpers';

beforeAll(async () => {
  await k.setBackend(testBackend());
});

const FEATURES = 8;

/** A small MLP, trained on one batch so that its running loss's state exists before tensors are counted. */
function model(): k.Model {
  const inputs = k.Input({ shape: [FEATURES] });
  const hidden = new k.layers.Dense({ units: 32, activation: 'relu' }).apply(inputs);
  const m = new k.Model({ inputs, outputs: new k.layers.Dense({ units: 1 }).apply(hidden) });
  m.compile({ optimizer: new k.optimizers.SGD({ learningRate: 1e-3 }), loss: 'mse' });
  m.trainOnBatch([new Array(FEATURES).fill(0)], [[0]]);
  return m;
}

/** `n` rows of smooth deterministic features and a target. */
function data(n: number): { x: Float32Array; y: Float32Array } {
  const x = new Float32Array(n * FEATURES);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < FEATURES; j++) x[i * FEATURES + j] = Math.sin(i * 0.37 + j * 1.1);
    y[i] = x[i * FEATURES] - x[i * FEATURES + 1];
  }
  return { x: x, y: y };
}

/** Runs `fn` with a 20 ms interval; returns its ticks and how long `fn` took in ms. */
async function ticksDuring(fn: () => Promise<unknown>): Promise<{ ticks: number; ms: number }> {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 20);
  const start = performance.now();
  try {
    await fn();
  } finally {
    clearInterval(timer);
  }
  return { ticks, ms: performance.now() - start };
}

/** A third of the ticks an ideal loop gives, and at least 3 (the run must be long enough to tell). */
function expectTicks({ ticks, ms }: { ticks: number; ms: number }): void {
  const floor = Math.floor(ms / 20 / 3);
  expect(floor).toBeGreaterThanOrEqual(3);
  expect(ticks).toBeGreaterThanOrEqual(floor);
}

test('a 20 ms interval ticks during fit in proportion to its length', async () => {
  const m = model();
  const { x, y } = data(2000);
  const xs = tfc.tensor2d(x, [2000, FEATURES]);
  const ys = tfc.tensor2d(y, [2000, 1]);
  const before = tfc.memory().numTensors;
  expectTicks(await ticksDuring(() => m.fit(xs, ys, { epochs: 2, batchSize: 8, verbose: 0 })));
  expect(tfc.memory().numTensors).toBe(before);
  tfc.dispose([xs, ys]);
  m.dispose();
});

test('a timer that sets stopTraining ends fit on arrays after the batch in progress', async () => {
  const m = model();
  const { x, y } = data(20000);
  const xs = tfc.tensor2d(x, [20000, FEATURES]);
  const ys = tfc.tensor2d(y, [20000, 1]);
  const batchSize = 4; // 5,000 batches an epoch: far longer than the 100 ms before the timer
  let batches = 0;
  let batchesWhenStopped = -1;
  const count = new k.callbacks.LambdaCallback({ onBatchEnd: () => void batches++ });
  const timer = setTimeout(() => {
    batchesWhenStopped = batches;
    m.stopTraining = true;
  }, 100);
  const before = tfc.memory().numTensors;
  const history = await m.fit(xs, ys, { epochs: 50, batchSize, verbose: 0, callbacks: [count] });
  clearTimeout(timer);
  expect(batchesWhenStopped).toBeGreaterThan(0);
  expect(batches).toBeLessThanOrEqual(batchesWhenStopped + 1);
  expect(batches).toBeLessThan(20000 / batchSize); // stopped inside the first epoch
  expect(history.history.loss).toHaveLength(1);
  expect(Number.isFinite(history.history.loss[0])).toBe(true);
  expect(tfc.memory().numTensors).toBe(before);
  tfc.dispose([xs, ys]);
  m.dispose();
});

test('a timer stops fit on an endless generator without stepsPerEpoch', async () => {
  const m = model();
  const { x, y } = data(64);
  const cap = 20000; // the generator ends here, so a loop that never yields fails rather than hangs
  let given = 0;
  function* endless(): Generator<k.DatasetElement> {
    for (; given < cap; given++) {
      const i = (given % 16) * 4;
      yield [Array.from({ length: 4 }, (_, r) => Array.from(x.subarray((i + r) * FEATURES, (i + r + 1) * FEATURES))), Array.from({ length: 4 }, (_, r) => [y[i + r]])];
    }
  }
  let fired = false;
  const timer = setTimeout(() => {
    fired = true;
    m.stopTraining = true;
  }, 100);
  const before = tfc.memory().numTensors;
  const history = await m.fit(endless(), { epochs: 3, verbose: 0 });
  clearTimeout(timer);
  expect(fired).toBe(true);
  expect(given).toBeLessThan(cap);
  expect(history.history.loss).toHaveLength(1);
  expect(tfc.memory().numTensors).toBe(before);
  m.dispose();
});

test('a 20 ms interval ticks during evaluate and during predict of an async iterable', async () => {
  const m = model();
  const { x, y } = data(8000);
  const xs = tfc.tensor2d(x, [8000, FEATURES]);
  const ys = tfc.tensor2d(y, [8000, 1]);
  const before = tfc.memory().numTensors;
  expectTicks(await ticksDuring(() => m.evaluate(xs, ys, { batchSize: 2 })));
  expect(tfc.memory().numTensors).toBe(before);

  async function* batches(): AsyncGenerator<tfc.Tensor> {
    for (let b = 0; b < 4000; b++) yield tfc.tensor2d(x.subarray(b * 2 * FEATURES, (b + 1) * 2 * FEATURES), [2, FEATURES]);
  }
  const out: tfc.Tensor[] = [];
  expectTicks(await ticksDuring(async () => out.push((await m.predict(batches())) as tfc.Tensor)));
  expect(out[0].shape).toEqual([8000, 1]);
  tfc.dispose(out);
  expect(tfc.memory().numTensors).toBe(before);
  tfc.dispose([xs, ys]);
  m.dispose();
});
