/**
 * Turns what users pass as x, y or sample weights (tensors, nested arrays, typed arrays of any
 * kind; one per input, a list, or a record by name) into one tensor per model input or output, and
 * checks them. Typed arrays and nested arrays are made float32 tensors here, once (typed_arrays.ts).
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { formatShape, Shape } from '../engine/symbolic_tensor';
import { NestedArray, plainNested, toFloat32, TypedArray } from './typed_arrays';

export type { TypedArray, NestedArray } from './typed_arrays';
/**
 * A tensor, a nested array of numbers (whose rows may be typed arrays), or a typed array of any
 * kind (its shape is taken from the model). BigInt64Array and BigUint64Array values must be safe integers.
 */
export type ArrayData = tfc.Tensor | tfc.TensorLike | TypedArray | NestedArray;
/** One array, one per model input/output in order, or a record by input/output name. */
export type DataInput = ArrayData | ArrayData[] | Record<string, ArrayData>;

/** Tensors for a model's inputs or outputs; `owned` are those created here, to dispose after use. */
export interface Converted {
  tensors: tfc.Tensor[];
  owned: tfc.Tensor[];
}

export interface ConvertOptions {
  /** 'x', 'y' or 'sampleWeight', for messages. */
  what: string;
  /** Names of the model's inputs (for x) or outputs (for y), in order. */
  names: string[];
  /** Each input's (or output's) shape with the batch dimension, used to shape typed arrays. */
  shapes: Shape[];
  /** The number of samples, when already known from x. */
  samples?: number;
}

export function toTensors(data: DataInput, opts: ConvertOptions): Converted {
  const items = splitByName(data, opts);
  const owned: tfc.Tensor[] = [];
  const tensors = items.map((item, i) => {
    if (item instanceof tfc.Tensor) return item;
    const t = toTensor(item, opts.shapes[i], opts, i);
    owned.push(t);
    return t;
  });
  return { tensors, owned };
}

function splitByName(data: DataInput, opts: ConvertOptions): ArrayData[] {
  const { names, what } = opts;
  if (data === undefined || data === null) throw new ValueError(`${what}: no data given. help: pass a tensor or array.`);
  if (isRecord(data)) {
    const missing = names.filter((n) => !(n in data));
    const extra = Object.keys(data).filter((k) => !names.includes(k));
    if (missing.length > 0 || extra.length > 0) {
      throw new ValueError(
        `${what}: the record's keys [${Object.keys(data).join(', ')}] do not match the model's ${what === 'x' ? 'inputs' : 'outputs'} ` +
          `[${names.join(', ')}]. help: use exactly those names as keys.`,
      );
    }
    return names.map((n) => (data as Record<string, ArrayData>)[n]);
  }
  if (names.length === 1) return [data as ArrayData];
  const list = data as ArrayData[];
  if (!Array.isArray(list) || list.length !== names.length || !list.every(isArrayItem)) {
    throw new ValueError(
      `${what}: the model has ${names.length} ${what === 'x' ? 'inputs' : 'outputs'} (${names.join(', ')}); ` +
        `pass a list of ${names.length} arrays in that order, or a record by name.`,
    );
  }
  return list;
}

function isRecord(d: unknown): d is Record<string, ArrayData> {
  return typeof d === 'object' && d !== null && !Array.isArray(d) && !(d instanceof tfc.Tensor) && !ArrayBuffer.isView(d);
}

function isArrayItem(d: unknown): boolean {
  return d instanceof tfc.Tensor || ArrayBuffer.isView(d) || Array.isArray(d);
}

function toTensor(item: ArrayData, shape: Shape | undefined, opts: ConvertOptions, index: number): tfc.Tensor {
  const label = opts.names.length > 1 ? `${opts.what}['${opts.names[index]}']` : opts.what;
  if (ArrayBuffer.isView(item)) {
    const values = toFloat32(item, label);
    const sample = (shape ?? [null]).slice(1);
    const perSample = sample.every((d) => d !== null) ? (sample as number[]).reduce((a, b) => a * b, 1) : NaN;
    if (opts.samples !== undefined && values.length === opts.samples) return tfc.tensor(values, [opts.samples], 'float32');
    if (!Number.isFinite(perSample) || values.length % perSample !== 0) {
      throw new ValueError(
        `${label}: a typed array of length ${values.length} cannot be split into samples of shape ${formatShape(sample)}. ` +
          'help: pass a tensor of the right shape, e.g. tensor(values, [n, ...shape]).',
      );
    }
    return tfc.tensor(values, [values.length / perSample, ...(sample as number[])], 'float32');
  }
  const nested = Array.isArray(item) ? plainNested(item as NestedArray, label) : (item as tfc.TensorLike);
  try {
    return tfc.tensor(nested);
  } catch (e) {
    throw new ValueError(`${label}: cannot make a tensor of this array (${(e as Error).message}). help: use a rectangular nested array of numbers.`);
  }
}

/** Refuses tensors whose sample shapes differ from the model's, or whose sample counts differ. */
export function checkShapes(tensors: tfc.Tensor[], opts: ConvertOptions & { strict: boolean }): number {
  const n = tensors[0].shape[0];
  tensors.forEach((t, i) => {
    const label = opts.names.length > 1 ? `${opts.what}['${opts.names[i]}']` : opts.what;
    if (t.rank === 0 || t.shape[0] !== n) {
      throw new ValueError(`${label}: every array must have the same number of samples; got ${t.shape[0]} and ${n}.`);
    }
    const want = opts.shapes[i];
    const ok = !opts.strict || (t.rank === want.length && want.every((d, j) => j === 0 || d === null || d === t.shape[j]));
    if (!ok) {
      throw new ValueError(
        `${label}: data of shape ${formatShape(t.shape)} does not fit the model's ${opts.what === 'x' ? 'input' : 'output'} ` +
          `'${opts.names[i]}' of shape ${formatShape(want)}. help: reshape the data (samples first) to ${formatShape(want)}.`,
      );
    }
  });
  return n;
}
