/**
 * k.utils.splitDataset as Keras's split_dataset (keras/src/utils/dataset_utils.py), sizes worked by
 * hand: the left half is the first leftSize samples, the right the last rightSize; a fraction of n
 * rounds as Python's round (0.25 * 10 = 2.5 -> 2); the Keras docstring's 1000 samples with
 * left_size=0.8 give 800 and 200. Shuffling keeps x and y aligned, covers every sample once, and is
 * the same for the same seed. Leak counts.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectNoLeak } from '../helpers';

beforeAll(async () => {
  await k.setBackend('cpu');
});

/** Every element of a dataset as plain values, tensors disposed. */
async function values(ds: AsyncIterable<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const e of ds) {
    const leaves = Array.isArray(e) ? e : [e];
    out.push(Array.isArray(e) ? leaves.map((t) => (t as tfc.Tensor).arraySync()) : (e as tfc.Tensor).arraySync());
    tfc.dispose(leaves as tfc.Tensor[]);
  }
  return out;
}

const ten = Array.from({ length: 10 }, (_, i) => i);

test('Keras docstring: 1000 samples of 4 features, leftSize 0.8 -> 800 and 200', async () => {
  const data = tfc.randomUniform([1000, 4]);
  const [left, right] = await k.utils.splitDataset(data, { leftSize: 0.8 });
  data.dispose();
  expect(left.cardinality()).toBe(800);
  expect(right.cardinality()).toBe(200);
});

test('without shuffle: the first leftSize and the last rightSize samples, in order', async () => {
  let [l, r] = await k.utils.splitDataset(ten, { leftSize: 0.8 });
  expect(await values(l)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  expect(await values(r)).toEqual([8, 9]);
  [l, r] = await k.utils.splitDataset(ten, { rightSize: 3 });
  expect(await values(l)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  expect(await values(r)).toEqual([7, 8, 9]);
  [l, r] = await k.utils.splitDataset(ten, { leftSize: 0.25 }); // round(2.5) = 2, as Python
  expect(l.cardinality()).toBe(2);
  expect(r.cardinality()).toBe(8);
  [l, r] = await k.utils.splitDataset(ten, { leftSize: 2, rightSize: 3 }); // first 2, last 3
  expect(await values(l)).toEqual([0, 1]);
  expect(await values(r)).toEqual([7, 8, 9]);
});

test('shuffle: x and y stay paired, every sample once, the same split for the same seed', async () => {
  const x = tfc.tensor2d(ten.map((i) => [i, -i])); // a nested array beside a tensor reads as one ragged array: pass tensors
  const y = tfc.tensor1d(ten.map((i) => 100 + i));
  const split = async (seed: number) => {
    const [l, r] = await k.utils.splitDataset([x, y], { leftSize: 6, shuffle: true, seed });
    return [(await values(l)) as number[][][], (await values(r)) as number[][][]];
  };
  const [l, r] = await split(1);
  expect(l).toHaveLength(6);
  expect(r).toHaveLength(4);
  [...l, ...r].forEach(([xi, yi]) => {
    expect(xi).toEqual([xi[0], -xi[0]]);
    expect(yi).toBe(100 + (xi[0] as number));
  });
  expect([...l, ...r].map(([xi]) => xi[0]).sort((a, b) => (a as number) - (b as number))).toEqual(ten);
  expect(l.map(([xi]) => xi[0])).not.toEqual([0, 1, 2, 3, 4, 5]);
  expect(await split(1)).toEqual([l, r]);
  expect((await split(2))[0]).not.toEqual(l);
  tfc.dispose([x, y]);
});

test('a k.data.Dataset of records is read once and split element by element', async () => {
  const ds = k.data.Dataset.fromTensorSlices({ xs: ten, ys: ten.map((i) => i * 2) });
  const [l, r] = await k.utils.splitDataset(ds, { rightSize: 0.3 });
  const read = async (d: AsyncIterable<unknown>) => {
    const out: number[][] = [];
    for await (const e of d) {
      const { xs, ys } = e as { xs: tfc.Tensor; ys: tfc.Tensor };
      out.push([xs.arraySync() as number, ys.arraySync() as number]);
      tfc.dispose([xs, ys]);
    }
    return out;
  };
  expect(await read(l)).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => [i, 2 * i]));
  expect(await read(r)).toEqual([7, 8, 9].map((i) => [i, 2 * i]));
});

test('bad sizes and infinite datasets are refused with a help', async () => {
  await expect(k.utils.splitDataset(ten)).rejects.toThrow(/neither leftSize nor rightSize.*help:/);
  await expect(k.utils.splitDataset(ten, { leftSize: 0.6, rightSize: 0.6 })).rejects.toThrow(/add up to more than 1/);
  await expect(k.utils.splitDataset(ten, { leftSize: 6, rightSize: 6 })).rejects.toThrow(/more than the 10/);
  await expect(k.utils.splitDataset(ten, { leftSize: 10 })).rejects.toThrow(/outside \[1, 9\]/);
  await expect(k.utils.splitDataset(ten, { leftSize: 1.5 })).rejects.toThrow(/neither a sample count nor a fraction/);
  await expect(k.utils.splitDataset(ten, { leftSize: 0.01 })).rejects.toThrow(/leave one half empty/);
  await expect(k.utils.splitDataset(k.data.Dataset.range(3).repeat(), { leftSize: 1 })).rejects.toThrow(/infinite.*help:/);
});

test('splitting and reading the halves leaves no tensor behind', async () => {
  const x = tfc.ones([6, 2]);
  await expectNoLeak(async () => {
    const [l, r] = await k.utils.splitDataset([x, ten.slice(0, 6)], { leftSize: 0.5, shuffle: true, seed: 3 });
    await values(l);
    await values(r);
    const [l2] = await k.utils.splitDataset(k.data.Dataset.fromTensorSlices(x), { leftSize: 2 });
    await values(l2);
  });
  x.dispose();
});
