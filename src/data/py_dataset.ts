/**
 * Keras's `keras.utils.PyDataset`: a dataset defined by its number of batches (`length`) and a
 * function that makes batch i (`getItem(i)`, which may be async: read files, decode). fit,
 * evaluate and predict take it as they take any dataset (adapter.ts): each epoch asks for every
 * batch once, in order, or in a fresh random order when fit shuffles (Keras 3's PyDataset
 * adapter does the same), and calls onEpochEnd after the last. `workers` getItem calls run at
 * once (ahead of the step that needs them), on the event loop: async getItem work overlaps, but
 * a synchronous getItem runs one at a time (there are no threads; use worker_threads inside
 * getItem for heavy CPU work). Batches made ahead and not used are freed when an epoch stops early.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { permutation } from '../utils/random';
import type { DatasetElement } from './sources';

export interface PyDatasetArgs {
  /** How many getItem calls run at once. Keras: `workers` @default 1 */
  workers?: number;
  /** Keras's process pool; keras-ts has none and refuses true. Keras: `use_multiprocessing` @default false */
  useMultiprocessing?: boolean;
  /** The most batches made ahead of the step. Keras: `max_queue_size` @default 10 */
  maxQueueSize?: number;
}

export abstract class PyDataset implements AsyncIterable<DatasetElement> {
  readonly workers: number;
  readonly maxQueueSize: number;

  constructor(args: PyDatasetArgs = {}) {
    this.workers = args.workers ?? 1;
    this.maxQueueSize = args.maxQueueSize ?? 10;
    if (!Number.isInteger(this.workers) || this.workers < 1) throw new ValueError(`PyDataset: \`workers\` must be a positive integer, got ${String(args.workers)}. help: e.g. super({workers: 4}).`);
    if (!Number.isInteger(this.maxQueueSize) || this.maxQueueSize < 1) throw new ValueError(`PyDataset: \`maxQueueSize\` must be a positive integer, got ${String(args.maxQueueSize)}. help: keep the default 10.`);
    if (args.useMultiprocessing === true) {
      throw new ValueError('PyDataset: `useMultiprocessing` is a Python process pool; keras-ts runs getItem on the event loop. help: leave it out, and use workers for concurrent async getItem calls.');
    }
  }

  /** The number of batches in an epoch. Keras: `__len__` */
  abstract get length(): number;

  /** Batch `index` (0 <= index < length): [x, y], [x, y, sampleWeight] or {xs, ys, sampleWeight}. Keras: `__getitem__` */
  abstract getItem(index: number): DatasetElement | Promise<DatasetElement>;

  /** Called after each epoch's last batch (shuffle your files, re-draw augmentations). Keras: `on_epoch_end` */
  onEpochEnd(): void | Promise<void> {}

  /** Keras: `num_batches` */
  get numBatches(): number {
    return this.length;
  }

  [Symbol.asyncIterator](): AsyncIterator<DatasetElement> {
    return this.batches(false)[Symbol.asyncIterator]();
  }

  /** One epoch's batches, in order or shuffled, `workers` made ahead. */
  async *batches(shuffle: boolean): AsyncGenerator<DatasetElement> {
    const n = this.length;
    if (!Number.isInteger(n) || n < 0) throw new ValueError(`${this.constructor.name}: \`length\` must be a non-negative integer, got ${String(n)}. help: return the number of batches from get length().`);
    const order = shuffle ? Array.from(permutation(n)) : Array.from({ length: n }, (_, i) => i);
    const ahead = Math.min(this.workers, this.maxQueueSize);
    const pending: Array<Promise<DatasetElement>> = [];
    let next = 0;
    const start = (): void => {
      const index = order[next++];
      const p = Promise.resolve().then(() => this.getItem(index)).catch((e: unknown) => {
        if (e instanceof Error) e.message = `${this.constructor.name}.getItem(${index}): ${e.message}`;
        throw e;
      });
      p.catch(() => undefined); // awaited in turn; an epoch that stops first must not leave it unhandled
      pending.push(p);
    };
    try {
      while (next < n && pending.length < ahead) start();
      while (pending.length > 0) {
        const item = await (pending.shift() as Promise<DatasetElement>);
        if (next < n) start();
        yield item;
      }
      await this.onEpochEnd();
    } finally {
      // an epoch that stopped early: free the batches made ahead
      for (const p of pending.splice(0)) p.then((item) => tfc.dispose(tensorsOf(item)), () => undefined);
    }
  }
}

function tensorsOf(item: unknown): tfc.Tensor[] {
  if (item instanceof tfc.Tensor) return [item];
  if (typeof item !== 'object' || item === null) return [];
  return Object.values(item).flatMap(tensorsOf);
}
