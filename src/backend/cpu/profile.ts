/**
 * 'cpu': tfjs-backend-cpu's code (plain JavaScript, everywhere) as keras-ts's own tfjs backend
 * 'keras-cpu': tfjs-backend-cpu's kernels copied under that name, with keras-ts's segment sum, and
 * its MathBackendCPU without the one-time banner that recommends tfjs-node. tfjs's own 'cpu'
 * backend and kernels stay as tfjs-backend-cpu registered them.
 */
import { avgPool3dGradientByCount, avgPoolGradientByCount } from '../avg_pool_gradient';
import { maxPool3dGradientFirstMax } from '../max_pool3d_gradient';
import * as tfc from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { conv2dGradientAsConvolutions } from '../conv_gradient';
import type { BackendProfile } from '../profile';
import { copyKernels } from '../copy_kernels';
import { unsortedSegmentSum } from '../segment_sum';

export const KERAS_CPU = 'keras-cpu';

/** A MathBackendCPU that prints no banner (for keras-cpu, and the CPU fallback's private instance). */
export function quietCpuBackend(): MathBackendCPU {
  const { MathBackendCPU } = require('@tensorflow/tfjs-backend-cpu') as typeof import('@tensorflow/tfjs-backend-cpu');
  const backend = new MathBackendCPU();
  (backend as unknown as { firstUse: boolean }).firstUse = false;
  return backend;
}

let registered = false;

function register(): void {
  if (registered) return;
  require('@tensorflow/tfjs-backend-cpu'); // registers tfjs's 'cpu' and its kernels, as it does for any user
  tfc.registerBackend(KERAS_CPU, quietCpuBackend, 1);
  copyKernels('cpu', KERAS_CPU, { UnsortedSegmentSum: unsortedSegmentSum });
  registered = true;
}

/** keras-cpu's kernels by name (registering it first): what the native backend and the CPU fallbacks run. */
export function cpuKernels(): Map<string, tfc.KernelConfig> {
  register();
  return new Map(tfc.getKernelsForBackend(KERAS_CPU).map((k) => [k.kernelName, k]));
}

export const cpuProfile: BackendProfile = {
  name: 'cpu',
  tfjsName: KERAS_CPU,
  autoPriority: 1,
  startsSynchronously: true,
  capabilities: { slowTransposedMatMul: false, slowFirstAxisSum: false, slowTanh: false, batchesOnDevice: false, slowGather: true },
  // tfjs-backend-cpu's convolution backprops are plain loops; its forward convolution is faster.
  // Its AvgPoolGrad kernels divide by the whole window at padded edges (avg_pool_gradient.ts).
  gradients: { Conv2D: conv2dGradientAsConvolutions, AvgPool: avgPoolGradientByCount, AvgPool3D: avgPool3dGradientByCount, MaxPool3D: maxPool3dGradientFirstMax },
  register,
  numThreads: () => 1,
};
