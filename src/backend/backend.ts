/**
 * Choosing the compute backend. This module and the profiles under src/backend/<name>/ are the only
 * code under src/ that loads backend packages.
 *
 * Each backend is described by one profile (profile.ts): 'native' (keras-ts's CPU addon on oneDNN,
 * where it is built), 'wasm', 'cpu', 'cuda' (keras-ts's GPU addon) and 'tensorflow'
 * (@tensorflow/tfjs-node-gpu where it is installed). cpu, wasm and (where its addon is built)
 * native register when this module loads (registering is cheap; wasm compiles its binary, shipped
 * in node_modules, only when first chosen); the others when first chosen.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { BackendError, ValueError } from '../engine/errors';
import { fallbackReport } from './cpu_fallback';
import { cpuProfile } from './cpu/profile';
import { cudaProfile } from './cuda/profile';
import { installGradientOverrides } from './gradients';
import { nativeProfile } from './native/profile';
import { addProfile, BackendName, BackendProfile, profileNamed } from './profile';
import { registerSegmentSum } from './segment_sum';
import { tensorflowProfile } from './tensorflow/profile';
import { wasmProfile } from './wasm/profile';

export type { BackendName } from './profile';

/** Every backend keras-ts knows, in the order error messages list them. */
const PROFILES: readonly BackendProfile[] = [cpuProfile, wasmProfile, nativeProfile, cudaProfile, tensorflowProfile];
const NAMES = PROFILES.map((p) => `'${p.name}'`).join(', ');

PROFILES.forEach(addProfile);
cpuProfile.register();
wasmProfile.register();
registerSegmentSum(); // cpu and wasm (and native, which takes cpu's kernels when it registers)
installGradientOverrides([...PROFILES]);
// Where the native addon is built, it registers now: with the highest priority and a synchronous
// start, it is then tfjs's own default too, for code that computes before choosing a backend.
try {
  nativeProfile.register();
} catch {
  // not built here: setBackend('native') says what is missing
}

/** Threads asked for with setNumThreads, applied to each backend that has threads when it is chosen. */
let requestedThreads: number | undefined;

/** Whether the user (or keras-ts on the user's behalf, in ensureBackend) chose the backend. */
let chosen = false;

/**
 * Makes `name` the backend every computation runs on. Choose it before building models: weights
 * are created on the backend active when they are first used.
 */
export async function setBackend(name: BackendName): Promise<void> {
  const profile = profileNamed(name);
  if (profile === undefined) throw new BackendError(`setBackend: unknown backend '${String(name)}'. help: use one of ${NAMES}.`);
  profile.register();
  if (requestedThreads !== undefined) profile.setNumThreads?.(requestedThreads);
  const ok = await tfc.setBackend(profile.tfjsName);
  if (!ok) {
    throw new BackendError(
      `setBackend('${name}'): the backend failed to initialize` +
        (name === 'tensorflow' ? ' (tfjs-node-gpu found no usable GPU).' : '.') +
        " help: choose another with setBackend('wasm') or setBackend('cpu').",
    );
  }
  chosen = true;
}

/**
 * The active backend as keras-ts names it. Before any backend was chosen this starts the one
 * synchronous calls use (native where built, else cpu); `await k.ready()` first to get the default.
 */
export function getBackend(): BackendName {
  const active = tfc.getBackend();
  const ours = PROFILES.find((p) => p.tfjsName === active);
  if (ours === undefined) throw new BackendError(`getBackend: the active tfjs backend '${active}' is not one keras-ts knows (${NAMES}).`);
  return ours.name;
}

/**
/**
 * Unless a backend was chosen with setBackend, chooses the fastest one available: native where its
 * addon is built, else wasm (SIMD), else cpu. `fit`, `evaluate`, `loadModel` and `ready` call this
 * before their first computation; code that computes synchronously before it runs gets tfjs's
 * synchronous choice (native or cpu: wasm can only start asynchronously, see wasm/profile.ts).
 */
export async function ensureBackend(): Promise<BackendName> {
  if (!chosen) {
    const candidates = PROFILES.filter((p) => p.autoPriority !== undefined).sort((a, b) => (b.autoPriority ?? 0) - (a.autoPriority ?? 0));
    for (const profile of candidates) {
      try {
        await setBackend(profile.name);
        break;
      } catch {
        // not available here: try the next
      }
    }
  }
  return getBackend();
}

/** Initializes the default backend (unless one was chosen) and returns its name: `await k.ready()`. */
export async function ready(): Promise<BackendName> {
  return ensureBackend();
}

/**
 * The number of threads for backends that have them: 'native' (OpenMP, every core by default)
 * now and whenever chosen; others when chosen. Positive integer.
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) {
    throw new ValueError(`setNumThreads: \`n\` must be a positive integer, got ${String(n)}. help: e.g. setNumThreads(2); the default is every core.`);
  }
  requestedThreads = n;
  if (isBackendActive()) PROFILES.find((p) => p.tfjsName === tfc.getBackend())?.setNumThreads?.(n);
}

/** The threads the active backend computes with. */
export function getNumThreads(): number {
  return PROFILES.find((p) => p.tfjsName === tfc.getBackend())?.numThreads() ?? 1;
}

export interface BackendReport {
  backend: BackendName;
  /** The device (the GPU for 'cuda'; cores, instruction set and oneDNN's version for 'native'). */
  device?: string;
  /** The threads it computes with. */
  threads: number;
  /** Kernels that ran on the CPU backend's code because the active backend lacks them, with counts. */
  fallbacks: Record<string, number>;
}

/** Which backend runs the computations, and which kernels fell back to the CPU (and how often). */
export function backendReport(): BackendReport {
  const backend = getBackend();
  const device = profileNamed(backend)?.device?.();
  return { backend, ...(device ? { device } : {}), threads: getNumThreads(), fallbacks: fallbackReport() };
}

function isBackendActive(): boolean {
  // tfc.getBackend() would initialize one; ask the engine instead.
  return tfc.engine().backendName != null;
}
