/**
 * keras-ts: a Keras-style neural-network framework on tfjs-core. The public API, name by name.
 * Importing it registers nothing with tfjs-core: backends, kernels and gradients are installed by
 * the first setBackend, ready or keras-ts computation (src/backend/backend.ts).
 */
// The types of tfjs-core's chained tensor methods (`t.square()`), registered on first use by ./backend/gradients.
/// <reference types="@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops" preserve="true" />

/** tfjs-core, the engine every keras-ts computation runs on: `k.tf.tensor(...)`, `k.tf.tidy(...)`, chained `t.square()`. */
export * as tf from '@tensorflow/tfjs-core';

export { setBackend, getBackend, ready, ensureBackend, backendReport, setNumThreads, getNumThreads, device } from './backend/backend';
export type { BackendName, BackendReport } from './backend/backend';
export { listDevices } from './backend/devices';
export type { DeviceName, DeviceSpec, ListedDeviceName } from './backend/devices';
export { registerBackendProfile } from './backend/profile';
export type { BackendDevices, BackendProfile, BuiltinBackendName, Capabilities, DeviceType, GradientOverride } from './backend/profile';
export { resetFallbackReport } from './backend/cpu_fallback';

export { Input, InputLayer } from './engine/input_layer';
export type { InputArgs } from './engine/input_layer';
export { InputSpec } from './layers/input_spec';
export { SymbolicTensor } from './engine/symbolic_tensor';
export type { Shape } from './engine/symbolic_tensor';
export { Layer } from './engine/layer';
export { MultiInputLayer } from './engine/multi_input_layer';
export type { AddWeightArgs, ApplyOptions, CallContext, LayerArgs } from './engine/layer';
export type { Mask, MaskArg } from './engine/masking';
export { Weight } from './engine/weight';
export type { InputSpecArgs } from './layers/input_spec';
export { Variable } from './engine/variable';
export type { VariableArgs } from './engine/variable';
export { nameScope } from './engine/name_scope';
export { version } from './version';
// Keras's top-level aliases of the base classes (keras.Loss, keras.Metric, keras.KerasTensor, ...).
export { SymbolicTensor as KerasTensor } from './engine/symbolic_tensor';
export { Initializer } from './initializers/initializer';
export { Loss } from './losses';
export { Metric } from './metrics';
export { Optimizer } from './optimizers/optimizer';
export { Regularizer } from './regularizers';
export { DTypePolicy, DTypePolicy as FloatDTypePolicy } from './mixed_precision/dtype_policy';
export { KerasError, ValueError, RuntimeError, BackendError, NaNLossError, FileFormatError } from './engine/errors';

export { Model } from './models/model';
export type { ModelArgs } from './models/model';
export { Sequential } from './models/sequential';
export type { SequentialArgs } from './models/sequential';
export type { CompileArgs } from './models/compile_config';
export type { FitArgs, EvaluateArgs, PredictArgs, Verbosity } from './models/fit_args';
export type { StepData, StepLogs, LossInputs } from './models/compiled_step';

export * as layers from './layers';
export * as models from './saving';
export * as saving from './saving/api';
export * as optimizers from './optimizers';
export * as losses from './losses';
export * as metrics from './metrics';
export * as callbacks from './callbacks';
export * as initializers from './initializers';
export * as activations from './activations/activations';
export * as ops from './ops/keras_ops';
export * as data from './data';
export * as datasets from './datasets';
export * as utils from './utils';
export * as random from './random';
export * as summary from './summary';
export * as regularizers from './regularizers';
export * as constraints from './constraints';
export type { Dataset, DatasetElement, PredictElement } from './data/sources';
export * as distribution from './distribution';
export * as applications from './applications';
export * as mixedPrecision from './mixed_precision';
