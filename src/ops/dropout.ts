/**
 * Dropout in training as one kernel each way, where the backend has keras-ts's Dropout kernel (the
 * native CPU backend), drawing exactly what tfc.dropout draws: the kernel runs seedrandom's alea from
 * the state that String(seed) seeds (ops/alea.ts), so y and the gradient equal tfjs's bit for bit and
 * seeded training gives the same numbers on every backend. Forward: one kernel giving y and the
 * multiplier (floor(u + keepProb) / keepProb); backward: dy · multiplier (the saved multiplier, one
 * Multiply, as tfjs's own gradient of its x · multiplier). dropoutFused returns null where tfjs's
 * dropout must run instead: another backend, a noise shape other than x's, a dtype other than float32.
 * Given a seed generator, it draws one seed only when it runs, and tells a step being captured
 * (backend/capture) how to draw the next step's state, so a replayed step draws a new mask each time.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { captureObserver } from '../backend/capture/observer';
import { FusedKernel, hasKernel, runFused } from '../engine/fused_kernels';
import { aleaState } from './alea';

/** Where seeds come from: a fixed seed, or a generator (a layer's SeedGenerator) drawn once per call. */
export type DropoutSeed = number | { next(): number };

/** tfc.dropout(x, rate, undefined, seed) in one kernel, or null (no seed drawn) where the backend has no Dropout kernel. */
export function dropoutFused(x: tfc.Tensor, rate: number, seed: DropoutSeed): tfc.Tensor | null {
  if (x.dtype !== 'float32' || !(rate > 0 && rate < 1) || !hasKernel(FusedKernel.Dropout)) return null;
  const draw = (): number[] => aleaState((typeof seed === 'number' ? seed : seed.next()).toString());
  registerGradient();
  captureObserver.current?.random(draw);
  const [y, multiplier] = runFused(FusedKernel.Dropout, { x }, { rate, state: draw() });
  multiplier.dispose(); // a tape keeps its own reference for the backward pass
  return y;
}

let gradientRegistered = false;

/** The kernel's gradient, registered with tfjs-core on first use: dy times the saved multiplier. */
function registerGradient(): void {
  if (gradientRegistered) return;
  tfc.registerGradient({
    kernelName: FusedKernel.Dropout,
    outputsToSave: [false, true],
    gradFunc: (dys, saved) => ({ x: () => tfc.mul((dys as tfc.Tensor[])[0], saved[0]) }),
  });
  gradientRegistered = true;
}
