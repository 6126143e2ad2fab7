/**
 * Numbers as users hold them, made into what a tensor is built from, once:
 *
 *   toFloat32(values, label) -> Float32Array       any typed array (Float64, Int16, Uint8, BigInt64...)
 *   plainNested(array, label) -> tfc.TensorLike    nested arrays whose rows are such typed arrays
 *
 * tfjs-core builds tensors only from Float32Array, Int32Array and Uint8Array (and refuses the rest
 * with a raw error). A model computes in float32 and fit casts every x and y to float32, so each
 * typed array becomes one Float32Array here and no tensor is cast afterwards. A BigInt64Array or
 * BigUint64Array is converted when every value is a safe integer (|v| <= 2^53 - 1, as Number holds
 * it exactly); otherwise it is refused, naming the array, its type, the first unsafe value and the fix.
 */
import type * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';

/** Every typed array fit, evaluate and predict take (one sample after another, row-major). */
export type TypedArray =
  | Float32Array
  | Float64Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint32Array
  | Uint16Array
  | Uint8Array
  | Uint8ClampedArray
  | BigInt64Array
  | BigUint64Array;

/** A nested array of numbers whose innermost rows may be typed arrays (e.g. one Float64Array per sample). */
export type NestedArray = ReadonlyArray<number | TypedArray | NestedArray>;

/** The values of `values` as float32, copied once (a Float32Array is used as it is). */
export function toFloat32(values: ArrayBufferView, label: string): Float32Array {
  if (values instanceof Float32Array) return values;
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) return fromBigInts(values, label);
  if (values instanceof DataView || !isNumberArray(values)) {
    throw new ValueError(
      `${label}: a ${values.constructor.name} is not an array of numbers. ` +
        'help: pass a typed array over its bytes, e.g. new Float32Array(view.buffer), or a nested array of numbers.',
    );
  }
  return new Float32Array(values);
}

/** `array` with every typed-array leaf that tfjs-core cannot read made a Float32Array; the array itself (no copy) when it has none. */
export function plainNested(array: NestedArray, label: string): tfc.TensorLike {
  if (!hasForeignRows(array)) return array as tfc.TensorLike;
  return array.map((v) => (ArrayBuffer.isView(v) ? toFloat32(v, label) : Array.isArray(v) ? plainNested(v, label) : v)) as tfc.TensorLike;
}

/** Whether some row of `array` is a typed array tfjs-core cannot read; a level of plain values is not looked through. */
function hasForeignRows(array: NestedArray): boolean {
  if (array.length === 0 || (!Array.isArray(array[0]) && !ArrayBuffer.isView(array[0]))) return false;
  return array.some((v) => (ArrayBuffer.isView(v) ? !isTfjsArray(v) : Array.isArray(v) && hasForeignRows(v)));
}

/** The typed arrays tfjs-core builds tensors from as they are. */
function isTfjsArray(v: ArrayBufferView): boolean {
  return v instanceof Float32Array || v instanceof Int32Array || v instanceof Uint8Array || v instanceof Uint8ClampedArray;
}

function fromBigInts(values: BigInt64Array | BigUint64Array, label: string): Float32Array {
  const max = BigInt(Number.MAX_SAFE_INTEGER);
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v > max || v < -max) {
      throw new ValueError(
        `${label}: a ${values.constructor.name} holds ${v} at index ${i}, beyond Number.MAX_SAFE_INTEGER, which a number cannot hold exactly. ` +
          `help: convert it yourself if rounding is acceptable: Float32Array.from(big, Number), or pass values within ±${Number.MAX_SAFE_INTEGER}.`,
      );
    }
    out[i] = Number(v);
  }
  return out;
}

type NumberArray = Exclude<TypedArray, BigInt64Array | BigUint64Array>;

function isNumberArray(v: ArrayBufferView): v is NumberArray {
  return (
    v instanceof Float64Array || v instanceof Int32Array || v instanceof Int16Array || v instanceof Int8Array ||
    v instanceof Uint32Array || v instanceof Uint16Array || v instanceof Uint8Array || v instanceof Uint8ClampedArray
  );
}
