/**
 * keras-ts's own CUDA backend (native/cuda, built by `npm run build:cuda`). Its devices are the
 * GPUs the addon sees (CUDA_VISIBLE_DEVICES applied by the CUDA runtime); it computes on one of
 * them per process, chosen with selectDevice (setBackend('cuda:1'), device('/gpu:1', fn)) before
 * its first start, GPU 0 otherwise.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { BackendError } from '../../engine/errors';
import { registerCpuFallbacks } from '../cpu_fallback';
import type { BackendProfile } from '../profile';
import { cudaDeviceInUse, cudaDevices, loadCudaAddon, oneGpuMessage } from './addon';
import { CudaBackend } from './cuda_backend';
import { registerCudaKernels } from './kernels';

let registered = false;
/** The GPU selectDevice chose, for the first start. */
let selected: number | undefined;

const GIB = 1024 ** 3;

export const cudaProfile: BackendProfile = {
  name: 'cuda',
  tfjsName: 'cuda',
  deviceType: 'GPU',
  startsSynchronously: true, // its factory is synchronous; without autoPriority it is never started unasked
  // fit keeps the data on the GPU and gathers each batch there: a batch's upload was most of a step.
  capabilities: { slowTransposedMatMul: false, slowFirstAxisSum: false, slowTanh: false, batchesOnDevice: true },
  /** The addon must be built and find a GPU (loadCudaAddon says what is missing). */
  register: () => {
    if (registered) return;
    const { addon, device } = loadCudaAddon(selected);
    tfc.registerBackend('cuda', () => new CudaBackend(addon, device), 0);
    registerCudaKernels();
    registerCpuFallbacks('cuda');
    registered = true;
  },
  listDevices: () => {
    const { devices, unavailable } = cudaDevices();
    const describe = (d: { name: string; computeCapability?: number; memoryBytes?: number }): string =>
      [d.name, d.computeCapability !== undefined ? `compute capability ${(d.computeCapability / 10).toFixed(1)}` : '', d.memoryBytes ? `${(d.memoryBytes / GIB).toFixed(1)} GiB` : '']
        .filter((part) => part !== '')
        .join(', ');
    return { devices: devices.map((d) => ({ description: describe(d) })), ...(unavailable !== undefined ? { unavailable } : {}) };
  },
  selectDevice: (index) => {
    const inUse = cudaDeviceInUse();
    if (inUse !== undefined && inUse !== index) throw new BackendError(oneGpuMessage(inUse, index));
    selected = index;
  },
  selectedDevice: () => cudaDeviceInUse() ?? selected ?? 0,
  numThreads: () => 1,
  device: () => (tfc.engine().backendName === 'cuda' ? (tfc.backend() as unknown as { device?: string }).device : undefined),
};
