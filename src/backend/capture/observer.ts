/**
 * The hook a backend's kernel registry calls while a step is being recorded (backend/capture): one
 * observer at a time, null otherwise (then a kernel pays one null check). `kernel` wraps a kernel
 * that has the backend's own version; `fallback` reports one that ran on a fallback (tfjs's
 * JavaScript code), which a recording cannot replay; `random` announces a kernel's random state.
 */
import type * as tfc from '@tensorflow/tfjs-core';

export type KernelArgs = Parameters<tfc.KernelFunc>[0];
export type KernelOut = tfc.TensorInfo | tfc.TensorInfo[];

export interface KernelObserver {
  kernel(name: string, args: KernelArgs, run: () => KernelOut): KernelOut;
  fallback(name: string): void;
  /**
   * Announces that the next kernel draws random numbers from a state passed to it as numbers (the
   * Dropout kernel's alea state), with `draw`, which gives the state of the next step's draw (a
   * replay calls it once per step, in the recorded order, as the eager step would have).
   */
  random(draw: () => number[]): void;
}

export const captureObserver: { current: KernelObserver | null } = { current: null };
