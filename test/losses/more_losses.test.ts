/**
 * The losses of issue 24. References: test/reference/loss_references_24.py (NumPy from Keras's
 * documented formulas; PyTorch's ctc_loss for CTC's value and gradient).
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { compileFromKeras, compileToKeras } from '../../src/saving/serialize_training';
import { expectClose, expectNoLeak, testBackend } from '../helpers';

beforeAll(async () => {
  await k.setBackend(testBackend());
});

const L = k.losses;
const YT = [[0, 1, 0], [0, 0, 1], [1, 0, 0]];
const YP = [[0.1, 0.7, 0.2], [0.3, 0.3, 0.4], [0.5, 0.25, 0.25]];
const LOGITS = [[1, 2, -1], [0.5, -0.5, 0], [2, 1, 0.5]];
const ST = [[[1, 0], [1, 1]], [[0, 0], [1, 0]]];
const SP = [[[0.9, 0.2], [0.6, 0.8]], [[0.1, 0.3], [0.7, 0.4]]];
const EMB_RAW = [[1, 0.2, 0.1], [0.9, 0.3, -0.1], [0.1, 1, 0.2], [0.2, 0.8, 0.4], [-0.3, 0.1, 1], [0.9, -0.2, 0.3]];
const EMB = EMB_RAW.map((r) => r.map((v) => v / Math.hypot(...r)));
const LAB = [0, 0, 1, 1, 2, 0];
const CTC_LOGITS = [
  [[1.764, 0.4, 0.979, 2.241], [1.868, -0.977, 0.95, -0.151], [-0.103, 0.411, 0.144, 1.454], [0.761, 0.122, 0.444, 0.334], [1.494, -0.205, 0.313, -0.854]],
  [[-2.553, 0.654, 0.864, -0.742], [2.27, -1.454, 0.046, -0.187], [1.533, 1.469, 0.155, 0.378], [-0.888, -1.981, -0.348, 0.156], [1.23, 1.202, -0.387, -0.302]],
];
const CTC_LABELS = [[1, 2, 2], [3, 1, 0]];

/** The loss's per-sample values (reduction 'none'). */
function values(loss: k.losses.Loss, t: unknown, p: unknown): number[] {
  return tfc.tidy(() => Array.from(loss.call(tfc.tensor(t as number[]), tfc.tensor(p as number[])).dataSync()));
}

const CASES: Array<[string, k.losses.Loss, unknown, unknown, number | number[]]> = [
  ['CategoricalFocalCrossentropy', new L.CategoricalFocalCrossentropy({ reduction: 'none' }), YT, YP, [0.0080251862, 0.0824661659, 0.0433216988]],
  ['CategoricalFocalCrossentropy alpha, gamma, smoothing', new L.CategoricalFocalCrossentropy({ reduction: 'none', alpha: 0.5, gamma: 1, labelSmoothing: 0.1 }), YT, YP, [0.1059324407, 0.2846541037, 0.1963917012]],
  ['CategoricalFocalCrossentropy from logits', new L.CategoricalFocalCrossentropy({ reduction: 'none', fromLogits: true }), YT, LOGITS, [0.0075734155, 0.1416257335, 0.0160194093]],
  ['CategoricalGeneralizedCrossEntropy', new L.CategoricalGeneralizedCrossEntropy({ reduction: 'none' }), [1, 2, 0], YP, [0.3266799469, 0.7350889359, 0.5857864376]],
  ['CategoricalGeneralizedCrossEntropy q 0.7', new L.CategoricalGeneralizedCrossEntropy({ reduction: 'none', q: 0.7 }), [[1], [2], [0]], YP, [0.3156344105, 0.6763530261, 0.5491825619]],
  ['Dice over every axis', new L.Dice({ reduction: 'none' }), ST, SP, 0.2500000094],
  ['Dice per sample', new L.Dice({ reduction: 'none', axis: [1, 2] }), ST, SP, [0.1636363788, 0.4400000224]],
  ['Tversky alpha 0.7 beta 0.3', new L.Tversky({ reduction: 'none', alpha: 0.7, beta: 0.3 }), ST, SP, 0.2500000187],
  ['Tversky per sample', new L.Tversky({ reduction: 'none', axis: [1, 2] }), ST, SP, [0.163636394, 0.4400000448]],
  ['Circle', new L.Circle({ reduction: 'none' }), LAB, EMB, [5.2793354350210654e-5, 0.001483446711907778, 8.485691589834432e-7, 8.723100880472829e-5, 0, 3.849603778686394e-9]],
  ['Circle gamma 10 margin 0.25', new L.Circle({ reduction: 'none', gamma: 10, margin: 0.25 }), LAB, EMB, [1.956629974688687, 2.3598757854887515, 1.3367300017213948, 1.9540345305315903, 0, 1.2822640637412528]],
  ['Circle keeping the diagonal', new L.Circle({ reduction: 'none', gamma: 10, margin: 0.25, removeDiagonal: false }), LAB, EMB, [2.2963448780702884, 2.654658301394741, 1.8817226558954387, 2.565707720218436, 1.541786553965362, 1.5157108390408818]],
  ['CTC (PyTorch ctc_loss)', new L.CTC({ reduction: 'none' }), CTC_LABELS, CTC_LOGITS, [6.5676517144, 4.6012763561]],
];

test.each(CASES)('%s matches the reference', (_name, loss, t, p, expected) => {
  expectClose(values(loss, t, p), expected as number[], 2e-5);
});

test.each(CASES)('%s: config round trip, by name too, and no leaks', async (_name, loss, t, p) => {
  const config = loss.getConfig();
  const again = k.losses.deserializeLoss({ className: loss.className, config });
  expect(again.getConfig()).toEqual(config);
  expect(values(again, t, p)).toEqual(values(loss, t, p));
  expect(k.losses.getLoss(loss.className, 'test')).toBeInstanceOf(k.losses.Loss);
  await expectNoLeak(() => values(loss, t, p));
});

test('function forms equal the classes', () => {
  tfc.tidy(() => {
    const [t, p] = [tfc.tensor2d(YT), tfc.tensor2d(YP)];
    expectClose(L.categoricalFocalCrossentropy(t, p), [0.0080251862, 0.0824661659, 0.0433216988]);
    expectClose(L.categoricalGeneralizedCrossEntropy(tfc.tensor1d([1, 2, 0]), p, 0.5), [0.3266799469, 0.7350889359, 0.5857864376]);
    expectClose(L.dice(tfc.tensor3d(ST), tfc.tensor3d(SP), [1, 2]), [0.1636363788, 0.4400000224]);
    expectClose(L.tversky(tfc.tensor3d(ST), tfc.tensor3d(SP), { alpha: 0.7, beta: 0.3 }), 0.2500000187);
    expectClose(L.ctc(tfc.tensor2d(CTC_LABELS), tfc.tensor3d(CTC_LOGITS)), [6.5676517144, 4.6012763561], 2e-5);
    expectClose(L.circle(tfc.tensor1d(LAB), tfc.tensor2d(EMB), { gamma: 10, margin: 0.25 }).slice(0, 2), [1.956629974688687, 2.3598757854887515], 2e-5);
  });
});

test('Circle averages over the samples with a positive loss, as Keras masks the others', () => {
  const mean = tfc.tidy(() => new L.Circle({ gamma: 10, margin: 0.25 }).call(tfc.tensor1d(LAB), tfc.tensor2d(EMB)).dataSync()[0]);
  expect(mean).toBeCloseTo(1.7779068712343353, 4); // NumPy: the mean of the 5 positive values
});

test("CTC's gradient with respect to the logits equals PyTorch's", () => {
  const expected = [
    [[0.2242109, -0.8463475, 0.1372619, 0.4848747], [0.2914593, -0.0597791, -0.3151822, 0.083502], [-0.3165808, 0.1922526, -0.4212305, 0.5455587], [-0.3298623, 0.1814678, -0.0759266, 0.2243211], [0.3810713, 0.1153441, -0.5566906, 0.0602751]],
    [[-0.1530811, 0.3965514, 0.4892168, -0.7326871], [-0.0609197, 0.0057444, 0.0888138, -0.0336384], [-0.1186555, -0.0246645, 0.1006258, 0.0426942], [-0.3381085, -0.2801517, 0.2912548, 0.3270055], [0.0023043, -0.1759947, 0.0831565, 0.0905339]],
  ];
  const labels = tfc.tensor2d(CTC_LABELS);
  const g = tfc.grad((x: tfc.Tensor) => tfc.sum(L.ctc(labels, x)))(tfc.tensor3d(CTC_LOGITS));
  expectClose(g, expected.flat(), 1e-4);
  tfc.dispose([labels, g]);
});

test('bad inputs and options are refused with the fix', () => {
  expect(() => new L.CategoricalGeneralizedCrossEntropy({ q: 1 })).toThrow(/q.*help:/);
  expect(() => new L.Tversky({ gama: 1 } as never)).toThrow(/unknown option 'gama'/);
  expect(() => tfc.tidy(() => L.ctc(tfc.tensor1d([1, 2]), tfc.zeros([1, 3, 4])))).toThrow(/ctc: labels.*help:/);
});

test("each new loss round-trips through Keras 3's compile_config (the .keras training config)", () => {
  const made = [
    new L.CategoricalFocalCrossentropy({ alpha: 0.5, gamma: 1, labelSmoothing: 0.1 }),
    new L.CategoricalGeneralizedCrossEntropy({ q: 0.7 }),
    new L.Dice({ axis: [1, 2], reduction: 'sum' }),
    new L.Tversky({ alpha: 0.7, beta: 0.3 }),
    new L.CTC(),
    new L.Circle({ gamma: 10, margin: 0.25, removeDiagonal: false }),
  ];
  const optimizer = new k.optimizers.SGD();
  const kerasNames = ['CategoricalFocalCrossentropy', 'CategoricalGeneralizedCrossEntropy', 'Dice', 'Tversky', 'CTC', 'Circle'];
  made.forEach((loss, i) => {
    const json = JSON.parse(JSON.stringify(compileToKeras({ optimizer, loss }, optimizer, 'keras3')));
    expect(json.loss.class_name).toBe(kerasNames[i]);
    const back = compileFromKeras(json, 'test').loss as k.losses.Loss;
    expect(back).toBeInstanceOf(k.losses.Loss);
    expect(back.className).toBe(loss.className);
    expect(back.getConfig()).toEqual(loss.getConfig());
  });
  optimizer.dispose();
});

test('Dice over every axis with sample weights: the batch value weighted per sample, as Keras broadcasts it', () => {
  tfc.tidy(() => {
    const w = tfc.tensor1d([1, 3]);
    // by hand: 0.25 · (1 + 3) / 2 for the mean, 0.25 · 4 for the sum
    expectClose(new L.Dice().call(tfc.tensor3d(ST), tfc.tensor3d(SP), w), 0.5, 1e-6);
    expectClose(new L.Dice({ reduction: 'sum' }).call(tfc.tensor3d(ST), tfc.tensor3d(SP), w), 1, 1e-6);
  });
});
