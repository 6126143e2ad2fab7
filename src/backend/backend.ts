/**
 * Choosing the compute backend: setBackend, getBackend, ensureBackend/ready, the device scope
 * (device), threads, backendReport.
 *
 * The contract:
 * - Importing keras-ts registers nothing with tfjs-core. Each backend is a profile (profile.ts) in
 *   the registry; this module records the built-ins (cpu, wasm, native, cuda, tensorflow) with
 *   `registerBackendProfile`, which loads nothing. A new backend is one folder src/backend/<name>/
 *   and one `registerBackendProfile(profile)` call, from here or from a user's code.
 * - A profile's load() (where given: an import() of its package, a chunk of the browser build),
 *   register() (its package, its tfjs backend under its own name, its kernels) and its
 *   gradient overrides run when it is first chosen: setBackend, ensureBackend (fit, evaluate,
 *   loadModel and ready call it: native where built, else the fastest of wasm, WebGL and WebGPU
 *   by a timed probe (auto_choice.ts), else cpu), or keras-ts's first computation
 *   (`ensureRegistered`, called by the Layer, Weight and Metric constructors), which starts the
 *   best backend that starts synchronously (native where built, else cpu) unless tfjs already has
 *   an active backend. tfjs-core's gradients and chained methods are registered then too.
 * - keras-ts never replaces tfjs's own backends or kernels ('cpu', 'wasm'): its cpu is 'keras-cpu',
 *   its wasm 'keras-wasm', with the packages' kernels copied and some replaced.
 * - setBackend and device also take devices as TensorFlow names them (devices.ts): '/cpu:0',
 *   '/device:GPU:1', 'gpu', 'cuda:1'. device(name, fn) runs fn with that backend active and restores
 *   the previous one after, as `with tf.device(...)`; tensors move between backends on use (tfjs's
 *   engine moves them). The backend is process-wide: code that runs while an async fn awaits runs
 *   there too.
 *
 * This module and the profiles under src/backend/<name>/ are the only code under src/ that loads
 * backend packages, and they load them inside register().
 */
import * as tfc from '@tensorflow/tfjs-core';
import { BackendError, ValueError } from '../engine/errors';
import { chooseByProbe, probeOutcome, probeStep } from './auto_choice';
import { fallbackReport } from './cpu_fallback';
import { cpuProfile } from './cpu/profile';
import { cudaProfile } from './cuda/profile';
import { DeviceName, resolveDevice, selectDevice, unknownBackend, unknownDevice } from './devices';
import { ensureGradients, installGradientOverrides } from './gradients';
import { nativeProfile } from './native/profile';
import { activeProfile, allProfiles, backendNames, BackendName, BackendProfile, profileNamed, profileOfTfjs, registerBackendProfile } from './profile';
import { tensorflowProfile } from './tensorflow/profile';
import { wasmProfile } from './wasm/profile';
import { webglProfile } from './webgl/profile';
import { webgpuProfile } from './webgpu/profile';

export type { BackendName } from './profile';

// The built-ins, in the order error messages list them. Recording them loads no package.
[cpuProfile, wasmProfile, nativeProfile, cudaProfile, tensorflowProfile, webglProfile, webgpuProfile].forEach(registerBackendProfile);

/** Threads asked for with setNumThreads, applied to each backend that has threads when it is chosen. */
let requestedThreads: number | undefined;

/** Whether the user (or keras-ts on the user's behalf, in ensureBackend) chose the backend. */
let chosen = false;

/** Device scopes open now: inside one, ensureBackend (fit, evaluate) keeps the scope's backend. */
let openScopes = 0;

/** Registers the profile's backend, kernels and gradient overrides, and applies the threads asked for. */
function activate(profile: BackendProfile): void {
  ensureGradients();
  profile.register();
  installGradientOverrides(profile);
  if (requestedThreads !== undefined) profile.setNumThreads?.(requestedThreads);
}

let registered = false;

/**
 * What keras-ts needs before it computes, done once: tfjs-core's gradients and chained methods,
 * and, when tfjs has no active backend, the highest-ranked backend that starts synchronously
 * (native where built, else cpu). Called by the Layer, Weight and Metric constructors; cheap after
 * the first call.
 */
export function ensureRegistered(): void {
  if (registered) return;
  ensureGradients();
  registered = true;
  if (tfc.engine().backendName != null) return; // tfjs (or the user) already chose one
  const candidates = allProfiles()
    .filter((p) => p.startsSynchronously === true && p.autoPriority !== undefined)
    .sort((a, b) => (b.autoPriority ?? 0) - (a.autoPriority ?? 0));
  for (const profile of candidates) {
    try {
      activate(profile);
      tfc.setBackend(profile.tfjsName).catch(() => undefined); // a synchronous factory: set before this returns
      if (tfc.engine().registry[profile.tfjsName] !== undefined) return;
    } catch {
      // not available here (the native addon is not built): the next one
    }
  }
}

/**
 * Makes `name` the backend every computation runs on: a backend ('native', 'wasm', 'cpu', 'cuda',
 * 'tensorflow', or one registered), a GPU on it ('cuda:1'), or a device as TensorFlow names it
 * ('/cpu:0', '/device:GPU:1', 'gpu'; see device()). A backend's own name wins: 'cpu' is the
 * plain-JavaScript backend. Choose it before building models: weights are created on the backend
 * active when they are first used.
 */
export async function setBackend(name: BackendName | DeviceName): Promise<void> {
  const caller = `setBackend('${String(name)}')`;
  const resolved = resolveDevice(name, { caller, prefer: 'backend', unknown: unknownBackend });
  selectDevice(resolved, caller);
  const { profile } = resolved;
  await profile.load?.();
  activate(profile);
  const ok = await tfc.setBackend(profile.tfjsName);
  if (!ok) {
    throw new BackendError(
      `${caller}: the backend failed to initialize` +
        (profile.name === 'tensorflow' ? ' (tfjs-node-gpu found no usable GPU).' : '.') +
        " help: choose another with setBackend('wasm') or setBackend('cpu').",
    );
  }
  chosen = true;
}

/**
 * Runs `fn` with `name`'s backend active, then makes the previous backend active again (also when
 * fn throws or its promise rejects), as TensorFlow's `with tf.device('/gpu:1'):`. `name` is a
 * device as TensorFlow names it — '/cpu:0', '/device:CPU:0', 'cpu', 'CPU:0', '/gpu:1',
 * '/device:GPU:1', 'gpu', 'GPU:0', in any case — or a backend ('wasm', 'native', 'cuda:1'); here
 * 'cpu' is the CPU device, computed on by the active CPU backend or the default one (listDevices
 * says which). Models built and tensors made inside live there; a tensor used under another
 * backend later is moved there on use. Returns fn's result (its promise, for an async fn).
 *
 * The switch is synchronous, so the backend must start synchronously (native, cpu, cuda) or have
 * started already (wasm after `await k.ready()` or a setBackend('wasm')). The backend is
 * process-wide: code that runs while an async fn awaits also runs there.
 */
export function device<T>(name: DeviceName, fn: () => T): T {
  const caller = `device('${String(name)}')`;
  if (typeof fn !== 'function') {
    throw new ValueError(`${caller}: \`fn\` must be a function, got ${fn === null ? 'null' : typeof fn}. help: pass the work to run there, e.g. k.device('/cpu:0', () => model.predict(x)).`);
  }
  const resolved = resolveDevice(name, { caller, prefer: 'device', unknown: unknownDevice(caller) });
  selectDevice(resolved, caller);
  ensureRegistered(); // the backend to come back to: the default one when none was active
  const previous = tfc.getBackend();
  switchNow(resolved.profile, caller);
  openScopes++;
  const close = (): void => {
    openScopes--;
    if (tfc.engine().backendName !== previous) tfc.setBackend(previous).catch(() => undefined); // started already: switches at once
  };
  let result: T;
  try {
    result = fn();
  } catch (e) {
    close();
    throw e;
  }
  if (typeof (result as { then?: unknown } | null)?.then === 'function') return Promise.resolve(result).finally(close) as T;
  close();
  return result;
}

/** Makes `profile` active before this returns, or throws saying why it cannot be. */
function switchNow(profile: BackendProfile, caller: string): void {
  activate(profile);
  const engine = tfc.engine();
  if (engine.backendName === profile.tfjsName) return;
  const pending = (engine as unknown as { pendingBackendInit?: unknown }).pendingBackendInit != null;
  if (pending || (engine.registry[profile.tfjsName] === undefined && profile.startsSynchronously !== true)) {
    throw new BackendError(
      `${caller}: the '${profile.name}' backend starts asynchronously and has not started yet, so a scope cannot switch to it. ` +
        `help: \`await k.setBackend('${profile.name}')\` once before (then set the one you want back), or use a backend that starts at once ('native', 'cpu').`,
    );
  }
  tfc.setBackend(profile.tfjsName).catch(() => undefined); // a started or synchronous backend: active before this returns
  if (engine.backendName !== profile.tfjsName) throw new BackendError(`${caller}: the '${profile.name}' backend failed to initialize. help: choose another device or backend.`);
}

/**
 * The active backend as keras-ts names it ('cpu' for keras-cpu), or tfjs's name for a backend
 * keras-ts does not know (one the user set with tfjs directly). Before any backend was chosen this
 * starts the one synchronous code uses (native where built, else cpu) and returns its name;
 * `await k.ready()` first to get the default (wasm where native is not built).
 */
export function getBackend(): BackendName {
  ensureRegistered();
  const active = tfc.getBackend();
  if (active == null) throw new BackendError(`getBackend: no backend could start. help: choose one with await setBackend(...): ${backendNames()}.`);
  return profileOfTfjs(active)?.name ?? active;
}

/**
 * Unless a backend was chosen with setBackend, chooses the fastest one available: native where its
 * addon is built; else, in a page, the fastest of wasm, WebGL and WebGPU by a short timed probe
 * (once per session, auto_choice.ts; in Node, wasm); else cpu. `fit`, `evaluate`, `loadModel` and
 * `ready` call this before their first computation.
 */
export async function ensureBackend(): Promise<BackendName> {
  if (!chosen && openScopes === 0) {
    const candidates = allProfiles().filter((p) => p.autoPriority !== undefined).sort((a, b) => (b.autoPriority ?? 0) - (a.autoPriority ?? 0));
    let probed = false;
    for (const profile of candidates) {
      let name = profile.name;
      if (profile.autoProbe === true) {
        if (probed) continue;
        probed = true;
        const group = candidates.filter((p) => p.autoProbe === true && (p.available?.() ?? true));
        const { choice } = await chooseByProbe(group, timeBackend);
        if (choice === undefined) continue;
        name = choice;
      }
      try {
        await setBackend(name);
        break;
      } catch {
        // not available here: try the next
      }
    }
  }
  return getBackend();
}

/** The probe's timer (auto_choice.ts): the backend made active, then timed. */
async function timeBackend(profile: BackendProfile): Promise<number> {
  await setBackend(profile.name);
  return probeStep();
}

/** Initializes the default backend (unless one was chosen) and returns its name: `await k.ready()`. */
export async function ready(): Promise<BackendName> {
  return ensureBackend();
}

/**
 * The number of threads for backends that have them: 'native' (OpenMP, every core by default)
 * and 'wasm' (before its first use); applied to the active backend now and to others when chosen.
 * Positive integer.
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) {
    throw new ValueError(`setNumThreads: \`n\` must be a positive integer, got ${String(n)}. help: e.g. setNumThreads(2); the default is every core.`);
  }
  requestedThreads = n;
  activeProfile()?.setNumThreads?.(n);
}

/** The threads the active backend computes with. */
export function getNumThreads(): number {
  return activeProfile()?.numThreads?.() ?? 1;
}

export interface BackendReport {
  backend: BackendName;
  /** The device (the GPU for 'cuda'; cores, instruction set and oneDNN's version for 'native'). */
  device?: string;
  /** The threads it computes with. */
  threads: number;
  /** Kernels that ran on the CPU backend's code because the active backend lacks them, with counts. */
  fallbacks: Record<string, number>;
  /** Where the automatic choice measured (a page: wasm, WebGL, WebGPU), each one's milliseconds per probe step (auto_choice.ts). */
  probe?: Record<string, number>;
}

/** Which backend runs the computations, and which kernels fell back to the CPU (and how often). */
export function backendReport(): BackendReport {
  const backend = getBackend();
  const device = profileNamed(backend)?.device?.();
  const probe = probeOutcome()?.timings;
  return { backend, ...(device ? { device } : {}), threads: getNumThreads(), fallbacks: fallbackReport(), ...(probe && Object.keys(probe).length > 0 ? { probe } : {}) };
}
