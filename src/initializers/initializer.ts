import * as tfc from '@tensorflow/tfjs-core';
import { checkClassOptions } from '../engine/options';

export type Shape = number[];

/** Creates a weight's initial value. The returned tensor belongs to the caller. */
export abstract class Initializer {
  static readonly optionKeys: readonly string[] = [];
  abstract readonly className: string;

  /** Checks the options against the class's `static optionKeys`; `given` is the user's object when a subclass rewrites it. */
  constructor(args?: unknown, given: unknown = args) {
    checkClassOptions(new.target, new.target.name, given);
  }

  abstract call(shape: Shape, dtype: tfc.DataType): tfc.Tensor;
  getConfig(): Record<string, unknown> {
    return {};
  }
}

/** Fan-in and fan-out of a kernel: [in, out] for Dense, [..receptive, in, out] for convolutions. */
export function computeFans(shape: Shape): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0], fanOut: shape[0] };
  if (shape.length === 2) return { fanIn: shape[0], fanOut: shape[1] };
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[shape.length - 2] * receptive, fanOut: shape[shape.length - 1] * receptive };
}
