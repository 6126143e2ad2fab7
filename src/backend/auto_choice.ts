/**
 * The automatic choice among backends whose speed depends on the machine (a page's wasm, WebGL
 * and WebGPU: WebGL may be a fast GPU or SwiftShader, a GPU emulated on the CPU), made by
 * measurement: each available one runs a short timed probe, and the fastest is chosen. The
 * probe is one training step of a small dense layer (the seed MLP's first: 32×784 by 784×64, bias,
 * sigmoid, its gradient and an SGD update, about ten kernels), so it weighs both a backend's
 * arithmetic and its cost per kernel, which is what decides small models. Measured once per page
 * (or process) and kept in sessionStorage where there is one, so a reload does not measure again.
 *
 * The choice itself (chooseByProbe) takes the timer as an argument, so it is tested with fake
 * timings; probeStep is the real timer's work on the active backend.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { BackendProfile } from './profile';

/** What the probe found: milliseconds per step by backend (the ones that ran), and the choice. */
export interface ProbeOutcome {
  choice: string | undefined;
  timings: Record<string, number>;
}

/** Times one backend: makes it active and returns ms per probe step; throws where it cannot run. */
export type ProbeTimer = (profile: BackendProfile) => Promise<number>;

const STORAGE_KEY = 'keras-ts:backend-probe';

/** The page's sessionStorage (absent in Node and workers). */
function storage(): { getItem(k: string): string | null; setItem(k: string, v: string): void; removeItem(k: string): void } | undefined {
  return (globalThis as { sessionStorage?: ReturnType<typeof storage> }).sessionStorage;
}
let remembered: ProbeOutcome | undefined;

/**
 * The fastest of `candidates` by `time` (the first in their order on a tie), or undefined where none
 * runs. Remembered for the session: later calls return the first outcome without timing again.
 * A single candidate is chosen without timing.
 */
export async function chooseByProbe(candidates: BackendProfile[], time: ProbeTimer): Promise<ProbeOutcome> {
  remembered ??= readStored(candidates);
  if (remembered !== undefined) return remembered;
  if (candidates.length <= 1) return { choice: candidates[0]?.name, timings: {} };
  const timings: Record<string, number> = {};
  for (const profile of candidates) {
    try {
      const ms = await time(profile);
      if (Number.isFinite(ms) && ms >= 0) timings[profile.name] = ms;
    } catch {
      // not available here (no WebGPU adapter): not a candidate
    }
  }
  let choice: string | undefined;
  for (const profile of candidates) {
    const ms = timings[profile.name];
    if (ms !== undefined && (choice === undefined || ms < timings[choice])) choice = profile.name;
  }
  remembered = { choice, timings };
  writeStored(remembered);
  return remembered;
}

/** The outcome of the session's probe, where one ran. */
export function probeOutcome(): ProbeOutcome | undefined {
  return remembered;
}

/** Forgets the outcome (tests; a page whose GPU changed). */
export function forgetProbe(): void {
  remembered = undefined;
  try {
    storage()?.removeItem(STORAGE_KEY);
  } catch {
    // storage refused (a sandboxed frame): nothing was kept
  }
}

function readStored(candidates: BackendProfile[]): ProbeOutcome | undefined {
  try {
    const text = storage()?.getItem(STORAGE_KEY);
    if (!text) return undefined;
    const stored = JSON.parse(text) as ProbeOutcome;
    return candidates.some((p) => p.name === stored.choice) ? stored : undefined;
  } catch {
    return undefined;
  }
}

function writeStored(outcome: ProbeOutcome): void {
  try {
    storage()?.setItem(STORAGE_KEY, JSON.stringify(outcome));
  } catch {
    // storage refused: measured again next session
  }
}

/** One probe step on the active backend (see the header); the result is read back, so asynchronous backends finish. */
function step(x: tfc.Tensor2D, w: tfc.Tensor2D, b: tfc.Tensor1D): tfc.Tensor {
  return tfc.tidy(() => {
    const y = tfc.sigmoid(tfc.add(tfc.matMul(x, w), b));
    const dz = tfc.mul(tfc.sub(y, 0.5), tfc.mul(y, tfc.sub(1, y)));
    const dw = tfc.matMul(x, dz, true, false);
    return tfc.sub(w, tfc.mul(dw, 0.05));
  });
}

/** Milliseconds per probe step on the active backend: `warmUp` untimed steps (shaders compile), then the mean of `reps`. */
export async function probeStep(warmUp = 2, reps = 5): Promise<number> {
  const x = tfc.randomUniform([32, 784], 0, 1, 'float32', 1) as tfc.Tensor2D;
  const w = tfc.randomUniform([784, 64], -0.05, 0.05, 'float32', 2) as tfc.Tensor2D;
  const b = tfc.zeros([64]) as tfc.Tensor1D;
  try {
    for (let i = 0; i < warmUp; i++) {
      const out = step(x, w, b);
      await out.data();
      out.dispose();
    }
    const start = performance.now();
    for (let i = 0; i < reps; i++) {
      const out = step(x, w, b);
      if (i === reps - 1) await out.data();
      out.dispose();
    }
    return (performance.now() - start) / reps;
  } finally {
    tfc.dispose([x, w, b]);
  }
}
