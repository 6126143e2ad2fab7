/**
 * Every typed array kind DataInput lists, as x and as y, through fit, evaluate and predict: the
 * same model trained on the same numbers held as Float32Array must end with the same weights and
 * predictions (a relation, so no reference numbers are needed). BigInt arrays convert when their
 * values are safe integers and are refused with the fix otherwise.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectNoLeak } from '../helpers';

beforeAll(async () => {
  await k.setBackend('cpu');
});

// Small non-negative integers: every kind holds them exactly. 6 samples of 2 features.
const X = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
const Y = [2, 5, 9, 14, 20, 27]; // regression targets (not the sums the initial kernel of ones predicts, so the weights move)
const LABELS = [0, 1, 2, 1, 0, 2]; // sparse class indices

type Kind = (values: number[]) => unknown;
const kinds: Array<[string, Kind]> = [
  ['Float64Array', (v) => Float64Array.from(v)],
  ['Int32Array', (v) => Int32Array.from(v)],
  ['Int16Array', (v) => Int16Array.from(v)],
  ['Int8Array', (v) => Int8Array.from(v)],
  ['Uint32Array', (v) => Uint32Array.from(v)],
  ['Uint16Array', (v) => Uint16Array.from(v)],
  ['Uint8Array', (v) => Uint8Array.from(v)],
  ['Uint8ClampedArray', (v) => Uint8ClampedArray.from(v)],
  ['BigInt64Array', (v) => BigInt64Array.from(v, BigInt)],
  ['BigUint64Array', (v) => BigUint64Array.from(v, BigInt)],
  ['plain nested array', (v) => (v.length === 12 ? rows(v, 2) : v)],
  ['nested array of Float64Array rows', (v) => (v.length === 12 ? rows(v, 2).map((r) => Float64Array.from(r)) : v)],
  ['tensor', (v) => (v.length === 12 ? tfc.tensor2d(v, [6, 2]) : tfc.tensor1d(v))],
];

function rows(v: number[], width: number): number[][] {
  return Array.from({ length: v.length / width }, (_, i) => v.slice(i * width, (i + 1) * width));
}

function model(loss: 'mse' | 'sparse_categorical_crossentropy'): k.Sequential {
  const units = loss === 'mse' ? 1 : 3;
  const m = new k.Sequential([
    new k.layers.Dense({ units, inputShape: [2], kernelInitializer: 'ones', activation: loss === 'mse' ? 'linear' : 'softmax' }),
  ]);
  m.compile({ optimizer: new k.optimizers.SGD({ learningRate: 0.001 }), loss });
  return m;
}

/** Final weights, evaluate's loss and predictions after two epochs on `x`, `y`. */
async function run(loss: 'mse' | 'sparse_categorical_crossentropy', x: unknown, y: unknown): Promise<number[][]> {
  const m = model(loss);
  const history = await m.fit(x as never, y as never, { epochs: 2, batchSize: 4, shuffle: false, verbose: 0 });
  const evaluated = (await m.evaluate(x as never, y as never, { verbose: 0 })) as number[];
  const pred = m.predict(x as number[][]) as tfc.Tensor;
  const out = [history.history.loss as number[], evaluated, Array.from(pred.dataSync()), ...m.getWeights().map((w) => Array.from(w.dataSync()))];
  pred.dispose();
  m.dispose();
  return out;
}

test.each(kinds)('%s as x and y trains, evaluates and predicts as Float32Array data does', async (_name, make) => {
  const reference = await run('mse', Float32Array.from(X), Float32Array.from(Y));
  expect(reference[0].every((l) => Number.isFinite(l) && l > 0)).toBe(true);
  expect(reference[3]).not.toEqual([1, 1]); // the kernel moved from its initial ones
  expect(await run('mse', make(X), make(Y))).toEqual(reference);
});

test.each(kinds)('%s as sparse labels gives what Float32Array labels give', async (_name, make) => {
  const reference = await run('sparse_categorical_crossentropy', Float32Array.from(X), Float32Array.from(LABELS));
  expect(await run('sparse_categorical_crossentropy', Float32Array.from(X), make(LABELS))).toEqual(reference);
});

test('values that are not integers survive a Float64Array as float32 would hold them', async () => {
  const x = X.map((v) => v / 7);
  const reference = await run('mse', Float32Array.from(x), Float32Array.from(Y));
  expect(await run('mse', Float64Array.from(x), Float64Array.from(Y))).toEqual(reference);
});

test('sample weights as a Float64Array or an Int16Array weigh as Float32Array weights do', async () => {
  const weights = [1, 2, 0, 1, 3, 1];
  const fit = async (sampleWeight: unknown): Promise<number[]> => {
    const m = model('mse');
    const h = await m.fit(Float32Array.from(X), Float32Array.from(Y), { epochs: 2, shuffle: false, verbose: 0, sampleWeight: sampleWeight as number[] });
    m.dispose();
    return h.history.loss as number[];
  };
  const reference = await fit(Float32Array.from(weights));
  expect(await fit(Float64Array.from(weights))).toEqual(reference);
  expect(await fit(Int16Array.from(weights))).toEqual(reference);
  expect(await fit(weights.map(() => 1))).not.toEqual(reference); // the weights matter
});

test('a typed array in a generator element is converted as in arrays', async () => {
  const m = model('mse');
  const fromGen = await m.fit(
    (function* () {
      yield { xs: Float64Array.from(X), ys: Int16Array.from(Y) };
    })(),
    { epochs: 1, verbose: 0 },
  );
  expect(fromGen.history.loss).toHaveLength(1);
  expect(Number.isFinite(fromGen.history.loss[0])).toBe(true);
  m.dispose();
});

test('a BigInt64Array with a value beyond the safe integers is refused, naming the array, its type and the fix', async () => {
  const m = model('mse');
  const big = BigInt64Array.from(X, BigInt);
  big[3] = 2n ** 53n + 1n;
  await expect(m.fit(big, Y, { verbose: 0 })).rejects.toThrow(
    /x: a BigInt64Array holds 9007199254740993 at index 3, beyond Number\.MAX_SAFE_INTEGER.*help: .*Float32Array\.from\(big, Number\)/,
  );
  const labels = BigUint64Array.from(Y, BigInt);
  labels[0] = 2n ** 64n - 1n;
  await expect(m.fit(Float32Array.from(X), labels, { verbose: 0 })).rejects.toThrow(/y: a BigUint64Array holds 18446744073709551615 at index 0.*help: .*Float32Array\.from\(big, Number\)/);
  expect(() => m.predict(big)).toThrow(/x: a BigInt64Array holds 9007199254740993/);
  const history = await m.fit(Float32Array.from(big, Number), Y, { verbose: 0 });
  expect(Number.isFinite(history.history.loss[0])).toBe(true);
  m.dispose();
});

test('a DataView is refused with the fix', async () => {
  const m = model('mse');
  const view = new DataView(new ArrayBuffer(48));
  await expect(m.fit(view as never, Y, { verbose: 0 })).rejects.toThrow(/x: a DataView is not an array of numbers\. help: .*new Float32Array\(view\.buffer\)/);
  m.dispose();
});

test('typed arrays of every kind leave no tensor behind', async () => {
  const m = model('sparse_categorical_crossentropy');
  await m.fit(Float32Array.from(X), LABELS, { verbose: 0 }); // builds the model and the optimizer's slots
  await expectNoLeak(async () => {
    await m.fit(Float64Array.from(X), Int16Array.from(LABELS), { epochs: 2, verbose: 0 });
    await m.evaluate(Uint8Array.from(X), BigInt64Array.from(LABELS, BigInt), { verbose: 0 });
    tfc.dispose(m.predict(X.map((_, i) => i).filter((i) => i < 6).map((i) => Float64Array.from(X.slice(2 * i, 2 * i + 2)))) as tfc.Tensor);
    await expect(m.fit(new DataView(new ArrayBuffer(8)) as never, LABELS, { verbose: 0 })).rejects.toThrow(/DataView/);
  });
  m.dispose();
});
