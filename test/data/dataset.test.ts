/**
 * k.data.Dataset: each operator's elements against values worked by hand, shuffle's seeding and
 * buffer semantics, cache running its source once, prefetch and parallel map overlapping (timed),
 * cardinality, re-iteration, fit / evaluate / predict on a dataset equal to the same on arrays, and
 * no leaked tensors after each pipeline (iterated whole or stopped early) and after fit.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, expectNoLeak, testBackend } from '../helpers';

const { Dataset } = k.data;

beforeAll(async () => {
  await k.setBackend(testBackend());
});

afterEach(() => k.utils.setLogger(null));

/** The values of every element (tensors read as nested arrays), each element's tensors disposed. */
async function values(ds: AsyncIterable<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const e of ds) {
    out.push(read(e));
    tfc.dispose(tensors(e));
  }
  return out;
}

function read(e: unknown): unknown {
  if (e instanceof tfc.Tensor) return e.arraySync();
  if (Array.isArray(e)) return e.map(read);
  if (typeof e === 'object' && e !== null) return Object.fromEntries(Object.entries(e).map(([key, v]) => [key, read(v)]));
  return e;
}

function tensors(e: unknown): tfc.Tensor[] {
  if (e instanceof tfc.Tensor) return [e];
  if (Array.isArray(e)) return e.flatMap(tensors);
  if (typeof e === 'object' && e !== null) return Object.values(e).flatMap(tensors);
  return [];
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('sources and element-wise operators', () => {
  test('range -> map -> batch: [0, 2, 4, 6] and [8, 10]; dropRemainder keeps only the full batch', async () => {
    const doubled = Dataset.range(6).map((x) => tfc.mul(x, 2));
    expect(await values(doubled.batch(4))).toEqual([[0, 2, 4, 6], [8, 10]]);
    expect(await values(doubled.batch(4, { dropRemainder: true }))).toEqual([[0, 2, 4, 6]]);
    expect(await values(Dataset.range(2, 8, 3))).toEqual([2, 5]);
    expect(await values(Dataset.range(5, 0, -2))).toEqual([5, 3, 1]);
  });

  test('fromTensorSlices([x, y]) gives [row, label] pairs, and batch stacks each part', async () => {
    const x = tfc.tensor2d([[1, 2], [3, 4], [5, 6]]);
    const y = tfc.tensor1d([10, 20, 30]);
    const ds = Dataset.fromTensorSlices([x, y]);
    x.dispose(); // the dataset copied the values: it does not need the tensors
    y.dispose();
    expect(await values(ds)).toEqual([[[1, 2], 10], [[3, 4], 20], [[5, 6], 30]]);
    expect(await values(ds.batch(2))).toEqual([[[[1, 2], [3, 4]], [10, 20]], [[[5, 6]], [30]]]);
  });

  test('fromTensorSlices of a record of arrays, of one nested array, and of a typed array', async () => {
    expect(await values(Dataset.fromTensorSlices({ xs: [[1], [2]], ys: [3, 4] }))).toEqual([{ xs: [1], ys: 3 }, { xs: [2], ys: 4 }]);
    expect(await values(Dataset.fromTensorSlices([[1, 2], [3, 4]]))).toEqual([[1, 2], [3, 4]]);
    expect(await values(Dataset.fromTensorSlices(new Int32Array([7, 8])))).toEqual([7, 8]);
    const batched = Dataset.fromTensorSlices({ xs: [[1], [2], [3]], ys: [3, 4, 5] }).batch(3);
    expect(await values(batched)).toEqual([{ xs: [[1], [2], [3]], ys: [3, 4, 5] }]);
  });

  test('fromTensorSlices refuses parts of different lengths, and a ragged array, naming the fix', () => {
    expect(() => Dataset.fromTensorSlices([tfc.zeros([3, 2]), tfc.zeros([2])])).toThrow(/different first dimensions: 3, 2[\s\S]*help:/);
    expect(() => Dataset.fromTensorSlices([[1, 2], [3]])).toThrow(/ragged[\s\S]*help:.*record/);
  });

  test('batch of elements with different shapes is an error naming both shapes', async () => {
    const ds = Dataset.fromGenerator(function* () {
      yield tfc.zeros([2]);
      yield tfc.zeros([3]);
    }).batch(2);
    await expect(values(ds)).rejects.toThrow(/different shapes, \[2\] and \[3\][\s\S]*help:/);
  });

  test('unbatch cuts each batch into its elements, parts together', async () => {
    expect(await values(Dataset.range(5).batch(2).unbatch())).toEqual([0, 1, 2, 3, 4]);
    const pairs = Dataset.fromTensorSlices([tfc.tensor2d([[1], [2], [3]]), tfc.tensor1d([4, 5, 6])]).batch(2).unbatch();
    expect(await values(pairs)).toEqual([[[1], 4], [[2], 5], [[3], 6]]);
  });

  test('take, skip, repeat and filter', async () => {
    expect(await values(Dataset.range(10).skip(3).take(4))).toEqual([3, 4, 5, 6]);
    expect(await values(Dataset.range(3).take(-1))).toEqual([0, 1, 2]);
    expect(await values(Dataset.range(3).skip(5))).toEqual([]);
    expect(await values(Dataset.range(3).repeat(2))).toEqual([0, 1, 2, 0, 1, 2]);
    expect(await values(Dataset.range(3).repeat().take(7))).toEqual([0, 1, 2, 0, 1, 2, 0]);
    expect(await values(Dataset.range(0).repeat())).toEqual([]); // an empty dataset repeated forever ends
    expect(await values(Dataset.range(10).filter((x) => x.dataSync()[0] % 3 === 0))).toEqual([0, 3, 6, 9]);
    expect(await values(Dataset.range(6).filter((x) => tfc.equal(tfc.mod(x, 2), 1)))).toEqual([1, 3, 5]); // a tensor predicate, its intermediates freed
  });

  test('fromGenerator calls the function afresh for each iteration; sync and async generators', async () => {
    let calls = 0;
    const ds = Dataset.fromGenerator(function* () {
      calls++;
      yield [tfc.tensor1d([1]), tfc.tensor1d([2])];
      yield [tfc.tensor1d([3]), tfc.tensor1d([4])];
    });
    expect(await values(ds)).toEqual([[[1], [2]], [[3], [4]]]);
    expect(await values(ds)).toEqual([[[1], [2]], [[3], [4]]]);
    expect(calls).toBe(2);
    const asyncDs = Dataset.fromGenerator(async function* () {
      await sleep(1);
      yield tfc.scalar(5);
    });
    expect(await values(asyncDs.repeat(2))).toEqual([5, 5]);
    expect(() => Dataset.fromGenerator(5 as never)).toThrow(/expected a function[\s\S]*help:/);
  });

  test('a dataset iterates afresh each time: three epochs give the same elements', async () => {
    const ds = Dataset.range(4).map((x) => tfc.add(x, 1)).batch(3);
    for (let epoch = 0; epoch < 3; epoch++) expect(await values(ds)).toEqual([[1, 2, 3], [4]]);
  });

  test('map with an async function keeps the order when calls finish out of order', async () => {
    const ds = Dataset.range(6).map(async (x) => {
      const v = x.dataSync()[0];
      await sleep(v % 2 === 0 ? 15 : 1); // even elements finish last
      return tfc.mul(x, 10);
    }, { numParallelCalls: 3 });
    expect(await values(ds)).toEqual([0, 10, 20, 30, 40, 50]);
  });

  test('sync map functions have their intermediates freed; a plain function returning a Promise of a freed tensor is refused with the fix', async () => {
    await expectNoLeak(async () => {
      expect(await values(Dataset.range(3).map((x) => tfc.mul(tfc.add(tfc.cast(x, 'float32'), 1), 2)))).toEqual([2, 4, 6]);
    });
    const wrong = Dataset.range(2).map((x) => Promise.resolve(tfc.add(x, 1)));
    await expect(values(wrong)).rejects.toThrow(/without being declared async[\s\S]*help: declare the function `async`/);
  });

  test('errors in a map surface where the element is taken, and leave no tensor behind', async () => {
    await expectNoLeak(async () => {
      const ds = Dataset.range(5).map(async (x) => {
        if (x.dataSync()[0] === 2) throw new Error('bad element');
        return x;
      }, { numParallelCalls: 3 });
      await expect(values(ds)).rejects.toThrow('bad element');
    });
  });
});

describe('shuffle', () => {
  const order = async (ds: k.data.Dataset<tfc.Scalar>): Promise<number[]> => (await values(ds)) as number[];
  const sorted = (a: number[]): number[] => [...a].sort((p, q) => p - q);
  const range20 = Array.from({ length: 20 }, (_, i) => i);

  test('a seed gives the same order in every run, a permutation, and a new order each epoch', async () => {
    const a = Dataset.range(20).shuffle(20, { seed: 7 });
    const b = Dataset.range(20).shuffle(20, { seed: 7 });
    const [a1, a2, b1, b2] = [await order(a), await order(a), await order(b), await order(b)];
    expect(sorted(a1)).toEqual(range20);
    expect(a1).not.toEqual(range20);
    expect(b1).toEqual(a1); // a second run with the same seed
    expect(b2).toEqual(a2);
    expect(a2).not.toEqual(a1); // reshuffled each iteration
    expect(sorted(a2)).toEqual(range20);
    expect(await order(Dataset.range(20).shuffle(20, { seed: 8 }))).not.toEqual(a1);
  });

  test('reshuffleEachIteration false gives the same order every epoch', async () => {
    const ds = Dataset.range(20).shuffle(20, { seed: 3, reshuffleEachIteration: false });
    const first = await order(ds);
    expect(await order(ds)).toEqual(first);
    expect(first).not.toEqual(range20);
  });

  test("buffer semantics: bufferSize 1 keeps the order; with a buffer of b, output k comes from the first k + b inputs", async () => {
    expect(await order(Dataset.range(10).shuffle(1, { seed: 1 }))).toEqual(Array.from({ length: 10 }, (_, i) => i));
    const out = await order(Dataset.range(50).shuffle(5, { seed: 2 }));
    expect(sorted(out)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    out.forEach((v, i) => expect(v).toBeLessThan(i + 5));
    expect(out).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  test('without a seed, k.utils.setRandomSeed makes the order reproducible', async () => {
    k.utils.setRandomSeed(11);
    const first = await order(Dataset.range(20).shuffle(20));
    k.utils.setRandomSeed(11);
    expect(await order(Dataset.range(20).shuffle(20))).toEqual(first);
  });
});

describe('cache and prefetch', () => {
  test('cache: the source runs once; later iterations replay the same values; a partial iteration caches nothing', async () => {
    let runs = 0;
    let mapped = 0;
    const ds = Dataset.fromGenerator(function* () {
      runs++;
      for (let i = 0; i < 4; i++) yield tfc.scalar(i);
    })
      .map((x) => {
        mapped++;
        return tfc.square(x);
      })
      .cache();
    expect(await values(ds.take(2))).toEqual([0, 1]); // stopped early: not cached
    expect(runs).toBe(1);
    for (let epoch = 0; epoch < 3; epoch++) expect(await values(ds)).toEqual([0, 1, 4, 9]);
    expect(runs).toBe(2);
    expect(mapped).toBe(2 + 4);
  });

  /** Milliseconds to take every element of `ds`, working `work` ms on each. */
  async function timed(ds: AsyncIterable<unknown>, work = 0): Promise<number> {
    const start = performance.now();
    for await (const e of ds) {
      if (work > 0) await sleep(work);
      tfc.dispose(tensors(e));
    }
    return performance.now() - start;
  }

  const slowMap = (ds: k.data.Dataset<tfc.Scalar>, parallel: number): k.data.Dataset<tfc.Scalar> =>
    ds.map(async (x) => {
      await sleep(20);
      return x;
    }, { numParallelCalls: parallel });

  test('a 20 ms async map over 10 elements: serially >= 200 ms; with numParallelCalls 4 and prefetch(2) well under', async () => {
    const serial = await timed(slowMap(Dataset.range(10), 1));
    expect(serial).toBeGreaterThanOrEqual(195);
    const overlapped = await timed(slowMap(Dataset.range(10), 4).prefetch(2));
    expect(overlapped).toBeLessThan(140); // ~3 rounds of 20 ms; a serial run takes 200
  });

  test('prefetch overlaps the map with the consumer\'s work: 10 x (20 ms map + 20 ms step) in well under 400 ms', async () => {
    const serial = await timed(slowMap(Dataset.range(10), 1), 20);
    expect(serial).toBeGreaterThanOrEqual(390);
    const prefetched = await timed(slowMap(Dataset.range(10), 1).prefetch(2), 20);
    expect(prefetched).toBeLessThan(350); // ~10 x 20 ms + one map: the map runs during the step
  });
});

describe('cardinality', () => {
  const { INFINITE_CARDINALITY: INF, UNKNOWN_CARDINALITY: UNK } = k.data;

  test("tf.data's values, operator by operator", () => {
    expect([INF, UNK]).toEqual([-1, -2]);
    expect([Dataset.INFINITE, Dataset.UNKNOWN]).toEqual([INF, UNK]);
    const ds = Dataset.range(10);
    expect(ds.cardinality()).toBe(10);
    expect(Dataset.fromTensorSlices([[1], [2], [3]]).cardinality()).toBe(3);
    expect(ds.map((x) => x).cardinality()).toBe(10);
    expect(ds.batch(4).cardinality()).toBe(3);
    expect(ds.batch(4, { dropRemainder: true }).cardinality()).toBe(2);
    expect(ds.shuffle(5).prefetch(1).cache().cardinality()).toBe(10);
    expect(ds.take(3).cardinality()).toBe(3);
    expect(ds.take(30).cardinality()).toBe(10);
    expect(ds.skip(3).cardinality()).toBe(7);
    expect(ds.skip(30).cardinality()).toBe(0);
    expect(ds.repeat(3).cardinality()).toBe(30);
    expect(ds.repeat().cardinality()).toBe(INF);
    expect(ds.repeat().take(5).cardinality()).toBe(5);
    expect(ds.repeat().skip(5).cardinality()).toBe(INF);
    expect(ds.filter(() => true).cardinality()).toBe(UNK);
    expect(ds.batch(2).unbatch().cardinality()).toBe(UNK);
    expect(Dataset.fromGenerator(function* () {}).cardinality()).toBe(UNK);
    expect(Dataset.fromGenerator(function* () {}).take(3).cardinality()).toBe(UNK);
    expect(Dataset.fromGenerator(function* () {}).repeat().cardinality()).toBe(INF);
    expect(Dataset.range(0).repeat().cardinality()).toBe(0);
  });
});

describe('leaks', () => {
  test('no tensor is left after each pipeline, iterated whole', async () => {
    const x = tfc.randomNormal([12, 3]);
    const y = tfc.randomNormal([12, 1]);
    const pipelines: Array<() => AsyncIterable<unknown>> = [
      () => Dataset.fromTensorSlices([x, y]),
      () => Dataset.fromTensorSlices([x, y]).map(([a, b]) => [tfc.mul(tfc.add(a, 1), 2), b]),
      () => Dataset.fromTensorSlices([x, y]).batch(5),
      () => Dataset.fromTensorSlices([x, y]).batch(5, { dropRemainder: true }),
      () => Dataset.fromTensorSlices([x, y]).batch(5).unbatch(),
      () => Dataset.fromTensorSlices([x, y]).shuffle(4, { seed: 1 }),
      () => Dataset.fromTensorSlices([x, y]).prefetch(3),
      () => Dataset.fromTensorSlices([x, y]).cache(),
      () => Dataset.fromTensorSlices([x, y]).skip(5).take(3),
      () => Dataset.fromTensorSlices([x, y]).repeat(2),
      () => Dataset.fromTensorSlices([x, y]).filter(([a]) => a.dataSync()[0] > 0),
      () => Dataset.fromTensorSlices([x, y]).map(async ([a, b]) => [a, tfc.neg(b)], { numParallelCalls: 4 }).prefetch(2),
    ];
    for (const make of pipelines) {
      await expectNoLeak(async () => {
        const ds = make();
        await values(ds);
        await values(ds);
      });
    }
    tfc.dispose([x, y]);
  });

  test('no tensor is left when an iteration stops early (break) with elements held in buffers', async () => {
    const pipeline = Dataset.range(40)
      .map(async (v) => [v, tfc.add(v, 1)], { numParallelCalls: 4 })
      .shuffle(8, { seed: 1 })
      .batch(3)
      .prefetch(3);
    await expectNoLeak(async () => {
      let n = 0;
      for await (const e of pipeline) {
        tfc.dispose(tensors(e));
        if (++n === 2) break;
      }
      await sleep(30); // the elements computed ahead arrive and are freed
    });
    await expectNoLeak(async () => {
      for await (const e of Dataset.range(10).batch(4).unbatch()) {
        tfc.dispose(tensors(e));
        break;
      }
    });
  });
});

describe('fit, evaluate and predict on a dataset', () => {
  // x: 8 rows of 2 features, y = x0 - 2 x1 + 0.5
  const X = [[1, 2], [0, 1], [3, -1], [2, 2], [-1, 0], [0.5, 0.5], [4, 1], [-2, 3]];
  const Y = X.map(([a, b]) => [a - 2 * b + 0.5]);

  function model(): k.Model {
    const inputs = k.Input({ shape: [2] });
    const outputs = new k.layers.Dense({ units: 1, kernelInitializer: 'ones', biasInitializer: 'zeros' }).apply(inputs);
    const m = new k.Model({ inputs, outputs });
    m.compile({ optimizer: new k.optimizers.SGD({ learningRate: 0.05 }), loss: 'mse' });
    return m;
  }

  test('the same losses, evaluation and predictions as on arrays (same batches, no shuffle), over 3 epochs', async () => {
    const onArrays = model();
    const h1 = await onArrays.fit(tfc.tensor2d(X), tfc.tensor2d(Y), { batchSize: 3, epochs: 3, shuffle: false, verbose: 0 });
    const onDataset = model();
    const ds = Dataset.fromTensorSlices([tfc.tensor2d(X), tfc.tensor2d(Y)]).batch(3);
    const h2 = await onDataset.fit(ds, { epochs: 3, verbose: 0 });
    expect(h2.epoch).toEqual([0, 1, 2]);
    expectClose(h2.history.loss as number[], h1.history.loss as number[], 1e-6);
    expect((h2.history.loss as number[])[2]).toBeLessThan((h2.history.loss as number[])[0]); // it trains
    const e1 = await onArrays.evaluate(tfc.tensor2d(X), tfc.tensor2d(Y), { batchSize: 3 });
    const e2 = await onDataset.evaluate(ds);
    expectClose(e2, e1, 1e-6);
    const p1 = onArrays.predict(tfc.tensor2d(X), { batchSize: 3 }) as tfc.Tensor;
    const p2 = (await onDataset.predict(Dataset.fromTensorSlices(tfc.tensor2d(X)).batch(3))) as tfc.Tensor;
    expectClose(p2, p1.arraySync() as number[][], 1e-6);
    tfc.dispose([p1, p2]);
    onArrays.dispose();
    onDataset.dispose();
  });

  test('the progress bar is told the known batches (3 of cardinality 3) before the first step; a filtered dataset, no count', async () => {
    class Steps extends k.callbacks.BaseCallback {
      seen: Array<number | undefined> = [];
      onTrainBegin(): void {
        this.seen.push(this.params?.steps);
      }
    }
    const steps = new Steps();
    const m = model();
    const ds = Dataset.fromTensorSlices({ xs: X, ys: Y }).batch(3); // a record element {xs, ys}
    await m.fit(ds, { epochs: 1, verbose: 0, callbacks: [steps] });
    await m.fit(ds.filter(() => true), { epochs: 1, verbose: 0, callbacks: [steps] });
    await m.fit(ds.repeat(), { epochs: 1, stepsPerEpoch: 2, verbose: 0, callbacks: [steps] });
    expect(steps.seen).toEqual([3, undefined, 2]);
    m.dispose();
  });

  test('an endless dataset needs stepsPerEpoch; with it, fit runs', async () => {
    const m = model();
    const ds = Dataset.fromTensorSlices([X, Y].map((a) => tfc.tensor2d(a))).batch(4).repeat();
    await expect(m.fit(ds, { epochs: 1, verbose: 0 })).rejects.toThrow(/fit: the dataset repeats forever[\s\S]*help: pass \{stepsPerEpoch: 100\}/);
    await expect(m.fit(ds, { epochs: 1, stepsPerEpoch: 2, verbose: 0, validationData: ds })).rejects.toThrow(/help: pass \{validationSteps: 100\}/);
    await expect(m.evaluate(ds)).rejects.toThrow(/evaluate: the dataset repeats forever[\s\S]*help: pass \{steps: 100\}/);
    const h = await m.fit(ds, { epochs: 2, stepsPerEpoch: 3, verbose: 0, validationData: ds, validationSteps: 2 });
    expect(h.epoch).toEqual([0, 1]);
    expect(await m.evaluate(ds, undefined, { steps: 2 })).toHaveLength(1);
    m.dispose();
  });

  test('fit, evaluate and predict on a shuffled, mapped, prefetched dataset leave no tensor behind', async () => {
    const m = model();
    const x = tfc.tensor2d(X);
    const y = tfc.tensor2d(Y);
    const ds = Dataset.fromTensorSlices([x, y])
      .shuffle(8, { seed: 1 })
      .map(async ([a, b]) => [tfc.mul(a, 0.5), b], { numParallelCalls: 2 })
      .batch(3)
      .prefetch(2);
    await m.fit(ds, { epochs: 1, verbose: 0 }); // the first fit creates the optimizer's slots
    await expectNoLeak(async () => {
      const h = await m.fit(ds, { epochs: 2, verbose: 0, validationData: ds });
      expect((h.history.val_loss as number[]).length).toBe(2);
      await m.evaluate(ds);
      const p = (await m.predict(ds)) as tfc.Tensor;
      expect(p.shape).toEqual([8, 1]);
      p.dispose();
    });
    tfc.dispose([x, y]);
    m.dispose();
  });
});

describe('a subclassed model built from a dataset', () => {
  class Linear extends k.Model {
    readonly dense = new k.layers.Dense({ units: 1 });
    override call(x: tfc.Tensor): tfc.Tensor {
      return this.dense.apply(x);
    }
  }

  test('builds from the first element and leaves as many tensors as a fit on arrays (the peeked element is freed)', async () => {
    const X = [[1, 2], [3, 4], [5, 6], [7, 8]];
    const Y = [[1], [2], [3], [4]];
    const grown = async (fit: (m: k.Model) => Promise<unknown>): Promise<number> => {
      const m = new Linear();
      m.compile({ optimizer: 'sgd', loss: 'mse' });
      const before = tfc.memory().numTensors;
      await fit(m);
      const after = tfc.memory().numTensors - before;
      m.dispose();
      return after;
    };
    const onArrays = await grown((m) => m.fit(X, Y, { batchSize: 2, epochs: 1, verbose: 0 }));
    const onDataset = await grown((m) => m.fit(Dataset.fromTensorSlices({ xs: X, ys: Y }).batch(2), { epochs: 1, verbose: 0 }));
    expect(onDataset).toBe(onArrays);
  });
});
