/**
 * k.datasets against small files in the formats of Keras's datasets, served under Keras's file
 * names from 127.0.0.1 (test/fixtures/datasets/, written by test/reference/datasets_reference.py).
 * Expected shapes, dtypes, values, shuffles and the imdb/reuters index arithmetic are the numbers
 * that script printed (datasets_reference.json) by running Keras's load_data logic in NumPy over the
 * same files. The cache is a temporary folder, never ~/.keras.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as k from '../../src';
import { expectNoLeak, testBackend } from '../helpers';
import { FileServer } from '../utils/file_server';
import { PickledArray, readPickle } from '../../src/datasets/pickle';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'datasets');
const REF = JSON.parse(fs.readFileSync(path.join(__dirname, 'datasets_reference.json'), 'utf8'));

interface Summary {
  shape: number[];
  dtype: string;
  sum: number;
  first: number[];
  last: number[];
}

const server = new FileServer();
let cacheDir: string;
let opts: { cacheDir: string; originFolder: string; checkHash: false };

beforeAll(async () => {
  for (const f of fs.readdirSync(FIXTURES, { recursive: true }) as string[]) {
    const full = path.join(FIXTURES, f);
    if (fs.statSync(full).isFile()) server.routes.set(`/${path.basename(f)}`, { body: fs.readFileSync(full) });
  }
  await server.start();
  k.utils.setLogger({ write: () => undefined, warn: () => undefined });
});

beforeEach(() => {
  cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'datasets-'));
  opts = { cacheDir, originFolder: server.base, checkHash: false };
});

afterEach(() => fs.rmSync(cacheDir, { recursive: true, force: true }));

afterAll(async () => {
  k.utils.setLogger(null);
  await server.stop();
});

const DTYPES: Record<string, string> = { Uint8Array: 'uint8', Int32Array: 'int32', Float64Array: 'float64', Float32Array: 'float32' };

function expectSummary(a: k.datasets.ShapedArray, s: Summary, dtype = s.dtype): void {
  expect(a.shape).toEqual(s.shape);
  expect(DTYPES[a.constructor.name]).toBe(dtype);
  expect(a.length).toBe(s.shape.reduce((x, y) => x * y, 1));
  const values = Array.from(a as ArrayLike<number>);
  const sum = values.reduce((x, y) => x + y, 0);
  if (dtype.startsWith('float')) {
    expect(sum).toBeCloseTo(s.sum, 2);
    values.slice(0, 8).forEach((v, i) => expect(v).toBeCloseTo(s.first[i], 5));
    values.slice(-4).forEach((v, i) => expect(v).toBeCloseTo(s.last[i], 5));
  } else {
    expect(sum).toBe(s.sum);
    expect(values.slice(0, 8)).toEqual(s.first);
    expect(values.slice(-4)).toEqual(s.last);
  }
}

test('mnist: Keras file name in the cache, uint8 [n, 28, 28] and [n], values as NumPy reads them', async () => {
  const [[xTrain, yTrain], [xTest, yTest]] = await k.datasets.mnist.loadData(opts);
  expectSummary(xTrain, REF.mnist.x_train);
  expectSummary(yTrain, REF.mnist.y_train);
  expectSummary(xTest, REF.mnist.x_test);
  expectSummary(yTest, REF.mnist.y_test);
  expect(fs.existsSync(path.join(cacheDir, 'datasets', 'mnist.npz'))).toBe(true);
});

test("mnist with Keras's hash refuses a file that is not Keras's, and leaves none", async () => {
  await expect(k.datasets.mnist.loadData({ cacheDir, originFolder: server.base })).rejects.toThrow(/its sha256 hash is [0-9a-f]{64}, not 731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1/);
  expect(fs.readdirSync(path.join(cacheDir, 'datasets'))).toEqual([]);
});

test('a file already in the cache under Keras\'s name is used with no server', async () => {
  fs.mkdirSync(path.join(cacheDir, 'datasets'), { recursive: true });
  fs.copyFileSync(path.join(FIXTURES, 'mnist.npz'), path.join(cacheDir, 'datasets', 'mnist.npz'));
  const [[xTrain]] = await k.datasets.mnist.loadData({ cacheDir, originFolder: 'http://127.0.0.1:9/', checkHash: false });
  expect(xTrain.shape).toEqual([6, 28, 28]);
});

test('fashionMnist: four gzipped IDX files under datasets/fashion-mnist', async () => {
  const [[xTrain, yTrain], [xTest, yTest]] = await k.datasets.fashionMnist.loadData(opts);
  expectSummary(xTrain, REF.fashion.x_train);
  expectSummary(yTrain, REF.fashion.y_train);
  expectSummary(xTest, REF.fashion.x_test);
  expectSummary(yTest, REF.fashion.y_test);
  expect(fs.readdirSync(path.join(cacheDir, 'datasets', 'fashion-mnist')).sort()).toEqual(
    ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz', 'train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz'],
  );
});

test("cifar10: Keras's tar.gz extracted under Keras's folder name, pickles read (Python 2 and 3), channels last", async () => {
  const [[xTrain, yTrain], [xTest, yTest]] = await k.datasets.cifar10.loadData(opts);
  expectSummary(xTrain, REF.cifar10.x_train);
  expectSummary(yTrain, REF.cifar10.y_train);
  expectSummary(xTest, REF.cifar10.x_test);
  expectSummary(yTest, REF.cifar10.y_test);
  const at = ((1 * 32 + 2) * 32 + 3) * 3;
  expect(Array.from(xTrain.subarray(at, at + 3))).toEqual(REF.cifar10.pixel_1_2_3_train);
  expect(fs.existsSync(path.join(cacheDir, 'datasets', 'cifar-10-batches-py-target', 'cifar-10-batches-py', 'test_batch'))).toBe(true);
  expect(fs.existsSync(path.join(cacheDir, 'datasets', 'cifar-10-batches-py-target_archive'))).toBe(true);
});

test.each(['fine', 'coarse'] as const)('cifar100 labelMode %s', async (labelMode) => {
  const [[xTrain, yTrain], [xTest, yTest]] = await k.datasets.cifar100.loadData({ ...opts, labelMode });
  expect(xTrain.shape).toEqual([4, 32, 32, 3]);
  expectSummary(xTest, REF.cifar100.x_test);
  expect(yTrain.shape).toEqual([4, 1]);
  expect(Array.from(yTrain)).toEqual(REF.cifar100[labelMode].y_train.flat());
  expect(Array.from(yTest)).toEqual(REF.cifar100[labelMode].y_test.flat());
  expect(yTest).toBeInstanceOf(Int32Array);
});

const camel = (o: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).map(([key, v]) => [key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v]));

interface SequenceCase {
  options: Record<string, unknown>;
  result: [[number[][], number[]], [number[][], number[]]];
}
const cases = (list: SequenceCase[]): Array<[number, SequenceCase]> => list.map((c, i) => [i, c]);

test.each(cases(REF.imdb))('imdb case %d: NumPy shuffle and Keras index arithmetic', async (_i, { options, result }) => {
  const [[xTrain, yTrain], [xTest, yTest]] = await k.datasets.imdb.loadData({ ...opts, ...camel(options) });
  expect(xTrain).toEqual(result[0][0]);
  expect(Array.from(yTrain)).toEqual(result[0][1]);
  expect(xTest).toEqual(result[1][0]);
  expect(Array.from(yTest)).toEqual(result[1][1]);
  expect(yTrain.shape).toEqual([result[0][1].length]);
});

test.each(cases(REF.reuters))('reuters case %d: NumPy shuffle, index arithmetic, testSplit', async (_i, { options, result }) => {
  const [[xTrain, yTrain], [xTest, yTest]] = await k.datasets.reuters.loadData({ ...opts, ...camel(options) });
  expect(xTrain).toEqual(result[0][0]);
  expect(Array.from(yTrain)).toEqual(result[0][1]);
  expect(xTest).toEqual(result[1][0]);
  expect(Array.from(yTest)).toEqual(result[1][1]);
});

test('word indices and label names', async () => {
  expect(await k.datasets.imdb.getWordIndex(opts)).toEqual({ the: 1, and: 2, a: 3 });
  expect(await k.datasets.reuters.getWordIndex(opts)).toEqual({ the: 1, of: 2, to: 3, said: 4 });
  const names = k.datasets.reuters.getLabelNames();
  expect(names.length).toBe(46);
  expect([names[0], names[3], names[45]]).toEqual(['cocoa', 'earn', 'lead']);
});

test('bostonHousing: float64, NumPy RandomState shuffle, split at int(n * (1 - testSplit))', async () => {
  for (const [key, o] of [['default', {}], ['split', { testSplit: 0.5, seed: 3 }]] as const) {
    const [[xTrain, yTrain], [xTest, yTest]] = await k.datasets.bostonHousing.loadData({ ...opts, ...o });
    const r = REF.boston[key];
    expectSummary(xTrain, r.x_train);
    expectSummary(yTrain, r.y_train);
    expectSummary(xTest, r.x_test);
    expectSummary(yTest, r.y_test);
    Array.from(yTest as ArrayLike<number>).forEach((v, i) => expect(v).toBeCloseTo(r.y_test_all[i], 10));
  }
});

test("californiaHousing: version 'large' and 'small' (the first 600)", async () => {
  for (const [key, o] of [['large', {}], ['small', { version: 'small', testSplit: 0.1, seed: 5 }]] as const) {
    const [[xTrain, yTrain], [xTest, yTest]] = await k.datasets.californiaHousing.loadData({ ...opts, ...o });
    const r = REF.california[key];
    expectSummary(xTrain, r.x_train);
    expectSummary(yTrain, r.y_train);
    expectSummary(xTest, r.x_test);
    Array.from(yTest as ArrayLike<number>).forEach((v, i) => expect(v).toBeCloseTo(r.y_test_all[i], 1));
  }
});

test('bad options are refused with help', async () => {
  await expect(k.datasets.cifar100.loadData({ ...opts, labelMode: 'medium' as never })).rejects.toThrow("`labelMode` must be 'fine' or 'coarse'");
  await expect(k.datasets.californiaHousing.loadData({ ...opts, version: 'huge' as never })).rejects.toThrow("`version` must be 'large' or 'small'");
  await expect(k.datasets.bostonHousing.loadData({ ...opts, testSplit: 1 })).rejects.toThrow('`testSplit` must be in [0, 1)');
  await expect(k.datasets.imdb.loadData({ ...opts, numWords: -1 })).rejects.toThrow('`numWords` must be a non-negative integer');
  await expect(k.datasets.imdb.loadData({ ...opts, maxlen: 1 })).rejects.toThrow('no sequence was kept. help: increase maxlen');
  await expect(k.datasets.mnist.loadData({ ...opts, num_words: 3 } as never)).rejects.toThrow(/num_words/);
});

describe('the restricted pickle reader', () => {
  const refuse = (bytes: number[] | Buffer, message: string | RegExp): void => {
    expect(() => readPickle(new Uint8Array(bytes), 'test')).toThrow(message);
  };

  test("refuses any global but NumPy's array pieces: os.system is never looked up", () => {
    // pickle.dumps of a __reduce__ returning (os.system, ('echo pwned',)), protocol 2
    refuse(Buffer.concat([Buffer.from('\x80\x02cposix\nsystem\nq\x00X\x0a\x00\x00\x00echo pwnedq\x01\x85q\x02Rq\x03.', 'latin1')]), "refusing to load the Python global 'posix.system'");
    refuse(Buffer.from('\x80\x04\x95\x20\x00\x00\x00\x00\x00\x00\x00\x8c\x08builtins\x94\x8c\x04eval\x94\x93\x94.', 'latin1'), "refusing to load the Python global 'builtins.eval'");
  });

  test('refuses unknown opcodes and calls of allowed globals with other arguments', () => {
    refuse(Buffer.from('\x80\x05\x96\x00\x00\x00\x00\x00\x00\x00\x00.', 'latin1'), 'opcode 0x96');
    refuse(Buffer.from('cnumpy\ndtype\nq\x00cnumpy\nndarray\n\x85R.', 'latin1'), 'refusing a call of numpy.dtype');
  });

  test('reads protocol-4 NumPy arrays (FRAME, MEMOIZE, STACK_GLOBAL): an object array and a float32 array', () => {
    // pickle.dumps(a, protocol=4) with a = object array [[1, 2, 300], [70000]], then np.array([[1.5, -2.0]], dtype='<f4')
    const objects = readPickle(new Uint8Array(Buffer.from(
      '8004959c000000000000008c156e756d70792e636f72652e6d756c74696172726179948c0c5f7265636f6e7374727563749493948c056e756d7079948c076e6461727261799493944b0085944301629487945294284b014b02859468038c0564747970659493948c024f3894898887945294284b038c017c944e4e4e4affffffff4affffffff4b3f749462895d94285d94284b014b024d2c01655d944a7011010061657494622e',
      'hex',
    )), 'test') as PickledArray;
    expect(objects.shape).toEqual([2]);
    expect(objects.data).toEqual([[1, 2, 300], [70000]]);
    const floats = readPickle(new Uint8Array(Buffer.from(
      '80049592000000000000008c156e756d70792e636f72652e6d756c74696172726179948c0c5f7265636f6e7374727563749493948c056e756d7079948c076e6461727261799493944b0085944301629487945294284b014b014b02869468038c0564747970659493948c02663494898887945294284b038c013c944e4e4e4affffffff4affffffff4b007494628943080000c03f000000c0947494622e',
      'hex',
    )), 'test') as PickledArray;
    expect(floats.shape).toEqual([1, 2]);
    expect(floats.descr).toBe('f4');
    expect(Array.from(new Float32Array(Uint8Array.from(floats.data as Uint8Array).buffer))).toEqual([1.5, -2]);
  });

  test('reads plain values', () => {
    // pickle.dumps({'a': [1, -2, 70000, 2**40], 'b': (None, True, 1.5)}, protocol=2)
    const v = readPickle(
      new Uint8Array(Buffer.from('\x80\x02}q\x00(X\x01\x00\x00\x00aq\x01]q\x02(K\x01J\xfe\xff\xff\xffJp\x11\x01\x00\x8a\x06\x00\x00\x00\x00\x00\x01eX\x01\x00\x00\x00bq\x03N\x88G?\xf8\x00\x00\x00\x00\x00\x00\x87q\x04u.', 'latin1')),
      'test',
    ) as Map<string, unknown>;
    expect(v.get('a')).toEqual([1, -2, 70000, 2 ** 40]);
    expect(v.get('b')).toEqual({ tuple: [null, true, 1.5] });
  });
});

test('a loaded dataset trains as it is (fit takes the shaped typed arrays), and nothing leaks', async () => {
  await k.setBackend(testBackend());
  await expectNoLeak(async () => {
    const [[xTrain, yTrain]] = await k.datasets.mnist.loadData(opts);
    const inputs = k.Input({ shape: [28, 28] });
    const model = new k.Model({ inputs, outputs: new k.layers.Dense({ units: 10, activation: 'softmax' }).apply(new k.layers.Flatten().apply(inputs)) });
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
    const history = await model.fit(xTrain, yTrain, { epochs: 1, batchSize: 3, verbose: 0 });
    expect(history.history.loss.length).toBe(1);
    model.dispose();
  });
});
