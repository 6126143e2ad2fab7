/**
 * Softmax over the last axis as an op with its gradient written out: y·dy - Σ(y·dy)·y, as tfjs's
 * Softmax gradient computes it, or one SoftmaxGrad kernel where the backend has it (the native CPU
 * backend: one pass instead of four kernels). Its output is what it saves for the backward pass. On
 * a backend with keras-ts's Softmax and SoftmaxGrad kernels, the op is that Softmax kernel with its
 * gradient registered with tfjs-core (no customGrad scope); elsewhere it is a customGrad.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { FusedKernel, hasKernel, runFused } from '../engine/fused_kernels';

type CustomGradientFunc = Parameters<typeof tfc.customGrad>[0];

export function softmaxLastAxis(x: tfc.Tensor): tfc.Tensor {
  if (!tfc.engine().isTapeOn() || x.dtype !== 'float32') return tfc.softmax(x, -1);
  if (x.rank > 0 && hasKernel(FusedKernel.Softmax) && hasKernel(FusedKernel.SoftmaxGrad)) {
    registerGradient();
    return runFused(FusedKernel.Softmax, { logits: x }, { dim: -1 })[0];
  }
  const op = tfc.customGrad(((z: tfc.Tensor, save: tfc.GradSaveFunc) => {
    const y = tfc.softmax(z, -1);
    save([y]);
    const gradFunc = (dy: tfc.Tensor, saved: tfc.Tensor[]): tfc.Tensor => {
      const [p] = saved;
      if (hasKernel(FusedKernel.SoftmaxGrad)) return runFused(FusedKernel.SoftmaxGrad, { p, dy }, {})[0];
      const dyTimesY = tfc.mul(dy, p);
      return tfc.sub(dyTimesY, tfc.mul(tfc.sum(dyTimesY, -1, true), p));
    };
    return { value: y, gradFunc };
  }) as unknown as CustomGradientFunc);
  return op(x);
}

let gradientRegistered = false;

/** The Softmax kernel's gradient, registered with tfjs-core on first use: one SoftmaxGrad kernel from the saved output. */
function registerGradient(): void {
  if (gradientRegistered) return;
  tfc.registerGradient({
    kernelName: FusedKernel.Softmax,
    outputsToSave: [true],
    gradFunc: (dy, saved) => ({ logits: () => runFused(FusedKernel.SoftmaxGrad, { p: saved[0], dy: dy as tfc.Tensor }, {})[0] }),
  });
  gradientRegistered = true;
}
