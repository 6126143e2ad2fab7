import * as fs from 'fs';
import * as tfc from '@tensorflow/tfjs-core';
import type { BackendName } from '../src';
import { NATIVE_ADDON_PATH } from '../src/backend/native/addon';

/**
 * The backend a test file runs on: 'cpu', or 'native' in jest.config.js's native project. Files
 * that compare backends with each other use testedBackends() instead.
 */
export function testBackend(): BackendName {
  return (process.env.KERAS_TEST_BACKEND as BackendName | undefined) ?? 'cpu';
}

/** Whether the native CPU addon is built here; with KERAS_REQUIRE_NATIVE=1 (CI) it must be. */
export function nativeBuilt(): boolean {
  const built = fs.existsSync(NATIVE_ADDON_PATH);
  if (!built && process.env.KERAS_REQUIRE_NATIVE === '1') {
    throw new Error(`KERAS_REQUIRE_NATIVE=1 but the native addon ${NATIVE_ADDON_PATH} is not built: run npx keras-ts build-native.`);
  }
  return built;
}

/** cpu and wasm, and native where its addon is built. */
export function testedBackends(): BackendName[] {
  return nativeBuilt() ? ['cpu', 'wasm', 'native'] : ['cpu', 'wasm'];
}

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
