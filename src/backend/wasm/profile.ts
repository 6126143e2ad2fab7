/**
 * tfjs-backend-wasm with SIMD, its .wasm binaries loaded from node_modules (no network), on every
 * core (up to tfjs's 4) with its threaded build (threads.ts).
 */
import * as os from 'os';
import * as tfc from '@tensorflow/tfjs-core';
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { conv2dGradientAsConvolutions } from '../conv_gradient';
import { registerCpuFallbacks } from '../cpu_fallback';
import { matMulGradientWithExplicitTransposes } from '../matmul_gradient';
import type { BackendProfile } from '../profile';
import { initWithThreads, MAX_WASM_THREADS } from './threads';

let registered = false;
/** The threads wasm starts with: every core by default, up to tfjs's limit. */
let threads = Math.min(os.availableParallelism?.() ?? os.cpus().length, MAX_WASM_THREADS);

function initialized(): boolean {
  try {
    getThreadsCount();
    return true;
  } catch {
    return false; // "WASM backend not initialized"
  }
}

export const wasmProfile: BackendProfile = {
  name: 'wasm',
  tfjsName: 'wasm',
  autoPriority: 2,
  capabilities: { slowTransposedMatMul: true, batchesOnDevice: false },
  gradients: {
    // Its transposed matmuls are ~10x slower than transposing first; it lacks Conv2DBackpropFilter.
    BatchMatMul: matMulGradientWithExplicitTransposes,
    Conv2D: conv2dGradientAsConvolutions,
  },
  /**
   * tfjs-backend-wasm registers itself on import; its factory is wrapped to start the threaded
   * build, and kernels it lacks run on the CPU backend's code.
   */
  register: () => {
    if (registered) return;
    const factory = tfc.findBackendFactory('wasm');
    tfc.removeBackend('wasm');
    tfc.registerBackend('wasm', () => initWithThreads(threads, setThreadsCount, factory), 2);
    registerCpuFallbacks('wasm');
    registered = true;
  },
  /** Takes effect when wasm first initializes (tfjs cannot resize its pool later). */
  setNumThreads: (n) => {
    threads = Math.min(n, MAX_WASM_THREADS);
  },
  numThreads: () => (initialized() ? getThreadsCount() : threads),
};
