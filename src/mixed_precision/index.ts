/** k.mixedPrecision: dtype policies (Keras's keras.mixed_precision / keras.dtype_policies). */
export { DTypePolicy, DTypePolicy as FloatDTypePolicy } from './dtype_policy';
export type { PolicyIdentifier, PolicyName } from './dtype_policy';
export { setGlobalPolicy, globalPolicy } from './global_policy';
/** Keras 3's names for the same: `keras.mixed_precision.dtype_policy()` / `set_dtype_policy(policy)`. */
export { globalPolicy as dtypePolicy, setGlobalPolicy as setDtypePolicy } from './global_policy';
export { LossScaleOptimizer } from '../optimizers/loss_scale_optimizer';
export type { LossScaleOptimizerArgs } from '../optimizers/loss_scale_optimizer';
