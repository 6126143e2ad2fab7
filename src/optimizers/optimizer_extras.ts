/**
 * Keras 3's extras of the base optimizer, each one step's bookkeeping around the update:
 *
 *   unscaled(grads, factor)        lossScaleFactor: fit scaled the loss, so divide the gradients back
 *   clipped(grads, options)        clipnorm, globalClipnorm or clipvalue: the gradients clipped
 *   accumulateGradients(...)       gradientAccumulationSteps: add each call's gradients to the
 *                                  accumulator slots; the updating call gets their mean
 *   updateAverages(...)            useEma: the moving averages after the call's update, and the
 *                                  overwrite of the variables every emaOverwriteFrequency steps
 *
 * Each runs inside the step's tidy scope; `constant` is the step's scalar cache.
 */
import * as tfc from '@tensorflow/tfjs-core';

type Slots = Array<Record<string, tfc.Variable>>;
type Constant = (value: number) => tfc.Scalar;

/** The EMA options and the step count updateAverages reads. */
export interface EmaState {
  readonly iterations: number;
  readonly emaMomentum: number;
  readonly emaOverwriteFrequency: number | undefined;
}

/** The gradients divided by the loss scale factor. */
export function unscaled(grads: tfc.Tensor[], factor: number, constant: Constant): tfc.Tensor[] {
  return grads.map((g) => tfc.div(g, constant(factor)));
}

/** The clipping options clipped() reads (at most one is set). */
export interface ClipOptions {
  readonly clipnorm?: number;
  readonly globalClipnorm?: number;
  readonly clipvalue?: number;
}

/** Each gradient scaled to norm at most clipnorm, all scaled to a global norm at most globalClipnorm, or each clipped to ±clipvalue; else as given. */
export function clipped(grads: tfc.Tensor[], { clipnorm, globalClipnorm, clipvalue }: ClipOptions): tfc.Tensor[] {
  if (clipnorm !== undefined) return grads.map((g) => tfc.mul(g, tfc.div(clipnorm, tfc.maximum(tfc.norm(g), clipnorm))));
  if (globalClipnorm !== undefined) {
    const global = tfc.sqrt(tfc.addN(grads.map((g) => tfc.sum(tfc.square(g)))));
    const scale = tfc.div(globalClipnorm, tfc.maximum(global, globalClipnorm));
    return grads.map((g) => tfc.mul(g, scale));
  }
  if (clipvalue !== undefined) return grads.map((g) => tfc.clipByValue(g, -clipvalue, clipvalue));
  return grads;
}

/** Adds this call's gradients to the accumulators; on an updating call returns their mean and empties them (Keras's order). */
export function accumulateGradients(grads: tfc.Tensor[], slots: Slots, updates: boolean, steps: tfc.Scalar): tfc.Tensor[] {
  const sums = grads.map((g, i) => tfc.add(g, slots[i].gradientAccumulator));
  if (!updates) {
    sums.forEach((sum, i) => slots[i].gradientAccumulator.assign(sum));
    return grads;
  }
  slots.forEach((s) => s.gradientAccumulator.assign(tfc.zerosLike(s.gradientAccumulator)));
  return sums.map((sum) => tfc.div(sum, steps));
}

/**
 * Keras's moving averages, after the call's update (on every call, as Keras): the first call
 * copies the variables; then average ← m·average + (1 - m)·variable. Every emaOverwriteFrequency
 * updates the variables take their averages.
 */
export function updateAverages(ema: EmaState, variables: tfc.Variable[], slots: Slots, constant: Constant): void {
  const m = ema.iterations === 0 ? 0 : ema.emaMomentum;
  variables.forEach((v, i) => slots[i].average.assign(tfc.add(tfc.mul(slots[i].average, constant(m)), tfc.mul(v, constant(1 - m)))));
  if (ema.emaOverwriteFrequency !== undefined && (ema.iterations + 1) % ema.emaOverwriteFrequency === 0) {
    variables.forEach((v, i) => v.assign(slots[i].average));
  }
}
