/**
 * What fit, evaluate and predict do differently when several processes train together: the one
 * place the training loop calls into the distribution. It is also the ReplicaContext that the
 * optimizer and synchronized batch normalization use while a run is in progress.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { Callback } from '../callbacks/callback';
import type { Batch } from '../data/step_data';
import { ReplicaContext, setReplicaContext } from '../engine/replica_context';
import type { Weight } from '../engine/weight';
import type { Metric } from '../metrics';
import { broadcastFloats, Communicator } from './communicator';
import type { DataParallel } from './data_parallel';
import { pack, unpack } from './packing';
import { sumOverProcesses } from './replica_sum';
import { batchRows, Shard, shardOf, sliceBatch } from './sharding';
import { anyProcess, averageWeights, broadcastModelState, broadcastStart, FitState, metricVariables, readState, syncMetricState } from './state_sync';

/** What a train or test step returns to log (as the models' StepLogs). */
type StepLogs = Record<string, tfc.Tensor | number>;

export class DistributedRun implements ReplicaContext {
  /** This process's part of the current step's global batch. */
  private shard: Shard | null = null;
  /** The model state to take from rank 0 before the first step of the fit in progress. */
  private pending: FitState | null = null;

  constructor(
    private readonly dp: DataParallel,
    private readonly comm: Communicator,
  ) {}

  get rank(): number {
    return this.comm.rank;
  }

  get size(): number {
    return this.comm.size;
  }

  // --- ReplicaContext: the optimizer and BatchNormalization({synchronized: true}) ---------------

  allReduceGradients(grads: tfc.Tensor[]): tfc.Tensor[] {
    const t0 = performance.now();
    const buffer = pack(grads, this.shard?.weight ?? 1 / this.size);
    const t1 = performance.now();
    this.comm.allreduceSum(buffer);
    const t2 = performance.now();
    const summed = unpack(buffer, grads.map((g) => g.shape));
    const stats = this.dp.stats;
    stats.gradientFloats = buffer.length;
    stats.allreduceSeconds += (t2 - t1) / 1000;
    stats.packSeconds += (t1 - t0 + performance.now() - t2) / 1000;
    return summed;
  }

  sumOverReplicas(x: tfc.Tensor): tfc.Tensor {
    const shard = this.shard ?? { start: 0, rows: 1, globalRows: this.size, weight: 1 / this.size };
    return sumOverProcesses(this.comm, shard, x);
  }

  get standIn(): boolean {
    return this.shard !== null && this.shard.weight === 0;
  }

  globalRows(localRows: number): number {
    const shard = this.shard;
    if (shard === null) return localRows * this.size;
    return (shard.globalRows * localRows) / shard.rows;
  }

  // --- the training loop's hooks ------------------------------------------------------------------

  /** Whether this process runs `callback` (process 0 runs all; the others skip the writers). */
  keeps(callback: Callback): boolean {
    return this.rank === 0 || callback.rankZeroOnly !== true;
  }

  /**
   * Runs `fn` with this run as the replica context. An error in one process would leave the others
   * waiting in their next collective call, so it ends the whole job, printing the error first.
   */
  async guard<T>(what: string, fn: () => Promise<T>): Promise<T> {
    const previous = setReplicaContext(this);
    try {
      return await fn();
    } catch (e) {
      return this.fail(what, e);
    } finally {
      setReplicaContext(previous);
    }
  }

  /** guard for synchronous work (trainOnBatch, predict). */
  guardSync<T>(what: string, fn: () => T): T {
    const previous = setReplicaContext(this);
    try {
      return fn();
    } catch (e) {
      return this.fail(what, e);
    } finally {
      setReplicaContext(previous);
    }
  }

  private fail(what: string, e: unknown): never {
    const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return this.comm.abort(
      `keras-ts DataParallel (rank ${this.rank} of ${this.size}): ${what} failed: ${text}\n` +
        'Ending every process of the job (MPI_Abort), since the others would wait for this one.',
    );
  }

  /** This process's part of each global batch. */
  async *shardBatches(batches: Iterable<Batch> | AsyncIterable<Batch>): AsyncIterable<Batch> {
    for await (const batch of batches) yield this.shardOne(batch);
  }

  /** This process's part of one global batch (which is disposed); before fit's first step, rank 0's model state. */
  shardOne(batch: Batch): Batch {
    if (this.pending !== null) {
      broadcastModelState(this.comm, this.pending);
      this.pending = null;
    }
    this.shard = shardOf(batchRows(batch), this.size, this.rank);
    return sliceBatch(batch, this.shard);
  }

  /**
   * At the start of fit (after the callbacks' onTrainBegin): rank 0's starting epoch and random
   * generator now, its weights and optimizer state at the first batch. Returns the epoch.
   */
  startFit(state: FitState, initialEpoch: number): number {
    this.pending = state;
    return broadcastStart(this.comm, initialEpoch);
  }

  /**
   * Runs one train or test step on this process's part of the batch, then makes the metrics' state
   * global. Values a custom step returns under a metric's name are replaced by that metric's
   * global result; other values it returns stay this process's own.
   */
  step(model: { readonly metrics: readonly Metric[] }, train: boolean, run: () => StepLogs): StepLogs {
    const before = readState(metricVariables(model.metrics));
    const logs = run();
    const metrics = model.metrics; // after the step: the compiled metrics are built on the first batch
    const t0 = performance.now();
    syncMetricState(this.comm, metricVariables(metrics), before, this.shard === null || this.shard.weight > 0);
    this.dp.stats.metricSeconds += (performance.now() - t0) / 1000;
    if (train) this.dp.stats.steps += 1;
    for (const m of metrics) {
      const old = logs[m.name];
      if (old === undefined) continue;
      if (old instanceof tfc.Tensor) old.dispose();
      logs[m.name] = m.result();
    }
    return logs;
  }

  /** At the end of an epoch's batches: the non-trainable weights (moving statistics) averaged over the processes. */
  endEpoch(nonTrainable: readonly Weight[]): void {
    averageWeights(this.comm, nonTrainable);
    this.shard = null;
  }

  /** Whether any process wants to stop (a callback that runs on rank 0 only may have asked). */
  anyStops(flag: boolean): boolean {
    return anyProcess(this.comm, flag);
  }

  /**
   * Predictions over all of xs on every process: each process predicts a contiguous part of the
   * rows, and each part is broadcast from its process.
   */
  predict(xs: tfc.Tensor[], predictLocal: (xs: tfc.Tensor[]) => tfc.Tensor[]): tfc.Tensor[] {
    const n = xs[0].shape[0];
    if (n < this.size) return predictLocal(xs);
    const parts = Array.from({ length: this.size }, (_, r) => [Math.floor((r * n) / this.size), Math.floor(((r + 1) * n) / this.size)]);
    const [start, end] = parts[this.rank];
    const mine = xs.map((x) => tfc.slice(x, start, end - start));
    let outs: tfc.Tensor[];
    try {
      outs = predictLocal(mine);
    } finally {
      tfc.dispose(mine);
    }
    return outs.map((out) => {
      const rowShape = out.shape.slice(1);
      const row = tfc.util.sizeFromShape(rowShape);
      const all = new Float32Array(n * row);
      all.set(out.dataSync(), start * row);
      parts.forEach(([s, e], root) => broadcastFloats(this.comm, all.subarray(s * row, e * row), root));
      const dtype = out.dtype;
      out.dispose();
      return tfc.tensor(all, [n, ...rowShape], dtype);
    });
  }
}
