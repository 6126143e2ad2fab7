/**
 * Dropout in training (ops/dropout.ts, ops/alea.ts). On every backend: alea's seeding here equals
 * seedrandom's, and tfc.dropout of a small case equals test/reference/alea_dropout_reference.py
 * (alea and tfjs's dropout rule written independently in Python). On 'native', where the Dropout
 * layer is one kernel each way (native/cpu/dropout.cc): its output and gradient EQUAL tfjs-backend-cpu's
 * tfc.dropout for several seeds, rates and shapes (odd sizes, above 65,536 elements), and the
 * reference's small case; forward and backward are one kernel each; nothing leaks; noise shapes,
 * rate 0 and inference keep their paths.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { FusedKernel } from '../../src/engine/fused_kernels';
import { aleaState } from '../../src/ops/alea';
import { dropoutFused } from '../../src/ops/dropout';
import { testBackend } from '../helpers';

const onNative = testBackend() === 'native';

beforeAll(async () => {
  await k.setBackend(testBackend());
});

// alea_dropout_reference.py: seed '42', its state, x = 1..12 at rates 0.5 and 0.25.
const STATE_42 = [1, 0.043888397980481386, 0.38626290019601583, 0.9581590539310127];
const X12 = Array.from({ length: 12 }, (_, i) => i + 1);
const RATE_05 = [2.0, 4.0, 6.0, 0.0, 10.0, 12.0, 0.0, 16.0, 18.0, 0.0, 0.0, 0.0];
const RATE_025 = [1.3333333730697632, 2.6666667461395264, 4.0, 0.0, 6.6666669845581055, 8.0, 0.0, 10.666666984558105, 12.0, 13.333333969116211, 14.666666984558105, 16.0];

test("alea's seeding equals the reference's and seedrandom's (the state tfjs's randomUniform starts from)", () => {
  expect(aleaState('42')).toEqual(STATE_42);
  const seedrandom = require('seedrandom') as // tfjs-core's dependency, the generator its random ops use
    { alea(seed: string, o: { state: true }): { state(): Record<string, number> } };
  for (const seed of ['0', '7', '2147483646', '0.25', 'a longer seed string']) {
    const s = seedrandom.alea(seed, { state: true }).state();
    expect(aleaState(seed)).toEqual([s.c, s.s0, s.s1, s.s2]);
  }
});

test("tfc.dropout of the reference's case equals the reference (the rule the native kernel reproduces)", () => {
  const x = tfc.tensor1d(X12);
  const [a, b] = [tfc.dropout(x, 0.5, undefined, 42), tfc.dropout(x, 0.25, undefined, 42)];
  expect(Array.from(a.dataSync())).toEqual(RATE_05);
  expect(Array.from(b.dataSync())).toEqual(RATE_025);
  tfc.dispose([x, a, b]);
});

test('the Dropout layer leaks nothing; rate 0, inference and a noise shape keep their paths', () => {
  const x = tfc.ones([20, 50]);
  const start = tfc.memory().numTensors;
  const y = new k.layers.Dropout({ rate: 0.3, seed: 3 }).apply(x, { training: true }) as tfc.Tensor;
  const kept = Array.from(y.dataSync()).filter((v) => v !== 0);
  expect(kept.length).toBeGreaterThan(600);
  expect(kept.length).toBeLessThan(800);
  expect(new Set(kept)).toEqual(new Set([Math.fround(1 / Math.fround(0.7))]));
  y.dispose();
  const inference = new k.layers.Dropout({ rate: 0.3, seed: 3 }).apply(x, { training: false }) as tfc.Tensor;
  const zero = new k.layers.Dropout({ rate: 0, seed: 3 }).apply(x, { training: true }) as tfc.Tensor;
  expect(Array.from(inference.dataSync())).toEqual(Array.from(x.dataSync()));
  expect(Array.from(zero.dataSync())).toEqual(Array.from(x.dataSync()));
  const noise = new k.layers.Dropout({ rate: 0.5, noiseShape: [20, 1], seed: 3 }).apply(x, { training: true }) as tfc.Tensor;
  (noise.arraySync() as number[][]).forEach((r) => expect(new Set(r).size).toBe(1)); // whole rows kept or dropped
  tfc.dispose([inference, zero, noise]);
  expect(tfc.memory().numTensors).toBe(start);
  x.dispose();
});

(onNative ? test.skip : test)('on a backend without the kernel the op returns null and draws no seed (the layer then draws it for tfc.dropout)', () => {
  const x = tfc.ones([3, 4]);
  let drawn = 0;
  expect(dropoutFused(x, 0.5, { next: () => ++drawn })).toBeNull();
  expect(drawn).toBe(0);
  x.dispose();
});

(onNative ? describe : describe.skip)('on native (one kernel each way, the draws of tfjs)', () => {
  const SHAPES = [[1], [7], [3, 5, 7], [257, 300]]; // the last above 65,536 elements
  const RATES = [0.1, 0.5, 0.9];
  const SEEDS = [0, 42, 1234567, 2147483646, 3.5];

  interface Case { shape: number[]; rate: number; seed: number; x: Float32Array; w: Float32Array; y: number[]; dx: number[] }

  /** tfc.dropout's output and its gradient of sum(dropout(x) · w), on tfjs-backend-cpu. */
  async function cpuCases(): Promise<Case[]> {
    await k.setBackend('cpu');
    const cases: Case[] = [];
    let n = 0;
    for (const shape of SHAPES) {
      for (const rate of RATES) {
        for (const seed of SEEDS) {
          const x = tfc.randomNormal(shape, 0, 1, 'float32', ++n);
          const w = tfc.randomNormal(shape, 0, 1, 'float32', 1000 + n);
          const y = tfc.dropout(x, rate, undefined, seed);
          const dx = tfc.grad((a: tfc.Tensor) => tfc.sum(tfc.mul(tfc.dropout(a, rate, undefined, seed), w)))(x);
          cases.push({ shape, rate, seed, x: x.dataSync() as Float32Array, w: w.dataSync() as Float32Array, y: Array.from(y.dataSync()), dx: Array.from(dx.dataSync()) });
          tfc.dispose([x, w, y, dx]);
        }
      }
    }
    await k.setBackend('native');
    return cases;
  }

  test("output and gradient equal tfjs-backend-cpu's tfc.dropout for every seed, rate and shape", async () => {
    const cases = await cpuCases();
    expect(cases).toHaveLength(60);
    for (const c of cases) {
      const [x, w] = [tfc.tensor(c.x, c.shape), tfc.tensor(c.w, c.shape)];
      const start = tfc.memory().numTensors;
      const y = dropoutFused(x, c.rate, c.seed) as tfc.Tensor;
      const dx = tfc.grad((a: tfc.Tensor) => tfc.sum(tfc.mul(dropoutFused(a, c.rate, c.seed) as tfc.Tensor, w)))(x);
      const where = `shape [${c.shape}] rate ${c.rate} seed ${c.seed}`;
      expect([where, Array.from(y.dataSync())]).toEqual([where, c.y]);
      expect([where, Array.from(dx.dataSync())]).toEqual([where, c.dx]);
      tfc.dispose([y, dx]);
      expect(tfc.memory().numTensors).toBe(start);
      tfc.dispose([x, w]);
    }
  });

  test("the reference's case: alea worked in Python gives the same values", () => {
    const x = tfc.tensor1d(X12);
    const [a, b] = [dropoutFused(x, 0.5, 42) as tfc.Tensor, dropoutFused(x, 0.25, 42) as tfc.Tensor];
    expect(Array.from(a.dataSync())).toEqual(RATE_05);
    expect(Array.from(b.dataSync())).toEqual(RATE_025);
    tfc.dispose([x, a, b]);
  });

  test('forward and backward are one kernel each (no random draws, Floor or Div), and the layer uses them', async () => {
    const x = tfc.randomNormal([4, 9], 0, 1, 'float32', 5);
    const dy = tfc.randomNormal([4, 9], 0, 1, 'float32', 6);
    const layer = new k.layers.Dropout({ rate: 0.5, seed: 9 });
    const start = tfc.memory().numTensors;
    const profile = await tfc.profile(() => {
      tfc.grad((a: tfc.Tensor) => layer.apply(a, { training: true }) as tfc.Tensor)(x, dy).dispose();
    });
    const names = profile.kernels.map((kk) => kk.name);
    expect(names.filter((n) => n === FusedKernel.Dropout)).toHaveLength(1);
    for (const absent of ['Floor', 'RealDiv', 'Add']) expect(names).not.toContain(absent);
    expect(names.filter((n) => n === 'Multiply')).toHaveLength(1); // the backward: dy · multiplier
    expect(tfc.memory().numTensors).toBe(start);
    tfc.dispose([x, dy]);
  });

  test('the layer on native gives what it gives on cpu, step after step', async () => {
    const steps = async (backend: k.BackendName): Promise<number[][]> => {
      await k.setBackend(backend);
      const layer = new k.layers.Dropout({ rate: 0.4, seed: 21 });
      const x = tfc.randomNormal([6, 11], 0, 1, 'float32', 2);
      const out = [0, 1, 2].map(() => {
        const y = layer.apply(x, { training: true }) as tfc.Tensor;
        const v = Array.from(y.dataSync());
        y.dispose();
        return v;
      });
      x.dispose();
      return out;
    };
    const cpu = await steps('cpu');
    const native = await steps('native');
    expect(native).toEqual(cpu);
    expect(cpu[0]).not.toEqual(cpu[1]);
  });
});
