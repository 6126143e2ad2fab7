/**
 * `k.datasets.bostonHousing` and `k.datasets.californiaHousing`, Keras's boston_housing.py and
 * california_housing.py: x [n, 13] (or [n, 8]) and y [n] from Keras's .npz, in the dtype the file
 * holds (float64 for Boston, as Keras returns them), shuffled with NumPy's RandomState(seed) as
 * Keras does, and split at int(n * (1 - testSplit)).
 */
import { FileFormatError, ValueError } from '../engine/errors';
import { checkOptions } from '../engine/options';
import type { TypedArray } from '../data/typed_arrays';
import { LoadDataResult, ShapedArray, shaped } from './ndarray';
import { loadNpz, NpyArray } from './npy';
import { RandomState } from './numpy_random';
import { datasetFile, DatasetSourceOptions, KERAS_DATASETS, SOURCE_KEYS } from './source';

export interface BostonHousingLoadOptions extends DatasetSourceOptions {
  /** The file name in the cache folder's `datasets`. Keras: `path` @default 'boston_housing.npz' */
  path?: string;
  /** The fraction of the samples kept for the test split, in [0, 1). Keras: `test_split` @default 0.2 */
  testSplit?: number;
  /** The seed of the shuffle (NumPy's RandomState, so the split is Keras's). Keras: `seed` @default 113 */
  seed?: number;
}

export interface CaliforniaHousingLoadOptions extends BostonHousingLoadOptions {
  /** 'large' (20,640 samples) or 'small' (the first 600). Keras: `version` @default 'large' */
  version?: 'large' | 'small';
}

type Housing = LoadDataResult<ShapedArray, ShapedArray>;

export async function loadBostonHousing(opts: BostonHousingLoadOptions = {}): Promise<Housing> {
  const where = 'bostonHousing.loadData';
  checkOptions(where, opts, ['path', 'testSplit', 'seed', ...SOURCE_KEYS]);
  const file = await datasetFile({ fname: opts.path ?? 'boston_housing.npz', origin: `${KERAS_DATASETS}boston_housing.npz`, fileHash: 'f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5' }, opts);
  return split(file, where, opts);
}

export async function loadCaliforniaHousing(opts: CaliforniaHousingLoadOptions = {}): Promise<Housing> {
  const where = 'californiaHousing.loadData';
  checkOptions(where, opts, ['version', 'path', 'testSplit', 'seed', ...SOURCE_KEYS]);
  const version = opts.version ?? 'large';
  if (version !== 'large' && version !== 'small') throw new ValueError(`${where}: \`version\` must be 'large' or 'small', got ${JSON.stringify(version)}. help: pass {version: 'small'} for the 600-sample version.`);
  const file = await datasetFile({ fname: opts.path ?? 'california_housing.npz', origin: `${KERAS_DATASETS}california_housing.npz`, fileHash: '1a2e3a52e0398de6463aebe6f4a8da34fb21fbb6b934cf88c3425e766f2a1a6f' }, opts);
  return split(file, where, { ...opts, limit: version === 'small' ? 600 : undefined });
}

/** Keras's shuffle and split of the file's x and y (the first `limit` samples when given). */
function split(file: string, where: string, opts: BostonHousingLoadOptions & { limit?: number }): Housing {
  const testSplit = opts.testSplit ?? 0.2;
  if (!(typeof testSplit === 'number' && testSplit >= 0 && testSplit < 1)) {
    throw new ValueError(`${where}: \`testSplit\` must be in [0, 1), got ${JSON.stringify(testSplit)}. help: e.g. {testSplit: 0.2}.`);
  }
  const npz = loadNpz(file, `${where} (${file})`, ['x', 'y']);
  const x = numeric(npz.get('x') as NpyArray, `${where} (${file}: x)`);
  const y = numeric(npz.get('y') as NpyArray, `${where} (${file}: y)`);
  const n = Math.min(opts.limit ?? Infinity, x.shape[0]);
  const width = x.shape.slice(1).reduce((a, b) => a * b, 1);
  const order = new RandomState(opts.seed ?? 113).permutation(n);
  const cut = Math.trunc(n * (1 - testSplit));
  const take = (a: TypedArray, w: number, from: number, to: number): TypedArray => {
    const out = new (a.constructor as new (n: number) => TypedArray)((to - from) * w);
    for (let i = from; i < to; i++) out.set(a.subarray(order[i] * w, order[i] * w + w) as never, (i - from) * w);
    return out;
  };
  const yWidth = y.shape.slice(1).reduce((a, b) => a * b, 1);
  return [
    [shaped(take(x.data, width, 0, cut), [cut, ...x.shape.slice(1)]), shaped(take(y.data, yWidth, 0, cut), [cut, ...y.shape.slice(1)])],
    [shaped(take(x.data, width, cut, n), [n - cut, ...x.shape.slice(1)]), shaped(take(y.data, yWidth, cut, n), [n - cut, ...y.shape.slice(1)])],
  ];
}

function numeric(a: NpyArray, what: string): { data: TypedArray; shape: number[] } {
  if (Array.isArray(a.data) || a.shape.length === 0) throw new FileFormatError(`${what}: not a numeric array. help: the file is not Keras's; delete it so that it is downloaded again.`);
  return { data: a.data, shape: a.shape };
}
