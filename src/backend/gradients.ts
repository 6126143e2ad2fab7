/**
 * Makes tfjs-core's gradients and its chained tensor methods (`t.square()`, `t.slice(...)`)
 * available, once per process, on a fresh install (see esm_linker.ts for why this cannot be a
 * plain `require`; the linker is tested against the exact tfjs-core version package.json pins),
 * and installs the gradients backends replace: for each kernel some profile overrides, one
 * registered gradient that runs the active backend's override, or tfjs-core's own where the
 * active backend has none.
 */
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import { EsmLinker } from './esm_linker';
import { activeProfile, BackendProfile } from './profile';
import { registerZeroGradients } from './zero_gradients';

let registered = false;
/** tfjs-core's own gradients of the kernels that some backend overrides. */
const originals = new Map<string, tfc.GradConfig>();

/** Registers every gradient and chained method tfjs-core defines (idempotent; cheap after the first call). */
export function ensureGradients(): void {
  if (registered) return;
  const linker = new EsmLinker(path.dirname(require.resolve('@tensorflow/tfjs-core')));
  if (tfc.getGradient(tfc.Add) === undefined) linker.load('register_all_gradients');
  if (typeof (tfc.Tensor.prototype as { square?: unknown }).square !== 'function') linker.load('public/chained_ops/register_all_chained_ops');
  registerZeroGradients();
  registered = true;
}

/** Installs the dispatching gradient for every kernel these profiles override (idempotent). */
export function installGradientOverrides(profiles: BackendProfile[]): void {
  ensureGradients();
  for (const profile of profiles) {
    for (const [kernelName, override] of Object.entries(profile.gradients ?? {})) {
      let original = originals.get(kernelName);
      if (original === undefined) {
        original = tfc.getGradient(kernelName);
        if (original === undefined) throw new Error(`gradients: ${profile.name} overrides the gradient of '${kernelName}', which tfjs-core does not define.`);
        originals.set(kernelName, original);
        const own = original;
        tfc.registerGradient({
          kernelName,
          inputsToSave: own.inputsToSave,
          outputsToSave: own.outputsToSave,
          gradFunc: (dy, saved, attrs) => {
            const replaced = activeProfile()?.gradients?.[kernelName];
            return replaced ? replaced.gradFunc(dy, saved, attrs, own.gradFunc) : own.gradFunc(dy, saved, attrs);
          },
        });
      }
      const same = (x?: unknown[], y?: unknown[]): boolean => JSON.stringify(x ?? []) === JSON.stringify(y ?? []);
      if (!same(override.inputsToSave, original.inputsToSave) || !same(override.outputsToSave, original.outputsToSave)) {
        throw new Error(`gradients: ${profile.name}'s gradient of '${kernelName}' must save what tfjs-core's saves (inputs ${JSON.stringify(original.inputsToSave)}).`);
      }
    }
  }
}

ensureGradients();
