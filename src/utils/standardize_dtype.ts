/**
 * Keras's `keras.utils.standardize_dtype`: a dtype given as a name, a JavaScript type (Boolean,
 * Number, String) or a tensor-like with a `dtype`, as Keras's canonical name ('float32', 'int32').
 * undefined/null is the default float, 'float32'. JavaScript numbers map to 'float32' and 'int' to
 * 'int32', as on Keras's non-TensorFlow backends. An unknown name is refused.
 */
import { ValueError } from '../engine/errors';

const ALLOWED = new Set([
  'float16', 'float32', 'float64', 'uint8', 'uint16', 'uint32', 'uint64', 'int8', 'int16', 'int32', 'int64',
  'bfloat16', 'bool', 'string', 'float8_e4m3fn', 'float8_e5m2', 'complex64', 'complex128',
]);

const ALIASES = new Map<unknown, string>([[Boolean, 'bool'], [Number, 'float32'], [String, 'string'], ['int', 'int32'], ['float', 'float32'], ['str', 'string'], ['complex', 'complex64']]);

export function standardizeDtype(dtype?: unknown): string {
  if (dtype === undefined || dtype === null) return 'float32';
  let name = ALIASES.get(dtype) ?? dtype;
  if (typeof name === 'object' && typeof (name as { dtype?: unknown }).dtype === 'string') name = (name as { dtype: string }).dtype;
  if (typeof name !== 'string' || !ALLOWED.has(name)) {
    throw new ValueError(`standardizeDtype: invalid dtype ${typeof name === 'string' ? `'${name}'` : String(name)}. help: use one of ${[...ALLOWED].join(', ')}.`);
  }
  return name;
}
