/**
 * What a customGrad op saves for its backward pass. tfjs-core's engine keeps a copy of every saved
 * tensor (an Identity kernel each, run in every training step); a tensor that outlives the step
 * anyway (a variable, the batch's own data) needs no copy, and the gradient function reads it as it
 * is. `saveForGradient(save, tensors, lasting)` saves the others and returns the function that gives
 * the gradient function back the whole list, in the order given.
 */
import * as tfc from '@tensorflow/tfjs-core';

/** Whether `t` outlives a training step without a saved copy: a variable (or the batch's data, which the caller knows). */
export function outlivesStep(t: tfc.Tensor, batchData = false): boolean {
  return batchData || t instanceof tfc.Variable;
}

/** Saves the tensors not marked lasting; the returned function rebuilds the full list from what the engine saved. */
export function saveForGradient(save: tfc.GradSaveFunc, tensors: tfc.Tensor[], lasting: boolean[]): (saved: tfc.Tensor[]) => tfc.Tensor[] {
  save(tensors.filter((_, i) => !lasting[i]));
  return (saved) => {
    let next = 0;
    return tensors.map((t, i) => (lasting[i] ? t : saved[next++]));
  };
}
