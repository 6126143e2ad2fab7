/**
 * The distribution in force, as Keras's `keras.distribution.set_distribution` /
 * `keras.distribution.distribution()`: fit, evaluate and predict of every model follow it.
 */
import { ValueError } from '../engine/errors';
import { DataParallel } from './data_parallel';
import { DistributedRun } from './distributed_run';

let current: DataParallel | null = null;
let run: DistributedRun | null = null;

/** Makes fit, evaluate and predict data-parallel across the processes of this job (null: back to one process). */
export function setDistribution(value: DataParallel | null): void {
  if (value !== null && !(value instanceof DataParallel)) {
    throw new ValueError(
      `setDistribution: expected a DataParallel or null, got ${typeof value === 'object' ? (value as object).constructor?.name : typeof value}. ` +
        'help: k.distribution.setDistribution(new k.distribution.DataParallel()).',
    );
  }
  current = value;
  run = value !== null && value.communicator !== null && value.size > 1 ? new DistributedRun(value, value.communicator) : null;
}

/** The distribution in force, or null. */
export function distribution(): DataParallel | null {
  return current;
}

/** The hooks of the run in progress when several processes train together; null otherwise (fit as on one process). */
export function activeRun(): DistributedRun | null {
  return run;
}
