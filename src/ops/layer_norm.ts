/**
 * LayerNormalization over the last axis as one kernel each way, where the backend has keras-ts's
 * LayerNorm kernel (the native CPU backend): y = (x - mean) / sqrt(variance + epsilon) · gamma + beta
 * with each row's own mean and biased variance, and its backward pass (dx, dgamma and dbeta) in one
 * more (a customGrad op that keeps no copy of a variable gamma), instead of moments, rsqrt, mul and
 * add each taped with its own gradient. layerNormLastAxis returns null elsewhere (another backend, or
 * not float32), and the layer computes it from tfjs ops.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { FusedKernel, hasKernel, runFused } from '../engine/fused_kernels';
import { outlivesStep, saveForGradient } from './gradient_saves';

type CustomGradientFunc = Parameters<typeof tfc.customGrad>[0];

/** x normalized over its last axis with `gamma` and `beta` (absent: 1 and 0), or null where the backend has no LayerNorm kernel. */
export function layerNormLastAxis(x: tfc.Tensor, gamma: tfc.Tensor | undefined, beta: tfc.Tensor | undefined, epsilon: number): tfc.Tensor | null {
  if (x.dtype !== 'float32' || x.size === 0 || !hasKernel(FusedKernel.LayerNorm)) return null;
  const channels = x.shape[x.rank - 1];
  return tfc.tidy(() => {
    const [g, b] = [gamma ?? tfc.ones([channels]), beta ?? tfc.zeros([channels])];
    if (!tfc.engine().isTapeOn()) return runFused(FusedKernel.LayerNorm, { x, gamma: g, beta: b }, { epsilon })[0]; // nothing takes a gradient
    // One op of its own: the backward pass reads x, gamma and the row statistics; gamma, a variable, is read as it is (no saved copy).
    const forward = (a: tfc.Tensor, scale: tfc.Tensor, offset: tfc.Tensor, save: tfc.GradSaveFunc) => {
      const [y, mean, rstd] = runFused(FusedKernel.LayerNorm, { x: a, gamma: scale, beta: offset }, { epsilon });
      const restore = saveForGradient(save, [a, scale, mean, rstd], [false, outlivesStep(scale), false, false]);
      const gradFunc = (dy: tfc.Tensor, saved: tfc.Tensor[]): tfc.Tensor[] => {
        const [sx, sg, sm, sr] = restore(saved);
        return runFused(FusedKernel.LayerNormGrad, { dy, x: sx, gamma: sg, mean: sm, rstd: sr }, {}); // [dx, dgamma, dbeta]
      };
      return { value: y, gradFunc };
    };
    return tfc.customGrad(forward as unknown as CustomGradientFunc)(x, g, b);
  });
}
