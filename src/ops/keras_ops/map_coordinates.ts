/**
 * Keras 3's `ops.image.mapCoordinates(inputs, coordinates, order, fillMode = 'constant', fillValue = 0)`
 * (SciPy's / JAX's map_coordinates): output point p reads `inputs` at the fractional index
 * coordinates[:, p], by the nearest point (order 0, rounding half up) or N-linearly (order 1). Out of
 * range indices follow `fillMode`: 'constant' (each corner outside reads fillValue), 'nearest'
 * (a a | a b c d | d d), 'wrap' (a b c d | a b c d), 'mirror' (d c b | a b c d | c b a) or 'reflect'
 * (d c b a | a b c d | d c b a). The corners and weights are computed in JavaScript from the
 * coordinates (no gradient flows to them); the values are one gather, so inputs get a gradient.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';
import { mapIndex } from '../image_sampling';
import { run, toTensor, type TensorInput } from './tensor_input';

export type MapFillMode = 'constant' | 'nearest' | 'wrap' | 'mirror' | 'reflect';

function fillIndex(i: number, size: number, mode: MapFillMode): number {
  if (mode !== 'mirror') return mapIndex(i, size, mode);
  if (size === 1) return 0;
  const period = 2 * (size - 1);
  const m = ((i % period) + period) % period;
  return m < size ? m : period - m;
}

export function mapCoordinates(inputs: TensorInput, coordinates: TensorInput, order: 0 | 1, fillMode: MapFillMode = 'constant', fillValue = 0): tfc.Tensor {
  if (order !== 0 && order !== 1) throw new ValueError(`ops.image.mapCoordinates: order must be 0 or 1, got ${String(order)}. help: pass 0 (nearest) or 1 (linear).`);
  if (!['constant', 'nearest', 'wrap', 'mirror', 'reflect'].includes(fillMode)) throw new ValueError(`ops.image.mapCoordinates: fillMode '${fillMode}' is not one of constant, nearest, wrap, mirror, reflect. help: pass one of them.`);
  return run(() => {
    const x = toTensor(inputs, 'float32');
    const c = toTensor(coordinates, 'float32');
    if (c.shape[0] !== x.rank) throw new ValueError(`ops.image.mapCoordinates: coordinates' first axis (${c.shape[0]}) must equal the inputs' rank (${x.rank}). help: pass coordinates of shape (rank, ...output).`);
    const outShape = c.shape.slice(1);
    const points = outShape.reduce((a, b) => a * b, 1);
    const coords = c.dataSync();
    const strides = x.shape.map((_, d) => x.shape.slice(d + 1).reduce((a, b) => a * b, 1));
    const corners = order === 0 ? 1 : 2 ** x.rank;
    const index = new Int32Array(corners * points);
    const weight = new Float32Array(corners * points);
    const fill = new Float32Array(points);
    for (let p = 0; p < points; p++) {
      for (let k = 0; k < corners; k++) {
        let [flat, w, inside] = [0, 1, true];
        for (let d = 0; d < x.rank; d++) {
          const v = coords[d * points + p];
          let i: number;
          if (order === 0) i = Math.floor(v + 0.5);
          else {
            const lo = Math.floor(v);
            const up = (k >> d) & 1;
            i = lo + up;
            w *= up ? v - lo : 1 - (v - lo);
          }
          const m = fillIndex(i, x.shape[d], fillMode);
          if (m < 0) inside = false;
          else flat += m * strides[d];
        }
        if (inside) {
          index[k * points + p] = flat;
          weight[k * points + p] = w;
        } else fill[p] += w;
      }
    }
    const values = tfc.gather(tfc.reshape(x, [-1]), tfc.tensor1d(index, 'int32'));
    const summed = tfc.sum(tfc.reshape(tfc.mul(values, tfc.tensor1d(weight)), [corners, points]), 0);
    return tfc.reshape(tfc.add(summed, tfc.mul(tfc.tensor1d(fill), fillValue)), outShape);
  });
}
