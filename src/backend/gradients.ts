/**
 * Makes tfjs-core's gradients available, once per process, on a fresh install.
 * See esm_linker.ts for why this cannot be a plain `require`.
 */
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import { EsmLinker } from './esm_linker';
import { registerConvGradient } from './conv_gradient';
import { registerMatMulGradient } from './matmul_gradient';
import { registerZeroGradients } from './zero_gradients';

let registered = false;

/** Registers every gradient tfjs-core defines (idempotent; cheap after the first call). */
export function ensureGradients(): void {
  if (registered) return;
  if (tfc.getGradient(tfc.Add) === undefined) {
    const dist = path.dirname(require.resolve('@tensorflow/tfjs-core'));
    new EsmLinker(dist).load('register_all_gradients');
  }
  registerMatMulGradient();
  registerConvGradient();
  registerZeroGradients();
  registered = true;
}

ensureGradients();
