/** keras-ts's own CUDA backend (native/cuda, built by `npm run build:cuda`). */
import * as tfc from '@tensorflow/tfjs-core';
import { registerCpuFallbacks } from '../cpu_fallback';
import type { BackendProfile } from '../profile';
import { loadCudaAddon } from './addon';
import { CudaBackend } from './cuda_backend';
import { registerCudaKernels } from './kernels';

let registered = false;

export const cudaProfile: BackendProfile = {
  name: 'cuda',
  tfjsName: 'cuda',
  // fit keeps the data on the GPU and gathers each batch there: a batch's upload was most of a step.
  capabilities: { slowTransposedMatMul: false, slowFirstAxisSum: false, slowTanh: false, batchesOnDevice: true },
  /** The addon must be built and find a GPU (loadCudaAddon says what is missing). */
  register: () => {
    if (registered) return;
    const { addon, device } = loadCudaAddon();
    tfc.registerBackend('cuda', () => new CudaBackend(addon, device), 0);
    registerCudaKernels();
    registerCpuFallbacks('cuda');
    registered = true;
  },
  numThreads: () => 1,
  device: () => (tfc.engine().backendName === 'cuda' ? (tfc.backend() as unknown as { device?: string }).device : undefined),
};
