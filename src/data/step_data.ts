/**
 * One batch as a step sees it: Keras's `data` of `train_step(data)`, with x, y and sample weights
 * in the model's structure (a plain tensor for a single input or output, a list for several).
 * The adapters yield Batches; the loop hands `batch.data` to the model's step and then disposes it.
 */
import * as tfc from '@tensorflow/tfjs-core';

/** One batch, as a step sees it: a tensor per input and output (a plain tensor for a single one). */
export interface StepData {
  x: tfc.Tensor | tfc.Tensor[];
  y: tfc.Tensor | tfc.Tensor[];
  sampleWeight?: tfc.Tensor | tfc.Tensor[];
}

/** A batch and the tensors to free once its step is done (those made for it, and a dataset's own). */
export interface Batch {
  readonly data: StepData;
  dispose(): void;
}

/** Tensors for the model's inputs and outputs (y absent for predict); `owned` are those made by the conversion. */
export interface PreparedData {
  xs: tfc.Tensor[];
  ys: tfc.Tensor[];
  /** One weight per sample, per output, when sample or class weights were given. */
  sw?: tfc.Tensor[];
  owned: tfc.Tensor[];
}

/** `t` as a list: the form the graph and the losses take. */
export function asList(t: tfc.Tensor | tfc.Tensor[]): tfc.Tensor[] {
  return Array.isArray(t) ? t : [t];
}

/** A list as the step's structure: one tensor alone, several as a list. */
export function structured(list: tfc.Tensor[]): tfc.Tensor | tfc.Tensor[] {
  return list.length === 1 ? list[0] : list;
}

/** StepData of lists of tensors. */
export function stepDataOf(xs: tfc.Tensor[], ys: tfc.Tensor[], sw?: tfc.Tensor[]): StepData {
  return { x: structured(xs), y: structured(ys), ...(sw === undefined ? {} : { sampleWeight: structured(sw) }) };
}

/** The same structure with `fn` applied to every tensor (the data-parallel run cuts each batch this way). */
export function mapStepData(data: StepData, fn: (t: tfc.Tensor) => tfc.Tensor): StepData {
  const map = (t: tfc.Tensor | tfc.Tensor[]): tfc.Tensor | tfc.Tensor[] => (Array.isArray(t) ? t.map(fn) : fn(t));
  return { x: map(data.x), y: map(data.y), ...(data.sampleWeight === undefined ? {} : { sampleWeight: map(data.sampleWeight) }) };
}

/** Every tensor of a batch's data. */
export function stepTensors(data: StepData): tfc.Tensor[] {
  return [...asList(data.x), ...asList(data.y), ...(data.sampleWeight === undefined ? [] : asList(data.sampleWeight))];
}
