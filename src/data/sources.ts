/**
 * What fit, evaluate and predict accept besides arrays: a dataset, i.e. an iterable or async
 * iterable of batch elements (an array of elements, a generator, an async generator, an object
 * whose [Symbol.iterator]() starts afresh, a k.data pipeline). This file says what an element is
 * and how its parts are read; adapter.ts turns a whole source into batches.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import type { DataInput } from './convert';
import type { Dataset as Pipeline } from './dataset';

/**
 * An element of a dataset: `{xs, ys, sampleWeight?}` or `[x, y]` / `[x, y, sampleWeight]`. For
 * predict an element may also be x alone (a tensor, a typed array, or a record by input name), or `[x]`.
 */
export type DatasetElement =
  | { xs: DataInput; ys?: DataInput; sampleWeight?: DataInput }
  | [DataInput]
  | [DataInput, DataInput]
  | [DataInput, DataInput, DataInput];

/** What predict takes from a dataset: an element as fit takes it (labels ignored), or x alone as a tensor. */
export type PredictElement = DatasetElement | tfc.Tensor;

/**
 * Anything fit can iterate for batches: a generator, an async generator, an iterable that restarts,
 * a k.data.Dataset of any element type (its elements are checked as they come).
 */
export type Dataset = Iterable<DatasetElement> | AsyncIterable<DatasetElement> | Pipeline<unknown>;

/** The parts of one element (or of whole arrays): inputs, and labels and weights where given. */
export interface DataParts {
  x: DataInput;
  y?: DataInput;
  sampleWeight?: DataInput;
}

/** Whether `x` looks like a dataset rather than array data (a generator, async iterable, or other non-array iterable). */
export function isDataset(x: unknown): x is Dataset {
  if (typeof x !== 'object' || x === null || x instanceof tfc.Tensor || ArrayBuffer.isView(x)) return false;
  if (Symbol.asyncIterator in x) return true;
  if (Array.isArray(x)) return false; // nested number arrays are data; a list of batches is passed as a generator
  return Symbol.iterator in x;
}

/** Whether a dataset can only be iterated once: it is itself an iterator (a generator object is one). */
export function runsOnce(d: Dataset): boolean {
  return typeof (d as { next?: unknown }).next === 'function';
}

/** Refuses a generator function passed uncalled: the data is what it returns. */
export function checkNotFunction(x: unknown, where: string): void {
  if (typeof x !== 'function') return;
  const name = x.name === '' ? 'gen' : x.name;
  throw new ValueError(
    `${where}: x is a function (${name}), not data; a generator function must be called to give its batches. ` +
      `help: call it: ${where}(${name}(), ...).`,
  );
}

/** The parts of a dataset element; `needY` refuses an element without labels (fit, evaluate). */
export function elementParts(element: DatasetElement, where: string, needY: boolean): DataParts {
  let parts: DataParts;
  if (Array.isArray(element)) {
    const [x, y, sampleWeight] = element;
    parts = { x, y, sampleWeight };
  } else if (isXsRecord(element)) {
    parts = { x: element.xs, y: element.ys, sampleWeight: element.sampleWeight };
  } else {
    parts = { x: element as DataInput };
  }
  if (parts.x === undefined || (needY && parts.y === undefined)) {
    throw new ValueError(
      `${where}: each dataset element must be {xs, ys, sampleWeight?} or [x, y, sampleWeight?], got ${describeElement(element)}. ` +
        'help: yield e.g. {xs: batchX, ys: batchY}.',
    );
  }
  return parts;
}

function isXsRecord(e: unknown): e is { xs: DataInput; ys?: DataInput; sampleWeight?: DataInput } {
  return typeof e === 'object' && e !== null && !(e instanceof tfc.Tensor) && !ArrayBuffer.isView(e) && 'xs' in e;
}

function describeElement(e: unknown): string {
  if (e instanceof tfc.Tensor) return `a tensor of shape [${e.shape}]`;
  return JSON.stringify(e)?.slice(0, 80) ?? String(e);
}

/** A short name of what was given, for messages: 'a Generator', 'an Array', 'undefined'. */
export function describe(x: unknown): string {
  if (x === null || x === undefined) return String(x);
  const tag = typeof x === 'object' ? Object.prototype.toString.call(x).slice(8, -1) : typeof x; // 'Generator', 'AsyncGenerator', 'Array'
  const name = tag === 'Object' ? x.constructor?.name || 'Object' : tag;
  return /^[AEIOU]/.test(name) ? `an ${name}` : `a ${name}`;
}
