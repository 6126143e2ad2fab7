/**
 * Makes tfjs-core's gradients and its chained tensor methods (`t.square()`, `t.slice(...)`)
 * available, once per process, on a fresh install. See esm_linker.ts for why this cannot be a
 * plain `require`. The linker is tested against the exact tfjs-core version package.json pins.
 */
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import { EsmLinker } from './esm_linker';
import { registerConvGradient } from './conv_gradient';
import { registerMatMulGradient } from './matmul_gradient';
import { registerZeroGradients } from './zero_gradients';

let registered = false;

/** Registers every gradient and chained method tfjs-core defines (idempotent; cheap after the first call). */
export function ensureGradients(): void {
  if (registered) return;
  const linker = new EsmLinker(path.dirname(require.resolve('@tensorflow/tfjs-core')));
  if (tfc.getGradient(tfc.Add) === undefined) linker.load('register_all_gradients');
  if (typeof (tfc.Tensor.prototype as { square?: unknown }).square !== 'function') linker.load('public/chained_ops/register_all_chained_ops');
  registerMatMulGradient();
  registerConvGradient();
  registerZeroGradients();
  registered = true;
}

ensureGradients();
