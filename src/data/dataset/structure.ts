/**
 * The elements of a k.data.Dataset: a tensor, or a structure of them (a list such as [x, y], or a
 * record such as {xs, ys}), nested as deep as wanted; numbers and strings may stand beside tensors.
 * This file walks structures: the tensors an element holds (to dispose them), stacking elements into
 * a batch and cutting a batch into elements, and host copies (typed arrays) that hold no tensor.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';

/** A value at the end of a structure. */
export type Leaf = tfc.Tensor | number | string | boolean;

/** One element of a dataset: a leaf, or a list or record of elements. */
export type Element = Leaf | Element[] | { [key: string]: Element };

/** A tensor kept on the host: its values, shape and dtype (a class, so a structure walk sees a leaf). */
export class HostTensor {
  constructor(
    readonly values: tfc.TypedArray | string[],
    readonly shape: number[],
    readonly dtype: tfc.DataType,
  ) {}

  /** A fresh tensor of these values, owned by the caller. */
  toTensor(): tfc.Tensor {
    return tfc.tensor(this.values, this.shape, this.dtype);
  }
}

/** Whether `x` is a plain record (an object literal), not a tensor, array or class instance. */
export function isRecord(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x) || x instanceof tfc.Tensor || ArrayBuffer.isView(x)) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** The same structure with `fn` applied to each leaf. */
export function mapLeaves<A, B>(e: unknown, fn: (leaf: A, path: string) => B, path = ''): unknown {
  if (Array.isArray(e)) return e.map((v, i) => mapLeaves(v, fn, `${path}[${i}]`));
  if (isRecord(e)) return Object.fromEntries(Object.entries(e).map(([k, v]) => [k, mapLeaves(v, fn, `${path}.${k}`)]));
  return fn(e as A, path);
}

/** The leaves of a structure, in order. */
export function leavesOf(e: unknown): unknown[] {
  if (Array.isArray(e)) return e.flatMap(leavesOf);
  if (isRecord(e)) return Object.values(e).flatMap(leavesOf);
  return [e];
}

/** The tensors an element holds. */
export function tensorsOf(e: unknown): tfc.Tensor[] {
  return leavesOf(e).filter((v): v is tfc.Tensor => v instanceof tfc.Tensor);
}

/** Disposes the tensors of `e` (those not yet disposed; a tensor may appear twice). */
export function disposeElement(e: unknown): void {
  for (const t of tensorsOf(e)) if (!t.isDisposed) t.dispose();
}

/** Disposes the tensors of `input` that `output` does not hold (what a map consumed). */
export function disposeConsumed(input: unknown, output: unknown): void {
  const kept = new Set(tensorsOf(output).map((t) => t.id));
  for (const t of tensorsOf(input)) if (!kept.has(t.id) && !t.isDisposed) t.dispose();
}

/** One element of the elements' structure, each leaf the stack of theirs (tensors by tfc.stack, numbers as a 1-D tensor). */
export function stackElements(elements: unknown[], where: string): Element {
  const first = elements[0];
  if (Array.isArray(first)) {
    return first.map((_, i) => stackElements(elements.map((e) => item(e, i, first.length, where)), `${where}[${i}]`));
  }
  if (isRecord(first)) {
    const keys = Object.keys(first);
    return Object.fromEntries(keys.map((k) => [k, stackElements(elements.map((e) => field(e, k, keys, where)), `${where}.${k}`)]));
  }
  return stackLeaves(elements, where);
}

function item(e: unknown, i: number, length: number, where: string): unknown {
  if (!Array.isArray(e) || e.length !== length) throw mismatch(where, `a list of ${length}`, e);
  return e[i];
}

function field(e: unknown, key: string, keys: string[], where: string): unknown {
  if (!isRecord(e) || Object.keys(e).length !== keys.length || !(key in e)) throw mismatch(where, `a record of {${keys.join(', ')}}`, e);
  return e[key];
}

function stackLeaves(leaves: unknown[], where: string): tfc.Tensor {
  if (leaves.every((v) => v instanceof tfc.Tensor)) {
    const shape = JSON.stringify((leaves[0] as tfc.Tensor).shape);
    const other = (leaves as tfc.Tensor[]).find((t) => JSON.stringify(t.shape) !== shape);
    if (other !== undefined) {
      throw new ValueError(
        `Dataset.batch: the elements at ${where || 'the top'} have different shapes, ${shape} and [${other.shape}]. ` +
          'help: resize them to one shape in a map() before batch (e.g. k.layers.Resizing), or batch them one by one (batch(1)).',
      );
    }
    return tfc.stack(leaves as tfc.Tensor[]);
  }
  if (leaves.every((v) => typeof v === 'number' || typeof v === 'boolean')) return tfc.tensor1d(leaves as number[]);
  if (leaves.every((v) => typeof v === 'string')) return tfc.tensor1d(leaves as string[], 'string');
  throw mismatch(where, 'tensors, or numbers, alike in every element', leaves.find((v) => !(v instanceof tfc.Tensor)));
}

function mismatch(where: string, expected: string, got: unknown): ValueError {
  return new ValueError(
    `Dataset.batch: the elements differ in structure at ${where || 'the top'}: expected ${expected}, got ${describeValue(got)}. ` +
      'help: make every element the same structure (e.g. always [x, y]) before batch.',
  );
}

/** The elements of a batch: each tensor leaf cut along its first axis (all must have the same first dimension). */
export function unstackElement(batch: unknown, where: string): unknown[] {
  const tensors = tensorsOf(batch);
  if (tensors.length === 0 || tensors.some((t) => t.rank === 0)) {
    throw new ValueError(`${where}: every leaf of a batch must be a tensor of rank 1 or more, got ${describeValue(batch)}. help: unbatch a dataset of batches (e.g. after batch()).`);
  }
  const n = tensors[0].shape[0];
  const other = tensors.find((t) => t.shape[0] !== n);
  if (other !== undefined) throw new ValueError(`${where}: the tensors of a batch have different first dimensions, ${n} and ${other.shape[0]}. help: give every part of a batch the same number of samples.`);
  const cut = new Map(tensors.map((t) => [t.id, tfc.unstack(t)]));
  return Array.from({ length: n }, (_, i) => mapLeaves<unknown, unknown>(batch, (leaf) => (leaf instanceof tfc.Tensor ? cut.get(leaf.id)![i] : leaf)));
}

/** A copy of `e` with each tensor read to the host (the element itself is not disposed). */
export async function toHost(e: unknown): Promise<unknown> {
  const tensors = tensorsOf(e);
  const values = await Promise.all(tensors.map((t) => t.data()));
  const host = new Map(tensors.map((t, i) => [t.id, new HostTensor(values[i] as tfc.TypedArray | string[], t.shape, t.dtype)]));
  return mapLeaves<unknown, unknown>(e, (leaf) => (leaf instanceof tfc.Tensor ? host.get(leaf.id)! : leaf));
}

/** The element of a host copy, with fresh tensors owned by the caller. */
export function fromHost(e: unknown): unknown {
  return mapLeaves<unknown, unknown>(e, (leaf) => (leaf instanceof HostTensor ? leaf.toTensor() : leaf));
}

/** A short description of a value for messages. */
export function describeValue(x: unknown): string {
  if (x instanceof tfc.Tensor) return `a tensor of shape [${x.shape}]`;
  if (Array.isArray(x)) return `a list of ${x.length}`;
  if (isRecord(x)) return `a record {${Object.keys(x).join(', ')}}`;
  return x === undefined ? 'undefined' : JSON.stringify(x)?.slice(0, 60) ?? String(x);
}
