/**
 * keras-ts: a Keras-style neural-network framework on tfjs-core. The public API, name by name.
 */
import './backend/gradients';

export { setBackend, getBackend, ensureBackend, backendReport, setNumThreads, getNumThreads } from './backend/backend';
export type { BackendName, BackendReport } from './backend/backend';
export { resetFallbackReport } from './backend/cpu_fallback';

export { Input, InputLayer } from './engine/input_layer';
export type { InputArgs } from './engine/input_layer';
export { SymbolicTensor } from './engine/symbolic_tensor';
export type { Shape } from './engine/symbolic_tensor';
export { Layer } from './engine/layer';
export { KerasError, ValueError, RuntimeError, BackendError, NaNLossError } from './engine/errors';

export { Model } from './models/model';
export type { ModelArgs } from './models/model';
export { Sequential } from './models/sequential';
export type { SequentialArgs } from './models/sequential';
export type { CompileArgs } from './models/compile_config';
export type { FitArgs, EvaluateArgs, PredictArgs } from './models/fit_args';

export * as layers from './layers';
export * as optimizers from './optimizers';
export * as losses from './losses';
export * as metrics from './metrics';
export * as callbacks from './callbacks';
export * as initializers from './initializers';
export * as activations from './activations/activations';
export * as data from './data';
export * as utils from './utils';
export * as regularizers from './regularizers';
export * as constraints from './constraints';
export type { Dataset, DatasetElement } from './data/sources';
