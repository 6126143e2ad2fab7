/**
 * Pieces of attention shared by the attention layers: the causal mask and the masked softmax, as Keras
 * computes them. Where the backend has keras-ts's MaskedSoftmax kernel (the native CPU backend) the
 * masked softmax is that one kernel and its gradient one SoftmaxGrad, instead of where / fill /
 * softmax / where and their taped gradients. Where it has AttentionCore, attentionCore is the whole
 * scaled dot-product attention (scores, masked softmax, value product) in one kernel each way, on
 * the projections' [B, steps, heads, size] layout (no transposes); elsewhere it returns null.
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

/**
 * Scaled dot-product attention on the projections' layout: q [B, T, H, D], k [B, S, H, D], v [B, S, H, Dv]
 * and a bool mask broadcast to [B, T, S] (null: none) give the heads [B, T, H, Dv] and the probabilities
 * [B, H, T, S] (the masked softmax of scale · q·kᵀ), each differentiable. One AttentionCore kernel
 * forward and one AttentionCoreGrad backward; null where the backend has no AttentionCore kernel or
 * the inputs are not float32 of those shapes (the caller then runs the ops).
 */
export function attentionCore(q: tfc.Tensor, k: tfc.Tensor, v: tfc.Tensor, mask: tfc.Tensor | null, scale: number): { heads: tfc.Tensor; probs: tfc.Tensor } | null {
  if (!hasKernel(FusedKernel.AttentionCore) || [q, k, v].some((t) => t.dtype !== 'float32' || t.rank !== 4)) return null;
  const [b, t, h, d] = q.shape;
  const s = k.shape[1];
  if (!(k.shape[0] === b && k.shape[2] === h && k.shape[3] === d && v.shape[0] === b && v.shape[1] === s && v.shape[2] === h)) return null;
  if (mask !== null && (mask.dtype !== 'bool' || mask.rank > 3 || !mask.shape.every((n, i) => n === 1 || n === [b, t, s][i + 3 - mask.rank]))) return null;
  registerCoreGradient();
  const m = mask ?? tfc.ones([1, 1, 1], 'bool');
  const [heads, probs] = runFused(FusedKernel.AttentionCore, { q, k, v, mask: m }, { scale, maskShape: m.shape });
  if (mask === null) m.dispose();
  return { heads, probs };
}

let coreGradientRegistered = false;

/** AttentionCore's gradient, registered with tfjs-core on first use: one AttentionCoreGrad kernel (the mask, boolean, gets zeros). */
function registerCoreGradient(): void {
  if (coreGradientRegistered) return;
  tfc.registerGradient({
    kernelName: FusedKernel.AttentionCore,
    inputsToSave: ['q', 'k', 'v'],
    outputsToSave: [false, true],
    gradFunc: (dys, saved, attrs) => {
      const [dOut, dProbs] = dys as tfc.Tensor[]; // tfjs-core passes zeros for an output nothing read
      const [q, k, v, probs] = saved;
      const [dq, dk, dv] = runFused(FusedKernel.AttentionCoreGrad, { dOut, dProbs, q, k, v, probs }, { scale: attrs.scale });
      return { q: () => dq, k: () => dk, v: () => dv, mask: () => tfc.zeros(attrs.maskShape as number[]) };
    },
  });
  coreGradientRegistered = true;
}
