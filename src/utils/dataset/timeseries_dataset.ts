/**
 * timeseriesDatasetFromArray: Keras's keras.utils.timeseries_dataset_from_array. Sliding windows
 * over a series whose first axis is time, with Keras's index arithmetic: over the rows
 * data[startIndex:endIndex], a window starting at p holds rows p, p + samplingRate, ... (sequenceLength
 * of them); the starts are 0, sequenceStride, 2 * sequenceStride, ... below
 *   numSeqs = end - start - (sequenceLength - 1) * samplingRate   (and below len(targets) with targets),
 * and the target of the window starting at p is targets[start + p]. Shuffling permutes the starts once
 * (seeded), then shuffles through a buffer each epoch (batchSize * 8, or 1024 unbatched), as Keras.
 *
 * The series is copied to the host once (a Tensor is read with dataSync); each batch's windows are
 * gathered on the host into one buffer and made one tensor, so the dataset holds no tensor and an
 * iteration makes only the tensors it yields. Elements: [windows, targets], or windows alone
 * without targets; windows [batch, sequenceLength, ...rowShape], targets [batch, ...targetShape].
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ensureRegistered } from '../../backend/backend';
import { ValueError } from '../../engine/errors';
import { Dataset } from '../../data/dataset/dataset';
import { nextSeed, seededPermutation } from '../random';

/** Numbers in nested arrays: one row per time step. */
export type NestedNumbers = Array<number | NestedNumbers>;

/** A series: a tensor, a typed array (one value per step) or nested number arrays, time along the first axis. */
export type SeriesData = tfc.Tensor | tfc.TypedArray | NestedNumbers;

/** Options of {@link timeseriesDatasetFromArray}. */
export interface TimeseriesDatasetOptions {
  /** The number of time steps in each window (also accepted as the third argument). Keras: `sequence_length`. @default required */
  sequenceLength?: number;
  /** The distance between the starts of successive windows. Keras: `sequence_stride`. @default 1 */
  sequenceStride?: number;
  /** The distance between successive time steps within a window. Keras: `sampling_rate`. @default 1 */
  samplingRate?: number;
  /** Windows per batch; null yields single windows. Keras: `batch_size`. @default 128 */
  batchSize?: number | null;
  /** Shuffle the windows (seeded: once at creation, then through a buffer each epoch); false gives them in time order. Keras: `shuffle`. @default false */
  shuffle?: boolean;
  /** The seed of the shuffles. Keras: `seed`. @default undefined (from k.utils.setRandomSeed's generator) */
  seed?: number;
  /** Rows before this index are not used. Keras: `start_index`. @default null (0) */
  startIndex?: number | null;
  /** Rows from this index on are not used (it must be below the data's length). Keras: `end_index`. @default null (the data's length) */
  endIndex?: number | null;
}

const WHERE = 'timeseriesDatasetFromArray';

/** A series on the host: its values (row after row), its shape and dtype. */
interface HostSeries {
  values: Float32Array | Int32Array | Uint8Array;
  shape: number[];
  dtype: tfc.DataType;
  rowSize: number;
}

/** The windows' arithmetic resolved. */
interface Plan {
  start: number;
  sequenceLength: number;
  samplingRate: number;
  batchSize: number | null;
  /** The seed of the per-epoch shuffle; null keeps the order. */
  shuffleSeed: number | null;
}

/** What gather cuts: `length` rows from start + p, every `rate`; with a window axis (windows) or without (targets, length 1). */
interface Cut {
  start: number;
  length: number;
  rate: number;
  batched: boolean;
  windowAxis: boolean;
}

/**
 * A dataset of sliding windows over `data` (see the module header), paired with `targets` when they
 * are given (null: windows alone). Keras's positional order: data, targets, sequenceLength.
 */
export function timeseriesDatasetFromArray(data: SeriesData, targets: SeriesData | null, sequenceLength: number, options?: TimeseriesDatasetOptions): Dataset;
export function timeseriesDatasetFromArray(data: SeriesData, targets: SeriesData | null, options: TimeseriesDatasetOptions & { sequenceLength: number }): Dataset;
export function timeseriesDatasetFromArray(
  data: SeriesData,
  targets: SeriesData | null,
  lengthOrOptions: number | TimeseriesDatasetOptions,
  more: TimeseriesDatasetOptions = {},
): Dataset {
  ensureRegistered();
  const o = typeof lengthOrOptions === 'number' ? { ...more, sequenceLength: lengthOrOptions } : lengthOrOptions ?? {};
  const x = toHost(data, 'data');
  const { plan, stride, end } = resolve(o, x.shape[0]);
  const y = targets === null || targets === undefined ? null : toHost(targets, 'targets');
  return windowDataset(x, y, windowStarts(plan, stride, end, y), plan);
}

/** The options checked (Keras's checks, in its order, then ours) and resolved. */
function resolve(o: TimeseriesDatasetOptions, n: number): { plan: Plan; stride: number; end: number } {
  const { start, end } = checkRange(o.startIndex ?? null, o.endIndex ?? null, n);
  const samplingRate = o.samplingRate ?? 1;
  const stride = o.sequenceStride ?? 1;
  checkStep(samplingRate, 'samplingRate', n);
  checkStep(stride, 'sequenceStride', n);
  const sequenceLength = o.sequenceLength!;
  if (!(Number.isInteger(sequenceLength) && sequenceLength > 0)) {
    throw new ValueError(`${WHERE}: \`sequenceLength\` must be a positive integer, got ${sequenceLength}. help: pass the window length, e.g. timeseriesDatasetFromArray(data, targets, 10).`);
  }
  const batchSize = o.batchSize === undefined ? 128 : o.batchSize;
  if (batchSize !== null && !(Number.isInteger(batchSize) && batchSize > 0)) {
    throw new ValueError(`${WHERE}: \`batchSize\` must be a positive integer or null, got ${batchSize}. help: e.g. {batchSize: 128}, or null for single windows.`);
  }
  if (o.seed !== undefined && !Number.isInteger(o.seed)) throw new ValueError(`${WHERE}: \`seed\` must be an integer, got ${o.seed}. help: e.g. {seed: 1337}.`);
  const shuffleSeed = (o.shuffle ?? false) ? (o.seed ?? nextSeed()) : null;
  return { plan: { start, sequenceLength, samplingRate, batchSize, shuffleSeed }, stride, end };
}

/** Keras's start positions (relative to startIndex): 0, stride, ... below numSeqs; permuted once with the seed when shuffling. */
function windowStarts(plan: Plan, stride: number, end: number, y: HostSeries | null): number[] {
  let numSeqs = end - plan.start - (plan.sequenceLength - 1) * plan.samplingRate;
  if (y !== null) numSeqs = Math.min(numSeqs, y.shape[0]);
  const starts: number[] = [];
  for (let p = 0; p < numSeqs; p += stride) starts.push(p);
  const last = plan.start + starts[starts.length - 1];
  if (y !== null && starts.length > 0 && last >= y.shape[0]) {
    // Keras's tf.gather fails here while iterating; say it now.
    throw new ValueError(
      `${WHERE}: the window starting at row ${last} has no target: targets has ${y.shape[0]} rows (targets[i] goes with the window starting at data[i], startIndex counted). ` +
        'help: give targets as long as data (e.g. targets = series shifted by sequenceLength, padded), or lower startIndex.',
    );
  }
  return plan.shuffleSeed === null ? starts : seededPermutation(starts.length, plan.shuffleSeed).map((i) => starts[i]);
}

/** Keras's checks of startIndex and endIndex (0 or null for either is its default); the rows used, [start, end). */
function checkRange(startIndex: number | null, endIndex: number | null, n: number): { start: number; end: number } {
  if (startIndex !== null) {
    if (!Number.isInteger(startIndex) || startIndex < 0) throw new ValueError(`${WHERE}: \`startIndex\` must be an integer, 0 or greater, got ${startIndex}. help: e.g. {startIndex: 100}, or leave it out to start at row 0.`);
    if (startIndex >= n) throw new ValueError(`${WHERE}: \`startIndex\` must be lower than the length of the data (${n}), got ${startIndex}. help: pass a row index of the data.`);
  }
  if (endIndex !== null) {
    if (!Number.isInteger(endIndex) || endIndex <= 0) throw new ValueError(`${WHERE}: \`endIndex\` must be an integer higher than 0, got ${endIndex}. help: e.g. {endIndex: 800}, or leave it out to use the data to its end.`);
    if (startIndex && endIndex <= startIndex) throw new ValueError(`${WHERE}: \`endIndex\` must be higher than \`startIndex\` (${startIndex}), got ${endIndex}. help: pass an endIndex above the startIndex.`);
    if (endIndex >= n) throw new ValueError(`${WHERE}: \`endIndex\` must be lower than the length of the data (${n}), got ${endIndex} (as Keras). help: leave endIndex out to use the data to its end.`);
  }
  return { start: startIndex ?? 0, end: endIndex ?? n };
}

/** Keras's checks of samplingRate and sequenceStride: above 0, below the data's length. */
function checkStep(v: number, name: string, n: number): void {
  if (!Number.isInteger(v) || v <= 0) throw new ValueError(`${WHERE}: \`${name}\` must be an integer higher than 0, got ${v}. help: e.g. {${name}: 1}.`);
  if (v >= n) throw new ValueError(`${WHERE}: \`${name}\` must be lower than the length of the data (${n}), got ${v}. help: use a smaller ${name}, or more data.`);
}

/** The dataset: window numbers (shuffled each epoch when seeded), batched, each batch gathered on the host. */
function windowDataset(x: HostSeries, y: HostSeries | null, starts: number[], plan: Plan): Dataset {
  let order = Dataset.range(starts.length);
  if (plan.shuffleSeed !== null) order = order.shuffle(plan.batchSize !== null ? plan.batchSize * 8 : 1024, { seed: plan.shuffleSeed });
  const batched = plan.batchSize !== null;
  const source: Dataset<tfc.Tensor> = batched ? order.batch(plan.batchSize!) : order;
  const windows: Cut = { start: plan.start, length: plan.sequenceLength, rate: plan.samplingRate, batched, windowAxis: true };
  const targets: Cut = { start: plan.start, length: 1, rate: 1, batched, windowAxis: false };
  return source.map(async (i: tfc.Tensor) => {
    const picked = Array.from(await i.data(), (k) => starts[k]);
    return y === null ? gather(x, picked, windows) : [gather(x, picked, windows), gather(y, picked, targets)];
  });
}

/** The rows start + p + j * rate (j < length) for each p of `starts`, as one tensor. */
function gather(s: HostSeries, starts: number[], cut: Cut): tfc.Tensor {
  const { rowSize } = s;
  const { length } = cut;
  const out = new (s.values.constructor as new (n: number) => HostSeries['values'])(starts.length * length * rowSize);
  starts.forEach((p, w) => {
    for (let j = 0; j < length; j++) {
      const row = cut.start + p + j * cut.rate;
      out.set(s.values.subarray(row * rowSize, (row + 1) * rowSize), (w * length + j) * rowSize);
    }
  });
  const element = cut.windowAxis ? [length, ...s.shape.slice(1)] : s.shape.slice(1);
  return tfc.tensor(out, cut.batched ? [starts.length, ...element] : element, s.dtype);
}

/** A series copied to the host, with Keras's dtype kept where tfjs has it (float32, int32, bool). */
function toHost(a: SeriesData, name: string): HostSeries {
  let values: HostSeries['values'];
  let shape: number[];
  let dtype: tfc.DataType;
  if (a instanceof tfc.Tensor) {
    if (a.dtype === 'string' || a.dtype === 'complex64') throw new ValueError(`${WHERE}: \`${name}\` is a ${a.dtype} tensor. help: pass numbers (float32, int32 or bool).`);
    values = a.dataSync() as HostSeries['values'];
    [shape, dtype] = [a.shape, a.dtype];
  } else if (ArrayBuffer.isView(a) && !(a instanceof DataView)) {
    const isInt = !(a instanceof Float32Array || a instanceof Float64Array);
    values = isInt ? Int32Array.from(a as ArrayLike<number>) : Float32Array.from(a as ArrayLike<number>);
    [shape, dtype] = [[(a as tfc.TypedArray).length], isInt ? 'int32' : 'float32'];
  } else if (Array.isArray(a)) {
    ({ values, shape } = nested(a, name));
    dtype = 'float32';
  } else {
    throw new ValueError(`${WHERE}: \`${name}\` must be a tensor, a typed array or nested number arrays, got ${a === null ? 'null' : typeof a}. help: pass e.g. a number[][] with one row per time step.`);
  }
  if (shape.length === 0) throw new ValueError(`${WHERE}: \`${name}\` is a scalar. help: pass a series with time along the first axis (e.g. a number[] or a [steps, features] tensor).`);
  return { values, shape, dtype, rowSize: shape.slice(1).reduce((p, d) => p * d, 1) };
}

/** Nested number arrays' values and shape; ragged or non-numeric arrays are refused. */
function nested(a: unknown[], name: string): { values: Float32Array; shape: number[] } {
  const shape: number[] = [];
  for (let v: unknown = a; Array.isArray(v); v = v[0]) shape.push(v.length);
  const flat = a.flat(Infinity);
  const size = shape.reduce((p, d) => p * d, 1);
  const bad = flat.find((v) => typeof v !== 'number');
  if (flat.length !== size || bad !== undefined) {
    throw new ValueError(
      `${WHERE}: \`${name}\` is not a rectangular array of numbers (shape [${shape}] from its first items, ${flat.length} values${bad !== undefined ? `, one of them ${JSON.stringify(bad)}` : ''}). ` +
        'help: give every time step the same number of features, as numbers.',
    );
  }
  return { values: Float32Array.from(flat as number[]), shape };
}
