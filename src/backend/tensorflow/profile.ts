/** @tensorflow/tfjs-node-gpu, where it is installed (it registers itself as 'tensorflow'). */
import { BackendError } from '../../engine/errors';
import type { BackendProfile } from '../profile';

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

export const tensorflowProfile: BackendProfile = {
  name: 'tensorflow',
  tfjsName: 'tensorflow',
  deviceType: 'GPU',
  capabilities: { slowTransposedMatMul: false, slowFirstAxisSum: false, slowTanh: false, batchesOnDevice: false },
  register: loadTfjsNodeGpu,
  numThreads: () => 1,
};
