/**
 * Checks on the values of the data a model is given, made once per fit or evaluate on the whole
 * arrays (never per batch): numbers only, and finite ones. Each refusal names the array, the first
 * bad sample and the fix.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';

/** Refuses string (or complex) data, as a JavaScript user gets from a CSV file read as text. */
export function checkNumeric(t: tfc.Tensor, label: string, where: string): void {
  if (t.dtype !== 'string' && t.dtype !== 'complex64') return;
  if (t.dtype === 'complex64') {
    throw new ValueError(`${where}: ${label} is complex64 data, which a model cannot take. help: pass real numbers (float32 or int32).`);
  }
  const values = t.dataSync() as unknown as Array<string | Uint8Array>;
  const raw = values.length > 0 ? values[0] : '';
  const first = typeof raw === 'string' ? raw : tfc.util.decodeString(raw);
  const numeric = first.trim() !== '' && Number.isFinite(Number(first));
  const fix = label.startsWith('y')
    ? numeric
      ? 'help: convert the labels to numbers first, e.g. y.map(Number).'
      : 'help: labels must be numbers: map each class name to an index (0, 1, ...) first, e.g. with a StringLookup or a Map.'
    : 'help: convert the values to numbers first, e.g. rows.map((row) => row.map(Number)).';
  throw new ValueError(`${where}: ${label} holds strings (the first is ${JSON.stringify(first)} at ${label}${position(t.shape, 0)}), not numbers. ${fix}`);
}

/** Refuses NaN and ±Infinity, naming the first sample that has one. */
export function checkFinite(t: tfc.Tensor, label: string, where: string): void {
  if (t.dtype !== 'float32') return; // int32 and bool cannot hold NaN
  const values = t.dataSync() as Float32Array;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v - v === 0) continue; // finite; NaN - NaN and Inf - Inf are NaN
    const sample = t.rank === 0 ? 0 : Math.floor(i / (values.length / t.shape[0]));
    throw new ValueError(
      `${where}: ${label} contains ${String(v)} at ${label}${position(t.shape, i)} (sample ${sample}); the model cannot learn from it. ` +
        'help: remove those samples or replace the missing values (e.g. by 0 or the column mean) before training.',
    );
  }
}

/** `[i][j]...` for the flat index `flat` of a tensor of `shape`. */
function position(shape: number[], flat: number): string {
  const idx: number[] = [];
  let rest = flat;
  for (let d = shape.length - 1; d >= 0; d--) {
    idx.unshift(rest % shape[d]);
    rest = Math.floor(rest / shape[d]);
  }
  return idx.map((i) => `[${i}]`).join('');
}
