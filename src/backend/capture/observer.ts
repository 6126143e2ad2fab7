/**
 * The hook a backend's kernel registry calls while a step is being recorded (backend/capture): one
 * observer at a time, null otherwise (then a kernel pays one null check). `kernel` wraps a kernel
 * that has the backend's own version; `fallback` reports one that ran on a fallback (tfjs's
 * JavaScript code), which a recording cannot replay.
 */
import type * as tfc from '@tensorflow/tfjs-core';

export type KernelArgs = Parameters<tfc.KernelFunc>[0];
export type KernelOut = tfc.TensorInfo | tfc.TensorInfo[];

export interface KernelObserver {
  kernel(name: string, args: KernelArgs, run: () => KernelOut): KernelOut;
  fallback(name: string): void;
}

export const captureObserver: { current: KernelObserver | null } = { current: null };
