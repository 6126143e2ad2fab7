/**
 * toCategorical returns a float32 Tensor2D [n, numClasses], as Keras's to_categorical returns a 2-D
 * array; expected rows written by hand. Every accepted label form gives the same tensor.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectNoLeak } from '../helpers';

beforeAll(async () => {
  await k.setBackend('cpu');
});

/** The one-hot rows of labels [1, 0, 3, 1] with 4 classes, by hand. */
const ROWS = [
  [0, 1, 0, 0],
  [1, 0, 0, 0],
  [0, 0, 0, 1],
  [0, 1, 0, 0],
];

test.each([
  ['a number array', () => [1, 0, 3, 1]],
  ['a Uint8Array', () => new Uint8Array([1, 0, 3, 1])],
  ['a Float32Array', () => new Float32Array([1, 0, 3, 1])],
  ['an Int32Array', () => new Int32Array([1, 0, 3, 1])],
  ['a [n, 1] column array (squeezed as Keras does)', () => [[1], [0], [3], [1]]],
])('%s gives a float32 Tensor2D [4, 4] of one-hot rows', async (_, labels) => {
  await expectNoLeak(() => {
    const t = k.utils.toCategorical(labels());
    expect(t.rank).toBe(2);
    expect(t.shape).toEqual([4, 4]);
    expect(t.dtype).toBe('float32');
    expect(t.arraySync()).toEqual(ROWS);
    t.dispose();
  });
});

test('1-D int32 and [n, 1] tensors are read without being disposed', async () => {
  const flatLabels = tfc.tensor1d([1, 0, 3, 1], 'int32');
  const column = tfc.tensor2d([[1], [0], [3], [1]], [4, 1], 'int32');
  await expectNoLeak(() => {
    for (const labels of [flatLabels, column]) {
      const t = k.utils.toCategorical(labels);
      expect(t.arraySync()).toEqual(ROWS);
      t.dispose();
    }
  });
  expect(flatLabels.isDisposed || column.isDisposed).toBe(false);
  tfc.dispose([flatLabels, column]);
});

test('numClasses widens the rows; empty labels with numClasses give [0, numClasses]', () => {
  const t = k.utils.toCategorical([2, 0], 5);
  expect(t.arraySync()).toEqual([
    [0, 0, 1, 0, 0],
    [1, 0, 0, 0, 0],
  ]);
  const empty = k.utils.toCategorical([], 3);
  expect(empty.shape).toEqual([0, 3]);
  tfc.dispose([t, empty]);
});

test('labels fit reads as n samples: the result trains a 2-output model without a reshape', async () => {
  const model = new k.Sequential([new k.layers.Dense({ units: 2, activation: 'softmax', inputShape: [3] })]);
  model.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy' });
  const y = k.utils.toCategorical([0, 1, 1, 0, 1], 2);
  const x = tfc.ones([5, 3]);
  const history = await model.fit(x, y, { epochs: 1, batchSize: 5, verbose: 0 });
  expect(history.history.loss).toHaveLength(1);
  model.dispose();
  tfc.dispose([x, y]);
});

test('bad labels are refused with the value and the fix, and nothing is left behind', async () => {
  await expectNoLeak(() => {
    expect(() => k.utils.toCategorical([3], 3)).toThrow(/label 3 at index 0 is not an integer in \[0, 3\).*help:/);
    expect(() => k.utils.toCategorical([0.5])).toThrow(/label 0.5 at index 0 is not an integer/);
    expect(() => k.utils.toCategorical([-1], 2)).toThrow(/label -1 at index 0/);
    expect(() => k.utils.toCategorical([1], 0)).toThrow(/numClasses must be a positive integer, got 0/);
    expect(() => k.utils.toCategorical([])).toThrow(/no labels, and no numClasses/);
    expect(() => k.utils.toCategorical([[1, 2]])).toThrow(/label at index 0 is \[1,2\], not a class index or a one-element row/);
    expect(() => k.utils.toCategorical(new BigInt64Array([1n]) as unknown as number[])).toThrow(/BigInt array.*Int32Array.from/);
    const wide = tfc.tensor2d([[1, 0]], [1, 2], 'int32');
    expect(() => k.utils.toCategorical(wide)).toThrow(/int32 of shape \[1, 2\].*help:/);
    wide.dispose();
  });
});
