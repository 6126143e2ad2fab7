/**
 * Many tensors as one float32 buffer and back, so that a step's gradients (or a model's weights,
 * or the metrics' state) cross the processes in one collective call instead of one per variable.
 */
import * as tfc from '@tensorflow/tfjs-core';

/** The values of `tensors`, each multiplied by `scale`, one after another in a new buffer. */
export function pack(tensors: readonly tfc.Tensor[], scale = 1): Float32Array {
  const total = tensors.reduce((n, t) => n + t.size, 0);
  const out = new Float32Array(total);
  let offset = 0;
  for (const t of tensors) {
    const values = t.dataSync();
    if (scale === 1) out.set(values, offset);
    else for (let i = 0; i < values.length; i++) out[offset + i] = values[i] * scale;
    offset += values.length;
  }
  return out;
}

/** Tensors of `shapes` over consecutive parts of `values` (which the tensors then own: do not reuse it). */
export function unpack(values: Float32Array, shapes: readonly number[][]): tfc.Tensor[] {
  let offset = 0;
  return shapes.map((shape) => {
    const n = tfc.util.sizeFromShape(shape);
    const t = tfc.tensor(values.subarray(offset, offset + n), shape, 'float32');
    offset += n;
    return t;
  });
}

/** Assigns consecutive parts of `values` to the variables, in order. */
export function assignAll(variables: readonly tfc.Variable[], values: Float32Array): void {
  let offset = 0;
  for (const v of variables) {
    const n = v.size;
    const t = tfc.tensor(values.slice(offset, offset + n), v.shape, v.dtype);
    v.assign(t);
    t.dispose();
    offset += n;
  }
}
