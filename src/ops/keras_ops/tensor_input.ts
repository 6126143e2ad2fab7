/**
 * What every k.ops function shares: the inputs it accepts (a tensor, a number or a nested array,
 * as Keras's ops accept anything `convert_to_tensor` does), the one `run` that registers the
 * backend and keeps each op inside a tidy (so converted inputs and intermediates never leak; the
 * returned tensor belongs to the caller, nothing given is disposed), and axis normalization.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ensureRegistered } from '../../backend/backend';
import { ValueError } from '../../engine/errors';

/** A tensor, or anything tfjs-core turns into one (a number, a nested array, a typed array). */
export type TensorInput = tfc.Tensor | tfc.TensorLike;

/** An axis, several, or null for all of them (Keras's `axis=None`). */
export type Axis = number | number[] | null;

/** `x` as a tensor: itself when it is one, else a new tensor (float32 unless `x` holds booleans). */
export function toTensor(x: TensorInput, dtype?: tfc.DataType): tfc.Tensor {
  if (x instanceof tfc.Tensor) return dtype === undefined || x.dtype === dtype ? x : tfc.cast(x, dtype);
  return tfc.tensor(x as tfc.TensorLike, undefined, dtype);
}

/** Runs `f` inside one tidy after making sure a backend is registered. */
export function run<T extends tfc.Tensor | tfc.Tensor[]>(f: () => T): T {
  ensureRegistered();
  return tfc.tidy(f);
}

/** `axis` made non-negative for a tensor of rank `rank`; refuses one outside [-rank, rank). */
export function normAxis(op: string, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) {
    throw new ValueError(`ops.${op}: axis ${axis} is out of range for a tensor of rank ${rank}. help: pass an axis in [${-rank}, ${rank - 1}].`);
  }
  return a;
}

/** `axis` as a list of non-negative axes, or undefined for all (null). */
export function normAxes(op: string, axis: Axis, rank: number): number[] | undefined {
  if (axis === null) return undefined;
  return (Array.isArray(axis) ? axis : [axis]).map((a) => normAxis(op, a, rank));
}
