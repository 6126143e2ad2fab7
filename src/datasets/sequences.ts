/**
 * The word-index arithmetic Keras's imdb.py and reuters.py apply to their sequences, in Keras's
 * order: a start mark and an offset (`startChar`, `indexFrom`), sequences of `maxlen` words or more
 * dropped (Keras keeps only len < maxlen), then every word outside [skipTop, numWords) replaced by
 * `oovChar` (or dropped when it is null). With no `numWords`, numWords is the largest index seen, so
 * that word itself becomes oovChar, as in Keras.
 */
import { FileFormatError, ValueError } from '../engine/errors';
import type { PickleValue } from './pickle';

export interface SequenceOptions {
  /** Keep only the `numWords` most frequent words (others become oovChar). Keras: `num_words` @default null (all) */
  numWords?: number | null;
  /** Skip the `skipTop` most frequent words (they become oovChar). Keras: `skip_top` @default 0 */
  skipTop?: number;
  /** Drop sequences of `maxlen` words or more. Keras: `maxlen` @default null (none dropped) */
  maxlen?: number | null;
  /** The seed of the shuffle (NumPy's RandomState, so the order is Keras's). Keras: `seed` @default 113 */
  seed?: number;
  /** The index that starts every sequence; null for none. Keras: `start_char` @default 1 */
  startChar?: number | null;
  /** The index of words cut by numWords or skipTop; null drops them. Keras: `oov_char` @default 2 */
  oovChar?: number | null;
  /** Words are indexed from this index up. Keras: `index_from` @default 3 */
  indexFrom?: number;
}

export const SEQUENCE_KEYS = ['numWords', 'skipTop', 'maxlen', 'seed', 'startChar', 'oovChar', 'indexFrom'] as const;

/** Lists of word indices from a pickled object array (each object a list of ints). */
export function wordLists(objects: PickleValue[], what: string): number[][] {
  return objects.map((o, i) => {
    const list = Array.isArray(o) ? o : null;
    if (list === null || !list.every((w) => typeof w === 'number')) throw new FileFormatError(`${what}: sequence ${i} is not a list of integers. help: the file is not Keras's; delete it so that it is downloaded again.`);
    return list as number[];
  });
}

/** startChar and indexFrom applied to each sequence (Keras's first step). */
export function offsetWords(xs: number[][], opts: SequenceOptions): number[][] {
  const start = opts.startChar === undefined ? 1 : opts.startChar;
  const from = opts.indexFrom ?? 3;
  if (start !== null) return xs.map((x) => [start, ...x.map((w) => w + from)]);
  if (from) return xs.map((x) => x.map((w) => w + from));
  return xs;
}

/** Keras's remove_long_seq: only sequences shorter than maxlen, with their labels. */
export function removeLong(maxlen: number, xs: number[][], labels: Int32Array): [number[][], Int32Array] {
  const keep: number[] = [];
  xs.forEach((x, i) => {
    if (x.length < maxlen) keep.push(i);
  });
  return [keep.map((i) => xs[i]), Int32Array.from(keep, (i) => labels[i])];
}

/** numWords, skipTop and oovChar applied to every sequence (Keras's last step). */
export function limitWords(xs: number[][], opts: SequenceOptions): number[][] {
  const skipTop = opts.skipTop ?? 0;
  const oov = opts.oovChar === undefined ? 2 : opts.oovChar;
  let numWords = opts.numWords ?? 0;
  if (!numWords) {
    numWords = -Infinity;
    for (const x of xs) for (const w of x) if (w > numWords) numWords = w;
  }
  if (oov !== null) return xs.map((x) => x.map((w) => (skipTop <= w && w < numWords ? w : oov)));
  return xs.map((x) => x.filter((w) => skipTop <= w && w < numWords));
}

export function checkSequenceOptions(opts: SequenceOptions, where: string): void {
  const ints: Array<[string, unknown, boolean]> = [
    ['numWords', opts.numWords, true],
    ['skipTop', opts.skipTop, false],
    ['maxlen', opts.maxlen, true],
    ['seed', opts.seed, false],
    ['startChar', opts.startChar, true],
    ['oovChar', opts.oovChar, true],
    ['indexFrom', opts.indexFrom, false],
  ];
  for (const [name, v, nullable] of ints) {
    if (v === undefined || (nullable && v === null)) continue;
    if (!Number.isInteger(v) || (v as number) < 0) throw new ValueError(`${where}: \`${name}\` must be a non-negative integer${nullable ? ' or null' : ''}, got ${JSON.stringify(v)}. help: e.g. {numWords: 10000, maxlen: 200}.`);
  }
}
