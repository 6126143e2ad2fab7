/**
 * One profile per backend: what keras-ts needs to know about it, in one place. A backend is one
 * folder (src/backend/<name>/) whose profile.ts says how it registers with tfjs-core, how fast it
 * is relative to the others (which one ensureBackend picks), what it runs natively, which
 * gradients it replaces, and its threads. Code elsewhere asks the active profile instead of
 * comparing backend names. This module imports no backend package, so ops/ and data/ may use it.
 */
import * as tfc from '@tensorflow/tfjs-core';

/** Backend names as keras-ts spells them. */
export type BackendName = 'cpu' | 'wasm' | 'native' | 'cuda' | 'tensorflow';

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
  readonly name: BackendName;
  /** The name the backend registers under in tfjs-core. */
  readonly tfjsName: string;
  /**
   * Rank when no backend was chosen: ensureBackend takes the highest that registers and
   * initializes. Absent: never chosen automatically.
   */
  readonly autoPriority?: number;
  readonly capabilities: Capabilities;
  /** Gradients replaced on this backend, by kernel name (see gradients.ts). */
  readonly gradients?: Readonly<Record<string, GradientOverride>>;
  /** Registers with tfjs-core (idempotent). Throws a BackendError saying what is missing and how to get it. */
  register(): void;
  /** Sets the threads for later work, where the backend has threads. */
  setNumThreads?(n: number): void;
  /** The threads it uses now (1 for single-threaded backends). */
  numThreads(): number;
  /** The device, for backendReport (e.g. the GPU's name). */
  device?(): string | undefined;
}

const PROFILES = new Map<string, BackendProfile>();

/** Adds a profile (backend/backend.ts does, for every backend keras-ts knows). */
export function addProfile(profile: BackendProfile): void {
  PROFILES.set(profile.tfjsName, profile);
}

export function allProfiles(): BackendProfile[] {
  return [...PROFILES.values()];
}

export function profileNamed(name: string): BackendProfile | undefined {
  return allProfiles().find((p) => p.name === name);
}

/** The profile of the active tfjs backend (undefined for a backend keras-ts does not know). */
export function activeProfile(): BackendProfile | undefined {
  return PROFILES.get(tfc.getBackend());
}

const DEFAULT_CAPABILITIES: Capabilities = { slowTransposedMatMul: false, slowFirstAxisSum: false, slowTanh: false, batchesOnDevice: false };

/** The active backend's capabilities (plain defaults for a backend keras-ts does not know). */
export function capabilities(): Capabilities {
  return activeProfile()?.capabilities ?? DEFAULT_CAPABILITIES;
}
