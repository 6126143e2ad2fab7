/**
 * `k.datasets.reuters`, Keras's reuters.py: 11,228 Reuters newswires as lists of word indices,
 * labelled over 46 topics, from Keras's reuters.npz (object arrays, the restricted pickle reader),
 * shuffled with NumPy's RandomState(seed) as Keras does, Keras's index arithmetic (sequences.ts),
 * then split at int(n * (1 - testSplit)). `getWordIndex()`, `getLabelNames()` as Keras's.
 */
import { ValueError } from '../engine/errors';
import { checkOptions } from '../engine/options';
import { readWordIndex, shuffled, WordIndexOptions } from './imdb';
import { LoadDataResult, ShapedArray, shaped } from './ndarray';
import { loadNpz, NpyArray } from './npy';
import { RandomState } from './numpy_random';
import { checkSequenceOptions, limitWords, offsetWords, removeLong, SEQUENCE_KEYS, SequenceOptions } from './sequences';
import { datasetFile, DatasetSourceOptions, KERAS_DATASETS, SOURCE_KEYS } from './source';

export interface ReutersLoadOptions extends SequenceOptions, DatasetSourceOptions {
  /** The file name in the cache folder's `datasets`. Keras: `path` @default 'reuters.npz' */
  path?: string;
  /** The fraction of the newswires kept for the test split. Keras: `test_split` @default 0.2 */
  testSplit?: number;
}

export async function loadData(opts: ReutersLoadOptions = {}): Promise<LoadDataResult<number[][], ShapedArray<Int32Array>>> {
  const where = 'reuters.loadData';
  checkOptions(where, opts, ['path', 'testSplit', ...SEQUENCE_KEYS, ...SOURCE_KEYS]);
  checkSequenceOptions(opts, where);
  const testSplit = opts.testSplit ?? 0.2;
  if (!(typeof testSplit === 'number' && testSplit >= 0 && testSplit <= 1)) throw new ValueError(`${where}: \`testSplit\` must be a fraction in [0, 1], got ${JSON.stringify(testSplit)}. help: e.g. {testSplit: 0.2}.`);
  const file = await datasetFile({ fname: opts.path ?? 'reuters.npz', origin: `${KERAS_DATASETS}reuters.npz`, fileHash: 'd6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916' }, opts);
  const npz = loadNpz(file, where, ['x', 'y']);
  let [xs, labels] = shuffled({ x: npz.get('x') as NpyArray, y: npz.get('y') as NpyArray }, new RandomState(opts.seed ?? 113), `${where} (${file})`);
  xs = offsetWords(xs, opts);
  if (opts.maxlen) [xs, labels] = removeLong(opts.maxlen, xs, labels);
  xs = limitWords(xs, opts);
  const idx = Math.floor(xs.length * (1 - testSplit));
  return [
    [xs.slice(0, idx), shaped(labels.slice(0, idx), [idx])],
    [xs.slice(idx), shaped(labels.slice(idx), [xs.length - idx])],
  ];
}

/** Keras's reuters.get_word_index: the dict word -> index. */
export async function getWordIndex(opts: WordIndexOptions = {}): Promise<Record<string, number>> {
  checkOptions('reuters.getWordIndex', opts, ['path', ...SOURCE_KEYS]);
  const file = await datasetFile({ fname: opts.path ?? 'reuters_word_index.json', origin: `${KERAS_DATASETS}reuters_word_index.json`, fileHash: '4d44cc38712099c9e383dc6e5f11a921' }, opts);
  return readWordIndex(file, 'reuters.getWordIndex');
}

/** Keras's reuters.get_label_names: the 46 topics, in label order. */
export function getLabelNames(): string[] {
  return [
    'cocoa', 'grain', 'veg-oil', 'earn', 'acq', 'wheat', 'copper', 'housing', 'money-supply', 'coffee', 'sugar', 'trade', 'reserves', 'ship', 'cotton', 'carcass',
    'crude', 'nat-gas', 'cpi', 'money-fx', 'interest', 'gnp', 'meal-feed', 'alum', 'oilseed', 'gold', 'tin', 'strategic-metal', 'livestock', 'retail', 'ipi',
    'iron-steel', 'rubber', 'heat', 'jobs', 'lei', 'bop', 'zinc', 'orange', 'pet-chem', 'dlr', 'gas', 'silver', 'wpi', 'hog', 'lead',
  ];
}
