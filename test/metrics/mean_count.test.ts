import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, expectNoLeak, testBackend } from '../helpers';

// Mean keeps its count on the host while every update adds a known number (metrics/metric.ts). These
// tests check that what it reports, and what its variables hold when read, are what a count summed on
// the device in float32 holds. Every expected value is worked by hand in the comments.

beforeAll(async () => {
  await k.setBackend(testBackend());
});

function value(t: tfc.Tensor): number {
  const v = t.dataSync()[0];
  t.dispose();
  return v;
}

function state(m: k.metrics.Metric): number[] {
  return m.variables.map((v) => v.dataSync()[0]);
}

test('Mean mixes unweighted, weighted and batch-weighted updates; its variables hold the total and the count', () => {
  const m = new k.metrics.Mean();
  tfc.tidy(() => m.updateState(tfc.tensor1d([1, 2, 3]))); // total 6, count 3
  tfc.tidy(() => m.updateWeighted(tfc.scalar(0.5), 4)); // total 8, count 7
  expectClose(value(m.result()), 8 / 7, 1e-6);
  tfc.tidy(() => m.updateState(tfc.tensor1d([4]), undefined, tfc.tensor1d([0.5]))); // total 10, count 7.5
  expectClose(value(m.result()), 10 / 7.5, 1e-6);
  expect(state(m)).toEqual([10, 7.5]);
  tfc.tidy(() => m.updateState(tfc.tensor1d([2, 2]))); // after its variables were read: total 14, count 9.5
  expectClose(value(m.result()), 14 / 9.5, 1e-6);
  expect(state(m)).toEqual([14, 9.5]);
  m.dispose();
});

test('Mean after resetState: 0 (nothing seen), then only what follows, with the variables read before any update', () => {
  const m = new k.metrics.Mean();
  tfc.tidy(() => m.updateState(tfc.tensor1d([5, 7])));
  m.resetState();
  expect(value(m.result())).toBe(0); // 0 / 0 -> 0 (divNoNan)
  expect(state(m)).toEqual([0, 0]);
  m.resetState();
  tfc.tidy(() => m.updateWeighted(tfc.scalar(3), 2)); // total 6, count 2
  tfc.tidy(() => m.updateWeighted(tfc.scalar(1.5), 1)); // total 7.5, count 3
  expect(value(m.result())).toBe(2.5);
  expect(state(m)).toEqual([7.5, 3]);
  m.dispose();
});

test("Mean's count sums in float32, as on the device: 2^24 + 1 + 1 stays 2^24", () => {
  // float32 has 24 bits of mantissa: 16777216 + 1 rounds (to even) back to 16777216, twice; a count
  // summed in JavaScript doubles would reach 16777218, which float32 holds exactly.
  const m = new k.metrics.Mean();
  tfc.tidy(() => m.updateWeighted(tfc.scalar(1), 2 ** 24));
  tfc.tidy(() => m.updateWeighted(tfc.scalar(1), 1));
  tfc.tidy(() => m.updateWeighted(tfc.scalar(1), 1));
  expect(state(m)[1]).toBe(16777216);
  m.resetState();
  tfc.tidy(() => m.updateWeighted(tfc.scalar(1), 0.1)); // the weight itself is a float32: 0.100000001490116...
  expect(state(m)[1]).toBe(Math.fround(0.1));
  m.dispose();
});

test('Mean and a MeanMetricWrapper leak no tensor through update, result, variables and reset', async () => {
  const mean = new k.metrics.Mean();
  const acc = new k.metrics.BinaryAccuracy();
  await expectNoLeak(() => {
    for (let i = 0; i < 3; i++) {
      tfc.tidy(() => mean.updateWeighted(tfc.scalar(i), 2));
      tfc.tidy(() => acc.updateState(tfc.tensor2d([[1], [0]]), tfc.tensor2d([[0.9], [0.8]])));
      value(mean.result());
      value(acc.result());
    }
    state(mean);
    state(acc);
    tfc.tidy(() => mean.updateState(tfc.tensor1d([1, 2])));
    mean.resetState();
    acc.resetState();
  });
  expectClose(value(mean.result()), 0, 0);
  mean.dispose();
  acc.dispose();
});

test("fit's logs are exact at every batch when a callback reads them: the running loss and metric, weighted by batch size", async () => {
  // y = x · [1, 1] (a Dense kernel of ones, no bias), with learning rate 0 so the predictions never change;
  // batches of 2, 2 and 1 (no shuffle). Per sample, by hand: pred = x0 + x1, error = pred - y.
  const x = [[1, 2], [0, 1], [2, 2], [1, -1], [3, 0]]; // preds 3, 1, 4, 0, 3
  const y = [2, 1, 1, 2, 3]; // errors 1, 0, 3, -2, 0
  // Batch MSEs: (1 + 0) / 2 = 0.5; (9 + 4) / 2 = 6.5; 0 / 1 = 0. Running loss: 0.5; (0.5·2 + 6.5·2) / 4 = 3.5; 14 / 5 = 2.8.
  // Batch MAEs: 0.5; 2.5; 0. Running mae: 0.5; (1 + 5) / 4 = 1.5; 6 / 5 = 1.2.
  const model = new k.Sequential([new k.layers.Dense({ units: 1, useBias: false, kernelInitializer: 'ones', inputShape: [2] })]);
  model.compile({ optimizer: new k.optimizers.SGD({ learningRate: 0 }), loss: 'mse', metrics: ['mae'] });
  const seen: Array<[number, number]> = [];
  const xs = tfc.tensor2d(x);
  const ys = tfc.tensor2d(y, [5, 1]);
  await model.fit(xs, ys, { batchSize: 2, epochs: 1, verbose: 0 }); // builds the metric state (and leaves it)
  await expectNoLeak(async () => {
    await model.fit(xs, ys, {
      batchSize: 2, epochs: 2, shuffle: false, verbose: 0,
      callbacks: [{ onBatchEnd: (_b: number, logs: k.callbacks.Logs) => void seen.push([logs.loss, logs.mae]) }],
    });
  });
  const expected = [[0.5, 0.5], [3.5, 1.5], [2.8, 1.2]];
  expect(seen).toHaveLength(6);
  seen.forEach(([loss, mae], i) => {
    expectClose(loss, expected[i % 3][0], 1e-6);
    expectClose(mae, expected[i % 3][1], 1e-6);
  });
  tfc.dispose([xs, ys]);
  model.dispose();
});
