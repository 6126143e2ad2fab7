/**
 * 'native': keras-ts's native CPU backend, registered with tfjs-core as 'native':
 * tfjs-backend-cpu's tensors (typed arrays in host memory) with the hot kernels in an N-API addon
 * on oneDNN (native/cpu), the other kernels keras-cpu's. Every core by default. Loading the addon
 * (in register) sets OMP_WAIT_POLICY unless the user set it (addon.ts says why).
 */
import * as tfc from '@tensorflow/tfjs-core';
import { FusedKernel, runFused } from '../../engine/fused_kernels';
import type { BackendProfile, GradientOverride } from '../profile';
import { loadNativeAddon, NATIVE_PACKAGE, nativeAddonSource } from './addon';
import { registerNativeKernels } from './kernels';
import type * as backendModule from './native_backend';

let registered = false;

/** An activation's gradient as one kernel (tfjs-core's takes two or three), from its saved output or input. */
function activationGradient(activation: string, saved: { inputsToSave?: string[]; outputsToSave?: boolean[] }): GradientOverride {
  return {
    ...saved,
    gradFunc: (dy, [y]) => ({ x: () => runFused(FusedKernel.ActivationGrad, { dy: dy as tfc.Tensor, y }, { activation })[0] }),
  };
}

/**
 * dy of a reduction (Sum, Mean: `divide` by the reduced size) spread back over x's shape: dy reshaped
 * with the reduced axes kept as 1, then tiled (one Tile kernel). tfjs-core's gradients multiply it by a
 * tensor of ones of x's shape, which they fill in JavaScript on every call; the values are the same.
 */
function reductionGradient(divide: boolean): GradientOverride {
  return {
    inputsToSave: ['x'],
    gradFunc: (dy, [x], attrs) => {
      const axes = tfc.util.parseAxisParam(attrs.axis as number | number[], x.shape);
      const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
      const count = axes.reduce((n, a) => n * x.shape[a], 1);
      return {
        x: () => tfc.tidy(() => {
          const g = tfc.reshape(dy as tfc.Tensor, kept);
          return tfc.broadcastTo(divide ? tfc.div(g, count) : g, x.shape);
        }),
      };
    },
  };
}

export const nativeProfile: BackendProfile = {
  name: 'native',
  tfjsName: 'native',
  autoPriority: 3,
  startsSynchronously: true,
  // fit keeps the arrays as tensors and gathers each batch with the addon (a memcpy per row, into a
  // reused array) instead of JavaScript row copies into a fresh array of 400 KB per batch of 128.
  capabilities: { slowTransposedMatMul: false, slowFirstAxisSum: false, slowTanh: false, batchesOnDevice: true },
  gradients: {
    Sigmoid: activationGradient('sigmoid', { outputsToSave: [true] }),
    Relu: activationGradient('relu', { inputsToSave: ['x'] }), // relu'(x) = relu'(relu(x)): x > 0
    Relu6: activationGradient('relu6', { inputsToSave: ['x'] }), // relu6'(x) = relu6'(relu6(x)): 0 < x < 6
    Sum: reductionGradient(false),
    Mean: reductionGradient(true),
  },
  /** The addon must be built (loadNativeAddon says what is missing and the command that builds it). */
  register: () => {
    if (registered) return;
    const addon = loadNativeAddon();
    // native_backend.ts extends tfjs-backend-cpu's class: loaded only now.
    const { NativeBackend } = require('./native_backend') as typeof backendModule;
    tfc.registerBackend('native', () => new NativeBackend(addon), 3);
    registerNativeKernels('native');
    registered = true;
  },
  setNumThreads: (n) => loadNativeAddon().setNumThreads(n),
  numThreads: () => loadNativeAddon().getNumThreads(),
  device: () => {
    const info = loadNativeAddon().info();
    const from = nativeAddonSource();
    return `CPU, ${info.cores} cores (${info.isa}), oneDNN ${info.onednn}${from?.kind === 'package' ? `, prebuilt ${NATIVE_PACKAGE}` : ''}`;
  },
};
