/**
 * What the training step saves for its backward pass. tfjs-core's engine keeps a copy of every
 * tensor a kernel or a customGrad op saves: `engine.clone`, an Identity kernel and a tape node each,
 * run in every step (35 of the transformer example's 116 kernels per step). Two ways to need fewer:
 * - a tensor that outlives the step anyway (a variable, the batch's own data) needs no copy, and the
 *   op's gradient function reads it as it is (`saveForGradient`'s `lasting`);
 * - inside `withStepSaves` (the built-in training step's gradient pass), the engine's copies are
 *   shared handles: a second handle on the same data, which is what the Identity kernel makes on
 *   every backend, made without the kernel call or the tape node. The engine keeps and frees them
 *   as it does its copies. Only the outermost tape shares: a gradient taken inside the step (a
 *   gradient penalty) differentiates through its saved tensors, whose copies must stay on the tape.
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

/** The engine as this file uses it: its save-time copy (private in tfjs-core's typings) and its tape depth. */
interface SavingEngine {
  clone(x: tfc.Tensor): tfc.Tensor;
  state: { gradientDepth: number };
}

let sharing = 0;

/**
 * Runs `f` (a gradient pass: tfc.variableGrads) with the engine's saved copies made as shared
 * handles while the outermost tape records; the engine's own copy is back when `f` returns or throws.
 */
export function withStepSaves<T>(f: () => T): T {
  const engine = tfc.engine() as unknown as SavingEngine;
  const own = Object.getPrototypeOf(engine).clone as SavingEngine['clone'] | undefined;
  if (sharing > 0 || typeof own !== 'function' || Object.prototype.hasOwnProperty.call(engine, 'clone')) return f();
  engine.clone = function (x: tfc.Tensor): tfc.Tensor {
    return (this.state.gradientDepth === 1 ? shareData(x) : null) ?? own.call(this, x);
  };
  sharing++;
  try {
    return f();
  } finally {
    sharing--;
    delete (engine as Partial<SavingEngine>).clone;
  }
}
