/**
 * Masks, as Keras has them: a boolean tensor beside a layer's output that says which steps are
 * real (true) and which are padding (false), usually of shape (batch, steps). Embedding({maskZero})
 * and Masking make one; layers that support masking pass it on (or compute a new one); recurrent
 * layers, attention, pooling over time, losses and metrics honour it.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from './errors';

/** A layer input's or output's mask: a boolean (or 0/1) tensor, or null for none. */
export type Mask = tfc.Tensor | null;
/** One mask, or one per input (or output) of a layer with several. */
export type MaskArg = Mask | Mask[];

/** The masks as a list of `n` (null where none). */
export function maskList(mask: MaskArg | undefined, n: number): Mask[] {
  // Plain loops: this runs in every layer call of every step, and Array.from({length}) is V8's slow path.
  const list: Mask[] = new Array<Mask>(n);
  for (let i = 0; i < n; i++) list[i] = Array.isArray(mask) ? (mask[i] ?? null) : i === 0 ? (mask ?? null) : null;
  return list;
}

/** Whether a call was given a mask (one, or any of a list). */
export function hasMask(mask: MaskArg | undefined): boolean {
  return Array.isArray(mask) ? mask.some((m) => m !== null) : mask !== undefined && mask !== null;
}

/** The mask of the first input (what a single-input layer uses). */
export function firstMask(mask: MaskArg | undefined): Mask {
  return Array.isArray(mask) ? (mask[0] ?? null) : (mask ?? null);
}

/**
 * Checks that `mask` fits `x` as a (batch, steps) mask: its shape is x's first `mask.rank` axes.
 * `owner` names the layer in the message.
 */
export function checkMaskShape(owner: string, x: tfc.Tensor, mask: tfc.Tensor, rank = 2): void {
  const ok = mask.rank === rank && mask.shape.every((d, i) => d === x.shape[i]);
  if (!ok) {
    throw new ValueError(
      `${owner}: the mask has shape [${mask.shape}] but the input has shape [${x.shape}]; a mask must be ` +
        `[${x.shape.slice(0, rank)}] (one entry per ${rank === 2 ? 'sample and step' : 'sample'}). ` +
        'help: pass a mask of that shape, or let Embedding({maskZero: true}) or Masking make it.',
    );
  }
}

/** The mask as float32 0/1 values (for arithmetic). */
export function maskAsFloat(mask: tfc.Tensor): tfc.Tensor {
  return mask.dtype === 'float32' ? mask : tfc.cast(mask.dtype === 'bool' ? mask : tfc.notEqual(mask, 0), 'float32');
}

/** The mask as a boolean tensor. */
export function maskAsBool(mask: tfc.Tensor): tfc.Tensor {
  return mask.dtype === 'bool' ? mask : tfc.notEqual(mask, 0);
}

const warned = new WeakSet<object>();

/** Keras warns once when a layer that does not support masking is given a mask: it is dropped there. */
export function warnMaskDropped(layer: { name: string; className: string }): void {
  if (warned.has(layer)) return;
  warned.add(layer);
  process.emitWarning(
    `Layer '${layer.name}' (${layer.className}) was given an input with a mask, but it does not support masking, ` +
      'so the mask stops there: the layers after it see no mask.',
    { code: 'KERAS_TS_MASK_DROPPED' },
  );
}
