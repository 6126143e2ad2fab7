/**
 * Batches from a dataset (an iterable or async iterable of elements), never materialized whole:
 * each element is converted when its step comes, and its tensors (the dataset's own too) are freed
 * after the step. With `steps`, each epoch takes that many batches and the next goes on from the
 * same iterator; without, each epoch iterates the dataset afresh until it ends (a generator object
 * has nothing left for a second epoch: the loop then stops, as Keras does). A k.data.Dataset of
 * known cardinality reports it as the epoch's steps (the progress bar shows 12/12); an endless one
 * needs `steps`.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import type { AdaptOptions, DataAdapter } from './adapter';
import type { DataInput } from './convert';
import { Dataset as Pipeline, INFINITE_CARDINALITY } from './dataset';
import { PyDataset } from './py_dataset';
import { Dataset, DatasetElement, describe, elementParts } from './sources';
import { Batch, stepDataOf } from './step_data';

type AnyIterator = Iterator<DatasetElement> | AsyncIterator<DatasetElement>;

export class IterableAdapter implements DataAdapter {
  readonly samples = undefined;
  readonly inputs = null;
  readonly what: string;
  ranOut = false;
  private iterator: AnyIterator | null = null;
  /** The batches of an epoch when the dataset knows them (a k.data.Dataset of known cardinality). */
  private readonly known: number | undefined;
  /** Whether this epoch's batches come in a fresh order (a PyDataset's: it knows its batches by index). */
  private shuffle = false;

  constructor(
    private readonly dataset: Dataset,
    private readonly opts: AdaptOptions,
  ) {
    this.what = describe(dataset);
    if (opts.steps !== undefined && (!Number.isInteger(opts.steps) || opts.steps <= 0)) {
      throw new ValueError(`${opts.where}: steps must be a positive integer, got ${String(opts.steps)}. help: e.g. {steps: 10}.`);
    }
    const cardinality = dataset instanceof Pipeline ? dataset.cardinality() : undefined;
    if (cardinality === INFINITE_CARDINALITY && opts.steps === undefined) {
      throw new ValueError(
        `${opts.where}: the dataset repeats forever (cardinality INFINITE), so an epoch would never end. ` +
          `help: pass {${stepsOption(opts.where)}: 100}, or repeat(count) a finite number of times.`,
      );
    }
    const length = dataset instanceof PyDataset ? dataset.length : cardinality;
    this.known = length !== undefined && length > 0 ? length : undefined;
  }

  /** Batches per epoch: the steps asked for, or the dataset's cardinality when known. */
  get steps(): number | undefined {
    return this.opts.steps ?? this.known;
  }

  epoch(shuffle = false): Iterable<Batch> | AsyncIterable<Batch> {
    this.shuffle = shuffle;
    return Symbol.asyncIterator in this.dataset ? this.asyncEpoch() : this.syncEpoch();
  }

  private *syncEpoch(): Iterable<Batch> {
    const it = this.begin() as Iterator<DatasetElement>;
    for (let b = 0; this.opts.steps === undefined || b < this.opts.steps; b++) {
      const next = it.next();
      if (next.done) return this.end();
      yield this.batch(next.value);
    }
  }

  private async *asyncEpoch(): AsyncIterable<Batch> {
    const it = this.begin();
    for (let b = 0; this.opts.steps === undefined || b < this.opts.steps; b++) {
      const next = await it.next();
      if (next.done) return this.end();
      yield this.batch(next.value);
    }
  }

  /** The iterator of this epoch: the same one across epochs with steps, a fresh one without. */
  private begin(): AnyIterator {
    this.ranOut = false;
    if (this.opts.steps === undefined || this.iterator === null) {
      this.iterator = this.dataset instanceof PyDataset ? this.dataset.batches(this.shuffle) : open(this.dataset);
    }
    return this.iterator;
  }

  private end(): void {
    this.ranOut = this.opts.steps !== undefined;
  }

  /** One element as a Batch; every tensor it holds or made for it is freed after its step. */
  private batch(element: DatasetElement): Batch {
    const where = this.opts.where;
    const parts = elementParts(element, where, this.opts.needY);
    const data = this.opts.convert(parts, { where: `${where} (dataset batch)`, checkValues: false });
    const given = [parts.x, parts.y, parts.sampleWeight].flatMap(tensorsIn);
    return { data: stepDataOf(data.xs, data.ys, data.sw), dispose: () => tfc.dispose([...data.owned, ...given]) };
  }

  /** Closes the iterator (a generator's finally blocks run). */
  dispose(): void {
    void this.iterator?.return?.();
    this.iterator = null;
  }

  split(): never {
    throw new ValueError(
      `${this.opts.where}: \`validationSplit\` needs array data; the data is ${this.what}. help: pass validationData (arrays or a dataset) instead.`,
    );
  }
}

/** The option that gives the steps of `where`: fit's stepsPerEpoch, its validation's validationSteps, evaluate's and predict's steps. */
function stepsOption(where: string): string {
  if (where.startsWith('fit:')) return 'validationSteps';
  return where === 'fit' ? 'stepsPerEpoch' : 'steps';
}

function open(d: Dataset): AnyIterator {
  return Symbol.asyncIterator in d ? (d as AsyncIterable<DatasetElement>)[Symbol.asyncIterator]() : (d as Iterable<DatasetElement>)[Symbol.iterator]();
}

/** The tensors a dataset element gave (alone, in a list, or in a record by name). */
function tensorsIn(d: DataInput | undefined): tfc.Tensor[] {
  if (d instanceof tfc.Tensor) return [d];
  if (typeof d !== 'object' || d === null || ArrayBuffer.isView(d)) return [];
  return Object.values(d).filter((t): t is tfc.Tensor => t instanceof tfc.Tensor);
}
