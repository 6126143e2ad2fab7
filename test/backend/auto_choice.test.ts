/**
 * The automatic choice by measurement (src/backend/auto_choice.ts): the decision with fake timings
 * (the fastest, ties to the first, failures left out, remembered for the session, kept in
 * sessionStorage), and the real probe step on the cpu backend (a time, no tensor left behind).
 * The page's own choice among wasm and WebGL is checked in test/browser/page.test.ts.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { chooseByProbe, forgetProbe, probeOutcome, probeStep } from '../../src/backend/auto_choice';
import type { BackendProfile } from '../../src/backend/profile';
import * as k from '../../src';

const profile = (name: string): BackendProfile => ({ name, tfjsName: `fake-${name}`, register: () => undefined });
const [wasm, webgl, webgpu] = ['wasm', 'webgl', 'webgpu'].map(profile);

/** A timer from fixed milliseconds (a string: it throws that message), recording what it timed. */
function fakeTimer(ms: Record<string, number | string>): { time: (p: BackendProfile) => Promise<number>; timed: string[] } {
  const timed: string[] = [];
  return {
    timed,
    time: async (p) => {
      timed.push(p.name);
      const t = ms[p.name];
      if (typeof t === 'string') throw new Error(t);
      return t;
    },
  };
}

afterEach(() => {
  forgetProbe();
  delete (globalThis as { sessionStorage?: unknown }).sessionStorage;
});

test('the fastest by the probe is chosen, each candidate timed once in order', async () => {
  const { time, timed } = fakeTimer({ wasm: 4.2, webgl: 1.5, webgpu: 3 });
  expect(await chooseByProbe([wasm, webgl, webgpu], time)).toEqual({ choice: 'webgl', timings: { wasm: 4.2, webgl: 1.5, webgpu: 3 } });
  expect(timed).toEqual(['wasm', 'webgl', 'webgpu']);
});

test('SwiftShader-like timings choose wasm; a tie goes to the first in priority order', async () => {
  expect((await chooseByProbe([wasm, webgl], fakeTimer({ wasm: 2, webgl: 9 }).time)).choice).toBe('wasm');
  forgetProbe();
  expect((await chooseByProbe([webgl, wasm], fakeTimer({ wasm: 2, webgl: 2 }).time)).choice).toBe('webgl');
});

test('a backend that cannot run (throws) or gives no time is left out; none at all chooses nothing', async () => {
  const out = await chooseByProbe([wasm, webgl, webgpu], fakeTimer({ wasm: 5, webgl: NaN, webgpu: 'no WebGPU adapter' }).time);
  expect(out).toEqual({ choice: 'wasm', timings: { wasm: 5 } });
  forgetProbe();
  expect(await chooseByProbe([webgl, webgpu], fakeTimer({ webgl: 'lost context', webgpu: 'no adapter' }).time)).toEqual({ choice: undefined, timings: {} });
});

test('the outcome is measured once per session: later calls do not time again', async () => {
  const first = fakeTimer({ wasm: 3, webgl: 1 });
  await chooseByProbe([wasm, webgl], first.time);
  const second = fakeTimer({ wasm: 1, webgl: 3 });
  expect((await chooseByProbe([wasm, webgl], second.time)).choice).toBe('webgl');
  expect(second.timed).toEqual([]);
  expect(probeOutcome()).toEqual({ choice: 'webgl', timings: { wasm: 3, webgl: 1 } });
});

test('a single candidate is chosen without a probe', async () => {
  const { time, timed } = fakeTimer({ wasm: 1 });
  expect(await chooseByProbe([wasm], time)).toEqual({ choice: 'wasm', timings: {} });
  expect(timed).toEqual([]);
});

test("the outcome is kept in the page's sessionStorage, and read back after a reload (unless its choice is no candidate)", async () => {
  const store = new Map<string, string>();
  (globalThis as { sessionStorage?: unknown }).sessionStorage = {
    getItem: (key: string) => store.get(key) ?? null,
    setItem: (key: string, value: string) => void store.set(key, value),
    removeItem: (key: string) => void store.delete(key),
  };
  await chooseByProbe([wasm, webgl], fakeTimer({ wasm: 1, webgl: 2 }).time);
  const kept = [...store.values()];
  expect(kept.map((v) => JSON.parse(v))).toEqual([{ choice: 'wasm', timings: { wasm: 1, webgl: 2 } }]);
  forgetProbe(); // a reload: the module's memory is gone, the session's storage is not
  store.set('keras-ts:backend-probe', kept[0]);
  const reload = fakeTimer({ wasm: 9, webgl: 1 });
  expect((await chooseByProbe([wasm, webgl], reload.time)).choice).toBe('wasm');
  expect(reload.timed).toEqual([]);
  forgetProbe();
  store.set('keras-ts:backend-probe', kept[0]);
  expect((await chooseByProbe([webgl, webgpu], fakeTimer({ webgl: 1, webgpu: 2 }).time)).choice).toBe('webgl');
});

test('the real probe step on cpu: a positive time per step, no tensor left behind', async () => {
  await k.setBackend('cpu');
  const before = tfc.memory().numTensors;
  const ms = await probeStep(1, 2);
  expect(ms).toBeGreaterThan(0);
  expect(Number.isFinite(ms)).toBe(true);
  expect(tfc.memory().numTensors).toBe(before);
});
