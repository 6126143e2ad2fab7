/**
 * Batches of in-memory arrays. Each epoch, if shuffling, the arrays are gathered once into a
 * shuffled copy; batches are slices of that copy (or of the arrays themselves).
 */
import * as tfc from '@tensorflow/tfjs-core';
import { permutation } from '../utils/random';

export class ArrayBatches {
  readonly samples: number;
  readonly numBatches: number;

  constructor(
    private readonly arrays: tfc.Tensor[],
    readonly batchSize: number,
  ) {
    this.samples = arrays[0].shape[0];
    this.numBatches = Math.ceil(this.samples / batchSize);
  }

  /** The arrays for one epoch, shuffled if asked. Dispose the epoch when done. */
  epoch(shuffle: boolean): Epoch {
    if (!shuffle) return new Epoch(this.arrays, this.batchSize, false);
    const order = tfc.tensor1d(permutation(this.samples), 'int32');
    const shuffled = this.arrays.map((a) => tfc.gather(a, order));
    order.dispose();
    return new Epoch(shuffled, this.batchSize, true);
  }
}

export class Epoch {
  constructor(
    private readonly arrays: tfc.Tensor[],
    private readonly batchSize: number,
    private readonly owned: boolean,
  ) {}

  /** Number of samples in batch `i`. */
  size(i: number): number {
    const n = this.arrays[0].shape[0];
    return Math.min(this.batchSize, n - i * this.batchSize);
  }

  /** Batch `i` of every array; the caller owns the slices. */
  batch(i: number): tfc.Tensor[] {
    const start = i * this.batchSize;
    const size = this.size(i);
    return this.arrays.map((a) => tfc.slice(a, start, size));
  }

  dispose(): void {
    if (this.owned) this.arrays.forEach((a) => a.dispose());
  }
}
