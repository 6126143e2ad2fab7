/**
 * timeseriesDatasetFromArray against Keras's index arithmetic (keras/src/utils/timeseries_dataset_utils.py):
 * windows worked by hand (Keras's docstring examples 1 and 2, and small series whose values are
 * their row numbers), and against test/reference/timeseries_reference.py (the same arithmetic in
 * NumPy, its printed numbers below) for several sequenceLength / sequenceStride / samplingRate /
 * startIndex / endIndex / batchSize settings; seeded shuffling, dtypes, Keras's argument errors and
 * tensor leaks.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectNoLeak } from '../helpers';

// From `python3 test/reference/timeseries_reference.py` (values rounded to 6 decimals).
const REFERENCE: Record<string, { starts: number[]; batches: Array<{ xShape: number[]; x: number[]; y: number[] | null }> }> = {
  "1-D, length 5, batch 4": {"starts": [0, 1, 2, 3, 4, 5, 6, 7], "batches": [{"xShape": [4, 5], "x": [0.0, 0.30552, 0.584642, 0.813327, 0.972039, 0.30552, 0.584642, 0.813327, 0.972039, 1.047495, 0.584642, 0.813327, 0.972039, 1.047495, 1.033848, 0.813327, 0.972039, 1.047495, 1.033848, 0.933209], "y": [1.0, 0.877583, 0.540302, 0.070737]}, {"xShape": [4, 5], "x": [0.972039, 1.047495, 1.033848, 0.933209, 0.755463, 1.047495, 1.033848, 0.933209, 0.755463, 0.51738, 1.033848, 0.933209, 0.755463, 0.51738, 0.24112, 0.933209, 0.755463, 0.51738, 0.24112, -0.047746], "y": [-0.416147, -0.801144, -0.989992, -0.936457]}]},
  "2 features, stride 3, rate 2, batch 3": {"starts": [0, 3, 6, 9, 12], "batches": [{"xShape": [3, 4, 2], "x": [0.0, 0.30552, 0.972039, 1.047495, 0.755463, 0.51738, -0.32252, -0.557766, 1.033848, 0.933209, 0.24112, -0.047746, -0.731576, -0.82753, -0.592764, -0.360686, -0.32252, -0.557766, -0.836165, -0.755815, -0.079416, 0.226814, 1.033668, 1.188], "y": [1.0, 0.070737, -0.989992]}, {"xShape": [2, 4, 2], "x": [-0.592764, -0.360686, 0.531541, 0.80844, 1.258543, 1.23989, 0.712119, 0.434454, 1.033668, 1.188, 1.134599, 0.952969, 0.145673, -0.127536, -0.620936, -0.624553], "y": [-0.210796, 0.96017]}]},
  "start 3, end 17, rate 2, batch 2": {"starts": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], "batches": [{"xShape": [2, 3, 1], "x": [0.813327, 1.047495, 0.933209, 0.972039, 1.033848, 0.755463], "y": [0.070737, -0.416147]}, {"xShape": [2, 3, 1], "x": [1.047495, 0.933209, 0.51738, 1.033848, 0.755463, 0.24112], "y": [-0.801144, -0.989992]}, {"xShape": [2, 3, 1], "x": [0.933209, 0.51738, -0.047746, 0.755463, 0.24112, -0.32252], "y": [-0.936457, -0.653644]}, {"xShape": [2, 3, 1], "x": [0.51738, -0.047746, -0.557766, 0.24112, -0.32252, -0.731576], "y": [-0.210796, 0.283662]}, {"xShape": [2, 3, 1], "x": [-0.047746, -0.557766, -0.82753, -0.32252, -0.731576, -0.836165], "y": [0.70867, 0.96017]}]},
  "no targets, stride 2, start 1, batch 5": {"starts": [0, 2, 4, 6, 8, 10, 12], "batches": [{"xShape": [5, 2, 3], "x": [0.813327, 0.972039, 1.047495, 1.033848, 0.933209, 0.755463, 0.51738, 0.24112, -0.047746, -0.32252, -0.557766, -0.731576, -0.82753, -0.836165, -0.755815, -0.592764, -0.360686, -0.079416, 0.226814, 0.531541, 0.80844, 1.033668, 1.188, 1.258543, 1.23989, 1.134599, 0.952969, 0.712119, 0.434454, 0.145673], "y": null}, {"xShape": [2, 2, 3], "x": [-0.127536, -0.359875, -0.529696, -0.620936, -0.624553, -0.539329, -0.371984, -0.136573, 0.146768, 0.453623, 0.757474, 1.032073], "y": null}]},
  "short targets cap the windows": {"starts": [0, 1, 2, 3, 4, 5, 6], "batches": [{"xShape": [4, 3, 1], "x": [0.0, 0.30552, 0.584642, 0.30552, 0.584642, 0.813327, 0.584642, 0.813327, 0.972039, 0.813327, 0.972039, 1.047495], "y": [1.0, 0.877583, 0.540302, 0.070737]}, {"xShape": [3, 3, 1], "x": [0.972039, 1.047495, 1.033848, 1.047495, 1.033848, 0.933209, 1.033848, 0.933209, 0.755463], "y": [-0.416147, -0.801144, -0.989992]}]},
};

/** The reference script's series: seq(n, f) = sin(0.3 i) + 0.01 i over n * f values, [n, f] (1-D for f = 0); tseq(m) = cos(0.5 i). */
const seq = (n: number, f: number): number[] | number[][] => {
  const v = Array.from({ length: n * Math.max(f, 1) }, (_, i) => Math.fround(Math.sin(0.3 * i) + 0.01 * i));
  return f === 0 ? v : Array.from({ length: n }, (_, r) => v.slice(r * f, (r + 1) * f));
};
const tseq = (m: number): Float32Array => Float32Array.from({ length: m }, (_, i) => Math.cos(0.5 * i));

/** Every element of a dataset as [x values, x shape, y values | null, y shape | null]; tensors disposed. */
async function batches(ds: AsyncIterable<unknown>): Promise<Array<{ x: number[]; xShape: number[]; y: number[] | null; yShape: number[] | null; dtypes: string[] }>> {
  const out = [];
  for await (const e of ds) {
    const [x, y] = Array.isArray(e) ? (e as tfc.Tensor[]) : [e as tfc.Tensor, null];
    out.push({
      x: Array.from(await x.data()),
      xShape: x.shape,
      y: y === null ? null : Array.from(await y.data()),
      yShape: y === null ? null : y.shape,
      dtypes: y === null ? [x.dtype] : [x.dtype, y.dtype],
    });
    tfc.dispose([x, ...(y === null ? [] : [y])]);
  }
  return out;
}

/** Rows 0..n-1 whose values are their row numbers (Int32Array, so windows are exact integers). */
const rows = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);
/** The window starting at p: p, p + rate, ... (length of them). */
const window = (p: number, length: number, rate: number): number[] => Array.from({ length }, (_, j) => p + j * rate);

describe('timeseriesDatasetFromArray', () => {
  test("Keras's example 1: 0..98, sequenceLength 10, samplingRate 2, sequenceStride 3 -> [0 2 .. 18], [3 5 .. 21], [6 .. 24], ..., last [78 .. 96]", async () => {
    const ds = k.utils.timeseriesDatasetFromArray(rows(99), null, 10, { samplingRate: 2, sequenceStride: 3 });
    expect(ds.cardinality()).toBe(1); // 27 windows in one batch of 128
    const [b] = await batches(ds);
    expect(b.xShape).toEqual([27, 10]);
    expect(b.dtypes).toEqual(['int32']);
    const got = Array.from({ length: 27 }, (_, w) => b.x.slice(w * 10, (w + 1) * 10));
    expect(got[0]).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    expect(got[1]).toEqual([3, 5, 7, 9, 11, 13, 15, 17, 19, 21]);
    expect(got[2]).toEqual([6, 8, 10, 12, 14, 16, 18, 20, 22, 24]);
    expect(got[26]).toEqual([78, 80, 82, 84, 86, 88, 90, 92, 94, 96]); // the next would start at 81 and end past 98
    got.forEach((w, i) => expect(w).toEqual(window(3 * i, 10, 2)));
  });

  test("Keras's example 2: inputs data[:-10], targets data[10:], sequenceLength 10 -> window i is data[i .. i+9], its target data[i + 10]", async () => {
    const data = Array.from({ length: 30 }, (_, i) => i * i);
    const ds = k.utils.timeseriesDatasetFromArray(data.slice(0, -10), data.slice(10), 10, { batchSize: 4 });
    const got = await batches(ds);
    expect(got.map((b) => [b.xShape, b.yShape])).toEqual([[[4, 10], [4]], [[4, 10], [4]], [[3, 10], [3]]]); // 20 - 9 = 11 windows
    const xs = got.flatMap((b) => Array.from({ length: b.xShape[0] }, (_, w) => b.x.slice(w * 10, (w + 1) * 10)));
    const ys = got.flatMap((b) => b.y!);
    xs.forEach((w, i) => expect(w).toEqual(data.slice(i, i + 10)));
    expect(ys).toEqual(data.slice(10, 21));
    expect(got[0].dtypes).toEqual(['float32', 'float32']);
  });

  test('by hand: startIndex / endIndex count rows of the whole series, and targets[startIndex + p] goes with the window starting at row startIndex + p', async () => {
    // 12 rows of 2 features [10 r, 10 r + 1]; rows 2..9 used; windows of 3 rows, rate 2 -> num = 8 - 4 = 4 starts (0, 1, 2, 3), stride 2 -> 0, 2.
    const data = Array.from({ length: 12 }, (_, r) => [10 * r, 10 * r + 1]);
    const targets = Array.from({ length: 12 }, (_, r) => 100 + r);
    const ds = k.utils.timeseriesDatasetFromArray(data, targets, { sequenceLength: 3, samplingRate: 2, sequenceStride: 2, startIndex: 2, endIndex: 10, batchSize: null });
    const got = await batches(ds);
    expect(got.map((b) => [b.xShape, b.yShape])).toEqual([[[3, 2], []], [[3, 2], []]]);
    expect(got[0].x).toEqual([20, 21, 40, 41, 60, 61]); // rows 2, 4, 6
    expect(got[0].y).toEqual([102]);
    expect(got[1].x).toEqual([40, 41, 60, 61, 80, 81]); // rows 4, 6, 8
    expect(got[1].y).toEqual([104]);
    // Too few rows for one window: an empty dataset (numSeqs <= 0), as Keras.
    expect(await batches(k.utils.timeseriesDatasetFromArray(rows(5), null, 6, { samplingRate: 1 }))).toEqual([]);
  });

  test.each(Object.keys(REFERENCE))('the NumPy reference: %s', async (name) => {
    const settings: Record<string, [number, number, number | null, k.utils.TimeseriesDatasetOptions & { sequenceLength: number }]> = {
      '1-D, length 5, batch 4': [12, 0, 12, { sequenceLength: 5, batchSize: 4 }],
      '2 features, stride 3, rate 2, batch 3': [20, 2, 20, { sequenceLength: 4, sequenceStride: 3, samplingRate: 2, batchSize: 3 }],
      'start 3, end 17, rate 2, batch 2': [20, 1, 20, { sequenceLength: 3, samplingRate: 2, startIndex: 3, endIndex: 17, batchSize: 2 }],
      'no targets, stride 2, start 1, batch 5': [15, 3, null, { sequenceLength: 2, sequenceStride: 2, startIndex: 1, batchSize: 5 }],
      'short targets cap the windows': [16, 1, 7, { sequenceLength: 3, batchSize: 4 }],
    };
    const [n, f, m, options] = settings[name];
    const ds = k.utils.timeseriesDatasetFromArray(seq(n, f), m === null ? null : tseq(m), options);
    const want = REFERENCE[name].batches;
    expect(ds.cardinality()).toBe(want.length);
    const got = await batches(ds);
    expect(got.map((b) => b.xShape)).toEqual(want.map((b) => b.xShape));
    got.forEach((b, i) => {
      b.x.forEach((v, j) => expect(Math.abs(v - want[i].x[j])).toBeLessThan(1e-6));
      if (want[i].y === null) expect(b.y).toBeNull();
      else b.y!.forEach((v, j) => expect(Math.abs(v - want[i].y![j])).toBeLessThan(1e-6));
    });
  });

  test('shuffle: every epoch the same windows with their targets, in a new order each epoch; the same orders for the same seed', async () => {
    const data = rows(60);
    const targets = Int32Array.from({ length: 60 }, (_, i) => 1000 + i);
    const make = (seed: number) => k.utils.timeseriesDatasetFromArray(data, targets, 4, { samplingRate: 2, batchSize: 5, shuffle: true, seed });
    const epoch = async (ds: AsyncIterable<unknown>): Promise<number[]> => {
      const starts: number[] = [];
      for (const b of await batches(ds)) {
        for (let w = 0; w < b.xShape[0]; w++) {
          const win = b.x.slice(w * 4, (w + 1) * 4);
          expect(win).toEqual(window(win[0], 4, 2)); // still a window
          expect(b.y![w]).toBe(1000 + win[0]); // with its own target
          starts.push(win[0]);
        }
      }
      return starts;
    };
    const ds = make(7);
    const [e1, e2, e3] = [await epoch(ds), await epoch(ds), await epoch(ds)];
    const all = Array.from({ length: 60 - 6 }, (_, i) => i);
    for (const e of [e1, e2, e3]) expect(e.slice().sort((a, b) => a - b)).toEqual(all);
    expect(e1).not.toEqual(all);
    expect(e1.join() !== e2.join() || e2.join() !== e3.join()).toBe(true);
    const again = make(7);
    expect([await epoch(again), await epoch(again), await epoch(again)]).toEqual([e1, e2, e3]);
    expect(await epoch(make(8))).not.toEqual(e1);
    // Unbatched: a buffer of 1024, the same windows.
    const single = k.utils.timeseriesDatasetFromArray(data, null, 4, { batchSize: null, shuffle: true, seed: 3 });
    const firsts = (await batches(single)).map((b) => b.x[0]);
    expect(firsts.slice().sort((a, b) => a - b)).toEqual(Array.from({ length: 57 }, (_, i) => i));
  });

  test('data as a tensor keeps its dtype and row shape; a typed array is one value per step', async () => {
    const x = tfc.tensor3d(Int32Array.from({ length: 8 * 2 * 3 }, (_, i) => i), [8, 2, 3], 'int32');
    const y = tfc.tensor1d([0, 1, 0, 1, 0, 1, 0, 1], 'bool');
    const [b] = await batches(k.utils.timeseriesDatasetFromArray(x, y, 3));
    expect([b.xShape, b.yShape, b.dtypes]).toEqual([[6, 3, 2, 3], [6], ['int32', 'bool']]);
    expect(b.x.slice(0, 18)).toEqual(Array.from({ length: 18 }, (_, i) => i)); // rows 0, 1, 2
    expect(b.x.slice(18, 36)).toEqual(Array.from({ length: 18 }, (_, i) => 6 + i)); // rows 1, 2, 3
    expect(b.y).toEqual([0, 1, 0, 1, 0, 1]);
    const [f] = await batches(k.utils.timeseriesDatasetFromArray(new Float32Array([0.5, 1.5, 2.5, 3.5]), null, 2));
    expect([f.xShape, f.x, f.dtypes]).toEqual([[3, 2], [0.5, 1.5, 1.5, 2.5, 2.5, 3.5], ['float32']]);
    tfc.dispose([x, y]);
  });

  test("Keras's argument errors, each naming the value and the fix", () => {
    const data = rows(10);
    const call = (o: Partial<k.utils.TimeseriesDatasetOptions>, targets: k.utils.SeriesData | null = null) =>
      () => k.utils.timeseriesDatasetFromArray(data, targets, { sequenceLength: 3, ...o });
    expect(call({ startIndex: -1 })).toThrow(/timeseriesDatasetFromArray: `startIndex` must be an integer, 0 or greater, got -1[\s\S]*help:/);
    expect(call({ startIndex: 10 })).toThrow(/`startIndex` must be lower than the length of the data \(10\), got 10[\s\S]*help:/);
    expect(call({ startIndex: 5, endIndex: 5 })).toThrow(/`endIndex` must be higher than `startIndex` \(5\), got 5[\s\S]*help:/);
    expect(call({ endIndex: 10 })).toThrow(/`endIndex` must be lower than the length of the data \(10\), got 10[\s\S]*help: leave endIndex out/);
    expect(call({ endIndex: 0 })).toThrow(/`endIndex` must be an integer higher than 0, got 0[\s\S]*help:/);
    expect(call({ samplingRate: 0 })).toThrow(/`samplingRate` must be an integer higher than 0, got 0[\s\S]*help:/);
    expect(call({ samplingRate: 10 })).toThrow(/`samplingRate` must be lower than the length of the data \(10\), got 10[\s\S]*help:/);
    expect(call({ sequenceStride: -2 })).toThrow(/`sequenceStride` must be an integer higher than 0, got -2[\s\S]*help:/);
    expect(call({ sequenceStride: 12 })).toThrow(/`sequenceStride` must be lower than the length of the data \(10\), got 12/);
    expect(call({ sequenceLength: 0 })).toThrow(/`sequenceLength` must be a positive integer, got 0[\s\S]*help:/);
    expect(call({ batchSize: 2.5 })).toThrow(/`batchSize` must be a positive integer or null, got 2.5[\s\S]*help:/);
    // rows 4..9, windows of 3: starts 4..7 (numSeqs = min(6 - 2, 5) = 4); targets[7] does not exist.
    expect(call({ startIndex: 4 }, rows(5))).toThrow(/the window starting at row 7 has no target: targets has 5 rows[\s\S]*help:/);
    expect(() => k.utils.timeseriesDatasetFromArray([[1, 2], [3]], null, 1)).toThrow(/`data` is not a rectangular array of numbers[\s\S]*help:/);
    expect(() => k.utils.timeseriesDatasetFromArray(tfc.scalar(1), null, 1)).toThrow(/`data` is a scalar[\s\S]*help:/);
    expect(() => k.utils.timeseriesDatasetFromArray(data, ['a'] as unknown as number[], 1)).toThrow(/`targets` is not a rectangular array of numbers[\s\S]*"a"[\s\S]*help:/);
  });

  test('no tensors left behind: the dataset holds none; iterating (whole, shuffled, closed early) and fitting free every batch', async () => {
    const x = tfc.tensor2d(seq(40, 2) as number[][]);
    const y = tfc.tensor1d(tseq(40));
    await expectNoLeak(async () => {
      const ds = k.utils.timeseriesDatasetFromArray(x, y, 4, { batchSize: 8, shuffle: true, seed: 1 });
      await batches(ds);
      await batches(k.utils.timeseriesDatasetFromArray(x, null, 4, { batchSize: null, startIndex: 2 }));
      const it = ds[Symbol.asyncIterator]();
      tfc.dispose((await it.next()).value as tfc.Tensor[]);
      await it.return?.();
    });
    const model = new k.Sequential([new k.layers.Flatten({ inputShape: [4, 2] }), new k.layers.Dense({ units: 1 })]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const ds = k.utils.timeseriesDatasetFromArray(x, y, 4, { batchSize: 8 });
    await model.fit(ds, { epochs: 1, verbose: 0 });
    await expectNoLeak(async () => {
      await model.fit(ds, { epochs: 2, verbose: 0 });
      await model.evaluate(ds, undefined, { verbose: 0 });
    });
    model.dispose();
    tfc.dispose([x, y]);
  });
});
