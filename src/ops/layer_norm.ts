/**
 * LayerNormalization over the last axis as one kernel each way, where the backend has keras-ts's
 * LayerNorm kernel (the native CPU backend): y = (x - mean) / sqrt(variance + epsilon) · gamma + beta
 * with each row's own mean and biased variance, and its backward pass (dx, dgamma and dbeta) in one
 * more, instead of moments, rsqrt, mul and add each taped with its own gradient. layerNormLastAxis
 * returns null elsewhere (another backend, or not float32), and the layer computes it from tfjs ops.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { FusedKernel, hasKernel, runFused } from '../engine/fused_kernels';

/** x normalized over its last axis with `gamma` and `beta` (absent: 1 and 0), or null where the backend has no LayerNorm kernel. */
export function layerNormLastAxis(x: tfc.Tensor, gamma: tfc.Tensor | undefined, beta: tfc.Tensor | undefined, epsilon: number): tfc.Tensor | null {
  if (x.dtype !== 'float32' || x.size === 0 || !hasKernel(FusedKernel.LayerNorm)) return null;
  registerGradient();
  const channels = x.shape[x.rank - 1];
  return tfc.tidy(() => {
    const [y] = runFused(FusedKernel.LayerNorm, { x, gamma: gamma ?? tfc.ones([channels]), beta: beta ?? tfc.zeros([channels]) }, { epsilon });
    return y; // a tape keeps its own references to the row statistics for the backward pass
  });
}

let gradientRegistered = false;

/** The kernel's gradient, registered with tfjs-core on first use: one LayerNormGrad kernel. */
function registerGradient(): void {
  if (gradientRegistered) return;
  tfc.registerGradient({
    kernelName: FusedKernel.LayerNorm,
    inputsToSave: ['x', 'gamma'],
    outputsToSave: [false, true, true],
    gradFunc: (dys, saved) => {
      const dy = (dys as tfc.Tensor[])[0]; // the statistics feed nothing a loss reads
      const [x, gamma, mean, rstd] = saved;
      const [dx, dgamma, dbeta] = runFused(FusedKernel.LayerNormGrad, { dy, x, gamma, mean, rstd }, {});
      return { x: () => dx, gamma: () => dgamma, beta: () => dbeta };
    },
  });
  gradientRegistered = true;
}
