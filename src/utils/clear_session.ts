/**
 * Keras's clear_session: forgets the global state that names new objects, so default names start
 * again ('dense', 'dense_1', ... and 'functional', 'sequential'). Live models keep their names and
 * weights; the internal ids of weights and symbolic tensors keep counting, since live models may
 * still use them. As Keras 3's, it also resets the global dtype policy to 'float32'.
 */
import { resetNames } from '../engine/naming';
import { setGlobalPolicy } from '../mixed_precision/global_policy';

export function clearSession(): void {
  resetNames();
  setGlobalPolicy(null);
}
