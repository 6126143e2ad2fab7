/**
 * BatchNormalization in training mode (ops/batch_norm.ts): on every backend the output, the
 * gradients and Keras's moving-statistics update against PyTorch (test/reference/batch_norm_reference.py,
 * whose formulas for x, w, gamma and beta are repeated here); on 'native', where it is one kernel each
 * way, also against the op-by-op autodiff path on random data, and with its fused relu and relu6
 * (batch_norm_act_reference.py: many rows, outputs past 0 and 6).
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { FusedKernel, runFused } from '../../src/engine/fused_kernels';
import { batchNormTraining, normalizeBy } from '../../src/ops/batch_norm';
import { expectClose, testBackend } from '../helpers';

const onNative = testBackend() === 'native';

beforeAll(async () => {
  await k.setBackend(testBackend());
});

const SHAPE = [2, 2, 3, 3];
const N = 36;
const xValues = Array.from({ length: N }, (_, i) => 3 * Math.sin(0.7 * i) + (i % 3) + 1.5);
const wValues = Array.from({ length: N }, (_, i) => Math.cos(0.3 * i));
const GAMMA = [1.5, -0.5, 2];
const BETA = [0.25, 2, -1];

// PyTorch 1.13, float64 (batch_norm_reference.py).
const TORCH = {
  linear: {
    y: [0.2558168, 1.542611, 1.790069, 2.08413, 1.761819, -1.997808, -1.590217, 2.695734, -2.792906, 0.2914293, 1.533559, 1.797776, 2.065892, 1.773083, -2.042301, -1.607415, 2.693412, -2.755687, 0.3270318, 1.524639, 1.80469, 2.047143, 1.784411, -2.086501, -1.624087, 2.690895, -2.717973, 0.3626141, 1.515853, 1.81081, 2.027888, 1.7958, -2.130395, -1.640227, 2.688181, -2.679774],
    dx: [0.7304607, -0.2225081, 0.7651581, 0.4141259, -0.09252546, 0.2132263, -0.08629779, 0.06920992, -0.5165725, -0.6147984, 0.2375822, -0.9481248, -0.6573724, 0.1641114, -0.3149764, -0.07425204, -0.07065101, 0.535775, 0.470633, -0.1931743, 0.8919435, 0.6821696, -0.232482, 0.9209482, 0.5045256, -0.1317673, 0.2279977, -0.1503716, 0.1271759, -0.7230023, -0.6664967, 0.2259848, -0.7784209, -0.5523257, 0.1190439, -0.2739518],
    dgamma: [0.6858876, 1.174029, 1.080229],
    dbeta: [-0.4181812, -0.9097766, -1.320104],
  },
  relu6: {
    y: [0.2558168, 1.542611, 1.790069, 2.08413, 1.761819, 0, 0, 2.695734, 0, 0.2914293, 1.533559, 1.797776, 2.065892, 1.773083, 0, 0, 2.693412, 0, 0.3270318, 1.524639, 1.80469, 2.047143, 1.784411, 0, 0, 2.690895, 0, 0.3626141, 1.515853, 1.81081, 2.027888, 1.7958, 0, 0, 2.688181, 0],
    dx: [0.6883736, -0.2225081, 0.7689158, 0.4365941, -0.09252546, -0.001360815, -0.03315808, 0.06920992, 0.0006531854, -0.655628, 0.2375822, -0.9440589, -0.6355481, 0.1641114, -0.001248111, -0.03330265, -0.07065101, 0.0005589093, 0.4310604, -0.1931743, 0.896286, 0.703332, -0.232482, -0.001136151, -0.0334428, -0.1317673, 0.0004633784, -0.1886878, 0.1271759, -0.718415, -0.6460143, 0.2259848, -0.001024967, -0.03357847, 0.1190439, 0.0003666195],
    dgamma: [-0.2143166, 1.174029, 0.06433651],
    dbeta: [0.3006565, -0.9097766, 0.04937949],
  },
  mean: [1.491761, 2.496985, 3.503627],
  variance: [4.512945, 4.476446, 4.47897],
  movingMean: [0.5991761, -0.6503015, 2.150363], // momentum 0.9 from [0.5, -1, 2]
  movingVariance: [1.351294, 2.247645, 0.897897], // momentum 0.9 from [1, 2, 0.5]
};

/** y = f(x, gamma, beta) and the gradients of sum(y * w) for x, gamma and beta. */
function withGrads(f: (x: tfc.Tensor, gamma: tfc.Tensor, beta: tfc.Tensor) => tfc.Tensor, x: tfc.Tensor, gamma: tfc.Tensor, beta: tfc.Tensor, w: tfc.Tensor): number[][] {
  const y = f(x, gamma, beta);
  const grads = tfc.grads((a: tfc.Tensor, g: tfc.Tensor, b: tfc.Tensor) => tfc.sum(tfc.mul(f(a, g, b), w)))([x, gamma, beta]);
  const out = [y, ...grads].map((t) => Array.from(t.dataSync()));
  tfc.dispose([y, ...grads]);
  return out;
}

test('BatchNormalization in training: output, gradients and moving statistics equal PyTorch\'s and Keras\'s rule', () => {
  const layer = new k.layers.BatchNormalization({ momentum: 0.9, epsilon: 1e-3 });
  const x = tfc.tensor4d(xValues, SHAPE as [number, number, number, number]);
  tfc.dispose(layer.apply(x)); // builds it (inference: no update)
  layer.setWeights([GAMMA, BETA, [0.5, -1, 2], [1, 2, 0.5]]);
  const w = tfc.tensor4d(wValues, SHAPE as [number, number, number, number]);
  const start = tfc.memory().numTensors;
  const y = layer.apply(x, { training: true }) as tfc.Tensor;
  expectClose(y, TORCH.linear.y, 2e-5);
  expectClose(layer.movingMean!.value, TORCH.movingMean, 1e-5);
  expectClose(layer.movingVariance!.value, TORCH.movingVariance, 1e-5);
  y.dispose();
  expect(tfc.memory().numTensors).toBe(start);
  const [gamma, beta] = [layer.gamma!.value, layer.beta!.value];
  const { value, grads } = tfc.variableGrads(() => tfc.sum(tfc.mul(layer.apply(x, { training: true }) as tfc.Tensor, w)) as tfc.Scalar, [gamma, beta]);
  expectClose(grads[gamma.name], TORCH.linear.dgamma, 2e-5);
  expectClose(grads[beta.name], TORCH.linear.dbeta, 2e-5);
  const dx = tfc.grad((a: tfc.Tensor) => tfc.sum(tfc.mul(layer.apply(a, { training: true }) as tfc.Tensor, w)))(x);
  expectClose(dx, TORCH.linear.dx, 2e-5);
  tfc.dispose([value, dx, ...Object.values(grads)]);
  expect(tfc.memory().numTensors).toBe(start);
  tfc.dispose([x, w]);
  layer.dispose();
});

test('batchNormTraining returns the batch mean and biased variance, per feature', () => {
  const x = tfc.tensor4d(xValues, SHAPE as [number, number, number, number]);
  const [y, mean, variance] = tfc.tidy(() => {
    const out = batchNormTraining(x, { axis: 3, gamma: tfc.tensor1d(GAMMA), beta: tfc.tensor1d(BETA), epsilon: 1e-3 });
    return [out.y, out.mean, out.variance];
  });
  expectClose(mean, TORCH.mean, 1e-5);
  expectClose(variance, TORCH.variance, 1e-4);
  expectClose(y, TORCH.linear.y, 2e-5);
  tfc.dispose([x, y, mean, variance]);
});

(onNative ? describe : describe.skip)('on native: one kernel each way', () => {
  test('the kernels run, and equal the op-by-op autodiff path on random data (with and without gamma and beta)', async () => {
    const x = tfc.randomNormal([4, 5, 5, 7], 2, 3, 'float32', 1);
    const w = tfc.randomNormal([4, 5, 5, 7], 0, 1, 'float32', 2);
    const gamma = tfc.randomUniform([7], 0.5, 1.5, 'float32', 3);
    const beta = tfc.randomUniform([7], -1, 1, 'float32', 4);
    const autodiff = (a: tfc.Tensor, g: tfc.Tensor, b: tfc.Tensor): tfc.Tensor => {
      const { mean, variance } = tfc.moments(a, [0, 1, 2], true);
      return normalizeBy(a, mean, variance, { axis: 3, gamma: g, beta: b, epsilon: 1e-3 });
    };
    const fused = (a: tfc.Tensor, g: tfc.Tensor, b: tfc.Tensor): tfc.Tensor => batchNormTraining(a, { axis: 3, gamma: g, beta: b, epsilon: 1e-3 }).y;
    const expected = withGrads(autodiff, x, gamma, beta, w);
    const profile = await tfc.profile(() => void withGrads(fused, x, gamma, beta, w).forEach((got, i) => expectClose(got, expected[i], 2e-4)));
    expect(profile.kernelNames).toEqual(expect.arrayContaining([FusedKernel.BatchNormTrain, FusedKernel.BatchNormTrainGrad]));
    expect(profile.kernelNames).not.toContain('Rsqrt');
    // Without gamma and beta: the same as gamma 1, beta 0.
    const plain = batchNormTraining(x, { axis: 3, epsilon: 1e-3 }).y;
    const ref = autodiff(x, tfc.onesLike(gamma), tfc.zerosLike(beta));
    expectClose(plain, Array.from(ref.dataSync()), 2e-5);
    tfc.dispose([x, w, gamma, beta, plain, ref]);
  });

  test('a large mean next to a small spread: the statistics keep their precision (float64 sums by hand)', () => {
    const rows = 300;
    const values = Array.from({ length: rows * 2 }, (_, i) => 1000 + (i % 2) * 500 + 0.01 * Math.sin(0.37 * i));
    const x = tfc.tensor2d(values, [rows, 2]);
    const xs = Array.from(x.dataSync()); // as float32
    const stat = (c: number): [number, number] => {
      const col = xs.filter((_, i) => i % 2 === c);
      const mean = col.reduce((a, v) => a + v, 0) / rows;
      return [mean, col.reduce((a, v) => a + (v - mean) ** 2, 0) / rows];
    };
    const { y, mean, variance } = batchNormTraining(x, { axis: 1, epsilon: 1e-3 });
    const expected = [stat(0), stat(1)];
    expectClose(mean, expected.map((e) => e[0]), 1e-4);
    expectClose(variance, expected.map((e) => e[1]), 2e-6); // about 5e-5; float32 E[x²] - mean² would lose it all
    tfc.dispose([x, y, mean, variance]);
  });

  test('the kernel\'s fused relu6 and its gradient equal PyTorch\'s batch_norm followed by relu6', () => {
    const x = tfc.tensor4d(xValues, SHAPE as [number, number, number, number]);
    const w = tfc.tensor4d(wValues, SHAPE as [number, number, number, number]);
    batchNormTraining(x, { axis: 3, epsilon: 1e-3 }).y.dispose(); // registers the kernel's gradient
    const f = (a: tfc.Tensor, gamma: tfc.Tensor, beta: tfc.Tensor): tfc.Tensor => runFused(FusedKernel.BatchNormTrain, { x: a, gamma, beta }, { epsilon: 1e-3, activation: 'relu6' })[0];
    const [y, dx, dgamma, dbeta] = tfc.tidy(() => withGrads(f, x, tfc.tensor1d(GAMMA), tfc.tensor1d(BETA), w));
    expectClose(y, TORCH.relu6.y, 2e-5);
    expectClose(dx, TORCH.relu6.dx, 2e-5);
    expectClose(dgamma, TORCH.relu6.dgamma, 2e-5);
    expectClose(dbeta, TORCH.relu6.dbeta, 2e-5);
    tfc.dispose([x, w]);
  });

  // PyTorch 1.13, float64 on the float32 x (batch_norm_act_reference.py): relu and relu6 over 98,304
  // values (both threads, many 64-row blocks), 42,618 of them below 0 and 7,191 above 6 before the activation.
  const MANY = {
    relu: {
      dgamma: [1.103459, -13.00718, 9.848821, 0.3552551, 2.078403, 9.166248, 4.743166, 7.158248, 6.480713, 9.158461, 3.851871, 5.845804, 4.781955, -2.01929, 3.735865, -2.886663, -5.016421, -1.565687, -9.106083, -6.237203, -6.765777, -9.968708, -3.857963, -6.71312],
      dbeta: [-10.63327, 19.20558, -14.46809, 6.29784, 7.058428, 1.940027, 4.743861, 9.048078, 12.2086, -6.84007, 18.06508, -0.8413663, -4.329527, 19.89784, -18.94145, 3.756478, 4.637096, -22.01841, 6.383045, -13.19591, -10.14737, 4.021995, -18.6589, 1.509194],
      dxAt: [1.390195, 1.430244, -2.174399, -0.3309207, -1.103861, -0.005739584],
      dxDotV: 181.160175,
    },
    relu6: {
      dgamma: [1.103459, -13.00718, 9.848821, -4.505847, 5.550315, -15.2329, 20.40383, 6.73644, 10.56669, 13.27586, 9.804424, -13.57188, -14.65862, 37.05783, -12.09125, 11.82734, 7.593419, -10.95333, -8.877059, -11.7155, -8.060573, -22.73907, 25.78486, -8.017678],
      dbeta: [-10.63327, 19.20558, -14.46809, 3.372616, 9.273348, -13.70385, 14.85774, 9.028776, 15.22988, -4.744596, 22.81189, -14.65536, -18.26808, 48.52125, -30.08885, 14.49212, 13.54402, -28.29762, 4.779861, -17.43852, -11.04742, -8.533921, 6.671418, -0.240327],
      dxAt: [1.390195, 1.430244, 0.007278926, 0.02551698, -1.106601, -0.005527387],
      dxDotV: 191.7885,
    },
  };

  test.each(['relu', 'relu6'] as const)('the fused %s\'s gradient over many rows equals PyTorch\'s (the derivative taken from x and the statistics)', (activation) => {
    const shape: [number, number, number, number] = [16, 16, 16, 24];
    const n = 16 * 16 * 16 * 24;
    const x = tfc.tensor4d(Float32Array.from({ length: n }, (_, i) => 2.5 * Math.sin(0.37 * i) + 0.5 * Math.cos(0.011 * i) + (i % 24) / 8), shape);
    const w = tfc.tensor4d(Float32Array.from({ length: n }, (_, i) => Math.cos(0.11 * i)), shape);
    const gamma = tfc.tensor1d(Array.from({ length: 24 }, (_, c) => 2.5 + 0.1 * c));
    const beta = tfc.tensor1d(Array.from({ length: 24 }, (_, c) => 1.5 - 0.05 * c));
    batchNormTraining(x, { axis: 3, epsilon: 1e-3 }).y.dispose(); // registers the kernel's gradient
    const start = tfc.memory().numTensors;
    const loss = (a: tfc.Tensor, g: tfc.Tensor, b: tfc.Tensor): tfc.Scalar =>
      tfc.sum(tfc.mul(runFused(FusedKernel.BatchNormTrain, { x: a, gamma: g, beta: b }, { epsilon: 1e-3, activation })[0], w));
    const [dx, dgamma, dbeta] = tfc.grads(loss)([x, gamma, beta]);
    const expected = MANY[activation];
    expectClose(dgamma, expected.dgamma, 2e-3);
    expectClose(dbeta, expected.dbeta, 2e-3);
    const dxValues = dx.dataSync();
    expectClose([0, 1, 23, 4097, 50000, 98303].map((i) => dxValues[i]), expected.dxAt, 2e-5);
    let dot = 0;
    dxValues.forEach((d, i) => (dot += d * Math.sin(0.05 * i)));
    expect(Math.abs(dot - expected.dxDotV)).toBeLessThan(2e-3);
    tfc.dispose([dx, dgamma, dbeta]);
    expect(tfc.memory().numTensors).toBe(start);
    tfc.dispose([x, w, gamma, beta]);
  });
});

