/**
 * Keras's lowercase merge functions: `add([a, b])` is `new Add().apply([a, b])`, on symbolic
 * tensors (a functional model's graph) or on real ones (the result, owned by the caller). Options
 * are the layer's (a name, ...), plus `axis` for concatenate and `axes`/`normalize` for dot.
 */
import type * as tfc from '@tensorflow/tfjs-core';
import type { Layer, LayerArgs } from '../engine/layer';
import type { SymbolicTensor } from '../engine/symbolic_tensor';
import { Add, Average, Concatenate, ConcatenateArgs, Dot, DotArgs, Maximum, Minimum, Multiply, Subtract } from './merge';

/** Applies a freshly made merge layer to `inputs`: a symbolic tensor for symbolic inputs, a tensor for tensors. */
function merged(layer: Layer, inputs: SymbolicTensor[] | tfc.Tensor[]): SymbolicTensor | tfc.Tensor {
  return layer.apply(inputs as SymbolicTensor[]);
}

/** The merge function signature: symbolic in, symbolic out; tensors in, a tensor out. */
export interface MergeFunction<A> {
  (inputs: SymbolicTensor[], options?: A): SymbolicTensor;
  (inputs: tfc.Tensor[], options?: A): tfc.Tensor;
}

const define = <A>(make: (options?: A) => Layer): MergeFunction<A> =>
  ((inputs: SymbolicTensor[] | tfc.Tensor[], options?: A) => merged(make(options), inputs)) as MergeFunction<A>;

/** The sum of the inputs. Keras: `keras.layers.add` */
export const add = define<LayerArgs>((o) => new Add(o));
/** The first input minus the second. Keras: `keras.layers.subtract` */
export const subtract = define<LayerArgs>((o) => new Subtract(o));
/** The elementwise product of the inputs. Keras: `keras.layers.multiply` */
export const multiply = define<LayerArgs>((o) => new Multiply(o));
/** The elementwise mean of the inputs. Keras: `keras.layers.average` */
export const average = define<LayerArgs>((o) => new Average(o));
/** The elementwise maximum of the inputs. Keras: `keras.layers.maximum` */
export const maximum = define<LayerArgs>((o) => new Maximum(o));
/** The elementwise minimum of the inputs. Keras: `keras.layers.minimum` */
export const minimum = define<LayerArgs>((o) => new Minimum(o));
/** The inputs joined along `axis` (default -1). Keras: `keras.layers.concatenate` */
export const concatenate = define<ConcatenateArgs>((o) => new Concatenate(o ?? {}));
/** The per-sample dot product along `axes` (default -1, as Keras's function). Keras: `keras.layers.dot` */
export const dot = define<Partial<DotArgs>>((o) => new Dot({ ...o, axes: o?.axes ?? -1 }));
