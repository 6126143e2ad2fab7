/** Assigning a layer's weights from a list of values: every shape is checked before any is assigned. */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from './errors';
import type { Weight } from './weight';

export function assignWeights(owner: string, weights: Weight[], values: Array<tfc.Tensor | tfc.TensorLike>): void {
  if (values.length !== weights.length) {
    throw new ValueError(
      `${owner}: setWeights got ${values.length} arrays for ${weights.length} weights ` +
        `(${weights.map((w) => `${w.name} [${w.shape}]`).join(', ')}). help: pass one array per weight, in getWeights() order.`,
    );
  }
  // Check every shape before assigning any, so a bad list changes nothing.
  const tensors = values.map((v, i) => (v instanceof tfc.Tensor ? v : tfc.tensor(v, undefined, weights[i].dtype)));
  try {
    const bad = tensors.findIndex((t, i) => !tfc.util.arraysEqual(t.shape, weights[i].shape));
    if (bad >= 0) {
      throw new ValueError(
        `${owner}: setWeights got shape [${tensors[bad].shape}] for weight '${weights[bad].name}' of shape ` +
          `[${weights[bad].shape}]. help: pass values in the order and shapes that getWeights() returns.`,
      );
    }
    tensors.forEach((t, i) => weights[i].assign(t));
  } finally {
    tensors.forEach((t, i) => t !== values[i] && t.dispose());
  }
}
