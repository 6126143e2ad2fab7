/**
 * tfjs-backend-wasm with SIMD, its .wasm binaries loaded from node_modules (no network). One thread
 * by default; setNumThreads(n) before its first use starts its threaded build (threads.ts) with n
 * threads (up to tfjs's 4). Measured on 2 cores: threads speed up the CNN (8.1 -> 6.0 s per epoch)
 * and the Fashion-size MLP (5.0 -> 2.7 s) but slow down the small seed MLP at batch 32 (0.19 ->
 * 0.25 s), whose ops are too small to share: its pool's hand-offs cost more than they save.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { conv2dGradientAsConvolutions } from '../conv_gradient';
import { registerCpuFallbacks } from '../cpu_fallback';
import { matMulGradientWithExplicitTransposes } from '../matmul_gradient';
import type { BackendProfile } from '../profile';
import { initWithThreads, MAX_WASM_THREADS } from './threads';
import { registerNaNSafeWasmKernels } from './nan_kernels';
import { registerWasmSlices } from './slices';

let registered = false;
/** The threads wasm starts with (setNumThreads changes it before wasm's first use). */
let threads = 1;

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
  capabilities: { slowTransposedMatMul: true, slowFirstAxisSum: true, slowTanh: true, batchesOnDevice: false },
  gradients: {
    // Its transposed matmuls are ~10x slower than transposing first; it lacks Conv2DBackpropFilter.
    BatchMatMul: matMulGradientWithExplicitTransposes,
    Conv2D: conv2dGradientAsConvolutions,
  },
  /**
   * tfjs-backend-wasm registers itself on import; its factory is wrapped to start the threaded
   * build, its kernels that lose NaN or copy too much are replaced, and kernels it lacks run on the
   * CPU backend's code.
   *
   * wasm initializes asynchronously, so tfjs cannot start it for a synchronous call (a tensor made
   * before any backend was chosen): first in tfjs's priority order, such a call would fail with
   * "backend 'wasm' has not yet been initialized". Ranked below cpu (priority 0), tfjs starts cpu
   * (or native) for those calls instead, and the first fit, evaluate or `await k.ready()` moves to
   * the default backend (tensors made meanwhile move with it when next used).
   */
  register: () => {
    if (registered) return;
    const factory = tfc.findBackendFactory('wasm');
    tfc.removeBackend('wasm');
    tfc.registerBackend('wasm', () => initWithThreads(threads, setThreadsCount, factory), 0);
    registerNaNSafeWasmKernels();
    registerWasmSlices();
    registerCpuFallbacks('wasm');
    registered = true;
  },
  /** Takes effect when wasm first initializes (tfjs cannot resize its pool later). */
  setNumThreads: (n) => {
    threads = Math.min(n, MAX_WASM_THREADS);
  },
  numThreads: () => (initialized() ? getThreadsCount() : threads),
};
