/**
 * Keras's `split_dataset`: arrays, tensors, a list or record of them ([x, y], {xs, ys}), or a finite
 * k.data.Dataset, split into a left and a right k.data.Dataset (e.g. train / test). Sizes are a
 * fraction in (0, 1) or a number of samples (an integer), each defaulting to the complement of the
 * other; fractions round as Python's round (half to even). With `shuffle`, samples are permuted
 * first by a generator seeded with `seed` (the same split for the same seed). The left half takes the
 * first `leftSize` samples, the right half the last `rightSize`. A Dataset is read once, element by
 * element (split it before batching: Keras also unbatches a batched tf.data.Dataset, which needs a
 * batch flag our Dataset does not keep). The halves hold host copies, no tensors.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { Dataset } from '../data/dataset/dataset';
import { hostSlices, Slices } from '../data/dataset/from';
import { disposeElement, HostTensor, mapLeaves, stackElements } from '../data/dataset/structure';
import { nextSeed, seededPermutation } from './random';

/** Options of splitDataset. */
export interface SplitDatasetOptions {
  /** Keras: `left_size`. A fraction in (0, 1) or a number of samples for the left half. @default the complement of rightSize */
  leftSize?: number;
  /** Keras: `right_size`. A fraction in (0, 1) or a number of samples for the right half. @default the complement of leftSize */
  rightSize?: number;
  /** Keras: `shuffle`. Whether to permute the samples before splitting. @default false */
  shuffle?: boolean;
  /** Keras: `seed`. The seed of the shuffle. @default a seed from the global generator */
  seed?: number;
}

/** The left and right halves of `dataset`, as Keras's split_dataset. */
export async function splitDataset(dataset: Slices | Dataset<unknown>, options: SplitDatasetOptions = {}): Promise<[Dataset, Dataset]> {
  const { leftSize, rightSize, shuffle = false } = options;
  if (leftSize === undefined && rightSize === undefined) {
    throw new ValueError('splitDataset: neither leftSize nor rightSize is given. help: pass e.g. {leftSize: 0.8} for an 80/20 split.');
  }
  const { structure, count } = dataset instanceof Dataset ? await hostOfDataset(dataset) : hostSlices(dataset);
  const [left, right] = splitSizes(leftSize, rightSize, count);
  const order = shuffle ? seededPermutation(count, options.seed ?? nextSeed()) : Array.from({ length: count }, (_, i) => i);
  return [half(structure, order.slice(0, left)), half(structure, order.slice(count - right))];
}

/** Every element of a finite dataset, stacked leaf by leaf into host arrays. */
async function hostOfDataset(dataset: Dataset<unknown>): Promise<{ structure: unknown; count: number }> {
  if (dataset.cardinality() === Dataset.INFINITE) {
    throw new ValueError('splitDataset: the dataset is infinite (repeat() without a count). help: split the finite dataset, then repeat each half.');
  }
  const elements: unknown[] = [];
  for await (const e of dataset) elements.push(e);
  if (elements.length === 0) throw new ValueError('splitDataset: the dataset has no elements. help: pass a dataset with at least two elements.');
  const stacked = stackElements(elements, 'splitDataset');
  elements.forEach(disposeElement);
  try {
    return hostSlices(stacked);
  } finally {
    disposeElement(stacked);
  }
}

/** A dataset of the rows `rows` of each host array. */
function half(structure: unknown, rows: number[]): Dataset {
  const picked = mapLeaves<HostTensor, tfc.Tensor>(structure, (h) => {
    const shape = h.shape.slice(1);
    const stride = shape.reduce((p, d) => p * d, 1);
    const values = h.values.slice(0, rows.length * stride) as HostTensor['values'];
    rows.forEach((r, i) => {
      for (let j = 0; j < stride; j++) values[i * stride + j] = h.values[r * stride + j];
    });
    return new HostTensor(values, [rows.length, ...shape], h.dtype).toTensor();
  });
  try {
    const fromSlices = Dataset.fromTensorSlices as (input: unknown) => Dataset; // Sliced<unknown> is too deep for tsc
    return fromSlices.call(Dataset, picked);
  } finally {
    disposeElement(picked);
  }
}

/** Keras's _rescale_dataset_split_sizes: the two sizes as sample counts. */
function splitSizes(leftSize: number | undefined, rightSize: number | undefined, total: number): [number, number] {
  const count = (size: number | undefined, side: string): number | undefined => {
    if (size === undefined) return undefined;
    if (Number.isInteger(size)) {
      if (size <= 0 || size >= total) {
        throw new ValueError(`splitDataset: ${side}Size ${size} is a sample count outside [1, ${total - 1}] for ${total} samples. help: pass a count in range or a fraction in (0, 1).`);
      }
      return size;
    }
    if (!(size > 0 && size < 1)) throw new ValueError(`splitDataset: ${side}Size ${size} is neither a sample count nor a fraction in (0, 1). help: pass e.g. 0.8 or 800.`);
    return roundHalfEven(size * total);
  };
  if (leftSize !== undefined && rightSize !== undefined && !Number.isInteger(leftSize) && !Number.isInteger(rightSize) && leftSize + rightSize > 1) {
    throw new ValueError(`splitDataset: the fractions leftSize ${leftSize} and rightSize ${rightSize} add up to more than 1. help: make them sum to at most 1.`);
  }
  let left = count(leftSize, 'left');
  let right = count(rightSize, 'right');
  left ??= total - right!;
  right ??= total - left;
  if (left + right > total) {
    throw new ValueError(`splitDataset: leftSize + rightSize = ${left + right} samples, more than the ${total} the dataset has. help: pass smaller sizes.`);
  }
  if (left === 0 || right === 0) {
    throw new ValueError(`splitDataset: with ${total} samples, leftSize ${left} and rightSize ${right} leave one half empty. help: pass larger sizes.`);
  }
  return [left, right];
}

/** Python's round: halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
