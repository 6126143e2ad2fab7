/**
 * Keras's `pad_sequences`: a list of number sequences of any lengths to one [n, maxlen] tensor.
 * Sequences longer than `maxlen` lose values at the start ('pre') or end ('post'), shorter ones get
 * `value` before ('pre') or after ('post'). Values are cast to `dtype` as NumPy casts (int32
 * truncates toward zero). The caller owns the result. Sequences of numbers only (Keras also takes
 * sequences of equal-shape arrays and strings).
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ensureRegistered } from '../backend/backend';
import { ValueError } from '../engine/errors';

/** Options of padSequences. */
export interface PadSequencesOptions {
  /** Keras: `maxlen`. The length of every output row. @default the longest sequence's length */
  maxlen?: number;
  /** Keras: `dtype`. The result's dtype. @default 'int32' */
  dtype?: 'int32' | 'float32';
  /** Keras: `padding`. Where the padding goes: before ('pre') or after ('post') the values. @default 'pre' */
  padding?: 'pre' | 'post';
  /** Keras: `truncating`. Which values a long sequence loses: its first ('pre') or last ('post'). @default 'pre' */
  truncating?: 'pre' | 'post';
  /** Keras: `value`. The padding value. @default 0 */
  value?: number;
}

/** The sequences as one [n, maxlen] tensor, padded and truncated as Keras's pad_sequences. */
export function padSequences(sequences: ArrayLike<ArrayLike<number>>, options: PadSequencesOptions = {}): tfc.Tensor2D {
  const { padding = 'pre', truncating = 'pre', value = 0, dtype = 'int32' } = options;
  if (sequences === null || typeof sequences !== 'object' || typeof sequences.length !== 'number') {
    throw new ValueError(`padSequences: sequences must be an array of sequences, got ${String(sequences)}. help: pass e.g. [[1], [2, 3]].`);
  }
  for (const [name, v] of [['padding', padding], ['truncating', truncating]] as const) {
    if (v !== 'pre' && v !== 'post') throw new ValueError(`padSequences: ${name} must be 'pre' or 'post', got ${JSON.stringify(v)}. help: pass ${name}: 'post'.`);
  }
  if (dtype !== 'int32' && dtype !== 'float32') throw new ValueError(`padSequences: dtype must be 'int32' or 'float32', got ${JSON.stringify(dtype)}. help: pass dtype: 'float32' to keep fractions.`);
  const rows = Array.from(sequences, (s, i) => checkedSequence(s, i));
  const maxlen = options.maxlen ?? rows.reduce((m, s) => Math.max(m, s.length), 0);
  if (!(Number.isInteger(maxlen) && maxlen >= 0)) throw new ValueError(`padSequences: maxlen must be a non-negative integer, got ${maxlen}. help: pass e.g. maxlen: 100.`);
  const out = dtype === 'int32' ? new Int32Array(rows.length * maxlen) : new Float32Array(rows.length * maxlen);
  out.fill(value);
  rows.forEach((s, i) => {
    const kept = truncating === 'pre' ? s.slice(Math.max(0, s.length - maxlen)) : s.slice(0, maxlen);
    const start = i * maxlen + (padding === 'pre' ? maxlen - kept.length : 0);
    for (let j = 0; j < kept.length; j++) out[start + j] = kept[j];
  });
  ensureRegistered(); // the first keras-ts call of a program may be this one: it makes a tensor
  return tfc.tensor2d(out, [rows.length, maxlen], dtype);
}

function checkedSequence(s: ArrayLike<number>, i: number): number[] {
  if (s === null || typeof s !== 'object' || typeof s.length !== 'number') {
    throw new ValueError(`padSequences: sequence ${i} is ${JSON.stringify(s)}, not a sequence. help: pass one array of numbers per sample.`);
  }
  const values = Array.from(s);
  const bad = values.findIndex((v) => typeof v !== 'number');
  if (bad >= 0) throw new ValueError(`padSequences: sequence ${i} holds ${JSON.stringify(values[bad])} at ${bad}, not a number. help: pass sequences of numbers (token ids).`);
  return values;
}
