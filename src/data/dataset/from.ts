/**
 * Where a dataset's elements come from: slices of arrays or tensors (kept on the host, so the
 * dataset holds no tensor), a generator function called afresh for each iteration, or a range of
 * integers. Each element yielded is new and belongs to whoever takes it.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ensureRegistered } from '../../backend/backend';
import { ValueError } from '../../engine/errors';
import { describeValue, HostTensor, isRecord, leavesOf, mapLeaves } from './structure';

/** Numbers (or booleans, or strings) in nested arrays: one array of values. */
export type NestedValues = Array<number | boolean | string | NestedValues>;

/** What fromTensorSlices takes: a tensor, a typed array, nested number arrays, or a list or record of them. */
export type Slices = tfc.Tensor | tfc.TypedArray | NestedValues | Slices[] | { [key: string]: Slices };

/** The element of fromTensorSlices(S): each array or tensor becomes a tensor, in S's structure. */
export type Sliced<S> = S extends tfc.Tensor | tfc.TypedArray | NestedValues
  ? tfc.Tensor
  : S extends readonly unknown[]
    ? { -readonly [K in keyof S]: Sliced<S[K]> }
    : { -readonly [K in keyof S]: Sliced<S[K]> };

/** A function giving a fresh iterator (sync or async, or an iterable) for each iteration. */
export type GeneratorFn<T> = () => Iterator<T> | AsyncIterator<T> | Iterable<T> | AsyncIterable<T>;

/** The host copies of `input`'s leaves, in its structure, and the number of slices they share. */
export function hostSlices(input: unknown): { structure: unknown; count: number } {
  const where = 'Dataset.fromTensorSlices';
  const structure = hostStructure(input, '');
  const parts = leavesOf(structure) as HostTensor[];
  if (parts.length === 0) throw new ValueError(`${where}: the input holds no arrays or tensors, got ${describeValue(input)}. help: pass e.g. fromTensorSlices([x, y]) with tensors.`);
  if (parts.some((h) => h.shape.length === 0)) throw new ValueError(`${where}: a scalar cannot be sliced. help: pass tensors or arrays with the samples along the first axis.`);
  const counts = parts.map((h) => h.shape[0]);
  if (counts.some((c) => c !== counts[0])) {
    throw new ValueError(`${where}: the parts have different first dimensions: ${counts.join(', ')}. help: give every part (x, y, ...) the same number of samples.`);
  }
  return { structure, count: counts[0] };
}

/** The input's structure with each array or tensor (a component) read to the host. */
function hostStructure(x: unknown, path: string): unknown {
  if (isComponent(x)) return hostOf(x, path || 'the input');
  if (Array.isArray(x)) return x.map((v, i) => hostStructure(v, `${path}[${i}]`));
  if (isRecord(x)) return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, hostStructure(v, `${path}.${k}`)]));
  return hostOf(x, path || 'the input');
}

/** A list of numbers (nested as deep as wanted) is one array; a list holding tensors, typed arrays or records is a structure. */
function isComponent(x: unknown): boolean {
  return x instanceof tfc.Tensor || ArrayBuffer.isView(x) || isNumberArray(x);
}

function isNumberArray(x: unknown): boolean {
  if (!Array.isArray(x)) return false;
  if (x.length === 0) return true;
  const v = x[0];
  return typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string' || isNumberArray(v);
}

function hostOf(leaf: unknown, path: string): HostTensor {
  if (leaf instanceof tfc.Tensor) return new HostTensor(leaf.dataSync() as tfc.TypedArray | string[], leaf.shape, leaf.dtype);
  if (ArrayBuffer.isView(leaf) && !(leaf instanceof DataView)) {
    const values = leaf as tfc.TypedArray;
    return new HostTensor(values.slice(), [values.length], values instanceof Int32Array ? 'int32' : values instanceof Uint8Array ? 'bool' : 'float32');
  }
  if (Array.isArray(leaf)) return hostOfArray(leaf, path);
  throw new ValueError(
    `Dataset.fromTensorSlices: ${path} is ${describeValue(leaf)}, not an array or tensor. help: pass tensors, typed arrays or nested number arrays.`,
  );
}

/** A nested number (or boolean, or string) array's values and shape; ragged arrays are refused. */
function hostOfArray(a: unknown[], path: string): HostTensor {
  const shape: number[] = [];
  for (let v: unknown = a; Array.isArray(v); v = v[0]) shape.push(v.length);
  const flat = (a as unknown[]).flat(Infinity);
  const size = shape.reduce((p, d) => p * d, 1);
  if (flat.length !== size || flat.some((v) => typeof v !== typeof flat[0])) {
    throw new ValueError(
      `Dataset.fromTensorSlices: ${path} is a ragged or mixed array (shape [${shape}] from its first items, ${flat.length} values). ` +
        'help: pass a rectangular array; for a pair of arrays of different shapes, pass tensors ([tfc.tensor(x), tfc.tensor(y)]) or a record ({xs, ys}).',
    );
  }
  if (typeof flat[0] === 'string') return new HostTensor(flat as string[], shape, 'string');
  if (typeof flat[0] === 'boolean') return new HostTensor(Uint8Array.from(flat as boolean[], Number), shape, 'bool');
  return new HostTensor(Float32Array.from(flat as number[]), shape, 'float32');
}

/** The slices of a host structure, one element at a time, as fresh tensors. */
export async function* sliceGen(structure: unknown, count: number): AsyncGenerator<unknown> {
  ensureRegistered();
  for (let i = 0; i < count; i++) yield mapLeaves<HostTensor, tfc.Tensor>(structure, (h) => slice(h, i));
}

function slice(h: HostTensor, i: number): tfc.Tensor {
  const shape = h.shape.slice(1);
  const stride = shape.reduce((p, d) => p * d, 1);
  return new HostTensor(h.values.slice(i * stride, (i + 1) * stride), shape, h.dtype).toTensor();
}

/** The elements of a fresh iterator of `fn`. */
export async function* generatorGen<T>(fn: GeneratorFn<T>): AsyncGenerator<T> {
  ensureRegistered();
  const made = fn();
  if (typeof made !== 'object' || made === null) {
    throw new ValueError(`Dataset.fromGenerator: the function returned ${describeValue(made)}, not an iterator. help: pass a generator function, e.g. fromGenerator(function* () { yield [x, y]; }).`);
  }
  if (Symbol.asyncIterator in made) return yield* made as AsyncIterable<T>;
  if (Symbol.iterator in made) return yield* made as Iterable<T>;
  if (typeof (made as Iterator<T>).next !== 'function') {
    throw new ValueError(`Dataset.fromGenerator: the function returned ${describeValue(made)}, not an iterator. help: return a generator, an iterator or an iterable.`);
  }
  yield* { [Symbol.asyncIterator]: () => made as AsyncIterator<T> };
}

/** start, start + step, ... up to (not including) stop, as int32 scalars. */
export async function* rangeGen(start: number, stop: number, step: number): AsyncGenerator<tfc.Scalar> {
  ensureRegistered();
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) yield tfc.scalar(i, 'int32');
}

/** How many values rangeGen yields. */
export function rangeCount(start: number, stop: number, step: number): number {
  return Math.max(0, Math.ceil((stop - start) / step));
}
