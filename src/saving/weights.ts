/**
 * A model's weights as saving sees them: layer by layer in Keras's order, read out as plain arrays,
 * and written back only after every array has been checked, so a bad file changes nothing.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { FileFormatError } from '../engine/errors';
import type { Layer } from '../engine/layer';
import type { Weight } from '../engine/weight';
import type { NamedArray } from './io/h5_file';

/** A weight's current value as a float32 array (copied out of the device). */
export function readWeight(w: Weight): NamedArray {
  const value = w.value;
  const data = value.dtype === 'float32' ? (value.dataSync() as Float32Array) : Float32Array.from(value.dataSync() as ArrayLike<number>);
  return { name: w.name, shape: [...w.shape], data: Float32Array.from(data) };
}

/** The layers that own weights, in the model's order (nested models count as one layer, as in Keras 2 files). */
export function layersWithWeights(layers: Layer[]): Layer[] {
  return layers.filter((l) => l.weights.length > 0);
}

/**
 * Checks every (weight, array) pair (shape, and a finite size) and only then assigns them all.
 * `where` names the file for messages.
 */
export function assignAll(pairs: Array<[Weight, NamedArray]>, where: string): void {
  for (const [w, a] of pairs) {
    const count = w.shape.reduce((x, y) => x * y, 1);
    if (a.shape.length !== w.shape.length || a.shape.some((d, i) => d !== w.shape[i]) || a.data.length !== count) {
      throw new FileFormatError(
        `${where}: the saved value for weight '${w.name}' has shape [${a.shape}] (${a.data.length} values); the model's weight has shape [${w.shape}]. ` +
          'help: load weights saved from a model with the same architecture.',
      );
    }
  }
  for (const [w, a] of pairs) {
    const t = tfc.tensor(a.data instanceof Float32Array ? a.data : Float32Array.from(a.data), w.shape, 'float32');
    w.assign(t);
    t.dispose();
  }
}
