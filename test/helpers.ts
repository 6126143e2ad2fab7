import * as tfc from '@tensorflow/tfjs-core';

/** Values of a tensor (or nested numbers) as a flat list. */
export function flat(x: tfc.Tensor | number | number[] | number[][]): number[] {
  if (x instanceof tfc.Tensor) return Array.from(x.dataSync());
  if (typeof x === 'number') return [x];
  return (x as unknown[]).flat(Infinity as 1) as number[];
}

/** Every value within `tol` (absolute) of the reference. */
export function expectClose(actual: tfc.Tensor | number | number[] | number[][], expected: number | number[] | number[][], tol = 1e-5): void {
  const a = flat(actual);
  const e = flat(expected);
  expect(a.length).toBe(e.length);
  a.forEach((v, i) => {
    if (Math.abs(v - e[i]) > tol) throw new Error(`value ${i}: got ${v}, expected ${e[i]} (tolerance ${tol})`);
  });
}

/** Runs `fn` and fails if it leaves more live tensors than `allowed` behind. */
export async function expectNoLeak(fn: () => unknown, allowed = 0): Promise<void> {
  const before = tfc.memory().numTensors;
  await fn();
  expect(tfc.memory().numTensors - before).toBe(allowed);
}
