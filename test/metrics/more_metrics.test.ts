/**
 * The metrics of issue 24. References: test/reference/metric_references_24.py (NumPy), or Keras's
 * documented docstring examples where noted. Every stateful metric is also fed in batches of
 * several sizes and must give the value it gives on all the data at once.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compileFromKeras, compileToKeras } from '../../src/saving/serialize_training';
import { expectClose, expectNoLeak, testBackend } from '../helpers';

const M = k.metrics;
type Data = { y: number[][] | number[]; p: number[][] | number[]; w?: number[] };

beforeAll(async () => {
  await k.setBackend(testBackend());
});

const Y = [1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1];
const P = [0.9, 0.4, 0.35, 0.8, 0.1, 0.6, 0.7, 0.2, 0.55, 0.65, 0.05, 0.45];
const W = [1, 2, 1, 0.5, 1, 1, 3, 1, 1, 2, 1, 1];
const BINARY: Data = { y: Y.map((v) => [v]), p: P.map((v) => [v]) };
const BINARY_W: Data = { ...BINARY, w: W };

const YT = [[1, 1, 1], [1, 0, 0], [1, 1, 0], [0, 1, 0], [0, 0, 1]];
const YP = [[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0], [0.9, 0.3, 0.1], [0.1, 0.2, 0.65]];
const SW = [1, 2, 0.5, 1, 3];

const SEG: Data = { y: [0, 1, 2, 2, 1, 0, 3, 2, 1, 1], p: [0, 2, 2, 1, 1, 0, 2, 2, 0, 1], w: [1, 0.5, 2, 1, 1, 3, 1, 0.25, 1, 2] };
const RY = [[1, 2], [4, 0.5], [3, 1.5], [2.5, 3], [0, 2.5], [5, 1]];
const RP = [[1.5, 2.2], [3.5, 0], [3.2, 1], [2, 3.5], [0.5, 2], [4, 1.5]];
const RW = [1, 2, 0.5, 1, 1.5, 1];
const CY = [[0, 1, 0.5, 2], [1, 1, 0.2, 0.3], [0.5, 2, 1.5, 1], [3, 1, 2, 0]];
const CP = [[0.1, 0.9, 0.5, 1.5], [1, 0.9, 0.2, 0.5], [0.4, 1.5, 1, 1.2], [2.5, 1.5, 2.5, 0.5]];

/** Feeds `data` in batches of `size` (all at once for Infinity) and returns result() as numbers. */
function run(metric: k.metrics.Metric, data: Data, size = Infinity): number[] {
  const n = data.y.length;
  const step = Math.min(size, n);
  for (let i = 0; i < n; i += step) {
    tfc.tidy(() => {
      const t = tfc.tensor(data.y.slice(i, i + step) as number[]);
      const p = tfc.tensor(data.p.slice(i, i + step) as number[]);
      metric.updateState(t, p, data.w ? tfc.tensor1d(data.w.slice(i, i + step)) : undefined);
    });
  }
  const r = metric.result();
  const out = Array.from(r.dataSync());
  r.dispose();
  return out;
}

/** [a metric factory, its data, the NumPy reference]: each checked at once and over batches. */
const CASES: Array<[string, () => k.metrics.Metric, Data, number | number[]]> = [
  ['TruePositives at 3 thresholds, weighted', () => new M.TruePositives({ thresholds: [0.3, 0.5, 0.7] }), BINARY_W, [7.5, 5.5, 1.5]],
  ['TrueNegatives at 3 thresholds, weighted', () => new M.TrueNegatives({ thresholds: [0.3, 0.5, 0.7] }), BINARY_W, [3, 5, 8]],
  ['FalsePositives at 3 thresholds, weighted', () => new M.FalsePositives({ thresholds: [0.3, 0.5, 0.7] }), BINARY_W, [5, 3, 0]],
  ['FalseNegatives at 3 thresholds, weighted', () => new M.FalseNegatives({ thresholds: [0.3, 0.5, 0.7] }), BINARY_W, [0, 2, 6]],
  ['TruePositives at 0.5', () => new M.TruePositives(), BINARY, 4],
  ['FalseNegatives at 0.5', () => new M.FalseNegatives(), BINARY, 2],
  ['PrecisionAtRecall(0.8)', () => new M.PrecisionAtRecall({ recall: 0.8 }), BINARY, 0.7142857143],
  ['RecallAtPrecision(0.75)', () => new M.RecallAtPrecision({ precision: 0.75 }), BINARY, 0.5],
  ['SensitivityAtSpecificity(0.8)', () => new M.SensitivityAtSpecificity({ specificity: 0.8 }), BINARY, 0.5],
  ['SpecificityAtSensitivity(0.8)', () => new M.SpecificityAtSensitivity({ sensitivity: 0.8 }), BINARY, 0.6666666667],
  ['PrecisionAtRecall(0.8), weighted', () => new M.PrecisionAtRecall({ recall: 0.8 }), BINARY_W, 0.6842105263],
  ['RecallAtPrecision(0.75), weighted', () => new M.RecallAtPrecision({ precision: 0.75 }), BINARY_W, 0.6],
  ['SensitivityAtSpecificity(0.8), weighted', () => new M.SensitivityAtSpecificity({ specificity: 0.8 }), BINARY_W, 0.6],
  ['SpecificityAtSensitivity(0.8), weighted', () => new M.SpecificityAtSensitivity({ sensitivity: 0.8 }), BINARY_W, 0.625],
  ['FBetaScore(beta 2, threshold 0.5)', () => new M.FBetaScore({ beta: 2, threshold: 0.5 }), { y: YT, p: YP }, [0.3571428291, 0.6666666244, 0.909090843]],
  ['F1Score(threshold 0.5), weighted', () => new M.F1Score({ threshold: 0.5 }), { y: YT, p: YP, w: SW }, [0.19999995, 0.4999999347, 0.799999936]],
  ['F1Score micro (argmax)', () => new M.F1Score({ average: 'micro' }), { y: YT, p: YP }, 0.4285713735],
  ['F1Score macro (argmax)', () => new M.F1Score({ average: 'macro' }), { y: YT, p: YP }, 0.399999952],
  ['F1Score weighted average, weighted', () => new M.F1Score({ average: 'weighted' }), { y: YT, p: YP, w: SW }, 0.3699999562],
  ['MeanIoU(4), weighted', () => new M.MeanIoU({ numClasses: 4 }), SEG, 0.4547846687],
  ['IoU(4, [1, 2]) ignoring class 3', () => new M.IoU({ numClasses: 4, targetClassIds: [1, 2], ignoreClass: 3 }), { y: SEG.y, p: SEG.p }, 0.4499999673],
  ['R2Score', () => new M.R2Score(), { y: RY, p: RP }, 0.7932978208],
  ['R2Score variance weighted, weighted', () => new M.R2Score({ classAggregation: 'variance_weighted_average' }), { y: RY, p: RP, w: RW }, 0.862275],
  ['R2Score per output, weighted', () => new M.R2Score({ classAggregation: null }), { y: RY, p: RP, w: RW }, [0.8933863275, 0.7478362573]],
  ['R2Score adjusted, 2 regressors', () => new M.R2Score({ numRegressors: 2 }), { y: RY, p: RP }, 0.7473640032],
  ['PearsonCorrelation', () => new M.PearsonCorrelation(), { y: CY, p: CP }, 0.9415290637],
  ['ConcordanceCorrelation (Keras 3 formula)', () => new M.ConcordanceCorrelation(), { y: CY, p: CP }, 0.8701872116],
];

describe.each(CASES)('%s', (_name, make, data, expected) => {
  test.each([Infinity, 1, 2, 3])('over batches of %s equals the NumPy reference on all the data', (size) => {
    const m = make();
    expectClose(run(m, data, size), expected as number[], 2e-5);
    m.dispose();
  });

  test('config round trip, resetState, and no leaks', async () => {
    const m = make();
    const config = m.getConfig();
    const again = new (m.constructor as new (c: unknown) => k.metrics.Metric)(config);
    expect(again.getConfig()).toEqual(config);
    expect(JSON.parse(JSON.stringify(config))).toEqual(config);
    m.dispose();
    // state made on the first update (F1Score, R2Score: their shape is the data's) is freed by dispose too
    await expectNoLeak(() => {
      const fresh = new (again.constructor as new (c: unknown) => k.metrics.Metric)(config);
      run(fresh, data, 2);
      fresh.resetState();
      expectClose(run(fresh, data), expected as number[], 2e-5);
      fresh.dispose();
    });
    again.dispose();
  });
});

describe("Keras's documented examples", () => {
  const doc = (metric: k.metrics.Metric, y: number[][] | number[], p: number[][] | number[], w?: number[]): number[] => run(metric, { y, p, w });
  const Y3 = [[1, 1, 1], [1, 0, 0], [1, 1, 0]];
  const P3 = [[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]];

  test('FBetaScore and F1Score', () => {
    expectClose(doc(new M.FBetaScore({ beta: 2, threshold: 0.5 }), Y3, P3), [0.3846154, 0.90909094, 0.8333334], 1e-6);
    expectClose(doc(new M.F1Score({ threshold: 0.5 }), Y3, P3), [0.5, 0.8, 0.6666667], 1e-6);
  });

  test('IoU, MeanIoU, BinaryIoU, OneHotIoU, OneHotMeanIoU', () => {
    expectClose(doc(new M.IoU({ numClasses: 2, targetClassIds: [0] }), [0, 0, 1, 1], [0, 1, 0, 1]), 0.33333334, 1e-6);
    expectClose(doc(new M.IoU({ numClasses: 2, targetClassIds: [0] }), [0, 0, 1, 1], [0, 1, 0, 1], [0.3, 0.3, 0.3, 0.1]), 0.33333334, 1e-6);
    expectClose(doc(new M.MeanIoU({ numClasses: 2 }), [0, 0, 1, 1], [0, 1, 0, 1]), 0.33333334, 1e-6);
    expectClose(doc(new M.MeanIoU({ numClasses: 2 }), [0, 0, 1, 1], [0, 1, 0, 1], [0.3, 0.3, 0.3, 0.1]), 0.23809525, 1e-6);
    expectClose(doc(new M.BinaryIoU({ targetClassIds: [0, 1], threshold: 0.3 }), [0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7]), 0.33333334, 1e-6);
    expectClose(doc(new M.BinaryIoU({ targetClassIds: [0, 1], threshold: 0.3 }), [0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7], [0.2, 0.3, 0.4, 0.1]), 0.17361112, 1e-6);
    const yt = [[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]];
    const yp = [[0.2, 0.3, 0.5], [0.1, 0.2, 0.7], [0.5, 0.3, 0.1], [0.1, 0.4, 0.5]];
    const w = [0.1, 0.2, 0.3, 0.4];
    // by hand from Keras's worked matrix: (0 / 0.9 + 0.1 / 0.7) / 2 and (0 + 0 + 0.1 / 0.7) / 3
    expectClose(doc(new M.OneHotIoU({ numClasses: 3, targetClassIds: [0, 2] }), yt, yp, w), 0.1 / 0.7 / 2, 1e-5);
    expectClose(doc(new M.OneHotMeanIoU({ numClasses: 3 }), yt, yp, w), 0.1 / 0.7 / 3, 1e-5);
  });

  test('R2Score, PearsonCorrelation, ConcordanceCorrelation', () => {
    expectClose(doc(new M.R2Score(), [[1], [4], [3]], [[2], [4], [4]]), 0.57142854, 1e-6);
    const y = [[0, 1, 0.5], [1, 1, 0.2]];
    const p = [[0.1, 0.9, 0.5], [1, 0.9, 0.2]];
    expectClose(doc(new M.PearsonCorrelation(), y, p), 0.9966996338993913, 1e-5);
    expectClose(doc(new M.ConcordanceCorrelation(), y, p), 0.9816320385426076, 1e-5);
  });
});

describe('metric classes of the losses', () => {
  const LY = [[1, 2, 0.5], [0.2, 3, 1]];
  const LP = [[1.2, 1.5, 0.7], [0.5, 2.5, 1.5]];

  test.each([
    ['MeanAbsolutePercentageError', () => new M.MeanAbsolutePercentageError(), 50.27777777777777],
    ['MeanSquaredLogarithmicError', () => new M.MeanSquaredLogarithmicError(), 0.029234619100451338],
    ['LogCoshError', () => new M.LogCoshError(), 0.07407007241346457],
    ['Poisson', () => new M.Poisson(), 0.6782295527630932],
  ] as Array<[string, () => k.metrics.Metric, number]>)('%s: the mean of the per-sample loss, row by row as at once (NumPy)', (_n, make, expected) => {
    const m = make();
    expectClose(run(m, { y: LY, p: LP }, 1), expected, 1e-4);
    m.dispose();
  });

  test('each equals the loss function it reuses, with its options', () => {
    const t = tfc.tensor2d([[0, 1, 0], [1, 0, 0]]);
    const p = tfc.tensor2d([[0.2, 0.7, 0.1], [0.5, 0.3, 0.2]]);
    const pairs: Array<[k.metrics.Metric, (a: tfc.Tensor, b: tfc.Tensor) => tfc.Tensor]> = [
      [new M.CategoricalCrossentropy({ labelSmoothing: 0.1 }), (a, b) => k.losses.categoricalCrossentropy(a, b, { labelSmoothing: 0.1 })],
      [new M.BinaryCrossentropy({ fromLogits: true }), (a, b) => k.losses.binaryCrossentropy(a, b, { fromLogits: true })],
      [new M.KLDivergence(), k.losses.klDivergence],
      [new M.Hinge(), k.losses.hinge],
      [new M.SquaredHinge(), k.losses.squaredHinge],
      [new M.CategoricalHinge(), k.losses.categoricalHinge],
    ];
    for (const [metric, fn] of pairs) {
      metric.updateState(t, p);
      expectClose(metric.result(), tfc.mean(fn(t, p)).dataSync()[0], 1e-6);
      expect(new (metric.constructor as new (c: unknown) => k.metrics.Metric)(metric.getConfig()).getConfig()).toEqual(metric.getConfig());
    }
    const sparse = new M.SparseCategoricalCrossentropy();
    sparse.updateState(tfc.tensor1d([1, 0]), p);
    expectClose(sparse.result(), (-Math.log(0.7) - Math.log(0.5)) / 2, 1e-5); // by hand
  });

  test('compile strings build these classes', () => {
    expect(k.metrics.getMetric('mape', 'test')).toBeInstanceOf(M.MeanAbsolutePercentageError);
    expect(k.metrics.getMetric('binary_crossentropy', 'test')).toBeInstanceOf(M.BinaryCrossentropy);
    expect(k.metrics.getMetric('f1_score', 'test')).toBeInstanceOf(M.F1Score);
    expect(k.metrics.getMetric('r2_score', 'test')).toBeInstanceOf(M.R2Score);
    expect(k.metrics.getMetric('logcosh', 'test')).toBeInstanceOf(M.LogCoshError);
  });
});

test('bad options are refused with the fix', () => {
  expect(() => new M.PrecisionAtRecall({ recall: 1.5 })).toThrow(/recall.*1\.5.*help:/);
  expect(() => new M.SensitivityAtSpecificity({ specificity: 0.5, numThresholds: 0 })).toThrow(/numThresholds.*help:/);
  expect(() => new M.IoU({ numClasses: 2, targetClassIds: [2] })).toThrow(/targetClassIds.*help:/);
  expect(() => new M.MeanIoU({ numClasses: 2, targetClassIds: [0] } as never)).toThrow(/unknown option 'targetClassIds'/);
  expect(() => new M.FBetaScore({ beta: 0 })).toThrow(/beta.*help:/);
  expect(() => new M.R2Score({ classAggregation: 'mean' as never })).toThrow(/classAggregation.*help:/);
  expect(() => new M.TruePositives({ threshold: 0.5 } as never)).toThrow(/Did you mean 'thresholds'/);
});

test('in fit, F1Score and MeanIoU report epoch values', async () => {
  const model = new k.Sequential([new k.layers.Dense({ units: 3, activation: 'softmax', inputShape: [2] })]);
  model.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy', metrics: [new M.F1Score({ average: 'macro' }), new M.OneHotMeanIoU({ numClasses: 3 })] });
  const x = tfc.randomNormal([12, 2], 0, 1, 'float32', 1);
  const y = tfc.oneHot(tfc.tensor1d([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2], 'int32'), 3).toFloat();
  const history = await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
  expect(Object.keys(history.history)).toEqual(expect.arrayContaining(['f1_score', 'one_hot_mean_io_u']));
  model.dispose();
  x.dispose();
  y.dispose();
});

describe('saved with the model', () => {
  test("Keras 3's compile_config keeps the metrics' options; a name that rebuilds the metric stays a name", () => {
    const optimizer = new k.optimizers.SGD();
    const given = [new M.MeanIoU({ numClasses: 3, ignoreClass: 0 }), new M.F1Score({ average: 'macro' }), new M.TruePositives({ thresholds: [0.3, 0.6] }), new M.R2Score(), 'accuracy' as const];
    const json = JSON.parse(JSON.stringify(compileToKeras({ optimizer, loss: 'mse', metrics: given }, optimizer, 'keras3')));
    expect(json.metrics.map((m: unknown) => (typeof m === 'string' ? m : (m as { class_name: string }).class_name))).toEqual(['MeanIoU', 'F1Score', 'TruePositives', 'r2_score', 'accuracy']);
    expect(json.metrics[0].config).toEqual({ name: 'mean_io_u', num_classes: 3, ignore_class: 0, sparse_y_true: true, sparse_y_pred: true, axis: -1 });
    const back = compileFromKeras(json, 'test').metrics as Array<k.metrics.Metric | string>;
    given.slice(0, 3).forEach((m, i) => {
      expect(back[i]).toBeInstanceOf((m as k.metrics.Metric).constructor);
      expect((back[i] as k.metrics.Metric).getConfig()).toEqual((m as k.metrics.Metric).getConfig());
    });
    expect(back.slice(3)).toEqual(['r2_score', 'accuracy']);
    // a Keras-written metric object whose options keras-ts's class lacks (dtype) is found by its name, as before
    const keras = compileFromKeras({ ...json, metrics: [{ module: 'keras.metrics', class_name: 'Precision', config: { name: 'precision', thresholds: null, dtype: 'float32' } }] }, 'test');
    expect(keras.metrics).toEqual(['precision']);
    [...given.slice(0, 4), ...back.slice(0, 3)].forEach((m) => (m as k.metrics.Metric).dispose());
    optimizer.dispose();
  });

  test('a .keras file with MeanIoU and F1Score loads and evaluates to the same values', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-metrics-'));
    const model = new k.Sequential([new k.layers.Dense({ units: 3, activation: 'softmax', inputShape: [2] })]);
    model.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy', metrics: [new M.OneHotMeanIoU({ numClasses: 3 }), new M.F1Score({ average: 'weighted' })] });
    const x = tfc.randomNormal([12, 2], 0, 1, 'float32', 3);
    const y = tfc.oneHot(tfc.tensor1d([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2], 'int32'), 3).toFloat();
    const before = await model.evaluate(x, y, { verbose: 0, returnDict: true });
    await model.save(path.join(dir, 'm.keras'));
    const loaded = await k.models.loadModel(path.join(dir, 'm.keras'));
    const after = await loaded.evaluate(x, y, { verbose: 0, returnDict: true });
    expect(after).toEqual(before);
    expect(Object.keys(after as object)).toEqual(expect.arrayContaining(['one_hot_mean_io_u', 'f1_score']));
    [model, loaded].forEach((m) => m.dispose());
    tfc.dispose([x, y]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

test("Keras's metric functions: top-k accuracies (by hand) and the loss functions under k.metrics", () => {
  tfc.tidy(() => {
    const p = tfc.tensor2d([[0.1, 0.6, 0.3], [0.5, 0.2, 0.3]]);
    // row 0: true class 2 is second highest; row 1: true class 1 is lowest
    expectClose(M.topKCategoricalAccuracy(tfc.tensor2d([[0, 0, 1], [0, 1, 0]]), p, 2), [1, 0]);
    expectClose(M.sparseTopKCategoricalAccuracy(tfc.tensor1d([2, 1]), p, 1), [0, 0]);
    expectClose(M.sparseTopKCategoricalAccuracy(tfc.tensor1d([2, 1]), p, 3), [1, 1]);
    expect(M.meanSquaredError).toBe(k.losses.meanSquaredError);
    expect(M.categoricalFocalCrossentropy).toBe(k.losses.categoricalFocalCrossentropy);
  });
});

test('serializeMetric / deserializeMetric round-trip every class, and refuse what they cannot rebuild', () => {
  const made = [...CASES.map(([, make]) => make()), new M.BinaryIoU({ threshold: 0.3 }), new M.OneHotIoU({ numClasses: 3, targetClassIds: [1] }), new M.AUC({ curve: 'PR', numThresholds: 50 }), new M.Hinge(),
    new M.Precision({ thresholds: 0.7, classId: 1 }), new M.Recall({ thresholds: 0.3 }), new M.BinaryAccuracy({ threshold: 0.2 }), new M.TopKCategoricalAccuracy({ k: 2 }),
    new M.SparseTopKCategoricalAccuracy({ k: 3 }), new M.CosineSimilarity({ axis: 0 }), new M.MeanSquaredError()];
  for (const m of made) {
    const spec = M.serializeMetric(m);
    const back = M.deserializeMetric(JSON.parse(JSON.stringify(spec)));
    expect(back).toBeInstanceOf(m.constructor);
    expect(back.getConfig()).toEqual(m.getConfig());
    [m, back].forEach((x) => x.dispose());
  }
  // the options of the classes that had no getConfig before are kept
  expect(M.deserializeMetric(M.serializeMetric(new M.AUC({ curve: 'PR', numThresholds: 50 }))).getConfig()).toEqual({ name: 'auc', curve: 'PR', numThresholds: 50, summationMethod: 'interpolation' });
  expect(M.serializeMetric(new M.Precision({ thresholds: 0.7, classId: 1 })).config).toEqual({ name: 'precision', thresholds: 0.7, classId: 1 });
  const mine = new M.MeanMetricWrapper('mine', (t, p) => tfc.sub(t, p));
  expect(() => M.serializeMetric(mine)).toThrow(/not a keras-ts metric class.*help:/);
  expect(() => M.deserializeMetric({ className: 'Nope', config: {} })).toThrow(/unknown metric class 'Nope'.*help:/);
  mine.dispose();
});
