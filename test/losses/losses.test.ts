import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, testBackend } from '../helpers';

// References: test/reference/make_references.py (cce_*, bce_*, mse_*), NumPy in float64.
beforeAll(async () => {
  await k.setBackend(testBackend());
});

const L = k.losses;

function valueAndGrad(loss: k.losses.Loss, yTrue: number[][], yPred: number[][]): [number, tfc.Tensor] {
  const t = tfc.tensor2d(yTrue);
  const init = tfc.tensor2d(yPred);
  const p = tfc.variable(init);
  const { value, grads } = tfc.variableGrads(() => loss.call(t, p) as tfc.Scalar, [p]);
  const out: [number, tfc.Tensor] = [value.dataSync()[0], grads[p.name]];
  tfc.dispose([t, init, p, value]);
  return out;
}

const YT = [[0, 1, 0], [0, 0, 1]];
const YP = [[0.1, 0.7, 0.2], [0.3, 0.3, 0.4]];

test('categorical_crossentropy value and gradient', () => {
  const [value, grad] = valueAndGrad(new L.CategoricalCrossentropy(), YT, YP);
  expect(value).toBeCloseTo(0.6364828379, 5);
  expectClose(grad, [[0.5, -0.2142857143, 0.5], [0.5, 0.5, -0.75]], 1e-4);
  grad.dispose();
});

test('categorical_crossentropy from logits', () => {
  const [value, grad] = valueAndGrad(new L.CategoricalCrossentropy({ fromLogits: true }), YT, [[1, 2, 0.5], [-1, 0, 3]]);
  expect(value).toBeCloseTo(0.2651263439, 5);
  expectClose(grad, [[0.1156119488, -0.1857341404, 0.0701221916], [0.0085739128, 0.0233063113, -0.0318802241]], 1e-5);
  grad.dispose();
});

test('sparse_categorical_crossentropy equals the one-hot loss', () => {
  const t = tfc.tensor1d([1, 2]);
  const p = tfc.tensor2d(YP);
  const loss = new L.SparseCategoricalCrossentropy().call(t, p);
  expectClose(loss, 0.6364828379);
  tfc.dispose([t, p, loss]);
});

test('binary_crossentropy value and gradient, and from logits', () => {
  const [value, grad] = valueAndGrad(new L.BinaryCrossentropy(), [[1, 0], [0, 1]], [[0.8, 0.3], [0.4, 0.9]]);
  expect(value).toBeCloseTo(0.2990011587, 5);
  expectClose(grad, [[-0.3125, 0.3571428571], [0.4166666667, -0.2777777778]], 1e-4);
  const [v2, g2] = valueAndGrad(new L.BinaryCrossentropy({ fromLogits: true }), [[1, 0], [0, 1]], [[2, -1], [0.5, -3]]);
  expect(v2).toBeCloseTo(1.1157135086, 5);
  expectClose(g2, [[-0.0298007304, 0.0672353554], [0.1556148328, -0.2381435317]], 1e-5);
  tfc.dispose([grad, g2]);
});

test('mean_squared_error value, gradient and reductions', () => {
  const [value, grad] = valueAndGrad(new L.MeanSquaredError(), [[1, 2], [3, 4]], [[1.5, 1.5], [2, 5]]);
  expect(value).toBeCloseTo(0.625, 6);
  expectClose(grad, [[0.25, -0.25], [-0.5, 0.5]], 1e-5);
  const t = tfc.tensor2d([[1, 2], [3, 4]]);
  const p = tfc.tensor2d([[1.5, 1.5], [2, 5]]);
  const sum = new L.MeanSquaredError({ reduction: 'sum' }).call(t, p);
  const none = new L.MeanSquaredError({ reduction: 'none' }).call(t, p);
  expectClose(sum, 1.25);
  expectClose(none, [0.25, 1.0]);
  tfc.dispose([grad, t, p, sum, none]);
});

test('sample weights scale each sample; sum_over_batch_size divides by the batch', () => {
  const t = tfc.tensor2d(YT);
  const p = tfc.tensor2d(YP);
  const w = tfc.tensor1d([1, 3]);
  const loss = new L.CategoricalCrossentropy().call(t, p, w);
  expectClose(loss, 1.5527735698);
  tfc.dispose([t, p, w, loss]);
});

test('names resolve in snake_case, camelCase and aliases; unknown names list the valid ones', () => {
  for (const name of ['categorical_crossentropy', 'categoricalCrossentropy', 'CategoricalCrossentropy']) {
    expect(L.getLoss(name, 'test').name).toBe('categorical_crossentropy');
  }
  expect(L.getLoss('mse', 'test').name).toBe('mean_squared_error');
  expect(() => L.getLoss('cross_entropy_loss', 'compile')).toThrow(/compile: unknown loss 'cross_entropy_loss'. help: use one of .*'mean_squared_error'.*'mse'/);
});

test('a user function (yTrue, yPred) => per-sample loss works as a loss', () => {
  const fn = (yTrue: tfc.Tensor, yPred: tfc.Tensor): tfc.Tensor => tfc.sum(tfc.abs(tfc.sub(yTrue, yPred)), -1);
  const t = tfc.tensor2d([[1, 2], [3, 4]]);
  const p = tfc.tensor2d([[1.5, 1.5], [2, 5]]);
  const loss = L.getLoss(fn, 'test').call(t, p); // per sample: 1 and 2, mean 1.5
  expectClose(loss, 1.5);
  tfc.dispose([t, p, loss]);
});

test('cross-entropy of softmax/sigmoid outputs: value as for probabilities, gradient exact w.r.t. the logits', () => {
  // z and t by hand; reference: dL/dz = (softmax(z) - t) / batch for the mean over 2 samples,
  // and (sigmoid(z) - t) / (classes · batch) for binary cross-entropy.
  const z = tfc.tensor2d([[1, 2, 0.5], [-1, 0, 3]]);
  const t = tfc.tensor2d(YT);
  const soft = (row: number[]): number[] => {
    const e = row.map(Math.exp);
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / s);
  };
  const p = [soft([1, 2, 0.5]), soft([-1, 0, 3])];
  const expected = p.map((row, i) => row.map((v, j) => (v - YT[i][j]) / 2));
  const activation = new k.layers.Activation({ activation: 'softmax' });
  const cce = new L.CategoricalCrossentropy();
  const ctx = { training: true, losses: [] as tfc.Tensor[] }; // as inside a training step
  const g = tfc.grad((x: tfc.Tensor) => cce.call(t, activation.callOnTensors(x, ctx)[0]))(z);
  expectClose(g, expected, 1e-6);
  const value = tfc.tidy(() => cce.call(t, activation.callOnTensors(z, ctx)[0]).dataSync()[0]);
  expect(value).toBeCloseTo(0.2651263439, 5); // cce_logits_mean from make_references.py
  const sig = new k.layers.Activation({ activation: 'sigmoid' });
  const bz = tfc.tensor2d([[2, -1], [0.5, -3]]);
  const bt = tfc.tensor2d([[1, 0], [0, 1]]);
  const bg = tfc.grad((x: tfc.Tensor) => new L.BinaryCrossentropy().call(bt, sig.callOnTensors(x, ctx)[0]))(bz);
  expectClose(bg, [-0.0298007304, 0.0672353554, 0.1556148328, -0.2381435317], 1e-6); // bce_logits_grad
  tfc.dispose([z, t, g, bz, bt, bg]);
});

test('sparse categorical cross-entropy gives the same value on wasm (its OneHot writes int32 only)', async () => {
  await k.setBackend('wasm');
  const t = tfc.tensor1d([1, 2]);
  const p = tfc.tensor2d(YP);
  const loss = new L.SparseCategoricalCrossentropy().call(t, p);
  expectClose(loss, 0.6364828379);
  tfc.dispose([t, p, loss]);
  await k.setBackend(testBackend());
});
