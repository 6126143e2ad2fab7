/**
 * What a customGrad op saves for its backward pass. tfjs-core's engine keeps a copy of every saved
 * tensor: an Identity kernel and a tape node each, run in every training step. Two ways to need fewer:
 * - a tensor that outlives the step anyway (a variable, the batch's own data) needs no copy, and the
 *   gradient function reads it as it is (`lasting`);
 * - inside `withStepSaves` (the built-in training step's gradient pass), the others are shared
 *   rather than copied: a second handle on the same data, which is what the Identity kernel makes,
 *   without the kernel call or the tape node. The step owns the handles and frees them when its
 *   gradients are taken. Outside it (a user's own tfc.grads), the engine saves as usual.
 * `saveForGradient(save, tensors, lasting)` saves and returns the function that gives the gradient
 * function back the whole list, in the order given.
 */
import * as tfc from '@tensorflow/tfjs-core';

/** Whether `t` outlives a training step without a saved copy: a variable (or the batch's data, which the caller knows). */
export function outlivesStep(t: tfc.Tensor, batchData = false): boolean {
  return batchData || t instanceof tfc.Variable;
}

/** The handles shared in the innermost withStepSaves, or null outside one. */
let stepSaves: tfc.Tensor[] | null = null;

/**
 * Runs `f` (a gradient pass: tfc.variableGrads and the like) with the tensors that ops save for its
 * backward pass shared instead of copied; the shared handles are freed when `f` returns or throws.
 */
export function withStepSaves<T>(f: () => T): T {
  const outer = stepSaves;
  const mine: tfc.Tensor[] = [];
  stepSaves = mine;
  try {
    return f();
  } finally {
    stepSaves = outer;
    tfc.dispose(mine);
  }
}

/**
 * A second handle on t's data in the current scope: what tfc.clone makes (the Identity kernel's
 * output), without the kernel call; null where t's data is not the active backend's.
 */
export function shareData(t: tfc.Tensor): tfc.Tensor | null {
  const engine = tfc.engine();
  const backend = engine.backend;
  if (t.dtype === 'complex64' || t.dtype === 'string' || t.isDisposed || backend.refCount(t.dataId) === 0) return null;
  backend.incRef(t.dataId);
  return engine.makeTensorFromTensorInfo({ dataId: t.dataId, shape: t.shape, dtype: t.dtype }, backend);
}

/** Saves the tensors not marked lasting; the returned function rebuilds the full list from what the engine saved. */
export function saveForGradient(save: tfc.GradSaveFunc, tensors: tfc.Tensor[], lasting: boolean[]): (saved: tfc.Tensor[]) => tfc.Tensor[] {
  const saves = stepSaves;
  if (saves !== null) {
    const shared = tensors.map((t, i) => (lasting[i] ? t : shareData(t)));
    if (shared.every((t) => t !== null)) {
      saves.push(...shared.filter((t, i): t is tfc.Tensor => !lasting[i] && t !== null).map((t) => tfc.keep(t)));
      save([]);
      return () => shared as tfc.Tensor[];
    }
    tfc.dispose(shared.filter((t, i): t is tfc.Tensor => !lasting[i] && t !== null));
  }
  save(tensors.filter((_, i) => !lasting[i]));
  return (saved) => {
    let next = 0;
    return tensors.map((t, i) => (lasting[i] ? t : saved[next++]));
  };
}
