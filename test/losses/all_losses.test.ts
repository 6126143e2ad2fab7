import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, testBackend } from '../helpers';

// Per-sample values and finite-difference gradients of the mean, from
// test/reference/loss_references.py (NumPy, float64, Keras 3's formulas).
const REF: Record<string, { values: number[]; grad: number[] }> = {
  bce_smooth: { values: [0.4515166173, 0.4005126938], grad: [0.1041666667, -0.1587301587, 0.2083333333, -0.2083333333, 0.0000000000, 0.0000000000] },
  cce_smooth: { values: [0.6794518336, 1.5448667955], grad: [0.3012820512, -0.2820512821, 0.3429487180, -0.1840277778, 0.4270833333, 0.0752314816] },
  focal: { values: [0.0409195289, 0.0279464367], grad: [0.0232095701, -0.0570960658, 0.1125545276, -0.1125545276, 0.0053638690, -0.0053638690] },
  focal_balanced_logits: { values: [0.7871551309, 0.4797104180], grad: [0.0985144031, -0.0079276441, 0.1352128055, -0.0203143228, 0.1303087939, -0.0079276441] },
  mse: { values: [0.5000000000, 1.1666666667], grad: [-0.1666666666, 0.3333333333, 0.1666666667, -0.1666666666, -0.3333333333, 0.5000000000] },
  mae: { values: [0.6666666667, 1.0000000000], grad: [-0.1666666666, 0.1666666666, 0.1666666667, -0.1666666667, -0.1666666667, 0.1666666667] },
  mape: { values: [86.1111111111, 144.4444444444], grad: [-11.1111111067, 33.3333333415, 8.3333333265, -83.3333333290, -5.5555555534, 16.6666666672] },
  msle: { values: [0.0793191165, 0.0934679871], grad: [-0.0371905919, 0.0901033351, 0.0146810171, 0.0000000000, -0.0319646747, 0.0901033351] },
  huber: { values: [0.2500000000, 0.5416666667], grad: [-0.0833333333, 0.1666666250, 0.0833333333, -0.0833333333, -0.1666666250, 0.1666666667] },
  huber_delta2: { values: [0.2500000000, 0.5833333333], grad: [-0.0833333333, 0.1666666667, 0.0833333333, -0.0833333333, -0.1666666667, 0.2500000000] },
  log_cosh: { values: [0.2246699481, 0.4697785028], grad: [-0.0770195262, 0.1269323593, 0.0770195262, -0.0770195262, -0.1269323593, 0.1508580423] },
  kl_divergence: { values: [0.3566719729, 0.6161847579], grad: [-0.0000002500, -0.7142857143, -0.0000001250, -0.8333333333, -0.0000005000, -0.5555555556] },
  poisson: { values: [0.5522249337, 0.7387286205], grad: [0.1666666667, -0.0714285374, 0.1666666667, -0.1111110648, 0.1666666667, -0.0185184980] },
  cosine_similarity: { values: [-0.8951435925, -0.8241137847], grad: [-0.0477409915, 0.0656438634, 0.0059676240, -0.0436323457, -0.0373492880, 0.1232177445] },
  hinge: { values: [2.0000000000, 1.6000000000], grad: [0.1666666667, -0.1666666667, 0.1666666667, -0.1666666667, 0.1666666667, -0.1666666667] },
  squared_hinge: { values: [5.5000000000, 3.6466666667], grad: [0.6666666668, -0.1666666667, 1.1666666668, -0.4333333332, 1.0000000001, -0.1666666667] },
  categorical_hinge: { values: [3.0000000000, 2.8000000000], grad: [0.0000000000, -0.5000000001, 0.5000000001, -0.5000000001, 0.5000000001, -0.5000000001] },
};

const YT = [[0, 1, 0], [1, 0, 1]];
const YP = [[0.2, 0.7, 0.4], [0.6, 0.1, 0.9]];
const YR = [[1.5, -0.5, 2.0], [0.2, 3.0, -1.0]];
const PR = [[1.0, 0.5, 2.5], [-0.3, 2.0, 0.5]];

beforeAll(async () => {
  await k.setBackend(testBackend());
});

const L = k.losses;
const cases: Array<[string, k.losses.Loss, number[][], number[][]]> = [
  ['bce_smooth', new L.BinaryCrossentropy({ labelSmoothing: 0.2 }), YT, YP],
  ['cce_smooth', new L.CategoricalCrossentropy({ labelSmoothing: 0.1 }), YT, YP],
  ['focal', new L.BinaryFocalCrossentropy(), YT, YP],
  ['focal_balanced_logits', new L.BinaryFocalCrossentropy({ gamma: 1.5, applyClassBalancing: true, fromLogits: true }), YT, PR],
  ['mse', new L.MeanSquaredError(), YR, PR],
  ['mae', new L.MeanAbsoluteError(), YR, PR],
  ['mape', new L.MeanAbsolutePercentageError(), YR, PR],
  ['msle', new L.MeanSquaredLogarithmicError(), YR, PR],
  ['huber', new L.Huber(), YR, PR],
  ['huber_delta2', new L.Huber({ delta: 2 }), YR, PR],
  ['log_cosh', new L.LogCosh(), YR, PR],
  ['kl_divergence', new L.KLDivergence(), YT, YP],
  ['poisson', new L.Poisson(), YT, YP],
  ['cosine_similarity', new L.CosineSimilarity(), YR, PR],
  ['hinge', new L.Hinge(), YT, PR],
  ['squared_hinge', new L.SquaredHinge(), YT, PR],
  ['categorical_hinge', new L.CategoricalHinge(), YT, PR],
];

test.each(cases)('%s: per-sample values and gradient', (name, loss, yTrue, yPred) => {
  const t = tfc.tensor2d(yTrue);
  const init = tfc.tensor2d(yPred);
  const p = tfc.variable(init);
  const perSample = loss.perSample(t, p);
  expectClose(perSample, REF[name].values, Math.max(1e-5, 1e-6 * Math.abs(REF[name].values[0])));
  const { value, grads } = tfc.variableGrads(() => loss.call(t, p) as tfc.Scalar, [p]);
  const mean = REF[name].values.reduce((a, b) => a + b, 0) / REF[name].values.length;
  expect(value.dataSync()[0]).toBeCloseTo(mean, name === 'mape' ? 3 : 5);
  expectClose(grads[p.name], REF[name].grad, name === 'mape' ? 1e-3 : 2e-5);
  tfc.dispose([t, init, p, perSample, value, grads[p.name]]);
});

test('reductions and sample weights', () => {
  const t = tfc.tensor2d(YR);
  const p = tfc.tensor2d(PR);
  const w = tfc.tensor1d([2, 0.5]);
  const [a, b] = REF.huber.values;
  const sum = new L.Huber({ reduction: 'sum' }).call(t, p, w);
  const mean = new L.Huber().call(t, p, w);
  const none = new L.Huber({ reduction: 'none' }).call(t, p, w);
  expectClose(sum, 2 * a + 0.5 * b);
  expectClose(mean, (2 * a + 0.5 * b) / 2);
  expectClose(none, [2 * a, 0.5 * b]);
  expect(() => new L.Huber({ reduction: 'mean' as 'sum' })).toThrow(/unknown reduction 'mean'. help: use one of 'sum_over_batch_size', 'sum', 'none'/);
  tfc.dispose([t, p, w, sum, mean, none]);
});

test('functions are exported under Keras names and hinge keeps -1/1 labels', () => {
  const t = tfc.tensor2d([[-1, 1]]);
  const p = tfc.tensor2d([[0.5, 0.5]]);
  const v = L.hinge(t, p); // mean(max(1 - [-0.5, 0.5], 0)) = (1.5 + 0.5) / 2
  expectClose(v, [1]);
  tfc.dispose([t, p, v]);
});

test('every loss name and alias resolves; configs round-trip', () => {
  const names = ['binary_focal_crossentropy', 'huber', 'log_cosh', 'logcosh', 'kld', 'kl_divergence', 'poisson', 'cosine_similarity',
    'hinge', 'squared_hinge', 'categorical_hinge', 'mape', 'msle', 'meanAbsolutePercentageError', 'KLDivergence'];
  for (const n of names) expect(L.getLoss(n, 'test')).toBeInstanceOf(L.Loss);
  const focal = new L.BinaryFocalCrossentropy({ gamma: 3, alpha: 0.5, reduction: 'sum' });
  const copy = L.deserializeLoss(JSON.parse(JSON.stringify(L.serializeLoss(focal))));
  expect(copy.getConfig()).toEqual(focal.getConfig());
  expect(copy.getConfig()).toMatchObject({ gamma: 3, alpha: 0.5, reduction: 'sum' });
});
