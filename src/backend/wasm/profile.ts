/**
 * 'wasm': tfjs-backend-wasm with SIMD, its .wasm binaries loaded from node_modules (no network), as
 * keras-ts's own tfjs backend 'keras-wasm': the package's kernels copied under that name (their
 * setup functions too), with the ones that lose NaN (nan_kernels.ts) or copy too much (slices.ts)
 * replaced, keras-ts's segment sum, and every kernel it lacks run on the CPU backend's code
 * (cpu_fallback.ts). tfjs's own 'wasm' backend and kernels stay as the package registered them.
 *
 * One thread by default; setNumThreads(n) before its first use starts its threaded build
 * (threads.ts) with n threads (up to tfjs's 4). Measured on 2 cores: threads speed up the CNN
 * (8.1 -> 6.0 s per epoch) and the Fashion-size MLP (5.0 -> 2.7 s) but slow down the small seed MLP
 * at batch 32 (0.19 -> 0.25 s), whose ops are too small to share: its pool's hand-offs cost more
 * than they save.
 *
 * wasm initializes asynchronously, so it cannot serve code that computes before a backend was
 * awaited: that code runs on native or cpu, and the first fit, evaluate or `await k.ready()` moves
 * to the default backend (tensors made meanwhile move with it when next used).
 */
import * as tfc from '@tensorflow/tfjs-core';
import type * as tfjsWasm from '@tensorflow/tfjs-backend-wasm';
import { avgPool3dGradientByCount, avgPoolGradientByCount } from '../avg_pool_gradient';
import { conv2dGradientAsConvolutions } from '../conv_gradient';
import { copyKernels } from '../copy_kernels';
import { cpuInstead, registerCpuFallbacks } from '../cpu_fallback';
import { matMulGradientWithExplicitTransposes } from '../matmul_gradient';
import { maxPool3dGradientFirstMax } from '../max_pool3d_gradient';
import type { BackendProfile } from '../profile';
import { unsortedSegmentSum } from '../segment_sum';
import { KERAS_WASM, NAN_SAFE_KERNELS } from './nan_kernels';
import { SLICE_KERNELS } from './slices';
import { initWithThreads, MAX_WASM_THREADS } from './threads';
import { loadWasmPackage, wasmPackage } from './package';

let wasm: typeof tfjsWasm | undefined;
/** The threads wasm starts with (setNumThreads changes it before wasm's first use). */
let threads = 1;

function register(): void {
  if (wasm !== undefined) return;
  const pkg = wasmPackage(); // registers tfjs's 'wasm', as for any user
  const factory = tfc.findBackendFactory('wasm');
  tfc.registerBackend(KERAS_WASM, () => initWithThreads(threads, pkg.setThreadsCount, factory), 0);
  copyKernels('wasm', KERAS_WASM, {
    ...NAN_SAFE_KERNELS, ...SLICE_KERNELS, UnsortedSegmentSum: unsortedSegmentSum,
    // tfjs-backend-wasm's own are wrong (zeros for the input, wrong filter gradients): Conv3D's gradient runs on the CPU's.
    Conv3DBackpropInputV2: cpuInstead('Conv3DBackpropInputV2'), Conv3DBackpropFilterV2: cpuInstead('Conv3DBackpropFilterV2'),
    // Its MaxPool3D and MaxPool3DGrad start each window at FLT_MIN, not -infinity: a window of
    // negative values gave 1.2e-38 and no gradient.
    MaxPool3D: cpuInstead('MaxPool3D'), MaxPool3DGrad: cpuInstead('MaxPool3DGrad'),
  });
  registerCpuFallbacks(KERAS_WASM);
  wasm = pkg;
}

function initialized(): boolean {
  try {
    wasm?.getThreadsCount();
    return wasm !== undefined;
  } catch {
    return false; // "WASM backend not initialized"
  }
}

export const wasmProfile: BackendProfile = {
  name: 'wasm',
  tfjsName: KERAS_WASM,
  autoPriority: 2,
  autoProbe: true, // a page measures it against WebGL and WebGPU (auto_choice.ts)
  capabilities: { slowTransposedMatMul: true, slowFirstAxisSum: true, slowTanh: true, batchesOnDevice: false, slowGather: true },
  gradients: {
    // Its transposed matmuls are ~10x slower than transposing first; it lacks Conv2DBackpropFilter.
    BatchMatMul: matMulGradientWithExplicitTransposes,
    Conv2D: conv2dGradientAsConvolutions,
    // Its AvgPoolGrad runs tfjs-backend-cpu's kernel, which divides by the whole window at padded edges.
    AvgPool: avgPoolGradientByCount,
    AvgPool3D: avgPool3dGradientByCount,
    // tfjs-backend-cpu's MaxPool3DGrad (run here too) misplaces dy for windows not as high as wide.
    MaxPool3D: maxPool3dGradientFirstMax,
  },
  load: loadWasmPackage,
  register,
  /** Takes effect when wasm first initializes (tfjs cannot resize its pool later). */
  setNumThreads: (n) => {
    threads = Math.min(n, MAX_WASM_THREADS);
  },
  numThreads: () => (initialized() ? (wasm as typeof tfjsWasm).getThreadsCount() : threads),
};
