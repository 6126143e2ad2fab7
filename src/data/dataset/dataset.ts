/**
 * k.data.Dataset: a re-iterable, async-iterable pipeline of elements, enough to write Keras's image
 * recipes without tf.data:
 *
 *   Dataset.fromTensorSlices([x, y]).shuffle(1000, {seed: 1}).map(augment, {numParallelCalls: 4})
 *     .batch(32).prefetch(2)            -> model.fit(ds, {epochs})
 *
 * A dataset is a recipe, not a buffer: each `for await` (each epoch of fit) opens a fresh iteration
 * from the source, and a dataset holds no tensor (slices and caches are host arrays), so it needs
 * no dispose. Tensor ownership: every element an iteration yields is new and belongs to whoever takes
 * it; an operator disposes what it consumes and does not pass on (see transforms.ts and buffers.ts);
 * fit, evaluate and predict dispose each batch after its step. An element is a tensor, or a list
 * ([x, y]) or record ({xs, ys}) of them; fit takes [x, y, sampleWeight?] or {xs, ys, sampleWeight?}.
 */
import type * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';
import { nextSeed, SeedGenerator } from '../../utils/random';
import { CacheStore, cacheGen, prefetchGen, shuffleGen } from './buffers';
import {
  batchCardinality,
  INFINITE_CARDINALITY,
  repeatCardinality,
  skipCardinality,
  takeCardinality,
  UNKNOWN_CARDINALITY,
} from './cardinality';
import { GeneratorFn, generatorGen, hostSlices, rangeCount, rangeGen, sliceGen, Sliced, Slices } from './from';
import type { Element } from './structure';
import { batchGen, filterGen, MapFn, mapGen, Predicate, repeatGen, skipGen, takeGen, unbatchGen } from './transforms';

/** The element type after batch: each leaf a tensor with a batch axis first (the wide Element stays as it is). */
export type Batched<T> = [Element] extends [T] ? Element : T extends tfc.Tensor | number | boolean | string ? tfc.Tensor : { [K in keyof T]: Batched<T[K]> };

export interface MapOptions {
  /**
   * How many calls of the map function may run at once (async functions overlap; results keep the
   * source's order). Keras: `num_parallel_calls` (tf.data; AUTOTUNE is not offered: give a number).
   * @default 1
   */
  numParallelCalls?: number;
}

export interface BatchOptions {
  /** Drop the last batch when it has fewer than `batchSize` elements. Keras: `drop_remainder` (tf.data). @default false */
  dropRemainder?: boolean;
}

export interface ShuffleOptions {
  /** The seed of the order: the same seed gives the same orders in every run. Keras: `seed` (tf.data). @default undefined (from k.utils.setRandomSeed's generator) */
  seed?: number;
  /** A new order on each iteration (each epoch). Keras: `reshuffle_each_iteration` (tf.data). @default true */
  reshuffleEachIteration?: boolean;
}

export class Dataset<T = Element> implements AsyncIterable<T> {
  /** tf.data.INFINITE_CARDINALITY. */
  static readonly INFINITE = INFINITE_CARDINALITY;
  /** tf.data.UNKNOWN_CARDINALITY. */
  static readonly UNKNOWN = UNKNOWN_CARDINALITY;

  private constructor(
    private readonly open: () => AsyncIterator<T>,
    private readonly count: number,
  ) {}

  /** A fresh iteration from the source. */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return this.open();
  }

  /** The number of elements: a count, Dataset.INFINITE or Dataset.UNKNOWN (tf.data's `cardinality()`). */
  cardinality(): number {
    return this.count;
  }

  /**
   * One element per row of `input`: a tensor, typed array or nested number array, or a list
   * ([x, y]) or record ({xs, ys}) of them with the same first dimension. The values are copied to
   * the host once; each iteration makes fresh slices. A list of plain numbers (nested) is one array:
   * pass a pair of arrays as tensors or as a record.
   */
  static fromTensorSlices<const S extends Slices>(input: S): Dataset<Sliced<S>> {
    const { structure, count } = hostSlices(input);
    return new Dataset(() => sliceGen(structure, count) as AsyncGenerator<Sliced<S>>, count);
  }

  /** The elements of `fn()`, called afresh for each iteration (a generator function, sync or async). */
  static fromGenerator<T>(fn: GeneratorFn<T>): Dataset<T> {
    if (typeof fn !== 'function') {
      throw new ValueError(`Dataset.fromGenerator: expected a function that returns an iterator, got ${typeof fn}. help: pass the generator function itself, uncalled: fromGenerator(gen).`);
    }
    return new Dataset(() => generatorGen(fn), UNKNOWN_CARDINALITY);
  }

  /** int32 scalars start, start + step, ... below stop (`range(n)`: 0 .. n-1), as tf.data.Dataset.range. */
  static range(start: number, stop?: number, step = 1): Dataset<tfc.Scalar> {
    const [from, to] = stop === undefined ? [0, start] : [start, stop];
    for (const [name, v] of [['start', from], ['stop', to], ['step', step]] as const) {
      if (!Number.isInteger(v)) throw new ValueError(`Dataset.range: \`${name}\` must be an integer, got ${v}. help: e.g. Dataset.range(10).`);
    }
    if (step === 0) throw new ValueError('Dataset.range: `step` must not be 0. help: e.g. Dataset.range(0, 10, 2).');
    return new Dataset(() => rangeGen(from, to, step), rangeCount(from, to, step));
  }

  /** fn of each element, in order; with numParallelCalls > 1, that many calls run at once (async fns overlap). */
  map<U>(fn: MapFn<T, U>, options: MapOptions = {}): Dataset<U> {
    const parallel = options.numParallelCalls ?? 1;
    positive(parallel, 'map', 'numParallelCalls');
    return new Dataset(() => mapGen(this, fn, parallel), this.count);
  }

  /** The elements for which `predicate` is true. */
  filter(predicate: Predicate<T>): Dataset<T> {
    return new Dataset(() => filterGen(this, predicate), this.count === INFINITE_CARDINALITY ? INFINITE_CARDINALITY : UNKNOWN_CARDINALITY);
  }

  /** Runs of `batchSize` elements stacked leaf by leaf (tfc.stack), the structure kept. */
  batch(batchSize: number, options: BatchOptions = {}): Dataset<Batched<T>> {
    positive(batchSize, 'batch', 'batchSize');
    const drop = options.dropRemainder ?? false;
    return new Dataset(() => batchGen(this, batchSize, drop) as AsyncGenerator<Batched<T>>, batchCardinality(this.count, batchSize, drop));
  }

  /** Each batch cut into its elements along the first axis. */
  unbatch<U = Element>(): Dataset<U> {
    return new Dataset(() => unbatchGen(this) as AsyncGenerator<U>, this.count === INFINITE_CARDINALITY ? INFINITE_CARDINALITY : UNKNOWN_CARDINALITY);
  }

  /** Elements in random order through a buffer of `bufferSize` (tf.data's semantics; 1 keeps the order). */
  shuffle(bufferSize: number, options: ShuffleOptions = {}): Dataset<T> {
    positive(bufferSize, 'shuffle', 'bufferSize');
    const { seed, reshuffleEachIteration = true } = options;
    if (seed !== undefined && !Number.isInteger(seed)) throw new ValueError(`Dataset.shuffle: \`seed\` must be an integer, got ${seed}. help: e.g. {seed: 42}.`);
    let seedOf: () => number;
    if (reshuffleEachIteration) {
      const seeds = new SeedGenerator(seed);
      seedOf = () => seeds.next();
    } else {
      const fixed = seed ?? nextSeed();
      seedOf = () => fixed;
    }
    return new Dataset(() => shuffleGen(this, bufferSize, seedOf()), this.count);
  }

  /** Keeps up to `bufferSize` elements computed ahead, while the consumer works on the current one. */
  prefetch(bufferSize: number): Dataset<T> {
    positive(bufferSize, 'prefetch', 'bufferSize');
    return new Dataset(() => prefetchGen(this, bufferSize), this.count);
  }

  /** Records the first complete iteration (on the host) and replays it afterwards: the source runs once. */
  cache(): Dataset<T> {
    const store: CacheStore = { elements: null };
    return new Dataset(() => cacheGen(this, store), this.count);
  }

  /** The first `count` elements (all of them for -1). */
  take(count: number): Dataset<T> {
    integer(count, 'take');
    return new Dataset(() => takeGen(this, count), takeCardinality(this.count, count));
  }

  /** The elements after the first `count` (none for -1). */
  skip(count: number): Dataset<T> {
    integer(count, 'skip');
    return new Dataset(() => skipGen(this, count), skipCardinality(this.count, count));
  }

  /** The dataset `count` times over (forever when count is undefined or -1), iterated afresh each time. */
  repeat(count?: number): Dataset<T> {
    if (count !== undefined) integer(count, 'repeat');
    const times = count === undefined || count < 0 ? undefined : count;
    return new Dataset(() => repeatGen(this, times), repeatCardinality(this.count, count));
  }
}

function positive(v: number, op: string, name: string): void {
  if (!Number.isInteger(v) || v <= 0) throw new ValueError(`Dataset.${op}: \`${name}\` must be a positive integer, got ${v}. help: e.g. ${op}(${name === 'numParallelCalls' ? 'fn, {numParallelCalls: 4}' : '32'}).`);
}

function integer(v: number, op: string): void {
  if (!Number.isInteger(v) || v < -1) throw new ValueError(`Dataset.${op}: \`count\` must be an integer >= -1, got ${v}. help: e.g. ${op}(10).`);
}
