/**
 * A subclassed model builds itself from the first data it sees:
 *
 *   buildFromData(model, x)          from arrays or tensors (fit, evaluate, predict, trainOnBatch)
 *   buildFromDataset(model, d)       from a dataset's first element; returns the dataset to use in
 *                                    its place, which still yields that element
 *   dataInputShapes(x)      the shape of each input in x (arrays, tensors, or a list of them for
 *                           several inputs), batch dimension unknown
 *   peekDataset(d) / peekDatasetAsync(d)  a dataset's first element, and a dataset that still
 *                           yields it: a generator is resumed after it, a dataset that starts
 *                           afresh on each iteration is passed on unchanged
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { DataInput } from '../data/convert';
import { Dataset as Pipeline } from '../data/dataset';
import { disposeElement } from '../data/dataset/structure';
import { DatasetElement, elementParts, PredictElement, runsOnce } from '../data/sources';
import { ValueError } from '../engine/errors';
import type { Shape } from '../engine/symbolic_tensor';

/** What building needs from the model. */
export interface Buildable {
  readonly isSubclassed: boolean;
  readonly built: boolean;
  readonly name: string;
  build(inputShape: Shape[]): void;
}

export function isAsyncIterable(x: unknown): x is AsyncIterable<PredictElement> {
  return typeof x === 'object' && x !== null && Symbol.asyncIterator in x;
}

/** Builds an unbuilt subclassed model for the shapes of `x`; any other model is left as it is. */
export function buildFromData(model: Buildable, x: DataInput): void {
  if (model.isSubclassed && !model.built) model.build(dataInputShapes(x, `${model.name}: building from the data`));
}

/** As buildFromData, from a dataset's first element; returns the dataset to use, which still yields it. */
export async function buildFromDataset<D>(model: Buildable, x: D, where: string): Promise<D> {
  if (!model.isSubclassed || model.built) return x;
  if (!isAsyncIterable(x)) return buildFromSyncDataset(model, x as Iterable<PredictElement>, where) as D;
  const { first, data } = await peekDatasetAsync(x);
  if (first !== undefined) {
    try {
      buildFromData(model, elementX(first, where));
    } finally {
      if (x instanceof Pipeline) disposeElement(first); // its elements are made afresh for each iteration, and this one was only peeked
    }
  }
  return data as D;
}

/** buildFromDataset for a sync dataset, synchronously (predict). */
export function buildFromSyncDataset(model: Buildable, x: Iterable<PredictElement>, where: string): Iterable<PredictElement> {
  if (!model.isSubclassed || model.built) return x;
  const { first, data } = peekDataset(x);
  if (first !== undefined) buildFromData(model, elementX(first, where));
  return data;
}

/** The shape of each input in `x` (batch dimension unknown); a list of arrays is several inputs. */
export function dataInputShapes(x: DataInput, where: string): Shape[] {
  if (typeof x !== 'object' || x === null) throw new ValueError(`${where}: no data given (x is ${String(x)}). help: pass arrays or tensors.`);
  const items: unknown[] = isInputList(x) ? (x as unknown[]) : [x];
  return items.map((item) => {
    if (item instanceof tfc.Tensor) return [null, ...item.shape.slice(1)];
    if (Array.isArray(item) && item.length > 0) return [null, ...nestedShape(item).slice(1)];
    throw new ValueError(
      `${where}: the model is not built yet and its input shape cannot be read from ${ArrayBuffer.isView(item) ? 'a flat typed array' : describe(item)}. ` +
        'help: pass a tensor (or nested arrays) with the samples first, or call model.build([null, ...sampleShape]) first.',
    );
  });
}

/** Several inputs: a list of tensors or typed arrays, or of nested arrays that do not make one rectangular array. */
function isInputList(x: unknown): boolean {
  if (!Array.isArray(x) || x.length === 0) return false;
  if (x.every((item) => item instanceof tfc.Tensor || ArrayBuffer.isView(item))) return true;
  if (!x.every((item) => Array.isArray(item))) return false;
  const first = JSON.stringify(nestedShape(x[0]));
  return !x.every((item) => JSON.stringify(nestedShape(item)) === first);
}

function nestedShape(x: unknown): number[] {
  const shape: number[] = [];
  for (let v = x; Array.isArray(v); v = v[0]) shape.push(v.length);
  return shape;
}

function describe(x: unknown): string {
  return x === null || x === undefined ? String(x) : Array.isArray(x) ? 'an empty array' : typeof x === 'object' ? 'a record (pass a list of inputs)' : typeof x;
}

/** The x of a dataset element (or a tensor alone, for predict). */
export function elementX(element: PredictElement, where: string): DataInput {
  return element instanceof tfc.Tensor ? element : elementParts(element as DatasetElement, where, false).x;
}

/** The first element of a sync dataset (undefined when empty), and the dataset to use in its place. */
export function peekDataset<E>(data: Iterable<E>): { first: E | undefined; data: Iterable<E> } {
  if (!runsOnce(data as Iterable<never>)) {
    const it = data[Symbol.iterator]();
    const r = it.next();
    it.return?.();
    return { first: r.done ? undefined : r.value, data };
  }
  const it = data as unknown as Iterator<E>;
  const r = it.next();
  if (r.done) return { first: undefined, data };
  return { first: r.value, data: resumed(r.value, it) };
}

function* resumed<E>(first: E, it: Iterator<E>): Generator<E> {
  let done = false;
  try {
    yield first;
    for (let r = it.next(); !r.done; r = it.next()) yield r.value;
    done = true;
  } finally {
    if (!done) it.return?.();
  }
}

/** As peekDataset, for an async dataset. */
export async function peekDatasetAsync<E>(data: AsyncIterable<E>): Promise<{ first: E | undefined; data: AsyncIterable<E> }> {
  if (!runsOnce(data as AsyncIterable<never>)) {
    const it = data[Symbol.asyncIterator]();
    const r = await it.next();
    await it.return?.();
    return { first: r.done ? undefined : r.value, data };
  }
  const it = data as unknown as AsyncIterator<E>;
  const r = await it.next();
  if (r.done) return { first: undefined, data };
  return { first: r.value, data: resumedAsync(r.value, it) };
}

async function* resumedAsync<E>(first: E, it: AsyncIterator<E>): AsyncGenerator<E> {
  let done = false;
  try {
    yield first;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
    done = true;
  } finally {
    if (!done) await it.return?.();
  }
}
