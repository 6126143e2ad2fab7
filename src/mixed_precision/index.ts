/** k.mixedPrecision: dtype policies (Keras's keras.mixed_precision / keras.dtype_policies). */
export { DTypePolicy } from './dtype_policy';
export type { PolicyIdentifier, PolicyName } from './dtype_policy';
export { setGlobalPolicy, globalPolicy } from './global_policy';
