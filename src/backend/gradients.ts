/**
 * Gradients, installed on keras-ts's first computation (never at import):
 * - tfjs-core's own gradients and chained tensor methods (`t.square()`). Its CommonJS entry
 *   registers neither, and the ES files that do cannot be loaded by Node; `npm run build` bundles
 *   them into tfjs_gradients.generated.js (scripts/bundle_tfjs_gradients.js), a CommonJS file that
 *   registers them into the tfjs-core already loaded. Skipped where they are registered already
 *   (a browser build of tfjs, @tensorflow/tfjs).
 * - zero gradients for comparisons (zero_gradients.ts);
 * - for each kernel whose gradient a profile replaces, one registered gradient that runs the
 *   active backend's override, or tfjs-core's own where the active backend has none: another
 *   backend (tfjs's own 'cpu') sees tfjs-core's gradient unchanged.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { BackendError } from '../engine/errors';
import { activeProfile, BackendProfile } from './profile';
import { registerZeroGradients } from './zero_gradients';

let registered = false;
/** tfjs-core's own gradients of the kernels that some backend overrides. */
const originals = new Map<string, tfc.GradConfig>();

/** Registers every gradient and chained method tfjs-core defines (idempotent; cheap after the first call). */
export function ensureGradients(): void {
  if (registered) return;
  if (tfc.getGradient(tfc.Add) === undefined || typeof (tfc.Tensor.prototype as { square?: unknown }).square !== 'function') loadTfjsGradients();
  registerZeroGradients();
  registered = true;
}

function loadTfjsGradients(): void {
  try {
    require('./tfjs_gradients.generated');
  } catch (e) {
    if ((e as { code?: string }).code !== 'MODULE_NOT_FOUND' || !(e as Error).message.includes('tfjs_gradients.generated')) throw e;
    throw new BackendError(
      "keras-ts: tfjs-core's gradients are not bundled (src/backend/tfjs_gradients.generated.js is missing). " +
        'help: run `npm run build` in the keras-ts checkout (npm install runs it too).',
    );
  }
}

/** Installs the dispatching gradient for every kernel this profile overrides (idempotent). */
export function installGradientOverrides(profile: BackendProfile): void {
  ensureGradients();
  for (const [kernelName, override] of Object.entries(profile.gradients ?? {})) {
    let original = originals.get(kernelName);
    if (original === undefined) {
      original = tfc.getGradient(kernelName);
      if (original === undefined) throw new BackendError(`gradients: ${profile.name} overrides the gradient of '${kernelName}', which tfjs-core does not define. help: remove it from the profile's gradients.`);
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
      throw new BackendError(
        `gradients: ${profile.name}'s gradient of '${kernelName}' saves ${JSON.stringify(override.inputsToSave ?? [])}. ` +
          `help: save what tfjs-core's saves (inputs ${JSON.stringify(original.inputsToSave ?? [])}, outputs ${JSON.stringify(original.outputsToSave ?? [])}).`,
      );
    }
  }
}
