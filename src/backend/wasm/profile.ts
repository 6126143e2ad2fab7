/** tfjs-backend-wasm with SIMD, its .wasm binaries loaded from node_modules (no network). */
import '@tensorflow/tfjs-backend-wasm';
import { conv2dGradientAsConvolutions } from '../conv_gradient';
import { registerCpuFallbacks } from '../cpu_fallback';
import { matMulGradientWithExplicitTransposes } from '../matmul_gradient';
import type { BackendProfile } from '../profile';

let registered = false;

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
  /** tfjs-backend-wasm registers itself on import; kernels it lacks run on the CPU backend's code. */
  register: () => {
    if (registered) return;
    registerCpuFallbacks('wasm');
    registered = true;
  },
  numThreads: () => 1,
};
