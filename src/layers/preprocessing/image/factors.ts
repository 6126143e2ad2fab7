/** Checking Keras's `factor` and `value_range` arguments of the image layers, with the fix in each error; value-range mapping. */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../../engine/errors';

/** A factor as Keras takes it: one number f (the range [max(-|f|, lo), |f|]) or [lower, upper]. */
export type Factor = number | [number, number];

/**
 * The [lower, upper] range of a factor whose values must lie in [lo, hi] (`openLow`: (lo, hi]), as
 * Keras's `_set_factor`: a number f gives [max(-|f|, lo), |f|], a pair is sorted.
 */
export function factorRange(factor: Factor | undefined, bounds: [number, number], field: string, owner: string, openLow = false): [number, number] {
  const [lo, hi] = bounds;
  const inside = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && (openLow ? v > lo : v >= lo) && v <= hi;
  const ok = Array.isArray(factor) ? factor.length === 2 && factor.every(inside) : inside(factor);
  if (!ok) {
    throw new ValueError(
      `${owner}: \`${field}\` must be a number or two numbers in ${openLow ? '(' : '['}${lo}, ${hi}], got ${JSON.stringify(factor)}. help: e.g. {${field}: ${hi > 0.2 ? 0.2 : hi}}.`,
    );
  }
  if (Array.isArray(factor)) return factor[0] <= factor[1] ? [factor[0], factor[1]] : [factor[1], factor[0]];
  const f = Math.abs(factor as number);
  return [Math.max(-f, lo), f];
}

/** A value range [low, high] (sorted), as Keras's `value_range`. */
export function valueRangeOf(range: [number, number] | undefined, owner: string): [number, number] {
  const r = range ?? [0, 255];
  if (!Array.isArray(r) || r.length !== 2 || !r.every(Number.isFinite)) {
    throw new ValueError(`${owner}: \`valueRange\` must be two numbers [low, high], got ${JSON.stringify(range)}. help: e.g. {valueRange: [0, 255]} or [0, 1].`);
  }
  return r[0] <= r[1] ? [r[0], r[1]] : [r[1], r[0]];
}

/** Keras's `_transform_value_range`: `x` mapped linearly from the range `from` to the range `to`. */
export function mapRange(x: tfc.Tensor, from: [number, number], to: [number, number]): tfc.Tensor {
  if (from[0] === to[0] && from[1] === to[1]) return x;
  return tfc.add(tfc.mul(tfc.sub(x, from[0]), (to[1] - to[0]) / (from[1] - from[0])), to[0]);
}
