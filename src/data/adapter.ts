/**
 * The one adapter from what fit, evaluate and predict accept to batches:
 *
 *   adaptData({x, y, sampleWeight}, {where, batchSize, steps, needY, convert}) -> DataAdapter
 *   adapter.epoch(shuffle) yields Batches ({data: StepData, dispose}), one epoch at a time.
 *
 * x may be arrays (nested arrays, typed arrays, tensors; a list or a record of them for several
 * inputs), converted and checked once and cut into batches each epoch (ArrayAdapter), or a
 * dataset: an iterable or async iterable of elements, converted one batch at a time
 * (IterableAdapter). The model-specific checks (shapes, labels, weights) are the `convert`
 * function the model gives; this folder knows only the kinds of data and their epochs.
 */
import type * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { ArrayAdapter } from './array_adapter';
import type { DataInput } from './convert';
import { IterableAdapter } from './iterable_adapter';
import { checkNotFunction, DataParts, Dataset, isDataset } from './sources';
import type { Batch, PreparedData } from './step_data';

/** Checks and converts data for a model: whole arrays once (values read), a dataset's batches one by one. */
export type Converter = (parts: DataParts, how: { where: string; checkValues: boolean }) => PreparedData;

export interface AdaptOptions {
  /** The call, for messages: 'fit', 'evaluate', 'predict', 'fit: validationData'. */
  where: string;
  /** Samples per batch of array data. */
  batchSize: number;
  /**
   * Batches per epoch of a dataset: each epoch takes that many and the next goes on from the same
   * iterator (for endless generators). Without it each epoch iterates the dataset afresh to its end.
   */
  steps?: number;
  /** Whether the data must have labels (fit and evaluate; predict takes x alone). */
  needY: boolean;
  convert: Converter;
}

/** Batches of one source, epoch after epoch; the loop disposes each batch after its step. */
export interface DataAdapter {
  /** What the data is, for messages: 'arrays', 'a Generator', 'an AsyncGenerator'. */
  readonly what: string;
  /** Samples per epoch, when known (arrays). */
  readonly samples: number | undefined;
  /** Batches per epoch, when known (arrays, or a dataset with steps). */
  readonly steps: number | undefined;
  /** The batches of one epoch: synchronous for arrays and iterables, asynchronous for async iterables. */
  epoch(shuffle: boolean): Iterable<Batch> | AsyncIterable<Batch>;
  /** Whether the last epoch ended with fewer than `steps` batches because the data ran out. */
  readonly ranOut: boolean;
  /** validationSplit: the first part to train on and the last `fraction` to validate on (arrays only); this adapter is freed. */
  split(fraction: number): { train: DataAdapter; val: DataAdapter };
  /** The whole inputs, for array data (a data-parallel predict gives each process a part of the rows). */
  readonly inputs: tfc.Tensor[] | null;
  /** Frees what the adapter made (the converted arrays), and closes a dataset's iterator. */
  dispose(): void;
}

/** The parts of data as fit, evaluate and predict are given them: arrays or a dataset as x. */
export interface SourceParts {
  x: DataInput | Dataset;
  y?: DataInput;
  sampleWeight?: DataInput;
}

/** The adapter for `parts`: a dataset's, or the arrays' (converted and checked here, once). */
export function adaptData(parts: SourceParts, opts: AdaptOptions): DataAdapter {
  const { x, y, sampleWeight } = parts;
  const where = opts.where;
  checkNotFunction(x, where);
  if (isDataset(x)) {
    if (y !== undefined || sampleWeight !== undefined) {
      throw new ValueError(
        `${where}: with a dataset, the labels and sample weights come from its elements; got ${y !== undefined ? '`y`' : '`sampleWeight`'} as well. ` +
          `help: yield {xs, ys, sampleWeight} from the dataset and call ${where}(dataset, options).`,
      );
    }
    return new IterableAdapter(x, opts);
  }
  if (x === undefined || x === null) throw new ValueError(`${where}: no data given (x is ${String(x)}). help: pass arrays, tensors or a dataset.`);
  if (opts.needY && y === undefined) {
    throw new ValueError(`${where}: \`y\` is missing. help: call ${where}(x, y, options), or ${where}(dataset, options).`);
  }
  return new ArrayAdapter(opts.convert({ x, y, sampleWeight }, { where, checkValues: true }), opts.batchSize, where);
}

/** An adapter over tensors already converted (trainOnBatch, and each process's rows of a data-parallel predict). */
export function adaptTensors(data: PreparedData, batchSize: number, where: string): DataAdapter {
  return new ArrayAdapter(data, batchSize, where);
}
