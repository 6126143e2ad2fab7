/**
 * Dropout in training (ops/dropout.ts). On 'native', where it is one kernel each way: the kept
 * elements of a seed equal those of test/reference/dropout_reference.py (the kernel's rule written
 * independently in Python), on one thread and on two; kept values are x / (1 - rate), dropped ones
 * 0; the gradient is the same scale; the layer draws a new mask each step, the same sequence for the
 * same seed; nothing leaks. On every backend the layer keeps about 1 - rate of its inputs, and a
 * noise shape still goes to tfjs's dropout.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { FusedKernel } from '../../src/engine/fused_kernels';
import { dropoutFused } from '../../src/ops/dropout';
import { testBackend } from '../helpers';

const onNative = testBackend() === 'native';

beforeAll(async () => {
  await k.setBackend(testBackend());
});

// dropout_reference.py: seed 12345, rate 0.5, elements 0..23; seed 7, rate 0.3, the count kept of 100,000.
const KEPT_12345 = [0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
const KEPT_7_OF_100000 = 69781;

test('the Dropout layer keeps about 1 - rate of its inputs, scaled by 1 / (1 - rate), and leaks nothing', () => {
  const layer = new k.layers.Dropout({ rate: 0.3, seed: 3 });
  const x = tfc.ones([200, 500]);
  const start = tfc.memory().numTensors;
  const y = layer.apply(x, { training: true }) as tfc.Tensor;
  const values = y.dataSync();
  const kept = values.filter((v) => v !== 0);
  expect(Math.abs(kept.length / values.length - 0.7)).toBeLessThan(0.01);
  kept.forEach((v) => expect(v).toBeCloseTo(1 / 0.7, 5));
  y.dispose();
  const noise = new k.layers.Dropout({ rate: 0.5, noiseShape: [200, 1], seed: 3 }).apply(x, { training: true }) as tfc.Tensor;
  const rows = noise.arraySync() as number[][];
  rows.forEach((r) => expect(new Set(r).size).toBe(1)); // whole rows kept or dropped
  noise.dispose();
  expect(tfc.memory().numTensors).toBe(start);
  x.dispose();
});

(onNative ? describe : describe.skip)('on native (one kernel each way)', () => {
  afterEach(() => k.setNumThreads(2));

  test.each([1, 2])('the kept elements equal the reference rule\'s, on %i thread(s)', (threads) => {
    k.setNumThreads(threads);
    const x = tfc.range(1, 25);
    const start = tfc.memory().numTensors;
    const y = dropoutFused(x, 0.5, 12345) as tfc.Tensor;
    expect(Array.from(y.dataSync())).toEqual(KEPT_12345.map((kept, i) => (kept ? 2 * (i + 1) : 0)));
    y.dispose();
    const big = tfc.ones([100000]);
    const z = dropoutFused(big, 0.3, 7) as tfc.Tensor; // above kParallelMin: split across the threads
    expect(z.dataSync().filter((v) => v !== 0).length).toBe(KEPT_7_OF_100000);
    tfc.dispose([z, big]);
    expect(tfc.memory().numTensors).toBe(start);
    x.dispose();
  });

  test('the gradient is the same scale, and forward and backward are one kernel each', async () => {
    const x = tfc.range(1, 25);
    const y = dropoutFused(x, 0.5, 12345) as tfc.Tensor;
    const profile = await tfc.profile(() => {
      tfc.grad((a: tfc.Tensor) => tfc.sum(tfc.mul(dropoutFused(a, 0.5, 12345) as tfc.Tensor, 3)))(x).dispose();
    });
    const g = tfc.grad((a: tfc.Tensor) => tfc.sum(tfc.mul(dropoutFused(a, 0.5, 12345) as tfc.Tensor, 3)))(x);
    expect(Array.from(g.dataSync())).toEqual(KEPT_12345.map((kept) => (kept ? 6 : 0)));
    const names = profile.kernels.map((kk) => kk.name);
    expect(names.filter((n) => n === FusedKernel.Dropout)).toHaveLength(1);
    expect(names).not.toContain('Floor');
    tfc.dispose([x, y, g]);
  });

  test('the layer draws a new mask each step, the same sequence for the same seed', () => {
    const x = tfc.ones([4, 64]);
    const masks = (seed: number): string[] => {
      const layer = new k.layers.Dropout({ rate: 0.5, seed });
      return [0, 1].map(() => {
        const y = layer.apply(x, { training: true }) as tfc.Tensor;
        const s = Array.from(y.dataSync()).join(',');
        y.dispose();
        return s;
      });
    };
    const [a, b] = [masks(7), masks(7)];
    expect(a).toEqual(b);
    expect(a[0]).not.toEqual(a[1]);
    expect(masks(8)[0]).not.toEqual(a[0]);
    x.dispose();
  });
});
