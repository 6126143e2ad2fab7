import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, expectNoLeak, testBackend } from '../helpers';

// References: test/reference/metric_references.py (NumPy), or worked by hand where noted.
const Y = [1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1];
const P = [0.9, 0.4, 0.35, 0.8, 0.1, 0.6, 0.7, 0.2, 0.55, 0.65, 0.05, 0.45];
const W = [1, 2, 1, 0.5, 1, 1, 3, 1, 1, 2, 1, 1];

beforeAll(async () => {
  await k.setBackend(testBackend());
});

const M = k.metrics;

/** Feeds the data in batches of `size`, returns result(). */
function batched(metric: k.metrics.Metric, size: number, weights?: number[]): number {
  for (let i = 0; i < Y.length; i += size) {
    tfc.tidy(() => {
      const t = tfc.tensor2d(Y.slice(i, i + size), [Math.min(size, Y.length - i), 1]);
      const p = tfc.tensor2d(P.slice(i, i + size), [Math.min(size, Y.length - i), 1]);
      metric.updateState(t, p, weights ? tfc.tensor1d(weights.slice(i, i + size)) : undefined);
    });
  }
  const r = metric.result();
  const v = r.dataSync()[0];
  r.dispose();
  return v;
}

test.each([1, 5, 12])('Precision, Recall and AUC over batches of %i equal the values on all predictions at once', (size) => {
  expect(batched(new M.Precision(), size)).toBeCloseTo(0.6666666667, 6);
  expect(batched(new M.Recall(), size)).toBeCloseTo(0.6666666667, 6);
  expect(batched(new M.AUC(), size)).toBeCloseTo(0.8055555556, 5);
  expect(batched(new M.AUC({ curve: 'PR' }), size)).toBeCloseTo(0.8289510700, 5);
});

test('the mean of per-batch precision is not the epoch precision (what tfjs-layers reports)', () => {
  // batches of 3, by hand: precisions 1/1, 1/2, 2/2, 0/1, whose mean is 0.625, not 8/12 = 0.667
  const perBatch = [0, 3, 6, 9].map((i) => {
    const m = new M.Precision();
    tfc.tidy(() => m.updateState(tfc.tensor1d(Y.slice(i, i + 3)), tfc.tensor1d(P.slice(i, i + 3))));
    const r = m.result().dataSync()[0];
    m.dispose();
    return r;
  });
  const mean = perBatch.reduce((a, b) => a + b, 0) / perBatch.length;
  expect(mean).toBeCloseTo(0.625, 6);
  expect(batched(new M.Precision(), 3)).toBeCloseTo(0.6666666667, 6);
});

test('sample weights, thresholds and class ids', () => {
  expect(batched(new M.Precision(), 5, W)).toBeCloseTo(0.6470588235, 6);
  expect(batched(new M.Recall(), 5, W)).toBeCloseTo(0.7333333333, 6);
  expect(batched(new M.AUC(), 5, W)).toBeCloseTo(0.8166666667, 5);
  expect(batched(new M.Precision({ thresholds: 0.7 }), 5)).toBeCloseTo(1, 6);
  const m = new M.Recall({ classId: 1 });
  tfc.tidy(() => m.updateState(tfc.tensor2d([[1, 0], [0, 1], [0, 1]]), tfc.tensor2d([[0.9, 0.1], [0.2, 0.8], [0.7, 0.3]])));
  expectClose(m.result(), 0.5); // by hand: class 1 labels at rows 1, 2; predicted positive only at row 1
});

test('top-k accuracy, categorical and sparse', () => {
  const scores = tfc.tensor2d([[0.1, 0.3, 0.2, 0.25, 0.15], [0.5, 0.1, 0.1, 0.2, 0.1], [0.05, 0.05, 0.6, 0.2, 0.1], [0.3, 0.2, 0.1, 0.15, 0.25]]);
  const labels = tfc.tensor1d([3, 4, 2, 2]);
  const oneHot = tfc.oneHot(tfc.cast(labels, 'int32'), 5);
  const top2 = new M.TopKCategoricalAccuracy({ k: 2 });
  const top3 = new M.SparseTopKCategoricalAccuracy({ k: 3 });
  top2.updateState(oneHot, scores);
  top3.updateState(labels, scores);
  expectClose(top2.result(), 0.5);
  expectClose(top3.result(), 0.75);
  tfc.dispose([scores, labels, oneHot]);
});

test('regression metrics (by hand)', () => {
  const t = tfc.tensor2d([[1, 2], [3, 4]]);
  const p = tfc.tensor2d([[1, 4], [3, 2]]); // errors 0, 2, 0, -2
  const rmse = new M.RootMeanSquaredError();
  rmse.updateState(t, p);
  expectClose(rmse.result(), Math.sqrt(2));
  const cos = new M.CosineSimilarity();
  cos.updateState(tfc.tensor2d([[1, 0]]), tfc.tensor2d([[1, 1]]));
  expectClose(cos.result(), Math.SQRT1_2, 1e-6);
  const sum = new M.Sum();
  sum.updateState(tfc.tensor1d([1, 2, 3]), undefined, tfc.tensor1d([1, 0, 2]));
  expectClose(sum.result(), 7);
  tfc.dispose([t, p]);
});

test('every loss is available as a metric, and unknown names list the valid ones', () => {
  for (const name of ['huber', 'kl_divergence', 'poisson', 'logcosh', 'mape', 'categorical_hinge', 'binary_crossentropy', 'precision', 'auc', 'rmse']) {
    expect(M.getMetric(name, 'test')).toBeInstanceOf(M.Metric);
  }
  expect(() => M.getMetric('f1_scor', 'compile')).toThrow(/unknown metric 'f1_scor'. help: use one of .*'precision'.*'auc'/);
});

test('updates and results leak nothing; resetState zeroes the state', async () => {
  const auc = new M.AUC({ numThresholds: 50 });
  const t = tfc.tensor1d(Y);
  const p = tfc.tensor1d(P);
  auc.updateState(t, p);
  await expectNoLeak(() => {
    auc.updateState(t, p);
    auc.result().dispose();
  });
  auc.resetState();
  expectClose(auc.result(), 0);
  tfc.dispose([t, p]);
});

test('Precision and AUC in fit report the epoch values of the whole epoch', async () => {
  const inputs = k.Input({ shape: [1] });
  const model = new k.Model({ inputs, outputs: new k.layers.Activation({ activation: 'linear' }).apply(inputs) });
  model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['precision', new M.AUC({ name: 'roc' })] });
  // the model outputs its input: predictions are P exactly
  const h = await model.fit(P.map((v) => [v]), Y.map((v) => [v]), { batchSize: 5, shuffle: false, verbose: 0 });
  expect(h.history.precision[0]).toBeCloseTo(0.6666666667, 6);
  expect(h.history.roc[0]).toBeCloseTo(0.8055555556, 5);
  model.dispose();
});

test('accuracy classes with thresholds and sample weights (by hand)', () => {
  const bin = new M.BinaryAccuracy({ threshold: 0.7 });
  // predicted positive: 0.8 only -> matches labels 1, 0, 0 at rows 0, 1, 2 -> all 3 correct; weights 1, 2, 3
  bin.updateState(tfc.tensor2d([[1], [0], [1]]), tfc.tensor2d([[0.8], [0.6], [0.65]]), tfc.tensor1d([1, 2, 3]));
  expectClose(bin.result(), (1 + 2 + 0) / 6);
  const cat = new M.CategoricalAccuracy();
  cat.updateState(tfc.tensor2d([[0, 1], [1, 0]]), tfc.tensor2d([[0.2, 0.8], [0.3, 0.7]]), tfc.tensor1d([3, 1]));
  expectClose(cat.result(), 3 / 4);
  const exact = new M.Accuracy();
  exact.updateState(tfc.tensor1d([1, 2, 3, 4]), tfc.tensor1d([1, 2, 0, 4]));
  expectClose(exact.result(), 0.75);
});
