/**
 * The backend registry. A backend is one BackendProfile: how it registers with tfjs-core, how it
 * ranks when no backend was chosen, what it runs fast, which gradients it replaces, its threads.
 *
 * Adding a backend: one folder src/backend/<name>/ whose profile.ts exports a BackendProfile, and
 * one `registerBackendProfile(profile)` call (backend.ts makes it for the built-ins; a user's code
 * or a test may make it for its own). Recording a profile loads nothing: its `register()`, which
 * loads its package and registers its tfjs backend and kernels, runs when the backend is first
 * chosen or used. A profile registers its kernels under its own tfjs backend name (`tfjsName`)
 * and never changes another backend's kernels or factory.
 *
 * Code elsewhere asks the active profile (capabilities()) instead of comparing backend names. This
 * module imports no backend package, so ops/ and data/ may use it.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { BackendError } from '../engine/errors';

/** keras-ts's built-in backends. */
export type BuiltinBackendName = 'cpu' | 'wasm' | 'webgl' | 'webgpu' | 'native' | 'cuda' | 'tensorflow';
/** A backend as keras-ts names it: a built-in (completed by editors) or any registered profile's name. */
export type BackendName = BuiltinBackendName | (string & {});

/** The kind of device a backend computes on, as TensorFlow names them. */
export type DeviceType = 'CPU' | 'GPU';

/** The devices a backend can compute on (listDevices, device names with an index). */
export interface BackendDevices {
  /** One entry per device, in order: entry N is the backend's device N ('/gpu:N' for the first GPU backend). */
  devices: { description: string }[];
  /** Why there are none, ending with `help:` and the fix (e.g. its addon is not built). */
  unavailable?: string;
}

/** What ops and the data pipeline adapt to. */
export interface Capabilities {
  /**
   * A matmul with transposeA/transposeB runs far slower than an explicit transpose followed by a
   * plain matmul (tfjs-backend-wasm: about 10x), so products transpose explicitly (ops/matmul.ts).
   */
  slowTransposedMatMul: boolean;
  /**
   * A Sum over the first axis transposes first and runs far slower than a product with a row of
   * ones (tfjs-backend-wasm: 10.8 ms against 0.19 ms for 3584×512), so column sums multiply (ops/matmul.ts).
   */
  slowFirstAxisSum: boolean;
  /** Tanh runs far slower than a sigmoid (tfjs-backend-wasm: 0.23 against 0.06 ms on 128×128), so the recurrent kernels compute it as 2σ(2x) - 1. */
  slowTanh: boolean;
  /**
   * fit keeps array data as the backend's tensors and gathers each batch with its Gather kernel
   * (data/batches.ts), rather than cutting batches on the host into new tensors.
   */
  batchesOnDevice: boolean;
  /**
   * Gather over millions of rows runs far slower than the same reads in JavaScript on host memory
   * (tfjs cpu: 2.0 s for 6.4M rows of 3), so the images' affine transform samples on the host (ops/affine_transform.ts).
   */
  slowGather: boolean;
}

/** A gradient that replaces tfjs-core's for one kernel while this backend is active. */
export interface GradientOverride {
  /** Must equal the inputs tfjs-core's own gradient saves (the tape saves them before knowing the backend). */
  inputsToSave?: string[];
  outputsToSave?: boolean[];
  /** `original` is tfjs-core's own gradient, for the cases the override leaves to it. */
  gradFunc(dy: tfc.Tensor | tfc.Tensor[], saved: tfc.Tensor[], attrs: tfc.NamedAttrMap, original: tfc.GradFunc): ReturnType<tfc.GradFunc>;
}

export interface BackendProfile {
  /** The name setBackend and getBackend use. */
  readonly name: BackendName;
  /** The name its backend has in tfjs-core's registry: its own, never another package's ('keras-cpu', not 'cpu'). */
  readonly tfjsName: string;
  /**
   * Rank when no backend was chosen: ensureBackend takes the highest that registers and
   * initializes. Absent: never chosen automatically.
   */
  readonly autoPriority?: number;
  /**
   * Ranked by measurement instead: when ensureBackend reaches the first such profile, every
   * available one (`available()`) runs a short timed probe and the fastest is chosen, once per
   * session (auto_choice.ts). For backends whose speed depends on the machine (wasm, WebGL, WebGPU
   * in a page). @default false
   */
  readonly autoProbe?: boolean;
  /** Whether it can run here, checked without loading anything (WebGL: the page has WebGL 2). @default true */
  available?(): boolean;
  /**
   * Its tfjs backend starts synchronously, so code that computes before any backend was chosen
   * (or awaited) may run on it: the highest-ranked such backend starts then. @default false
   */
  readonly startsSynchronously?: boolean;
  /** @default every capability false */
  readonly capabilities?: Partial<Capabilities>;
  /** Gradients replaced on this backend, by kernel name (see gradients.ts). */
  readonly gradients?: Readonly<Record<string, GradientOverride>>;
  /**
   * Loads what register() needs where loading is asynchronous (the browser build fetches the
   * wasm, WebGL and WebGPU packages as chunks on first use); setBackend and ensureBackend await it
   * before register(). Absent: register() loads what it needs itself.
   */
  load?(): Promise<void>;
  /**
   * Loads its package and registers its tfjs backend and kernels under `tfjsName` (idempotent).
   * Throws a BackendError saying what is missing and how to get it.
   */
  register(): void;
  /** Sets the threads for later work, where the backend has threads. */
  setNumThreads?(n: number): void;
  /** The threads it uses now. @default 1 */
  numThreads?(): number;
  /** The device, for backendReport (e.g. the GPU's name). */
  device?(): string | undefined;
  /** The kind of device it computes on: its devices are '/cpu:0' or '/gpu:N' (listDevices). @default 'CPU' */
  readonly deviceType?: DeviceType;
  /**
   * A backend with several devices (GPUs): lists them, loading what counting needs and starting
   * nothing. Absent: one device of its type.
   */
  listDevices?(): BackendDevices;
  /**
   * Makes the backend compute on device `index` of listDevices() from its start (it is called before
   * register()); throws a BackendError when it already runs on another device.
   */
  selectDevice?(index: number): void;
  /** The device it runs on, or will start on. @default 0 */
  selectedDevice?(): number;
}

/** Profiles by name, in the order they were registered (the order error messages list them). */
const PROFILES = new Map<string, BackendProfile>();
const BY_TFJS_NAME = new Map<string, BackendProfile>();

/**
 * Makes a backend known to setBackend, ensureBackend and getBackend. Loads nothing: the profile's
 * register() runs when the backend is first chosen. Registering the same profile again does nothing.
 */
export function registerBackendProfile(profile: BackendProfile): void {
  const bad = (what: string): BackendError =>
    new BackendError(`registerBackendProfile: ${what}. help: pass {name, tfjsName, register} (see BackendProfile in src/backend/profile.ts).`);
  if (typeof profile?.name !== 'string' || profile.name === '') throw bad(`\`name\` must be a non-empty string, got ${String(profile?.name)}`);
  if (typeof profile.tfjsName !== 'string' || profile.tfjsName === '') throw bad(`'${profile.name}': \`tfjsName\` must be a non-empty string, got ${String(profile.tfjsName)}`);
  if (typeof profile.register !== 'function') throw bad(`'${profile.name}': \`register\` must be a function`);
  const same = PROFILES.get(profile.name);
  if (same === profile) return;
  if (same !== undefined) throw bad(`a backend named '${profile.name}' is already registered (${backendNames()}); choose another name`);
  const clash = BY_TFJS_NAME.get(profile.tfjsName);
  if (clash !== undefined) throw bad(`'${profile.name}': tfjs backend name '${profile.tfjsName}' is already '${clash.name}''s`);
  PROFILES.set(profile.name, profile);
  BY_TFJS_NAME.set(profile.tfjsName, profile);
}

export function allProfiles(): BackendProfile[] {
  return [...PROFILES.values()];
}

/** The registered names, quoted, for messages: `'cpu', 'wasm', ...`. */
export function backendNames(): string {
  return allProfiles().map((p) => `'${p.name}'`).join(', ');
}

export function profileNamed(name: string): BackendProfile | undefined {
  return PROFILES.get(name);
}

/** The profile whose tfjs backend is `tfjsName`. */
export function profileOfTfjs(tfjsName: string | null | undefined): BackendProfile | undefined {
  return tfjsName == null ? undefined : BY_TFJS_NAME.get(tfjsName);
}

/** The profile of the active tfjs backend (undefined for a backend keras-ts does not know). */
export function activeProfile(): BackendProfile | undefined {
  return profileOfTfjs(tfc.getBackend());
}

const DEFAULT_CAPABILITIES: Capabilities = { slowTransposedMatMul: false, slowFirstAxisSum: false, slowTanh: false, batchesOnDevice: false, slowGather: false };
let cachedFor: BackendProfile | undefined | null = null;
let cached = DEFAULT_CAPABILITIES;

/** The active backend's capabilities (plain defaults for a backend keras-ts does not know). */
export function capabilities(): Capabilities {
  const profile = activeProfile();
  if (profile !== cachedFor) {
    cachedFor = profile;
    cached = { ...DEFAULT_CAPABILITIES, ...profile?.capabilities };
  }
  return cached;
}
