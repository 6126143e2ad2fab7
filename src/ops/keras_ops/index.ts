/**
 * `k.ops`: Keras 3's `keras.ops` for porting custom layers, losses and metrics name for name:
 * snake_case names camelCased (`expand_dims` -> `expandDims`), Keras's positional arguments in
 * Keras's order, over tfjs-core. Every op accepts tensors, numbers or nested arrays, returns a new
 * tensor the caller owns, disposes nothing it is given and leaves no intermediate tensor behind.
 * `k.ops.linalg` holds Keras's linalg names (also here at the top, as in Keras); `k.ops.image` the image ops. (The other files of src/ops are internal kernels.)
 */
export * from './elementwise';
export * from './reduction';
export * from './shape';
export * from './creation';
export * from './linalg';
export * from './ordering';
export * from './statistics';
export * from './nn';
export * from './linalg_solve';
export * from './linalg_decompose';
export * from './linalg_norm';
export * from './jvp';
export * as linalg from './linalg_namespace';
export * as image from './image';
export type { Axis, TensorInput } from './tensor_input';
export * from './control_flow';
export * from './nn_conv';
export * from './nn_misc';
export * from './ctc';
export * from './vectorize';
export type { Structure } from './control_flow';
export * from './numpy_misc';
export * from './numpy_index';
export * from './numpy_int';
export * from './spectral';
export * from './unfold';
export * from './rearrange';
