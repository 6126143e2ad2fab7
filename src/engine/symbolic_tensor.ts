import type { DataType } from '@tensorflow/tfjs-core';
import type { Node } from './node';

/** A shape whose leading (batch) dimension, or any other, may be unknown. */
export type Shape = Array<number | null>;

let nextId = 0;

/**
 * A placeholder for a tensor in a functional model: it has a shape and a dtype but no values, and
 * remembers the node (layer call) that produces it.
 */
export class SymbolicTensor {
  readonly id = nextId++;

  constructor(
    readonly shape: Shape,
    readonly dtype: DataType,
    /** The layer call that produced this tensor. */
    readonly node: Node,
    /** Which of that call's outputs this is. */
    readonly outputIndex: number,
    readonly name: string,
  ) {}

  get rank(): number {
    return this.shape.length;
  }
}

export function formatShape(shape: Shape): string {
  const dims = shape.map((d) => (d === null ? 'None' : String(d)));
  return `(${dims.join(', ')}${dims.length === 1 ? ',' : ''})`;
}
