/**
 * What the 1-D and 3-D padding, cropping and upsampling layers share: their margins normalized
 * to one [before, after] pair per spatial axis, the input's rank check, and the three operations
 * on channels-last tensors (batch first, channels last, `n` spatial axes between).
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import type { Layer } from '../engine/layer';
import { formatShape, Shape } from '../engine/symbolic_tensor';

export type Pair = [number, number];

/**
 * An int (every side), `n` ints (symmetric per axis) or `n` pairs, as `n` [before, after] pairs;
 * for n = 1 also one pair [before, after].
 */
export function marginsN(value: unknown, n: number, field: string, owner: string): Pair[] {
  let m: Pair[] | null = null;
  const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;
  if (isInt(value)) m = new Array(n).fill(0).map((): Pair => [value, value]);
  else if (Array.isArray(value) && n === 1 && value.length === 2 && value.every(isInt)) m = [[value[0], value[1]]];
  else if (Array.isArray(value) && n > 1 && value.length === n && value.every(isInt)) m = value.map((v: number): Pair => [v, v]);
  else if (Array.isArray(value) && value.length === n && value.every((p) => Array.isArray(p) && p.length === 2 && p.every(isInt))) m = value as Pair[];
  if (m === null) {
    const forms = n === 1 ? 'a non-negative integer or [before, after]' : `a non-negative integer, ${n} of them, or ${n} [before, after] pairs`;
    throw new ValueError(`${owner}: \`${field}\` must be ${forms}, got ${JSON.stringify(value)}. help: e.g. {${field}: 1}.`);
  }
  return m;
}

/** Checks that the input has `n` spatial axes between batch and channels. */
export function spatialShape(layer: Layer, shape: Shape, n: number): Shape {
  if (shape.length !== n + 2) {
    const example = n === 1 ? '(batch, steps, channels)' : '(batch, depth, height, width, channels)';
    throw new ValueError(`${layer.name} (${layer.className}): expected input of rank ${n + 2} ${example}, got ${formatShape(shape)}. help: reshape the input.`);
  }
  return shape;
}

/** The spatial sizes grown by `by[i]` (negative: shrunk); unknown sizes stay unknown. */
export function resized(shape: Shape, by: (i: number, d: number) => number): Shape {
  return shape.map((d, i) => (i === 0 || i === shape.length - 1 || d === null ? d : by(i - 1, d)));
}

/** Zeros added along each spatial axis. */
export function padSpatial(x: tfc.Tensor, margins: Pair[]): tfc.Tensor {
  return tfc.pad(x, [[0, 0], ...margins, [0, 0]]);
}

/** Removes margins[i] from each spatial axis. */
export function cropSpatial(x: tfc.Tensor, margins: Pair[]): tfc.Tensor {
  const begin = [0, ...margins.map(([a]) => a), 0];
  const size = x.shape.map((d, i) => (i === 0 || i === x.rank - 1 ? -1 : d - margins[i - 1][0] - margins[i - 1][1]));
  return tfc.slice(x, begin, size);
}

/**
 * Repeats each element sizes[i] times along spatial axis i (nearest-neighbour upsampling), one
 * gather per axis: its gradient is a segment sum on every backend, at any rank (tfjs's Tile
 * gradient stops at rank 4, and wasm's broadcasting add is wrong at rank 8).
 */
export function repeatSpatial(x: tfc.Tensor, sizes: number[]): tfc.Tensor {
  return sizes.reduce((y, size, i) => {
    if (size === 1) return y;
    const indices = tfc.tensor1d(Array.from({ length: y.shape[i + 1] * size }, (_, j) => Math.floor(j / size)), 'int32');
    return tfc.gather(y, indices, i + 1);
  }, x);
}
