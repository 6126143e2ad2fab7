/**
 * data/adapter.ts on its own: arrays cut into batches (shuffled each epoch, every sample once),
 * validationSplit's last part, a dataset's epochs with and without steps, synchronous batches for
 * arrays and iterables and asynchronous ones for async iterables, and what it refuses.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { AdaptOptions, adaptData, Converter } from '../../src/data/adapter';
import type { DataInput } from '../../src/data/convert';
import { asList, Batch } from '../../src/data/step_data';

beforeAll(async () => {
  await k.setBackend('cpu');
});

/** x and y as float32 tensors, as a model's converter gives them (without the model's checks). */
const convert: Converter = ({ x, y }) => {
  const xs = [tfc.tensor(x as number[][])];
  const ys = y === undefined ? [] : [tfc.tensor(y as number[][])];
  return { xs, ys, owned: [...xs, ...ys] };
};

function options(extra: Partial<AdaptOptions> = {}): AdaptOptions {
  return { where: 'fit', batchSize: 2, needY: true, convert, ...extra };
}

/** Each batch's x values, and frees the batch. */
function xValues(batch: Batch): number[] {
  const values = Array.from(asList(batch.data.x)[0].dataSync());
  batch.dispose();
  return values;
}

test('arrays: batches of batchSize, every sample once per epoch, a fresh order when shuffled; y beside x', () => {
  const x = [[0], [1], [2], [3], [4]];
  const y = [[10], [11], [12], [13], [14]];
  const before = tfc.memory().numTensors;
  const data = adaptData({ x, y }, options());
  expect([data.samples, data.steps, data.what]).toEqual([5, 3, 'arrays']);
  const plain = [...(data.epoch(false) as Iterable<Batch>)];
  expect(plain.map((b) => asList(b.data.y)[0].shape[0])).toEqual([2, 2, 1]);
  expect(plain.map(xValues)).toEqual([[0, 1], [2, 3], [4]]);
  const shuffled = [...(data.epoch(true) as Iterable<Batch>)].flatMap((b) => {
    const [xs, ys] = [asList(b.data.x)[0].dataSync(), asList(b.data.y)[0].dataSync()];
    const pairs = Array.from(xs, (v, i) => [v, ys[i]]);
    b.dispose();
    return pairs;
  });
  expect(shuffled.map(([v]) => v).sort()).toEqual([0, 1, 2, 3, 4]);
  shuffled.forEach(([v, w]) => expect(w).toBe(v + 10)); // rows stay together
  data.dispose();
  expect(tfc.memory().numTensors).toBe(before);
});

test('split: the last fraction validates (as Keras takes it), and a split that leaves nothing is refused', () => {
  const before = tfc.memory().numTensors;
  const { train, val } = adaptData({ x: [[0], [1], [2], [3]], y: [[0], [0], [0], [0]] }, options()).split(0.25);
  expect([...(train.epoch(false) as Iterable<Batch>)].map(xValues)).toEqual([[0, 1], [2]]);
  expect([...(val.epoch(false) as Iterable<Batch>)].map(xValues)).toEqual([[3]]);
  train.dispose();
  val.dispose();
  expect(() => adaptData({ x: [[0]], y: [[0]] }, options()).split(0.5)).toThrow(/fit: validationSplit 0\.5 of 1 samples leaves no training samples/);
  expect(tfc.memory().numTensors).toBe(before);
});

test('a dataset with steps goes on from the same iterator; without, each epoch iterates afresh', () => {
  function* count(): Generator<k.DatasetElement> {
    for (let i = 0; ; i++) yield [[[i]], [[0]]];
  }
  const stepped = adaptData({ x: count() }, options({ steps: 2 }));
  expect([...(stepped.epoch(false) as Iterable<Batch>)].map(xValues)).toEqual([[0], [1]]);
  expect([...(stepped.epoch(false) as Iterable<Batch>)].map(xValues)).toEqual([[2], [3]]);
  expect(stepped.ranOut).toBe(false);
  stepped.dispose();
  const restarting: Iterable<k.DatasetElement> = { [Symbol.iterator]: () => [[[[7]], [[0]]] as k.DatasetElement][Symbol.iterator]() };
  const fresh = adaptData({ x: restarting }, options());
  expect([fresh.samples, fresh.steps]).toEqual([undefined, undefined]);
  expect([...(fresh.epoch(false) as Iterable<Batch>)].map(xValues)).toEqual([[7]]);
  expect([...(fresh.epoch(false) as Iterable<Batch>)].map(xValues)).toEqual([[7]]);
});

test('a dataset that runs out before its steps says so; a generator object has nothing for a second epoch', () => {
  function* two(): Generator<k.DatasetElement> {
    yield [[[1]], [[0]]];
    yield [[[2]], [[0]]];
  }
  const data = adaptData({ x: two() }, options({ steps: 3 }));
  expect([...(data.epoch(false) as Iterable<Batch>)].map(xValues)).toEqual([[1], [2]]);
  expect(data.ranOut).toBe(true);
  const once = adaptData({ x: two() }, options());
  expect([...(once.epoch(false) as Iterable<Batch>)]).toHaveLength(2);
  expect([...(once.epoch(false) as Iterable<Batch>)]).toHaveLength(0);
});

test('an async iterable gives its batches asynchronously', async () => {
  async function* later(): AsyncGenerator<k.DatasetElement> {
    yield { xs: [[5]], ys: [[0]] };
  }
  const epoch = adaptData({ x: later() }, options()).epoch(false);
  expect(Symbol.asyncIterator in epoch).toBe(true);
  const got: number[][] = [];
  for await (const batch of epoch as AsyncIterable<Batch>) got.push(xValues(batch));
  expect(got).toEqual([[5]]);
});

test('refusals: a generator function, y beside a dataset, missing y, an element without labels', () => {
  function* gen(): Generator<k.DatasetElement> {
    yield [[[1]], [[1]]];
  }
  expect(() => adaptData({ x: gen as unknown as DataInput }, options())).toThrow(/fit: x is a function \(gen\), not data; .*help: call it: fit\(gen\(\), \.\.\.\)/);
  expect(() => adaptData({ x: gen(), y: [[1]] }, options())).toThrow(/with a dataset, the labels and sample weights come from its elements; got `y`/);
  expect(() => adaptData({ x: [[1]] }, options())).toThrow(/fit: `y` is missing\. help: call fit\(x, y, options\)/);
  function* unlabelled(): Generator<k.DatasetElement> {
    yield { xs: [[1]] };
  }
  const data = adaptData({ x: unlabelled() }, options());
  expect(() => [...(data.epoch(false) as Iterable<Batch>)]).toThrow(/fit: each dataset element must be \{xs, ys, sampleWeight\?\} or \[x, y, sampleWeight\?\]/);
});
