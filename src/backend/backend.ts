/**
 * Choosing the compute backend. This is the only module under src/ that loads backend packages.
 *
 * cpu and wasm are registered when this module loads (registering is cheap; wasm compiles its
 * binary, shipped in node_modules, only when first chosen). 'cuda' is keras-ts's own CUDA backend
 * (native/cuda, built by `npm run build:cuda`); 'tensorflow' is @tensorflow/tfjs-node-gpu where it
 * is installed.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { BackendError } from '../engine/errors';
import { fallbackReport, registerCpuFallbacks } from './cpu_fallback';
import { loadCudaAddon } from './cuda/addon';
import { CudaBackend } from './cuda/cuda_backend';
import { registerCudaKernels } from './cuda/kernels';
import { registerNaNSafeWasmKernels } from './wasm_nan';
import { registerSegmentSum } from './segment_sum';
import { registerWasmSlices } from './wasm_slice';
import './gradients';

/** 'cuda' is keras-ts's own CUDA backend; 'tensorflow' is @tensorflow/tfjs-node-gpu where it is installed. */
export type BackendName = 'cpu' | 'wasm' | 'cuda' | 'tensorflow';
const BACKENDS: readonly BackendName[] = ['cpu', 'wasm', 'cuda', 'tensorflow'];

/** tfjs names of our backends (tfjs-node-gpu registers itself as 'tensorflow'). */
const TFJS_NAME: Record<BackendName, string> = { cpu: 'cpu', wasm: 'wasm', cuda: 'cuda', tensorflow: 'tensorflow' };

registerQuietCpu();
registerNaNSafeWasmKernels();
registerCpuFallbacks('wasm');
registerWasmSlices();
registerSegmentSum();
deferWasm();

/** Whether the user (or keras-ts on the user's behalf, in ensureBackend) chose the backend. */
let chosen = false;

/**
 * wasm initializes asynchronously, so tfjs cannot start it for a synchronous call (a tensor made
 * before any backend was chosen): with wasm first in its priority order, such a call fails with
 * "backend 'wasm' has not yet been initialized". With wasm ranked below cpu, tfjs starts cpu for
 * those calls instead, and the first fit, evaluate or `await ready()` moves to the default backend
 * (tensors made meanwhile move with it when next used).
 */
function deferWasm(): void {
  const registry = (tfc.engine() as unknown as { registryFactory: Record<string, { priority: number }> }).registryFactory;
  if (registry.wasm !== undefined) registry.wasm.priority = 0;
}

/**
 * The CPU backend prints, on first use in Node, a banner recommending tfjs-node. Our users have no
 * use for it: register the same backend with its one-time banner already spent.
 */
function registerQuietCpu(): void {
  const priority = 1; // tfjs-backend-cpu's own
  tfc.removeBackend('cpu');
  tfc.registerBackend(
    'cpu',
    () => {
      const backend = new MathBackendCPU();
      (backend as unknown as { firstUse: boolean }).firstUse = false;
      return backend;
    },
    priority,
  );
}

function loadTfjsNodeGpu(): void {
  try {
    require.resolve('@tensorflow/tfjs-node-gpu');
  } catch {
    throw new BackendError(
      "setBackend('tensorflow'): the package @tensorflow/tfjs-node-gpu is not installed. " +
        'help: on a machine with an NVIDIA GPU, CUDA 11.2 and cuDNN 8.1, run ' +
        '`npm install @tensorflow/tfjs-node-gpu` (its install downloads libtensorflow, so it needs ' +
        "internet access); for current GPUs use keras-ts's own setBackend('cuda').",
    );
  }
  try {
    require('@tensorflow/tfjs-node-gpu');
  } catch (e) {
    throw new BackendError(
      `setBackend('tensorflow'): @tensorflow/tfjs-node-gpu is installed but failed to load: ${(e as Error).message} ` +
        'help: it needs libcudart.so.11.0 and libcudnn.so.8 (CUDA 11.2, cuDNN 8.1) on the library path.',
    );
  }
}

let cudaRegistered = false;

/** keras-ts's own CUDA backend: the addon must be built and find a GPU (loadCudaAddon says what is missing). */
function registerCuda(): void {
  if (cudaRegistered) return;
  const { addon, device } = loadCudaAddon();
  tfc.registerBackend('cuda', () => new CudaBackend(addon, device), 0);
  registerCudaKernels();
  registerCpuFallbacks('cuda');
  cudaRegistered = true;
}

/**
 * Makes `name` the backend every computation runs on. Choose it before building models: weights
 * are created on the backend active when they are first used.
 */
export async function setBackend(name: BackendName): Promise<void> {
  if (!BACKENDS.includes(name)) {
    throw new BackendError(
      `setBackend: unknown backend '${String(name)}'. help: use one of ${BACKENDS.map((b) => `'${b}'`).join(', ')}.`,
    );
  }
  if (name === 'cuda') registerCuda();
  if (name === 'tensorflow') loadTfjsNodeGpu();
  const ok = await tfc.setBackend(TFJS_NAME[name]);
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
 * The active backend as keras-ts names it ('cpu', 'wasm' or 'cuda'). Before any backend was chosen
 * this starts the one synchronous calls use (cpu); `await k.ready()` first to get the default.
 */
export function getBackend(): BackendName {
  const active = tfc.getBackend();
  const ours = BACKENDS.find((b) => TFJS_NAME[b] === active);
  if (ours === undefined) {
    throw new BackendError(`getBackend: the active tfjs backend '${active}' is not one keras-ts knows (cpu, wasm, cuda).`);
  }
  return ours;
}

/**
 * Unless a backend was chosen with setBackend, chooses the fastest one available: wasm (SIMD) where
 * it initializes, else cpu. `fit`, `evaluate` and `ready` call this before their first computation;
 * code that computes synchronously before it runs gets tfjs's synchronous choice, cpu.
 */
export async function ensureBackend(): Promise<BackendName> {
  if (!chosen) {
    try {
      await setBackend('wasm');
    } catch {
      await setBackend('cpu');
    }
  }
  return getBackend();
}

/** Initializes the default backend (unless one was chosen) and returns its name: `await k.ready()`. */
export async function ready(): Promise<BackendName> {
  return ensureBackend();
}

export interface BackendReport {
  backend: BackendName;
  /** The device, for 'cuda' (e.g. "NVIDIA H200 (compute capability 9)"). */
  device?: string;
  /** Kernels that ran on the CPU backend's code because the active backend lacks them, with counts. */
  fallbacks: Record<string, number>;
}

/** Which backend runs the computations, and which kernels fell back to the CPU (and how often). */
export function backendReport(): BackendReport {
  const backend = getBackend();
  const device = (tfc.backend() as unknown as { device?: string }).device;
  return { backend, ...(device ? { device } : {}), fallbacks: fallbackReport() };
}
