/**
 * Where fit and evaluate get their batches: in-memory arrays (sliced from one shuffled copy per
 * epoch) or a dataset (an iterable or async iterable of batches, never materialized whole). Both
 * yield the same Batch, and the tensors of a Batch belong to the loop, which disposes them.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { ArrayBatches } from './batches';
import { DataInput } from './adapter';

/** One batch: a tensor per model input and output, and optionally a weight per sample and output. */
export interface Batch {
  xs: tfc.Tensor[];
  ys: tfc.Tensor[];
  sw?: tfc.Tensor[];
  /** Frees the batch's tensors once its step is done. */
  dispose(): void;
}

/** An element of a dataset: `{xs, ys, sampleWeight?}` or `[x, y]` / `[x, y, sampleWeight]`. */
export type DatasetElement =
  | { xs: DataInput; ys: DataInput; sampleWeight?: DataInput }
  | [DataInput, DataInput]
  | [DataInput, DataInput, DataInput];

/** Anything fit can iterate for batches: an array of batches, a generator, an async generator. */
export type Dataset = Iterable<DatasetElement> | AsyncIterable<DatasetElement>;

export interface BatchSource {
  /** Samples per epoch, when known (arrays). */
  readonly samples: number | undefined;
  /** Batches per epoch, when known. */
  readonly steps: number | undefined;
  /** The batches of one epoch. */
  epoch(shuffle: boolean): AsyncIterable<Batch> | Iterable<Batch>;
}

/** Batches of in-memory tensors: xs, ys and (optionally) per-output sample weights. */
export class ArraySource implements BatchSource {
  private readonly batches: ArrayBatches;
  readonly samples: number;
  readonly steps: number;

  constructor(
    private readonly xs: tfc.Tensor[],
    private readonly ys: tfc.Tensor[],
    private readonly sw: tfc.Tensor[] | undefined,
    batchSize: number,
  ) {
    this.batches = new ArrayBatches([...xs, ...ys, ...(sw ?? [])], batchSize);
    this.samples = this.batches.samples;
    this.steps = this.batches.numBatches;
  }

  *epoch(shuffle: boolean): Iterable<Batch> {
    const data = this.batches.epoch(shuffle);
    const nx = this.xs.length;
    const ny = this.ys.length;
    for (let b = 0; b < this.steps; b++) {
      const all = data.batch(b);
      yield { xs: all.slice(0, nx), ys: all.slice(nx, nx + ny), sw: this.sw ? all.slice(nx + ny) : undefined, dispose: () => tfc.dispose(all) };
    }
  }
}

/** Converts a dataset element to a Batch; the tensors it creates or receives belong to the loop. */
export type ElementConverter = (element: DatasetElement) => Batch;

/**
 * Batches from a dataset. With `steps`, each epoch takes that many batches and the next epoch goes
 * on from the same iterator (for endless generators); without, each epoch iterates the dataset
 * afresh until it ends (arrays of batches, and iterables that restart).
 */
export class DatasetSource implements BatchSource {
  readonly samples = undefined;
  private iterator: Iterator<DatasetElement> | AsyncIterator<DatasetElement> | null = null;
  /** Set when the data ran out before `steps` batches. */
  exhausted = false;

  constructor(
    private readonly dataset: Dataset,
    private readonly convert: ElementConverter,
    readonly steps: number | undefined,
    readonly what: string,
  ) {
    if (!isIterable(dataset)) {
      throw new ValueError(`${what}: expected arrays or a dataset (an iterable or async iterable of batches), got ${describe(dataset)}.`);
    }
  }

  async *epoch(): AsyncIterable<Batch> {
    if (this.steps === undefined || this.iterator === null) this.iterator = open(this.dataset);
    const it = this.iterator;
    for (let b = 0; this.steps === undefined || b < this.steps; b++) {
      const next = await it.next();
      if (next.done) {
        if (this.steps !== undefined) this.exhausted = true;
        return;
      }
      yield this.convert(next.value);
    }
  }
}

function isIterable(d: unknown): d is Dataset {
  return typeof d === 'object' && d !== null && (Symbol.iterator in d || Symbol.asyncIterator in d) && !ArrayBuffer.isView(d);
}

function open(d: Dataset): Iterator<DatasetElement> | AsyncIterator<DatasetElement> {
  return Symbol.asyncIterator in d ? (d as AsyncIterable<DatasetElement>)[Symbol.asyncIterator]() : (d as Iterable<DatasetElement>)[Symbol.iterator]();
}

function describe(x: unknown): string {
  return x === null || x === undefined ? String(x) : typeof x === 'object' ? (x.constructor?.name ?? 'object') : typeof x;
}

/** Whether `x` looks like a dataset rather than array data (a generator, async iterable, or list of batch elements). */
export function isDataset(x: unknown): x is Dataset {
  if (typeof x !== 'object' || x === null || x instanceof tfc.Tensor || ArrayBuffer.isView(x)) return false;
  if (Symbol.asyncIterator in x) return true;
  if (Array.isArray(x)) return false; // nested number arrays are data; a list of batches is passed as a generator
  return Symbol.iterator in x;
}
