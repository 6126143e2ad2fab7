/**
 * Which rows of each global batch a process takes. A global batch of B rows (what the user asked
 * for as batchSize) is cut into `size` contiguous parts, part r being rows
 * [floor(r·B/size), floor((r+1)·B/size)): deterministic, the same on every process, and every
 * sample of an epoch lands in exactly one process. A process whose part is empty (a last batch
 * with fewer rows than processes) runs its step on one row with weight 0, so that it still takes
 * part in every collective call of the step while adding nothing to gradients or metrics.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { asList, Batch, mapStepData, stepTensors } from '../data/step_data';

/** This process's part of one global batch. */
export interface Shard {
  /** First row (in the global batch) and the number of rows this process takes. */
  start: number;
  rows: number;
  /** Rows of the global batch, over all processes. */
  globalRows: number;
  /** rows / globalRows: this process's share of the global batch's loss (0 for a stand-in row). */
  weight: number;
}

/** Part `rank` of `globalRows` rows cut into `size` parts. */
export function shardOf(globalRows: number, size: number, rank: number): Shard {
  const start = Math.floor((rank * globalRows) / size);
  const end = Math.floor(((rank + 1) * globalRows) / size);
  if (end > start) return { start, rows: end - start, globalRows, weight: (end - start) / globalRows };
  return { start: Math.min(start, globalRows - 1), rows: 1, globalRows, weight: 0 }; // a stand-in row
}

/** The rows [start, start + rows) of every tensor of a batch, as a new batch (the given batch is disposed). */
export function sliceBatch(batch: Batch, shard: Shard): Batch {
  let part: Batch;
  try {
    const data = mapStepData(batch.data, (t) => tfc.slice(t, shard.start, shard.rows));
    part = { data, dispose: () => tfc.dispose(stepTensors(data)) };
  } finally {
    batch.dispose();
  }
  return part;
}

/** The rows a batch has (its first tensor's first dimension). */
export function batchRows(batch: Batch): number {
  return asList(batch.data.x)[0].shape[0];
}
