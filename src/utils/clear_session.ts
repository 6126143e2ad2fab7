/**
 * Keras's clear_session: forgets the global state that names new objects, so default names start
 * again ('dense', 'dense_1', ... and 'functional', 'sequential'). Live models keep their names and
 * weights; the internal ids of weights and symbolic tensors keep counting, since live models may
 * still use them.
 */
import { resetNames } from '../engine/naming';

export function clearSession(): void {
  resetNames();
}
