/**
 * keras-ts's wasm Slice, Unpack and SplitV (src/backend/wasm/slices.ts) against index arithmetic
 * done here by hand: every element of every piece is the source element at its position plus the
 * slice's start.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';

const iota = (shape: number[], dtype: 'float32' | 'int32' = 'float32'): tfc.Tensor => tfc.tidy(() => tfc.reshape(tfc.range(0, shape.reduce((a, b) => a * b, 1), 1, dtype), shape));

/** The expected slice, from flat indices. */
function expected(shape: number[], begin: number[], size: number[]): number[] {
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out: number[] = [];
  const total = size.reduce((a, b) => a * b, 1);
  for (let n = 0; n < total; n++) {
    let rest = n;
    let flat = 0;
    for (let i = shape.length - 1; i >= 0; i--) {
      flat += (begin[i] + (rest % size[i])) * strides[i];
      rest = Math.floor(rest / size[i]);
    }
    out.push(flat);
  }
  return out;
}

beforeAll(async () => {
  await k.setBackend('wasm');
});

test.each([
  [[10], [3], [4]],
  [[4, 5], [1, 0], [2, 5]],
  [[4, 5], [0, 2], [4, 2]],
  [[3, 4, 5], [1, 1, 0], [2, 2, 5]],
  [[3, 4, 5], [0, 0, 3], [3, 4, 2]],
  [[2, 3, 4, 5], [1, 0, 1, 1], [1, 3, 2, 3]],
  [[2, 3, 2, 2, 3], [0, 1, 0, 1, 1], [2, 2, 2, 1, 2]],
  [[28, 8, 16], [5, 0, 0], [1, 8, 16]],
])('slice of %j from %j, size %j', (shape, begin, size) => {
  for (const dtype of ['float32', 'int32'] as const) {
    const x = iota(shape, dtype);
    const before = tfc.memory().numTensors;
    const y = tfc.slice(x, begin, size);
    expect(y.shape).toEqual(size);
    expect(y.dtype).toBe(dtype);
    expect(Array.from(y.dataSync())).toEqual(expected(shape, begin, size));
    y.dispose();
    expect(tfc.memory().numTensors).toBe(before);
    x.dispose();
  }
});

test('bool slices, unstack on every axis and split keep their values', () => {
  const b = tfc.tensor2d([[true, false, true], [false, false, true]], undefined, 'bool');
  expect(Array.from(tfc.slice(b, [0, 1], [2, 2]).dataSync())).toEqual([0, 1, 0, 1]);
  const x = iota([3, 4, 5]);
  for (let axis = 0; axis < 3; axis++) {
    const parts = tfc.unstack(x, axis);
    expect(parts.length).toBe(x.shape[axis]);
    parts.forEach((p, i) => {
      const begin = [0, 0, 0];
      begin[axis] = i;
      const size = [...x.shape];
      size[axis] = 1;
      expect(p.shape).toEqual(x.shape.filter((_, j) => j !== axis));
      expect(Array.from(p.dataSync())).toEqual(expected(x.shape, begin, size));
    });
    tfc.dispose(parts);
  }
  const pieces = tfc.split(x, [1, 3, 1], 2);
  expect(Array.from(pieces[1].dataSync())).toEqual(expected([3, 4, 5], [0, 0, 1], [3, 4, 3]));
  expect(Array.from(pieces[2].dataSync())).toEqual(expected([3, 4, 5], [0, 0, 4], [3, 4, 1]));
  tfc.dispose([b, x, ...pieces]);
});

test('the gradient of a slice is unchanged (the pad of dy), and strings keep tfjs\'s kernel', () => {
  const x = iota([3, 4]);
  const g = tfc.grad((t: tfc.Tensor) => tfc.sum(tfc.mul(tfc.slice(t, [1, 1], [2, 2]), 2)))(x);
  expect(Array.from(g.dataSync())).toEqual([0, 0, 0, 0, 0, 2, 2, 0, 0, 2, 2, 0]);
  const s = tfc.tensor1d(['a', 'b', 'c']);
  expect(tfc.slice(s, [1], [2]).dataSync()).toEqual(['b', 'c']);
  tfc.dispose([x, g, s]);
});
