/**
 * Pieces of attention shared by the attention layers: the causal mask and the masked softmax, as Keras
 * computes them. Where the backend has keras-ts's MaskedSoftmax kernel (the native CPU backend) the
 * masked softmax is that one kernel and its gradient one SoftmaxGrad, instead of where / fill /
 * softmax / where and their taped gradients.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { FusedKernel, hasKernel, runFused } from '../engine/fused_kernels';

/** [1, T, S]: true where query step t may attend to key step s (s <= t), Keras's lower triangle. */
export function causalMask(t: number, s: number): tfc.Tensor {
  return tfc.tidy(() => tfc.expandDims(tfc.greaterEqual(tfc.expandDims(tfc.range(0, t, 1, 'int32'), 1), tfc.expandDims(tfc.range(0, s, 1, 'int32'), 0)), 0));
}

/** Several masks combined with and (nulls skipped); null when there is none. */
export function allOf(masks: Array<tfc.Tensor | null | undefined>): tfc.Tensor | null {
  const given = masks.filter((m): m is tfc.Tensor => m !== null && m !== undefined).map((m) => (m.dtype === 'bool' ? m : tfc.notEqual(m, 0)));
  return given.length === 0 ? null : given.reduce((a, b) => tfc.logicalAnd(a, b));
}

/**
 * Softmax over the last axis where `mask` (broadcast to the scores) is true; masked scores are
 * set to -1e9 first and the masked probabilities to 0 after, as Keras's Softmax layer does.
 */
export function maskedSoftmax(scores: tfc.Tensor, mask: tfc.Tensor | null): tfc.Tensor {
  if (mask === null) return tfc.softmax(scores);
  if (scores.dtype === 'float32' && mask.dtype === 'bool' && mask.rank <= scores.rank && hasKernel(FusedKernel.MaskedSoftmax)) {
    const shape = [...new Array<number>(scores.rank - mask.rank).fill(1), ...mask.shape];
    if (shape.every((d, i) => d === 1 || d === scores.shape[i])) {
      registerGradient();
      return runFused(FusedKernel.MaskedSoftmax, { scores, mask }, {})[0]; // one kernel each way (the native backend)
    }
  }
  return tfc.tidy(() => {
    const full = tfc.logicalAnd(mask, tfc.ones(scores.shape, 'bool'));
    const p = tfc.softmax(tfc.where(full, scores, tfc.fill(scores.shape, -1e9)));
    return tfc.where(full, p, tfc.zerosLike(p));
  });
}

let gradientRegistered = false;

/** MaskedSoftmax's gradient, registered with tfjs-core on first use: one SoftmaxGrad kernel (the mask, boolean, gets none). */
function registerGradient(): void {
  if (gradientRegistered) return;
  tfc.registerGradient({
    kernelName: FusedKernel.MaskedSoftmax,
    inputsToSave: ['mask'],
    outputsToSave: [true],
    gradFunc: (dy, saved) => {
      const [mask, p] = saved;
      return { scores: () => runFused(FusedKernel.SoftmaxGrad, { p, dy: dy as tfc.Tensor }, {})[0], mask: () => tfc.zeros(mask.shape) };
    },
  });
  gradientRegistered = true;
}
