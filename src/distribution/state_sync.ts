/**
 * Keeping the processes' state equal: rank 0's weights, optimizer state, starting epoch and random
 * generator at the start of fit; the metrics' state after every step; the non-trainable weights
 * (batch-norm moving statistics) at the end of every epoch.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { RuntimeError } from '../engine/errors';
import type { Weight } from '../engine/weight';
import type { Metric } from '../metrics';
import type { Optimizer, StateArray } from '../optimizers/optimizer';
import { getRandomState, setRandomState } from '../utils/random';
import { broadcastFloats, broadcastJson, Communicator } from './communicator';
import { assignAll, pack } from './packing';

/** What fit makes equal on every process before its first step. */
export interface FitState {
  weights: readonly Weight[];
  trainableWeights: readonly Weight[];
  optimizer: Optimizer;
}

/**
 * At the start of fit (after the callbacks' onTrainBegin, where BackupAndRestore may have moved
 * rank 0 on): rank 0's starting epoch and random generator on every process, so that every
 * process draws the same shuffle. An unseeded rank 0 draws a seed for all. Returns the epoch.
 */
export function broadcastStart(comm: Communicator, initialEpoch: number): number {
  let header: { initialEpoch: number; randomState: number } | null = null;
  if (comm.rank === 0) header = { initialEpoch, randomState: rankZeroRandomState() };
  const got = broadcastJson(comm, header);
  if (got === null) throw new RuntimeError('DataParallel: rank 0 sent no training state. help: every process must run the same script.');
  setRandomState(got.randomState);
  return got.initialEpoch;
}

function rankZeroRandomState(): number {
  let state = getRandomState();
  if (state === null) {
    state = Math.floor(Math.random() * 2 ** 32) >>> 0;
    setRandomState(state);
  }
  return state;
}

interface Header {
  randomState: number;
  weightSizes: number[];
  /** The optimizer's arrays: integer ones travel here, float ones in the buffer. */
  optimizer: Array<{ name: string; shape: number[]; ints?: number[] }>;
}

/**
 * Before the first step of fit: rank 0's weights, optimizer state and random generator on every
 * process. Done at the first batch, not earlier, because weights are made (and drawn from the
 * random generator) on first use: rank 0 then draws them exactly where one process would, after
 * the first epoch's shuffle, so N processes start as one process does.
 */
export function broadcastModelState(comm: Communicator, state: FitState): void {
  const variables = state.trainableWeights.map((w) => ({ name: w.name, variable: w.value }));
  const weightVars = state.weights.map((w) => w.value);
  let header: Header | null = null;
  let optimizerArrays: StateArray[] = [];
  if (comm.rank === 0) {
    optimizerArrays = state.optimizer.getState(variables);
    header = {
      randomState: rankZeroRandomState(),
      weightSizes: weightVars.map((v) => v.size),
      optimizer: optimizerArrays.map((a) => ({ name: a.name, shape: a.shape, ...(a.data instanceof Int32Array ? { ints: Array.from(a.data) } : {}) })),
    };
  }
  const got = broadcastJson(comm, header);
  if (got === null) throw new RuntimeError('DataParallel: rank 0 sent no training state. help: every process must run the same script.');
  const mine = weightVars.map((v) => v.size);
  if (got.weightSizes.length !== mine.length || got.weightSizes.some((n, i) => n !== mine[i])) {
    throw new RuntimeError(
      `DataParallel (rank ${comm.rank}): rank 0's model has weights of sizes [${got.weightSizes}] but this process's has [${mine}]. ` +
        'help: every process must build the same model (run the same script with the same arguments).',
    );
  }
  const weightCount = mine.reduce((n, s) => n + s, 0);
  const floatCount = got.optimizer.filter((a) => a.ints === undefined).reduce((n, a) => n + tfc.util.sizeFromShape(a.shape), 0);
  const buffer = new Float32Array(weightCount + floatCount);
  if (comm.rank === 0) {
    buffer.set(pack(weightVars));
    let offset = weightCount;
    for (const a of optimizerArrays) {
      if (a.data instanceof Int32Array) continue;
      buffer.set(a.data, offset);
      offset += a.data.length;
    }
  }
  broadcastFloats(comm, buffer);
  if (comm.rank === 0) return;
  assignAll(weightVars, buffer.subarray(0, weightCount));
  let offset = weightCount;
  const arrays: StateArray[] = got.optimizer.map((a) => {
    if (a.ints !== undefined) return { name: a.name, shape: a.shape, data: Int32Array.from(a.ints) };
    const n = tfc.util.sizeFromShape(a.shape);
    const data = buffer.slice(offset, offset + n);
    offset += n;
    return { name: a.name, shape: a.shape, data };
  });
  if (!state.optimizer.setState(variables, arrays)) {
    throw new RuntimeError(`DataParallel (rank ${comm.rank}): rank 0's optimizer state does not fit this process's optimizer. help: every process must compile the model alike.`);
  }
  setRandomState(got.randomState);
}

/** Every variable the metrics keep (sub-metrics' too), once each. */
export function metricVariables(metrics: readonly Metric[]): tfc.Variable[] {
  return [...new Set(metrics.flatMap((m) => m.variables))];
}

/** The values of the variables now, to compare with after a step. */
export function readState(variables: readonly tfc.Variable[]): Map<tfc.Variable, Float32Array> {
  return new Map(variables.map((v) => [v, Float32Array.from(v.dataSync() as Float32Array)]));
}

/**
 * After a step: the metrics' variables held `before` on every process (the global state; a
 * variable made during the step started at zero); each process has since added its own batch.
 * Sums the additions over the processes (one collective call) and assigns before + sum, so every
 * process holds the global state again. A process whose batch was a stand-in row (`counts` false)
 * adds nothing.
 */
export function syncMetricState(comm: Communicator, variables: readonly tfc.Variable[], before: Map<tfc.Variable, Float32Array>, counts: boolean): void {
  const after = pack(variables);
  const start = new Float32Array(after.length);
  let offset = 0;
  for (const v of variables) {
    const b = before.get(v);
    if (b !== undefined) start.set(b, offset);
    offset += v.size;
  }
  const delta = new Float32Array(after.length);
  if (counts) for (let i = 0; i < after.length; i++) delta[i] = after[i] - start[i];
  comm.allreduceSum(delta);
  for (let i = 0; i < delta.length; i++) delta[i] += start[i];
  assignAll(variables, delta);
}

/** Replaces each weight by its mean over the processes (the per-process batch-norm moving statistics). */
export function averageWeights(comm: Communicator, weights: readonly Weight[]): void {
  const variables = weights.filter((w) => w.dtype === 'float32').map((w) => w.value);
  if (variables.length === 0) return;
  const values = pack(variables, 1 / comm.size);
  comm.allreduceSum(values);
  assignAll(variables, values);
}

/** True on every process when `flag` is true on any. */
export function anyProcess(comm: Communicator, flag: boolean): boolean {
  const v = Float32Array.of(flag ? 1 : 0);
  comm.allreduceSum(v);
  return v[0] > 0;
}
