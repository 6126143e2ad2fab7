/**
 * k.random against the distributions' moments, worked by hand (a sample of 20000 draws; tolerances
 * several standard errors wide): normal mean/std, uniform mean and range, truncated normal within two
 * standard deviations with variance 0.7737 (1 - 2*phi(2)*2/(Phi(2)-Phi(-2)), the truncated normal's
 * variance), gamma mean = var = alpha, beta mean a/(a+b), binomial mean np and variance np(1-p),
 * categorical frequencies = softmax(logits). Seeds: an integer gives the same draw every call, a
 * SeedGenerator a new draw every call fixed by its seed, setRandomSeed fixes the unseeded draws.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectNoLeak } from '../helpers';

beforeAll(async () => {
  await k.setBackend('cpu');
});

const N = 20000;

function moments(t: tfc.Tensor): { mean: number; variance: number; min: number; max: number } {
  const v = Array.from(t.dataSync());
  t.dispose();
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
  return { mean, variance, min: Math.min(...v), max: Math.max(...v) };
}

describe('k.random distributions', () => {
  test('normal: mean 2, stddev 3', () => {
    const m = moments(k.random.normal([N], { mean: 2, stddev: 3, seed: 1 }));
    expect(Math.abs(m.mean - 2)).toBeLessThan(0.1); // standard error 3/sqrt(20000) = 0.021
    expect(Math.abs(Math.sqrt(m.variance) - 3)).toBeLessThan(0.1);
  });

  test('uniform on [-1, 3): mean 1, variance 16/12, inside the bounds', () => {
    const m = moments(k.random.uniform([N], { minval: -1, maxval: 3, seed: 2 }));
    expect(Math.abs(m.mean - 1)).toBeLessThan(0.05);
    expect(Math.abs(m.variance - 16 / 12)).toBeLessThan(0.06);
    expect(m.min).toBeGreaterThanOrEqual(-1);
    expect(m.max).toBeLessThan(3);
  });

  test('truncatedNormal: within two stddevs, variance 0.7737 * stddev^2', () => {
    const m = moments(k.random.truncatedNormal([N], { mean: 1, stddev: 2, seed: 3 }));
    expect(m.min).toBeGreaterThanOrEqual(1 - 4 - 1e-5);
    expect(m.max).toBeLessThanOrEqual(1 + 4 + 1e-5);
    expect(Math.abs(m.mean - 1)).toBeLessThan(0.08);
    expect(Math.abs(m.variance - 0.7737 * 4)).toBeLessThan(0.2);
  });

  test('gamma(alpha 3): mean 3, variance 3, positive', () => {
    const m = moments(k.random.gamma([N], 3, { seed: 4 }));
    expect(Math.abs(m.mean - 3)).toBeLessThan(0.1);
    expect(Math.abs(m.variance - 3)).toBeLessThan(0.3);
    expect(m.min).toBeGreaterThan(0);
  });

  test('beta(2, 5): mean 2/7, variance 10/(49*8), inside (0, 1)', () => {
    const m = moments(k.random.beta([N], 2, 5, { seed: 5 }));
    expect(Math.abs(m.mean - 2 / 7)).toBeLessThan(0.01);
    expect(Math.abs(m.variance - 10 / 392)).toBeLessThan(0.003);
    expect(m.min).toBeGreaterThan(0);
    expect(m.max).toBeLessThan(1);
  });

  test('binomial(10, 0.3): mean 3, variance 2.1, integers in [0, 10]', () => {
    const t = k.random.binomial([N], 10, 0.3, { seed: 6 });
    expect(Array.from(t.dataSync()).every((v) => Number.isInteger(v))).toBe(true);
    const m = moments(t);
    expect(Math.abs(m.mean - 3)).toBeLessThan(0.06);
    expect(Math.abs(m.variance - 2.1)).toBeLessThan(0.15);
    expect(m.min).toBeGreaterThanOrEqual(0);
    expect(m.max).toBeLessThanOrEqual(10);
  });

  test('randint in [3, 8): every value drawn, mean 5', () => {
    const t = k.random.randint([N], 3, 8, { seed: 7 });
    expect(t.dtype).toBe('int32');
    const v = Array.from(t.dataSync());
    expect(new Set(v)).toEqual(new Set([3, 4, 5, 6, 7]));
    expect(Math.abs(moments(t).mean - 5)).toBeLessThan(0.05);
  });

  test('categorical: frequencies are softmax(logits) = [0.0900, 0.2447, 0.6652] for logits [0, 1, 2]', () => {
    const logits = tfc.tensor2d([[0, 1, 2], [5, -20, -20]]);
    const s = k.random.categorical(logits, N, { seed: 8 });
    expect(s.shape).toEqual([2, N]);
    const v = s.arraySync();
    const freq = [0, 1, 2].map((c) => v[0].filter((x) => x === c).length / N);
    [0.09003, 0.24473, 0.66524].forEach((p, i) => expect(Math.abs(freq[i] - p)).toBeLessThan(0.015));
    expect(v[1].every((x) => x === 0)).toBe(true); // exp(-25) of the mass elsewhere
    tfc.dispose([logits, s]);
  });

  test('shuffle: a permutation of the rows, along another axis too', () => {
    const x = tfc.tensor2d([[0, 1, 2, 3], [10, 11, 12, 13], [20, 21, 22, 23]]);
    const rows = k.random.shuffle(x, { seed: 9 }).arraySync() as number[][];
    expect(rows.map((r) => r[0]).sort((a, b) => a - b)).toEqual([0, 10, 20]);
    rows.forEach((r) => expect(r).toEqual([0, 1, 2, 3].map((j) => r[0] + j)));
    const cols = k.random.shuffle(x, { axis: 1, seed: 9 }).arraySync() as number[][];
    expect([...cols[0]].sort()).toEqual([0, 1, 2, 3]);
    cols.forEach((r, i) => expect(r).toEqual(cols[0].map((c) => c + 10 * i)));
    x.dispose();
  });

  test('dropout: about rate of the entries are zero, the rest scaled by 1/(1-rate); noiseShape shares the mask', () => {
    const ones = tfc.ones([N]);
    const v = Array.from(k.random.dropout(ones, 0.25, { seed: 10 }).dataSync());
    const zeros = v.filter((x) => x === 0).length / N;
    expect(Math.abs(zeros - 0.25)).toBeLessThan(0.015);
    v.filter((x) => x !== 0).forEach((x) => expect(x).toBeCloseTo(4 / 3, 5));
    const grid = tfc.ones([50, 4]);
    const shared = k.random.dropout(grid, 0.5, { noiseShape: [50, 1], seed: 11 }).arraySync() as number[][];
    shared.forEach((r) => expect(new Set(r).size).toBe(1));
    tfc.dispose([ones, grid]);
  });
});

describe('k.random seeds', () => {
  const draw = (seed?: number | k.random.SeedGenerator) => Array.from(k.random.normal([5], { seed }).dataSync());

  test('an integer seed gives the same draw at every call; different seeds differ', () => {
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  test('a SeedGenerator draws anew at each call, the same sequence for the same seed', () => {
    const a = new k.random.SeedGenerator(7);
    const b = new k.random.SeedGenerator(7);
    const first = draw(a);
    expect(draw(a)).not.toEqual(first);
    expect(draw(b)).toEqual(first);
    expect(draw(b)).not.toEqual(first); // b's second draw
  });

  test('setRandomSeed makes the unseeded draws reproducible', () => {
    k.utils.setRandomSeed(123);
    const run1 = [draw(), Array.from(k.random.randint([5], 0, 100).dataSync()), Array.from(k.random.binomial([5], 5, 0.5).dataSync())];
    k.utils.setRandomSeed(123);
    const run2 = [draw(), Array.from(k.random.randint([5], 0, 100).dataSync()), Array.from(k.random.binomial([5], 5, 0.5).dataSync())];
    expect(run2).toEqual(run1);
    expect(draw()).not.toEqual(run1[0]);
  });

  test('bad arguments are refused with a help', () => {
    expect(() => k.random.normal([2], { seed: 1.5 })).toThrow(/seed must be an integer.*help:/);
    expect(() => k.random.uniform([2], { minval: 1, maxval: 1 })).toThrow(/maxval.*help:/);
    expect(() => k.random.randint([2], 5, 2)).toThrow(/minval < maxval/);
    expect(() => k.random.gamma([2], 0)).toThrow(/alpha must be positive/);
    const z = tfc.zeros([1]);
    expect(() => k.random.dropout(z, 1)).toThrow(/rate must be in \[0, 1\)/);
    z.dispose();
    expect(() => k.random.normal([2.5])).toThrow(/shape must be an array/);
  });
});

test('no k.random function leaves a tensor behind', async () => {
  const x = tfc.ones([4, 3]);
  await expectNoLeak(() => {
    tfc.dispose([
      k.random.normal([3]), k.random.uniform([3]), k.random.truncatedNormal([3]), k.random.categorical(x, 2),
      k.random.randint([3], 0, 4), k.random.shuffle(x), k.random.dropout(x, 0.5), k.random.gamma([3], 2),
      k.random.beta([3], 2, 3), k.random.binomial([3], 4, 0.5),
    ]);
  });
  x.dispose();
});
