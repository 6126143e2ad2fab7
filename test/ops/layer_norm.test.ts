/**
 * LayerNormalization over the last axis (ops/layer_norm.ts): on every backend the layer's output and
 * the gradients of sum(y * w) for x, gamma and beta against PyTorch (test/reference/layer_norm_reference.py,
 * whose formulas for x, w, gamma and beta are repeated here); on 'native', where it is one kernel each
 * way, also against the op-by-op autodiff path on random data large enough to split across threads,
 * and without gamma or beta.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { FusedKernel, hasKernel } from '../../src/engine/fused_kernels';
import { normalizeBy } from '../../src/ops/batch_norm';
import { layerNormLastAxis } from '../../src/ops/layer_norm';
import { expectClose, testBackend } from '../helpers';

const onNative = testBackend() === 'native';

beforeAll(async () => {
  await k.setBackend(testBackend());
});

const SHAPE: [number, number, number] = [2, 3, 4];
const xValues = Array.from({ length: 24 }, (_, i) => 3 * Math.sin(0.7 * i) + (i % 3) + 1.5);
const wValues = Array.from({ length: 24 }, (_, i) => Math.cos(0.3 * i));
const GAMMA = [1.5, -0.5, 2, 0.75];
const BETA = [0.25, 2, -1, 0.5];

// PyTorch 1.13, float64 (layer_norm_reference.py).
const TORCH = {
  y: [-1.979498, 1.911207, 1.651567, 0.4872215, 2.12075, 1.650298, -3.292314, -0.1003097, -1.139792, 2.47674, -0.08360334, 1.566357, 1.640374, 1.687005, -0.7966502, -0.7409361, -1.680705, 2.052185, -1.259523, 1.640951, 2.633251, 2.010182, -1.870764, -0.3498155],
  dx: [0.37757, -0.7129249, 0.5164418, -0.1810868, 0.0850826, -0.1100434, 0.02592397, -0.0009631635, -0.2798367, 0.4688579, -0.4736018, 0.2845805, -0.3057279, 0.5097596, -0.2126183, 0.008586597, -0.06968531, -0.3586988, 0.4716464, -0.04326237, 0.1772306, -0.898342, 0.7416052, -0.02049387],
  dgamma: [0.2305125, 0.5669047, 0.3550931, -0.3162003],
  dbeta: [0.7758749, 0.7739056, 0.7028057, 0.5689262],
};

test('LayerNormalization: output and gradients for x, gamma and beta equal PyTorch\'s', () => {
  const layer = new k.layers.LayerNormalization({ epsilon: 1e-3 });
  const x = tfc.tensor3d(xValues, SHAPE);
  const w = tfc.tensor3d(wValues, SHAPE);
  tfc.dispose(layer.apply(x)); // builds it
  layer.setWeights([GAMMA, BETA]);
  const start = tfc.memory().numTensors;
  const y = layer.apply(x) as tfc.Tensor;
  expectClose(y, TORCH.y, 2e-5);
  y.dispose();
  const [gamma, beta] = [layer.gamma!.value, layer.beta!.value];
  const { value, grads } = tfc.variableGrads(() => tfc.sum(tfc.mul(layer.apply(x, { training: true }) as tfc.Tensor, w)) as tfc.Scalar, [gamma, beta]);
  expectClose(grads[gamma.name], TORCH.dgamma, 2e-5);
  expectClose(grads[beta.name], TORCH.dbeta, 2e-5);
  const dx = tfc.grad((a: tfc.Tensor) => tfc.sum(tfc.mul(layer.apply(a, { training: true }) as tfc.Tensor, w)))(x);
  expectClose(dx, TORCH.dx, 2e-5);
  tfc.dispose([value, dx, ...Object.values(grads)]);
  expect(tfc.memory().numTensors).toBe(start);
  tfc.dispose([x, w]);
  layer.dispose();
});

/** y and the gradients of sum(y * w) for x, gamma and beta, as arrays. */
function withGrads(f: (x: tfc.Tensor, gamma: tfc.Tensor, beta: tfc.Tensor) => tfc.Tensor, args: tfc.Tensor[], w: tfc.Tensor): number[][] {
  let out: number[][] = [];
  tfc.tidy(() => {
    const y = f(args[0], args[1], args[2]);
    const grads = tfc.grads((a: tfc.Tensor, g: tfc.Tensor, b: tfc.Tensor) => tfc.sum(tfc.mul(f(a, g, b), w)))(args);
    out = [y, ...grads].map((t) => Array.from(t.dataSync()));
  });
  return out;
}

/** The op-by-op reference: tfjs's moments and normalizeBy, differentiated by tfjs. */
function byOps(x: tfc.Tensor, gamma: tfc.Tensor | undefined, beta: tfc.Tensor | undefined, epsilon: number): tfc.Tensor {
  const { mean, variance } = tfc.moments(x, [x.rank - 1], true);
  return normalizeBy(x, mean, variance, { axis: x.rank - 1, gamma, beta, epsilon });
}

(onNative ? describe : describe.skip)('on native (one kernel each way)', () => {
  test('the kernels exist, and forward and backward equal the op-by-op path on rows split across threads', () => {
    expect(hasKernel(FusedKernel.LayerNorm) && hasKernel(FusedKernel.LayerNormGrad)).toBe(true);
    const x = tfc.add(tfc.mul(tfc.randomNormal([40, 25, 80], 0, 1, 'float32', 3), 2), 5); // 80,000 values: above kParallelMin
    const gamma = tfc.randomNormal([80], 1, 0.5, 'float32', 4);
    const beta = tfc.randomNormal([80], 0, 0.5, 'float32', 5);
    const w = tfc.randomNormal([40, 25, 80], 0, 1, 'float32', 6);
    const start = tfc.memory().numTensors;
    const fused = withGrads((a, g, b) => layerNormLastAxis(a, g, b, 1e-5) as tfc.Tensor, [x, gamma, beta], w);
    const reference = withGrads((a, g, b) => byOps(a, g, b, 1e-5), [x, gamma, beta], w);
    expect(tfc.memory().numTensors).toBe(start);
    // dgamma and dbeta sum 1,000 rows: the two paths round differently
    ['y', 'dx', 'dgamma', 'dbeta'].forEach((_, i) => expectClose(fused[i], reference[i], i < 2 ? 1e-4 : 2e-3));
    tfc.dispose([x, gamma, beta, w]);
  });

  test('the op leaks nothing outside a tidy (the row statistics and the ones it makes are freed)', () => {
    const x = tfc.randomNormal([4, 6], 0, 1, 'float32', 8);
    const start = tfc.memory().numTensors;
    const y = layerNormLastAxis(x, undefined, undefined, 1e-3) as tfc.Tensor;
    expect(tfc.memory().numTensors).toBe(start + 1);
    tfc.dispose([x, y]);
  });

  test('the backward pass is one kernel', async () => {
    const x = tfc.randomNormal([4, 6], 0, 1, 'float32', 7);
    const gamma = tfc.ones([6]);
    const profile = await tfc.profile(() => {
      const g = tfc.grad((a: tfc.Tensor) => tfc.sum(layerNormLastAxis(a, gamma, undefined, 1e-3) as tfc.Tensor))(x);
      g.dispose();
    });
    const names = profile.kernels.map((kk) => kk.name);
    expect(names.filter((n) => n === FusedKernel.LayerNorm)).toHaveLength(1);
    expect(names.filter((n) => n === FusedKernel.LayerNormGrad)).toHaveLength(1);
    expect(names).not.toContain('Rsqrt');
    tfc.dispose([x, gamma]);
  });

  test('without scale or center (center: false, scale: false) it equals the op-by-op path', () => {
    const layer = new k.layers.LayerNormalization({ center: false, scale: false, epsilon: 1e-3 });
    const x = tfc.tensor3d(xValues, SHAPE);
    const w = tfc.tensor3d(wValues, SHAPE);
    const start = tfc.memory().numTensors;
    const fused = withGrads((a) => layer.apply(a) as tfc.Tensor, [x, x, x], w);
    const reference = withGrads((a) => byOps(a, undefined, undefined, 1e-3), [x, x, x], w);
    expectClose(fused[0], reference[0], 1e-5);
    expectClose(fused[1], reference[1], 1e-5);
    expect(tfc.memory().numTensors).toBe(start);
    tfc.dispose([x, w]);
    layer.dispose();
  });
});
