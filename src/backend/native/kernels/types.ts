/** What every native kernel shares: its arguments, its result (null: not handled natively), small helpers. */
import * as tfc from '@tensorflow/tfjs-core';
import type { NativeBackend } from '../native_backend';

export interface NativeArgs {
  inputs: Record<string, tfc.TensorInfo | undefined>;
  backend: NativeBackend;
  attrs: Record<string, unknown>;
}

/**
 * A native kernel: its output(s), or null where it does not handle these inputs (an unusual dtype
 * or layout); then tfjs-backend-cpu's kernel runs on the same arrays, and backendReport counts it.
 */
export type NativeImpl = (args: NativeArgs) => tfc.TensorInfo | tfc.TensorInfo[] | null;

export const size = (shape: number[]): number => tfc.util.sizeFromShape(shape);

export function stridesOf(shape: number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1] * shape[i + 1];
  return s;
}

/** The input, which tfjs-core always passes for this kernel. */
export function input(args: NativeArgs, name: string): tfc.TensorInfo {
  return args.inputs[name] as tfc.TensorInfo;
}
