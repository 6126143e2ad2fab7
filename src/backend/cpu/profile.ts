/** tfjs-backend-cpu: plain JavaScript, everywhere. */
import * as tfc from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { conv2dGradientAsConvolutions } from '../conv_gradient';
import type { BackendProfile } from '../profile';

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

let registered = false;

export const cpuProfile: BackendProfile = {
  name: 'cpu',
  tfjsName: 'cpu',
  autoPriority: 1,
  capabilities: { slowTransposedMatMul: false, slowFirstAxisSum: false, slowTanh: false, batchesOnDevice: false },
  // tfjs-backend-cpu's convolution backprops are plain loops; its forward convolution is faster.
  gradients: { Conv2D: conv2dGradientAsConvolutions },
  register: () => {
    if (registered) return;
    registerQuietCpu();
    registered = true;
  },
  numThreads: () => 1,
};
