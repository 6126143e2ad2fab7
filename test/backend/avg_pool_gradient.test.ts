/**
 * Average pooling's gradient at padded edges. With 'same' padding TensorFlow's forward divides each
 * window by the real cells it covers; tfjs's AvgPoolGrad kernels (cpu, wasm, webgl) divided by the
 * whole window, so edge gradients came out too small (backend/avg_pool_gradient.ts corrects them).
 * Expected values: the adjoint written out as loops over windows (independent of any kernel), and
 * central finite differences of the forward pass.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, testedBackends } from '../helpers';

/** d/dx of sum(w * avgpool_same(x)) for a [1, n, n, 1] input, k x k windows, stride s: loops over windows. */
function expectedGrad(n: number, kk: number, s: number, w: number[]): number[] {
  const out = Math.ceil(n / s);
  const padTotal = Math.max((out - 1) * s + kk - n, 0);
  const before = Math.floor(padTotal / 2);
  const dx = new Array<number>(n * n).fill(0);
  for (let i = 0; i < out; i++) {
    for (let j = 0; j < out; j++) {
      const cells: Array<[number, number]> = [];
      for (let a = i * s - before; a < i * s - before + kk; a++) {
        for (let b = j * s - before; b < j * s - before + kk; b++) if (a >= 0 && a < n && b >= 0 && b < n) cells.push([a, b]);
      }
      for (const [a, b] of cells) dx[a * n + b] += w[i * out + j] / cells.length;
    }
  }
  return dx;
}

describe.each(testedBackends())('average pooling gradient with same padding (%s)', (backend) => {
  beforeAll(async () => {
    await k.setBackend(backend);
  });

  test('AveragePooling2D, 5x5 input, 2x2 windows, stride 2: edge windows count their real cells', () => {
    const w = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    const expected = expectedGrad(5, 2, 2, w);
    // By hand: the corner cell (4, 4) is alone in the last window: its gradient is w[8] / 1 = 9.
    expect(expected[24]).toBe(9);
    expect(expected[4]).toBe(3 / 2); // row 0, col 4: window (0, 2) covers 2 real cells
    const layer = new k.layers.AveragePooling2D({ poolSize: 2, strides: 2, padding: 'same' });
    const weights = tfc.tensor4d(w, [1, 3, 3, 1]);
    const x = tfc.randomNormal([1, 5, 5, 1], 0, 1, 'float32', 3);
    const before = tfc.memory().numTensors;
    const g = tfc.grad((t: tfc.Tensor) => tfc.sum(tfc.mul(layer.apply(t) as tfc.Tensor, weights)))(x);
    expectClose(g, expected, 1e-5);
    g.dispose();
    expect(tfc.memory().numTensors).toBe(before);
    tfc.dispose([x, weights]);
  });

  test('AveragePooling2D 3x3 stride 1 and AveragePooling3D: analytic gradient equals central differences', () => {
    const cases: Array<[k.Layer, number[]]> = [
      [new k.layers.AveragePooling2D({ poolSize: 3, strides: 1, padding: 'same' }), [1, 4, 5, 2]],
      [new k.layers.AveragePooling3D({ poolSize: 2, strides: 2, padding: 'same' }), [1, 3, 3, 3, 1]],
    ];
    for (const [layer, shape] of cases) {
      const x = tfc.randomNormal(shape, 0, 1, 'float32', 5);
      const y0 = layer.apply(x) as tfc.Tensor;
      const w = tfc.randomNormal(y0.shape, 0, 1, 'float32', 6);
      const f = (t: tfc.Tensor): tfc.Scalar => tfc.sum(tfc.mul(layer.apply(t) as tfc.Tensor, w));
      const g = tfc.grad(f)(x);
      const xs = x.dataSync();
      const numeric = Array.from(xs, (_, i) => {
        const at = (d: number): number => tfc.tidy(() => {
          const v = Float32Array.from(xs);
          v[i] += d;
          return f(tfc.tensor(v, shape)).dataSync()[0];
        });
        return (at(1e-2) - at(-1e-2)) / 2e-2;
      });
      expectClose(g, numeric, 2e-3);
      tfc.dispose([x, y0, w, g]);
    }
  });
});
