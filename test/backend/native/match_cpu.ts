/**
 * The check every native kernel test makes: an op run on 'cpu' (tfjs-backend-cpu's kernels), then
 * on 'native' with the same inputs made inside it, must give the same shapes, dtypes and values
 * (to `rel`, relative past 1), leak no tensor, and run no kernel on the CPU fallback.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../../src';
import { fallbackReport, resetFallbackReport } from '../../../src/backend/cpu_fallback';

/** Deterministic values in about [-2, 2], not integers (so ties and kinks are unlikely). */
export function values(n: number, seed: number): number[] {
  return Array.from({ length: n }, (_, i) => 2 * Math.sin(1.3 * i + seed) + 0.01 * Math.cos(7.1 * i));
}
export function tensor(shape: number[], seed = 0, dtype: 'float32' | 'int32' = 'float32'): tfc.Tensor {
  const n = shape.reduce((p, q) => p * q, 1);
  const v = values(n, seed);
  return tfc.tensor(dtype === 'int32' ? v.map((x) => Math.round(3 * x)) : v, shape, dtype);
}

export type Op = () => tfc.Tensor | tfc.Tensor[];

/** Runs `op` on cpu and on native (inputs made inside), and compares every output. */
export async function matches(op: Op, rel = 1e-6): Promise<void> {
  const run = async (backend: k.BackendName): Promise<Array<{ shape: number[]; dtype: string; data: number[] }>> => {
    await k.setBackend(backend);
    const before = tfc.memory().numTensors;
    const out = tfc.tidy(op);
    const list = Array.isArray(out) ? out : [out];
    const result = list.map((t) => ({ shape: t.shape, dtype: t.dtype, data: Array.from(t.dataSync() as ArrayLike<number>) }));
    tfc.dispose(list);
    expect(tfc.memory().numTensors).toBe(before);
    return result;
  };
  const cpu = await run('cpu');
  resetFallbackReport();
  const native = await run('native');
  expect(fallbackReport()).toEqual({}); // every kernel of these ops ran natively
  expect(native.map((r) => [r.shape, r.dtype])).toEqual(cpu.map((r) => [r.shape, r.dtype]));
  native.forEach((r, j) =>
    r.data.forEach((v, i) => {
      const want = cpu[j].data[i];
      if (Number.isNaN(want)) return expect(v).toBeNaN();
      if (Math.abs(v - want) > rel * Math.max(1, Math.abs(want))) throw new Error(`output ${j}[${i}]: native ${v}, cpu ${want}`);
    }),
  );
}


/** Pseudo-random values uniform in [-1, 1) from a seed (a 32-bit LCG: the same on every run). */
export function random(shape: number[], seed: number): tfc.Tensor {
  const n = shape.reduce((p, q) => p * q, 1);
  let s = (seed * 2654435761) >>> 0;
  const v = Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
  return tfc.tensor(v, shape);
}
