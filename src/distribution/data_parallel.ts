/**
 * Keras's `keras.distribution.DataParallel`, over MPI processes instead of one host's devices:
 *
 *   k.distribution.setDistribution(new k.distribution.DataParallel());
 *   await model.fit(x, y, { batchSize: 64 });   // started as: mpirun -np 4 node train.js
 *
 * Every process runs the same script and builds the same model; fit starts from rank 0's weights;
 * each global batch (the batchSize asked for) is cut into one part per process; the gradients are
 * summed over the processes in one allreduce per step; the loss and metrics are the global ones
 * on every process; only rank 0 prints the progress bar and runs the callbacks that write
 * (TensorBoard, ModelCheckpoint, BackupAndRestore, CSVLogger). In a process that no MPI launcher
 * started, or with one process, nothing changes: the same script trains as it would without it.
 */
import { ValueError } from '../engine/errors';
import { checkOptions, optionKeys } from '../engine/options';
import { Communicator, launchedSize, mpiWorld } from './communicator';

export interface DataParallelArgs {
  /**
   * The longest one collective call may wait for the other processes, in seconds, before the job
   * is ended with an error naming the call (a process that died or hung never leaves the others
   * waiting forever). 0 waits forever. Keras: none @default 300
   */
  timeoutSeconds?: number;
}

/** Where the time of the steps went, for benchmarks and the README's figures. */
export interface DataParallelStats {
  /** Train steps since the last reset. */
  steps: number;
  /** Floats in one step's gradient allreduce. */
  gradientFloats: number;
  /** Seconds in the gradients' allreduce calls (the transfer and any wait for a slower process). */
  allreduceSeconds: number;
  /** Seconds packing gradients into the buffer and unpacking the sums. */
  packSeconds: number;
  /** Seconds keeping the metrics global (one small allreduce per step). */
  metricSeconds: number;
}

export class DataParallel {
  static readonly optionKeys = optionKeys<DataParallelArgs>()('timeoutSeconds');
  readonly className = 'DataParallel';
  /** This process's index: 0..size-1 (0 without a launcher). */
  readonly rank: number;
  /** How many processes train together (1 without a launcher). */
  readonly size: number;
  /** The MPI library in use, e.g. 'Open MPI v4.1.4'; null with one process. */
  readonly library: string | null;
  readonly timeoutSeconds: number;
  readonly stats: DataParallelStats = { steps: 0, gradientFloats: 0, allreduceSeconds: 0, packSeconds: 0, metricSeconds: 0 };
  /** The processes, when there are several. */
  readonly communicator: Communicator | null;

  constructor(args: DataParallelArgs = {}) {
    checkOptions('DataParallel', args, DataParallel.optionKeys);
    const timeout = args.timeoutSeconds ?? 300;
    if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout < 0) {
      throw new ValueError(`DataParallel: \`timeoutSeconds\` must be a number of seconds >= 0, got ${String(args.timeoutSeconds)}. help: e.g. {timeoutSeconds: 600}, or 0 to wait forever.`);
    }
    this.timeoutSeconds = timeout;
    const launched = launchedSize();
    if (launched === null || launched.size === 1) {
      this.communicator = null;
      this.rank = 0;
      this.size = 1;
      this.library = null;
      return;
    }
    const comm = mpiWorld(`${launched.variable}=${launched.size}`);
    comm.setTimeout(timeout);
    this.communicator = comm;
    this.rank = comm.rank;
    this.size = comm.size;
    this.library = comm.library;
  }

  /** Whether this is process 0, the one that logs and saves. */
  get isRankZero(): boolean {
    return this.rank === 0;
  }

  /** Zeroes the timing figures. */
  resetStats(): void {
    Object.assign(this.stats, { steps: 0, gradientFloats: 0, allreduceSeconds: 0, packSeconds: 0, metricSeconds: 0 });
  }
}
