/**
 * ops/recurrent.ts's sequence as one backend kernel (FusedKernel.RecurrentSequence), forward and
 * backward, where the active backend has it (the native CPU backend: native/cpu/rnn.cc) and the cell
 * is one it knows: LSTM or GRU (reset_after) with tanh and sigmoid, without recurrent dropout.
 * Same inputs and the same result layout as recurrentSequence: the h after every step [T, B, u],
 * then LSTM's final c as one more [1, B, u] slice; or, with layout.batchMajor, xw [B, T, G] and mask
 * [B, T] as the layer's input comes (no transposes) and the states [B, T (+1), u]; layout.reverse
 * runs the steps from the end of xw and mask (goBackwards, no reverse). Under a gradient tape the
 * forward keeps a workspace (the gates of every step) that the backward kernel reads; outside one
 * it keeps nothing.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { FusedKernel, hasKernel, runFused } from '../engine/fused_kernels';
import { outlivesStep, saveForGradient } from './gradient_saves';
import type { SequenceArgs, StepKernel } from './recurrent';

/** How xw, the mask and the states are laid out for the kernel (see the top of this file). */
export interface SequenceLayout {
  batchMajor: boolean;
  reverse: boolean;
}
const TIME_MAJOR: SequenceLayout = { batchMajor: false, reverse: false };

type CustomGradientFunc = Parameters<typeof tfc.customGrad>[0];

/** Whether the active backend runs this cell's whole sequence (with recurrent dropout it never does). */
export function nativeCellAvailable(kernel: StepKernel | null, recurrentDropout: boolean): boolean {
  if (kernel?.native === undefined || recurrentDropout) return false;
  return hasKernel(FusedKernel.RecurrentSequence) && hasKernel(FusedKernel.RecurrentSequenceGrad);
}


/** The sequence through the backend's kernel: nativeCellAvailable must hold, and xw be float32. */
export function nativeSequence(args: SequenceArgs, layout: SequenceLayout = TIME_MAJOR): tfc.Tensor3D {
  const cell = args.kernel.native as 'lstm' | 'gru';
  const { batchMajor, reverse } = layout;
  const named: Record<string, tfc.Tensor | undefined> = {
    xw: args.xw, recurrentKernel: args.recurrentKernel, recurrentBias: args.recurrentBias,
    h0: args.initialStates[0], c0: cell === 'lstm' ? args.initialStates[1] : undefined, mask: args.mask,
  };
  const names = Object.keys(named).filter((key) => named[key] !== undefined);
  const inputsOf = (values: tfc.Tensor[]): Record<string, tfc.Tensor> => Object.fromEntries(names.map((key, i) => [key, values[i]]));
  if (!tfc.engine().isTapeOn()) {
    return runFused(FusedKernel.RecurrentSequence, inputsOf(names.map((key) => named[key] as tfc.Tensor)), { cell, saveWork: false, batchMajor, reverse })[0] as tfc.Tensor3D;
  }
  const op = tfc.customGrad(((...all: Array<tfc.Tensor | tfc.GradSaveFunc>) => {
    const save = all[all.length - 1] as tfc.GradSaveFunc;
    const given = inputsOf(all.slice(0, -1) as tfc.Tensor[]);
    const [states, work] = runFused(FusedKernel.RecurrentSequence, given, { cell, saveWork: true, batchMajor, reverse });
    const kept = [work, given.recurrentKernel, ...(given.mask ? [given.mask] : [])];
    const restore = saveForGradient(save, kept, [false, outlivesStep(given.recurrentKernel), false]); // a variable kernel: no saved copy
    const gradFunc = (dy: tfc.Tensor, saved: tfc.Tensor[]): tfc.Tensor[] => {
      const [savedWork, u, mask] = restore(saved);
      const grads = runFused(FusedKernel.RecurrentSequenceGrad, { dy, work: savedWork, recurrentKernel: u, ...(mask ? { mask } : {}) },
        { cell, hasRecurrentBias: given.recurrentBias !== undefined, batchMajor, reverse });
      const [dxw, du, dh0] = grads;
      const dc0 = cell === 'lstm' ? grads[3] : undefined;
      const dBias = given.recurrentBias !== undefined ? grads[grads.length - 1] : undefined;
      const byName: Record<string, () => tfc.Tensor> = {
        xw: () => dxw, recurrentKernel: () => du, recurrentBias: () => dBias as tfc.Tensor, h0: () => dh0, c0: () => dc0 as tfc.Tensor,
        mask: () => tfc.zerosLike(mask as tfc.Tensor),
      };
      return names.map((key) => byName[key]());
    };
    return { value: states, gradFunc };
  }) as unknown as CustomGradientFunc);
  return op(...names.map((key) => named[key] as tfc.Tensor)) as tfc.Tensor3D;
}
