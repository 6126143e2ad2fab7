/**
 * Dropout in training as one kernel, where the backend has keras-ts's Dropout kernel (the native CPU
 * backend): its own random draws (a hash of the seed and the element's index, not tfjs's seeded
 * generator, so the masks differ from other backends'; the same seed gives the same mask), y = x ·
 * scale with scale = 1 / (1 - rate) where kept and 0 elsewhere, and a backward pass of dy · scale.
 * dropoutFused returns null elsewhere (another backend, a noise shape, not float32); the layer then
 * calls tfjs's dropout.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { FusedKernel, hasKernel, runFused } from '../engine/fused_kernels';

/** x with a fraction `rate` of its elements zeroed and the rest scaled by 1 / (1 - rate), or null where the backend has no Dropout kernel. */
export function dropoutFused(x: tfc.Tensor, rate: number, seed: number): tfc.Tensor | null {
  if (x.dtype !== 'float32' || !Number.isSafeInteger(seed) || seed < 0 || !hasKernel(FusedKernel.Dropout)) return null;
  registerGradient();
  const [y, scale] = runFused(FusedKernel.Dropout, { x }, { rate, seed });
  scale.dispose(); // a tape keeps its own reference for the backward pass
  return y;
}

let gradientRegistered = false;

/** The kernel's gradient, registered with tfjs-core on first use: dy times the saved scale. */
function registerGradient(): void {
  if (gradientRegistered) return;
  tfc.registerGradient({
    kernelName: FusedKernel.Dropout,
    outputsToSave: [false, true],
    gradFunc: (dys, saved) => ({ x: () => tfc.mul((dys as tfc.Tensor[])[0], saved[0]) }),
  });
  gradientRegistered = true;
}
