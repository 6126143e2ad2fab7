/**
 * `k.datasets.imdb`, Keras's imdb.py: 25,000 + 25,000 movie reviews as lists of word indices
 * (by frequency), labelled 0/1, from Keras's imdb.npz (object arrays, read by the restricted
 * pickle reader), shuffled with NumPy's RandomState(seed) as Keras shuffles them, then Keras's
 * index arithmetic (sequences.ts). `getWordIndex()` is Keras's word -> index dict.
 */
import * as fs from 'fs';
import { FileFormatError, ValueError } from '../engine/errors';
import { checkOptions } from '../engine/options';
import { LoadDataResult, ShapedArray, shaped, toInt32 } from './ndarray';
import { loadNpz, NpyArray } from './npy';
import { RandomState } from './numpy_random';
import { checkSequenceOptions, limitWords, offsetWords, removeLong, SEQUENCE_KEYS, SequenceOptions, wordLists } from './sequences';
import { datasetFile, DatasetSourceOptions, KERAS_DATASETS, SOURCE_KEYS } from './source';

export interface ImdbLoadOptions extends SequenceOptions, DatasetSourceOptions {
  /** The file name in the cache folder's `datasets`. Keras: `path` @default 'imdb.npz' */
  path?: string;
}

export interface WordIndexOptions extends DatasetSourceOptions {
  /** The file name in the cache folder's `datasets`. Keras: `path` @default 'imdb_word_index.json' (reuters: 'reuters_word_index.json') */
  path?: string;
}

export async function loadData(opts: ImdbLoadOptions = {}): Promise<LoadDataResult<number[][], ShapedArray<Int32Array>>> {
  const where = 'imdb.loadData';
  checkOptions(where, opts, ['path', ...SEQUENCE_KEYS, ...SOURCE_KEYS]);
  checkSequenceOptions(opts, where);
  const file = await datasetFile({ fname: opts.path ?? 'imdb.npz', origin: `${KERAS_DATASETS}imdb.npz`, fileHash: '69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f' }, opts);
  const npz = loadNpz(file, where, ['x_train', 'y_train', 'x_test', 'y_test']);
  const rng = new RandomState(opts.seed ?? 113);
  let [xTrain, yTrain] = shuffled({ x: npz.get('x_train') as NpyArray, y: npz.get('y_train') as NpyArray }, rng, `${where} (${file})`);
  let [xTest, yTest] = shuffled({ x: npz.get('x_test') as NpyArray, y: npz.get('y_test') as NpyArray }, rng, `${where} (${file})`);
  xTrain = offsetWords(xTrain, opts);
  xTest = offsetWords(xTest, opts);
  if (opts.maxlen) {
    [xTrain, yTrain] = removeLong(opts.maxlen, xTrain, yTrain);
    [xTest, yTest] = removeLong(opts.maxlen, xTest, yTest);
    if (xTrain.length === 0 || xTest.length === 0) throw new ValueError(`${where}: after filtering for sequences shorter than maxlen=${opts.maxlen}, no sequence was kept. help: increase maxlen.`);
  }
  const xs = limitWords([...xTrain, ...xTest], opts);
  return [
    [xs.slice(0, xTrain.length), shaped(yTrain, [yTrain.length])],
    [xs.slice(xTrain.length), shaped(yTest, [yTest.length])],
  ];
}

/** Sequences and labels in the order of NumPy's `rng.shuffle(np.arange(n))`. */
export function shuffled({ x, y }: { x: NpyArray; y: NpyArray }, rng: RandomState, what: string): [number[][], Int32Array] {
  if (Array.isArray(y.data)) throw new FileFormatError(`${what}: the labels are an object array. help: the file is not Keras's.`);
  const lists = Array.isArray(x.data) ? wordLists(x.data, what) : null;
  if (lists === null || lists.length !== y.data.length) throw new FileFormatError(`${what}: the sequences and labels do not match. help: the file is not Keras's; delete it so that it is downloaded again.`);
  const labels = toInt32(y.data, what);
  const order = rng.permutation(lists.length);
  return [Array.from(order, (i) => lists[i]), Int32Array.from(order, (i) => labels[i])];
}

/** Keras's imdb.get_word_index: the dict word -> index (indices start at 1; add indexFrom to match loadData). */
export async function getWordIndex(opts: WordIndexOptions = {}): Promise<Record<string, number>> {
  checkOptions('imdb.getWordIndex', opts, ['path', ...SOURCE_KEYS]);
  const file = await datasetFile({ fname: opts.path ?? 'imdb_word_index.json', origin: `${KERAS_DATASETS}imdb_word_index.json`, fileHash: 'bfafd718b763782e994055a2d397834f' }, opts);
  return readWordIndex(file, 'imdb.getWordIndex');
}

export function readWordIndex(file: string, what: string): Record<string, number> {
  const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new FileFormatError(`${what}: ${file} is not a JSON object. help: delete it so that it is downloaded again.`);
  return parsed as Record<string, number>;
}
