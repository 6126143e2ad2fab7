/**
 * The training step's fewer kernels: a Loss's reduction (ops/mean_all.ts, or the cross-entropy
 * kernels' own on 'native'), softmax as an op with its gradient (ops/softmax.ts), the categorical
 * accuracies' Matches kernel, and the saved tensors a built-in step shares instead of copying
 * (ops/gradient_saves.ts). Values and gradients against PyTorch 1.13 (float32; the script is in each
 * test's comment), on every backend and again on 'native' (test/native_backend_env.js).
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { FusedKernel, hasKernel } from '../../src/engine/fused_kernels';
import { reduceAll } from '../../src/ops/mean_all';
import { softmaxLastAxis } from '../../src/ops/softmax';
import { withStepSaves } from '../../src/ops/gradient_saves';
import { expectClose, testBackend } from '../helpers';

const onNative = testBackend() === 'native';

beforeAll(async () => {
  await k.setBackend(testBackend());
});

test('reduceAll: the mean and sum of all values, with dy / n (or dy) in every position as the gradient', () => {
  const x = tfc.tensor2d([[1, 2, 3], [4, 5, 7]]);
  const start = tfc.memory().numTensors;
  for (const [mean, value, grad] of [[true, 22 / 6, 1 / 6], [false, 22, 1]] as const) {
    expectClose(reduceAll(x, mean), value);
    // d/dx of 3 * reduce(x): 3 / 6 (mean) or 3 (sum) everywhere
    const g = tfc.grad((t: tfc.Tensor) => tfc.mul(reduceAll(t, mean), 3))(x);
    expect(g.shape).toEqual([2, 3]);
    expectClose(g, new Array(6).fill(3 * grad));
    g.dispose();
  }
  expect(tfc.memory().numTensors).toBe(start + 2); // the two values read above
  // an empty tensor: mean and sum are 0, as tfjs's sum then divide by max(size, 1) make them
  tfc.tidy(() => expectClose(reduceAll(tfc.zeros([0, 3]), true), 0));
  x.dispose();
});

test('softmax over the last axis: value and the gradient of sum(softmax(x) * w) equal PyTorch\'s', async () => {
  // torch.softmax(x, -1); (y * w).sum().backward()
  const x = tfc.tensor2d([[1, 2, 0.5], [-1, 0, 3]]);
  const w = tfc.tensor2d([[0.3, -0.2, 0.9], [1.5, 0.1, -0.4]]);
  const start = tfc.memory().numTensors;
  expectClose(softmaxLastAxis(x), [0.23122390, 0.62853169, 0.14024438, 0.01714783, 0.04661262, 0.93623954], 1e-6);
  const g = tfc.grad((t: tfc.Tensor) => tfc.sum(tfc.mul(softmaxLastAxis(t), w)))(x);
  expectClose(g, [0.05320907, -0.16962862, 0.11641955, 0.03162253, 0.02070126, -0.05232377], 1e-6);
  // inside a step's shared saves, the same gradient, and the shared handles are freed with the step
  const g2 = withStepSaves(() => tfc.grad((t: tfc.Tensor) => tfc.sum(tfc.mul(softmaxLastAxis(t), w)))(x));
  expectClose(g2, Array.from(g.dataSync()), 0);
  tfc.dispose([g, g2]);
  expect(tfc.memory().numTensors).toBe(start + 1); // the softmax value of the first line
  if (onNative) {
    // one Softmax kernel forward, recorded with its registered gradient: one SoftmaxGrad backward
    const names = (await tfc.profile(() => tfc.grad((t: tfc.Tensor) => tfc.sum(tfc.mul(softmaxLastAxis(t), w)))(x).dispose())).kernels.map((kk) => kk.name);
    expect(names.filter((n) => n === FusedKernel.Softmax)).toHaveLength(1);
    expect(names.filter((n) => n === FusedKernel.SoftmaxGrad)).toHaveLength(1);
    expect(names).not.toContain('Softmax');
  }
  tfc.dispose([x, w]);
});

test('withStepSaves: no Identity copies on the outermost tape, the same gradients, and a gradient taken inside still differentiates through its saves', async () => {
  const x = tfc.tensor1d([0.5, -1, 2]);
  const w = tfc.tensor1d([1, 2, 3]);
  // f(x) = sum(w * x^3): df/dx = 3 w x^2; d/dx of sum(df/dx) = 6 w x
  const f = (t: tfc.Tensor): tfc.Scalar => tfc.sum(tfc.mul(w, tfc.mul(tfc.mul(t, t), t)));
  const start = tfc.memory().numTensors;
  const profile = await tfc.profile(() => {
    withStepSaves(() => tfc.grad(f)(x)).dispose();
  });
  expect(profile.kernels.map((kk) => kk.name)).not.toContain('Identity');
  const first = withStepSaves(() => tfc.grad(f)(x));
  expectClose(first, [0.75, 6, 36]);
  const second = withStepSaves(() => tfc.grad((t: tfc.Tensor) => tfc.sum(tfc.grad(f)(t)))(x));
  expectClose(second, [3, -12, 36]);
  tfc.dispose([first, second]);
  expect(tfc.memory().numTensors).toBe(start);
  tfc.dispose([x, w]);
});

describe('cross-entropy reduced by the Loss', () => {
  // z logits; p = softmax(z); loss -sum(t log clamp(p, 1e-7, 1 - 1e-7)) per row; .mean() or .sum(), backward to z
  const Z = [[2, 1, 0.1], [0.5, 2.5, -1], [0, 0, 0], [1, -1, 3]];
  const T = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [0.2, 0.3, 0.5]];
  const TORCH = {
    mean: 0.85293806,
    dzMean: [-0.0852497, 0.06060825, 0.02464147, 0.02902863, -0.03550581, 0.00647716, 0.08333334, 0.08333334, -0.16666667, -0.02067239, -0.07103094, 0.09170334],
    sum: 3.41175222,
    dzSum: [-0.3409988, 0.24243298, 0.09856589, 0.11611453, -0.14202322, 0.02590865, 0.33333334, 0.33333334, -0.66666669, -0.08268958, -0.28412378, 0.36681336],
  };

  test.each([['sum_over_batch_size', 'mean', 'dzMean'], ['sum', 'sum', 'dzSum']] as const)('%s: value and gradient for the logits', (reduction, value, grad) => {
    const loss = new k.losses.CategoricalCrossentropy({ reduction });
    const z = tfc.tensor2d(Z);
    const t = tfc.tensor2d(T);
    const start = tfc.memory().numTensors;
    const f = (logits: tfc.Tensor): tfc.Scalar => loss.call(t, k.activations.softmax(logits)) as tfc.Scalar;
    const out = tfc.tidy(() => f(z));
    expectClose(out, TORCH[value], 1e-6);
    const dz = tfc.grad((logits: tfc.Tensor) => f(logits))(z);
    expectClose(dz, TORCH[grad], 1e-6);
    tfc.dispose([out, dz]);
    expect(tfc.memory().numTensors).toBe(start);
    tfc.dispose([z, t]);
  });

  test('sparse labels and binary cross-entropy of a sigmoid take the same reduced path', () => {
    // sparse: the one-hot rows of T's first three rows
    const sparse = new k.losses.SparseCategoricalCrossentropy();
    const z = tfc.tensor2d(Z.slice(0, 3));
    const dz = tfc.grad((logits: tfc.Tensor) => sparse.call(tfc.tensor1d([0, 1, 2]), k.activations.softmax(logits)))(z);
    // PyTorch: the first three rows of dzSum / 3
    expectClose(dz, TORCH.dzSum.slice(0, 9).map((d) => d / 3), 1e-6);
    // binary_cross_entropy(sigmoid(zb), tb, reduction='none').mean(-1).mean(), backward to zb
    const zb = tfc.tensor2d([[0.5, -1], [2, 0], [-0.3, 0.8]]);
    const tb = tfc.tensor2d([[1, 0], [0, 1], [1, 1]]);
    const bce = new k.losses.BinaryCrossentropy();
    const f = (logits: tfc.Tensor): tfc.Scalar => bce.call(tb, k.activations.sigmoid(logits)) as tfc.Scalar;
    expectClose(tfc.tidy(() => f(zb)), 0.80547816, 1e-6);
    expectClose(tfc.grad(f)(zb), [-0.06292345, 0.04482357, 0.1467995, -0.08333334, -0.09574042, -0.05167092], 1e-6);
  });

  test('sparse labels: a float index is truncated, an index outside the classes is a row of zeros (as tfjs\'s oneHot makes it) that still counts in the mean', () => {
    // PyTorch: rows 0 and 1 of Z with classes 0 and 1; row 2 adds nothing: (l0 + l1) / 3, backward to z
    const sparse = new k.losses.SparseCategoricalCrossentropy();
    const z = tfc.tensor2d(Z.slice(0, 3));
    const start = tfc.memory().numTensors;
    for (const labels of [tfc.tensor1d([0, 1.9, 7]), tfc.tensor2d([[0], [1], [-1]]), tfc.tensor1d([0, 1, 3], 'int32')]) {
      const f = (logits: tfc.Tensor): tfc.Scalar => sparse.call(labels, k.activations.softmax(logits)) as tfc.Scalar;
      tfc.tidy(() => expectClose(f(z), 0.19006939, 1e-6));
      const dz = tfc.grad(f)(z);
      expectClose(dz, [-0.11366628, 0.08081099, 0.03285529, 0.03870485, -0.04734107, 0.00863622, 0, 0, 0], 1e-6);
      tfc.dispose([dz, labels]);
    }
    expect(tfc.memory().numTensors).toBe(start);
    z.dispose();
  });

  (onNative ? test : test.skip)('on native the reduced value and its gradient are one kernel each, no Sum or RealDiv', async () => {
    expect(hasKernel(FusedKernel.CrossentropyReduced)).toBe(true);
    const loss = new k.losses.CategoricalCrossentropy();
    const z = tfc.tensor2d(Z);
    const t = tfc.tensor2d(T);
    const profile = await tfc.profile(() => {
      tfc.grad((logits: tfc.Tensor) => loss.call(t, k.activations.softmax(logits)))(z).dispose();
    });
    const names = profile.kernels.map((kk) => kk.name);
    expect(names.filter((n) => n === FusedKernel.CrossentropyReduced)).toHaveLength(1);
    expect(names.filter((n) => n === FusedKernel.CrossentropyReducedGrad)).toHaveLength(1);
    expect(names).not.toContain('Sum');
    expect(names).not.toContain('RealDiv');
    // the softmax runs once; its backward not at all: the loss's gradient goes to the logits directly
    expect(names.filter((n) => n === FusedKernel.Softmax)).toHaveLength(1);
    expect(names).not.toContain(FusedKernel.SoftmaxGrad);
    // sparse labels: no one-hot rows either
    const labels = tfc.tensor1d([0, 1, 2, 2]);
    const sparse = new k.losses.SparseCategoricalCrossentropy();
    const sparseProfile = await tfc.profile(() => {
      tfc.grad((logits: tfc.Tensor) => sparse.call(labels, k.activations.softmax(logits)))(z).dispose();
    });
    const sparseNames = sparseProfile.kernels.map((kk) => kk.name);
    expect(sparseNames.filter((n) => n === FusedKernel.CrossentropyReducedGrad)).toHaveLength(1);
    expect(sparseNames).not.toContain('OneHot');
    tfc.dispose([z, t, labels]);
  });
});

test('categorical accuracies: the first largest prediction wins a tie; sparse labels are cast to int32 as Keras casts them', () => {
  const pred = tfc.tensor2d([[0.5, 0.5, 0], [0.1, 0.2, 0.7], [0.3, 0.3, 0.3], [0.9, 0.05, 0.05]]);
  const start = tfc.memory().numTensors;
  // one-hot truth: rows 0 (class 0, tie with 1: 0 wins), 1 (class 1 vs predicted 2), 2 (class 2; all tie: 0 wins), 3 (class 0)
  const onehot = tfc.tensor2d([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]]);
  tfc.tidy(() => expectClose(k.metrics.categoricalAccuracy(onehot, pred), [1, 0, 0, 1]));
  // class indices as floats: 1.9 is class 1; labels shaped [4, 1] work as [4]
  const labels = tfc.tensor1d([0, 2, 0, 1.9]);
  tfc.tidy(() => expectClose(k.metrics.sparseCategoricalAccuracy(labels, pred), [1, 1, 1, 0]));
  tfc.tidy(() => expectClose(k.metrics.sparseCategoricalAccuracy(tfc.reshape(labels, [4, 1]), pred), [1, 1, 1, 0]));
  tfc.dispose([onehot, labels]);
  expect(tfc.memory().numTensors).toBe(start);
  pred.dispose();
});

test('Mean: a batch\'s values and a weighted value add to the running total as the sum, product and add kernels would', () => {
  const mean = new k.metrics.Mean();
  const start = tfc.memory().numTensors;
  // float32 by hand: 0.1 + 0.2 + 0.3 (each rounded to float32, summed exactly) = 0.6000000089406967 -> 0.6 as float32;
  // then 0.25 for 32 samples adds 8; the count is 3 + 32
  const values = tfc.tensor1d([0.1, 0.2, 0.3]);
  mean.updateState(values);
  const loss = tfc.scalar(0.25);
  mean.updateWeighted(loss, 32);
  tfc.tidy(() => expectClose(mean.result(), Math.fround(Math.fround(0.6) + 8) / 35, 1e-7));
  tfc.dispose([values, loss]);
  expect(tfc.memory().numTensors).toBe(start);
  mean.dispose();
});
