/**
 * An optimizer's variables as Keras saves them, and back:
 *
 *   [iteration, learning_rate (unless a schedule gives it), slots of variable 1, slots of variable 2, ...]
 *
 * `iteration` is Keras's call count (iterations · gradientAccumulationSteps + the calls since the
 * last update). Before the first step there are no slots and only the head is saved (as Keras 3
 * saves an optimizer that was never built). Restoring checks every array first and changes
 * nothing when one does not fit (another optimizer or other variables).
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { OptimizerSlots } from './optimizer_slots';

/** One saved optimizer variable: a name and a row-major array. */
export interface StateArray {
  name: string;
  shape: number[];
  data: Float32Array | Int32Array;
}

/** A variable and the name saving gives it. */
export interface NamedVariable {
  name: string;
  variable: tfc.Variable;
}

/** The counters in the head of the state. */
export interface SavedCounters {
  /** Keras's call count. */
  calls: number;
  /** The learning rate; null where a schedule gives it (or, restored, where the saved one is not a rate). */
  learningRate: number | null;
}

/** The state of an optimizer named `prefix` with these counters and slots, for `variables` in order. */
export function stateArrays(prefix: string, counters: SavedCounters, slots: OptimizerSlots, variables: NamedVariable[]): StateArray[] {
  const state: StateArray[] = [{ name: `${prefix}/iteration`, shape: [], data: Int32Array.of(counters.calls) }];
  if (counters.learningRate !== null) state.push({ name: `${prefix}/learning_rate`, shape: [], data: Float32Array.of(counters.learningRate) });
  if (!variables.some(({ variable }) => slots.has(variable))) return state;
  for (const { name, variable } of variables) {
    // In a tidy scope: slots made here (zeros) must not leave their initial tensors behind.
    for (const [slot, v] of Object.entries(tfc.tidy(() => slots.of(variable)))) {
      state.push({ name: `${prefix}/${name.replace(/\//g, '_')}_${slot}`, shape: [...v.shape], data: Float32Array.from(v.dataSync() as Float32Array) });
    }
  }
  return state;
}

/**
 * Restores the slots of `variables` from what stateArrays returned and gives back its counters;
 * `savesLearningRate` says whether the head holds a learning rate. null, changing nothing, when
 * the arrays do not fit.
 */
export function restoreState(slots: OptimizerSlots, variables: NamedVariable[], state: StateArray[], savesLearningRate: boolean): SavedCounters | null {
  const head = savesLearningRate ? 2 : 1;
  const perVariable = slots.perVariable;
  const full = head + perVariable * variables.length;
  if (state.length !== head && state.length !== full) return null;
  const slotArrays = state.slice(head);
  const fits = slotArrays.every((a, i) => {
    const shape = slots.shapes(variables[Math.floor(i / perVariable)].variable.shape)[i % perVariable];
    return a.shape.length === shape.length && a.shape.every((d, j) => d === shape[j]) && a.data.length === tfc.util.sizeFromShape(shape);
  });
  const calls = Number(state[0].data[0]);
  if (!fits || !Number.isInteger(calls) || calls < 0 || state[0].data.length !== 1) return null;
  if (slotArrays.length > 0) {
    variables.forEach(({ variable }, i) => {
      const own = tfc.tidy(() => slots.of(variable));
      Object.values(own).forEach((slot, j) => {
        const a = slotArrays[i * perVariable + j];
        const t = tfc.tensor(Float32Array.from(a.data), slot.shape, 'float32');
        slot.assign(t);
        t.dispose();
      });
    });
  }
  const lr = head === 2 && state[1].data.length === 1 ? state[1].data[0] : NaN;
  return { calls, learningRate: Number.isFinite(lr) && lr >= 0 ? lr : null };
}
