/**
 * The element-wise operators of a dataset, each an async generator over its source:
 * map, filter, batch, unbatch, take, skip, repeat.
 *
 * Ownership: an element belongs to whoever holds it. Each operator disposes the tensors of the
 * elements it consumes and does not pass on: map disposes an input's tensors its output does not
 * hold; filter disposes what it drops; batch disposes each element after stacking it (and the
 * remainder it drops); unbatch disposes the batch after cutting it; skip disposes what it skips.
 * An iteration stopped early (break, an error) disposes what the operator holds and closes its source.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';
import { disposeConsumed, disposeElement, stackElements, tensorsOf, unstackElement } from './structure';

/** A map function: a sync function runs inside tidy (its intermediate tensors are freed); an `async` one frees its own. */
export type MapFn<T, U> = (element: T) => U | Promise<U>;

/** A predicate: a boolean, or a scalar bool tensor as tf.data's (a sync predicate runs inside tidy, as map). */
export type Predicate<T> = (element: T) => boolean | tfc.Tensor | Promise<boolean | tfc.Tensor>;

/** fn of each element, up to `parallel` calls running at once, in the source's order. */
export async function* mapGen<T, U>(source: AsyncIterable<T>, fn: MapFn<T, U>, parallel: number): AsyncGenerator<U> {
  const pending: Promise<U>[] = [];
  try {
    for await (const e of source) {
      pending.push(quiet(apply(fn, e)));
      if (pending.length >= parallel) yield await pending.shift()!;
    }
    while (pending.length > 0) yield await pending.shift()!;
  } finally {
    for (const p of pending.splice(0)) disposeElement(await p.catch(() => undefined));
  }
}

/** fn(e), its consumed tensors (and e's, if it throws) disposed. */
async function apply<T, U>(fn: MapFn<T, U>, e: T): Promise<U> {
  try {
    const out = await call(fn, e, 'map');
    disposeConsumed(e, out);
    return out;
  } catch (err) {
    disposeElement(e);
    throw err;
  }
}

/**
 * A sync function runs inside tidy (its intermediate tensors are freed); an `async` function runs
 * as it is. A plain function that returns a Promise ran inside tidy until it returned: a tensor it
 * made before then and resolves with has been freed, which is refused with the fix.
 */
async function call<T, U>(fn: (element: T) => U | Promise<U>, e: T, op: string): Promise<U> {
  if (fn.constructor.name === 'AsyncFunction') return fn(e);
  let promise: Promise<U> | undefined;
  const out = tfc.tidy(() => {
    const r = fn(e);
    if (!(r instanceof Promise)) return r as unknown as tfc.TensorContainer;
    promise = r;
    return undefined as unknown as tfc.TensorContainer;
  });
  if (promise === undefined) return out as unknown as U;
  const value = await promise;
  if (tensorsOf(value).some((t) => t.isDisposed)) {
    throw new ValueError(
      `Dataset.${op}: the function returned a Promise without being declared async, and a tensor it made before returning was freed (it ran inside tidy). ` +
        'help: declare the function `async` (async functions run outside tidy and free their own intermediates).',
    );
  }
  return value;
}

/** The promise, with a rejection handler so an error surfaces where it is awaited, not as unhandled. */
function quiet<V>(p: Promise<V>): Promise<V> {
  p.catch(() => undefined);
  return p;
}

/** The elements for which `pred` holds; the others are disposed. */
export async function* filterGen<T>(source: AsyncIterable<T>, pred: Predicate<T>): AsyncGenerator<T> {
  for await (const e of source) {
    let keep: boolean;
    try {
      keep = truth(await call(pred, e, 'filter'));
    } catch (err) {
      disposeElement(e);
      throw err;
    }
    if (keep) yield e;
    else disposeElement(e);
  }
}

function truth(v: boolean | tfc.Tensor): boolean {
  if (typeof v === 'boolean') return v;
  if (v instanceof tfc.Tensor && v.size === 1) {
    const value = v.dataSync()[0];
    v.dispose();
    return value !== 0;
  }
  throw new ValueError(`Dataset.filter: the predicate returned ${v instanceof tfc.Tensor ? `a tensor of shape [${v.shape}]` : String(v)}, not a boolean. help: return true or false (or a scalar bool tensor).`);
}

/** Runs of `size` elements stacked into one; the last, shorter run kept unless `dropRemainder`. */
export async function* batchGen<T>(source: AsyncIterable<T>, size: number, dropRemainder: boolean): AsyncGenerator<unknown> {
  let run: T[] = [];
  try {
    for await (const e of source) {
      run.push(e);
      if (run.length === size) yield stacked(run.splice(0));
    }
    if (run.length > 0 && !dropRemainder) yield stacked(run.splice(0));
  } finally {
    run.forEach(disposeElement);
    run = [];
  }
}

function stacked(elements: unknown[]): unknown {
  try {
    return stackElements(elements, '');
  } finally {
    elements.forEach(disposeElement);
  }
}

/** Each batch cut into its elements along the first axis; the batch is disposed. */
export async function* unbatchGen(source: AsyncIterable<unknown>): AsyncGenerator<unknown> {
  for await (const b of source) {
    let parts: unknown[];
    try {
      parts = unstackElement(b, 'Dataset.unbatch');
    } finally {
      disposeElement(b);
    }
    try {
      while (parts.length > 0) yield parts.shift();
    } finally {
      parts.forEach(disposeElement);
    }
  }
}

/** The first `count` elements (all for a negative count). */
export async function* takeGen<T>(source: AsyncIterable<T>, count: number): AsyncGenerator<T> {
  if (count === 0) return;
  let taken = 0;
  for await (const e of source) {
    yield e;
    if (++taken === count) return;
  }
}

/** The elements after the first `count` (none for a negative count), which are disposed. */
export async function* skipGen<T>(source: AsyncIterable<T>, count: number): AsyncGenerator<T> {
  let seen = 0;
  for await (const e of source) {
    if (count < 0 || seen++ < count) disposeElement(e);
    else yield e;
  }
}

/** The source iterated afresh `count` times (forever when undefined); an empty source ends at once. */
export async function* repeatGen<T>(source: AsyncIterable<T>, count: number | undefined): AsyncGenerator<T> {
  for (let r = 0; count === undefined || r < count; r++) {
    let any = false;
    for await (const e of source) {
      any = true;
      yield e;
    }
    if (!any) return;
  }
}
