/**
 * The operators that hold elements: shuffle (a buffer drawn from at random, as tf.data's),
 * prefetch (elements computed ahead while the consumer works), and cache (host copies of the first
 * complete iteration, replayed as fresh tensors afterwards).
 *
 * Ownership: what a buffer holds is disposed when an iteration stops early; what it yields belongs
 * to the consumer. The cache holds no tensor, only host arrays, so a cached dataset needs no dispose.
 */
import { mulberry32 } from '../../utils/random';
import { disposeElement, fromHost, toHost } from './structure';

/**
 * tf.data's shuffle: the first `bufferSize` elements fill a buffer; each next element replaces one
 * drawn at random, which is yielded; at the end the buffer is emptied in random order.
 * bufferSize 1 keeps the order; a buffer as large as the dataset gives a uniform permutation.
 */
export async function* shuffleGen<T>(source: AsyncIterable<T>, bufferSize: number, seed: number): AsyncGenerator<T> {
  const random = mulberry32(seed);
  const buffer: T[] = [];
  try {
    for await (const e of source) {
      if (buffer.length < bufferSize) {
        buffer.push(e);
        continue;
      }
      const i = Math.floor(random() * bufferSize);
      const out = buffer[i];
      buffer[i] = e;
      yield out;
    }
    while (buffer.length > 0) {
      const i = Math.floor(random() * buffer.length);
      const out = buffer[i];
      buffer[i] = buffer[buffer.length - 1];
      buffer.pop();
      yield out;
    }
  } finally {
    buffer.splice(0).forEach(disposeElement);
  }
}

/**
 * The source's elements with up to `ahead` more requested while the consumer holds one: the source
 * (an async map, a decode) runs during the consumer's work, e.g. the training step.
 */
export async function* prefetchGen<T>(source: AsyncIterable<T>, ahead: number): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  const queue: Promise<IteratorResult<T>>[] = [];
  try {
    for (;;) {
      while (queue.length < ahead + 1) queue.push(quiet(it.next()));
      const next = await queue.shift()!;
      if (next.done === true) return;
      yield next.value;
    }
  } finally {
    for (const p of queue.splice(0)) {
      const r = await p.catch(() => undefined);
      if (r !== undefined && r.done !== true) disposeElement(r.value);
    }
    await it.return?.();
  }
}

function quiet<V>(p: Promise<V>): Promise<V> {
  p.catch(() => undefined);
  return p;
}

/** Where a cache keeps the host copies of its elements once an iteration has gone through them all. */
export interface CacheStore {
  elements: unknown[] | null;
}

/** The first complete iteration of the source, recorded on the host; later iterations replay it as fresh tensors. */
export async function* cacheGen<T>(source: AsyncIterable<T>, store: CacheStore): AsyncGenerator<T> {
  if (store.elements !== null) {
    for (const h of store.elements) yield fromHost(h) as T;
    return;
  }
  const recorded: unknown[] = [];
  for await (const e of source) {
    recorded.push(await toHost(e));
    yield e;
  }
  store.elements = recorded; // an iteration stopped early leaves the cache empty, as tf.data discards a partial cache
}
