/**
 * What k.datasets returns: a typed array of the values, row-major, with Keras's shape attached
 * (`xTrain.shape` is `[60000, 28, 28]`): it indexes like any typed array and fit, evaluate and
 * predict take it as it is. And the dtypes of NumPy's arrays as JavaScript typed arrays
 * (`typedArrayOf`), read from little-endian bytes.
 */
import { FileFormatError } from '../engine/errors';
import type { TypedArray } from '../data/typed_arrays';

/** A typed array with the shape of the NumPy array it holds. */
export type ShapedArray<T extends TypedArray = TypedArray> = T & { readonly shape: readonly number[] };

/** Keras's `(x_train, y_train), (x_test, y_test)`. */
export type LoadDataResult<X, Y> = [[X, Y], [X, Y]];

/** `data` with `shape` attached (no copy). */
export function shaped<T extends TypedArray>(data: T, shape: readonly number[]): ShapedArray<T> {
  return Object.defineProperty(data, 'shape', { value: Object.freeze([...shape]), enumerable: false }) as ShapedArray<T>;
}

const TYPES: Record<string, { ctor: new (b: ArrayBuffer) => TypedArray; size: number }> = {
  u1: { ctor: Uint8Array, size: 1 },
  i1: { ctor: Int8Array, size: 1 },
  b1: { ctor: Uint8Array, size: 1 },
  u2: { ctor: Uint16Array, size: 2 },
  i2: { ctor: Int16Array, size: 2 },
  u4: { ctor: Uint32Array, size: 4 },
  i4: { ctor: Int32Array, size: 4 },
  u8: { ctor: BigUint64Array, size: 8 },
  i8: { ctor: BigInt64Array, size: 8 },
  f4: { ctor: Float32Array, size: 4 },
  f8: { ctor: Float64Array, size: 8 },
};

/**
 * The values of a NumPy dtype `descr` ('<f8', '|u1', 'u1' ...) over `bytes`, copied into an
 * aligned buffer unless they are single bytes. Big-endian and other dtypes are refused.
 */
export function typedArrayOf(bytes: Uint8Array, { descr, count }: { descr: string; count: number }, what: string): TypedArray {
  const order = '<|='.includes(descr[0]) ? descr[0] : '>'.includes(descr[0]) ? '>' : '';
  const code = order === '' ? descr : descr.slice(1);
  const type = TYPES[code];
  if (type === undefined || order === '>') {
    throw new FileFormatError(`${what}: NumPy dtype '${descr}' is not one keras-ts reads (little-endian ints, uints, floats and bools). help: the file is not a Keras dataset file, or is corrupt.`);
  }
  const size = count * type.size;
  if (bytes.length < size) throw new FileFormatError(`${what}: ${count} values of '${descr}' need ${size} bytes, the data has ${bytes.length}. help: the file is truncated.`);
  if (code === 'i1') return new Int8Array(bytes.buffer, bytes.byteOffset, size);
  if (type.size === 1) return bytes.subarray(0, size);
  const copy = new Uint8Array(size);
  copy.set(bytes.subarray(0, size));
  return new type.ctor(copy.buffer);
}

/** Integers as an Int32Array (labels: Keras's int64 arrays), refusing values past int32. */
export function toInt32(values: TypedArray | number[], what: string): Int32Array {
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = Number(values[i]);
    if (!Number.isInteger(v) || v > 2147483647 || v < -2147483648) throw new FileFormatError(`${what}: label ${String(values[i])} at ${i} is not an int32. help: the file is corrupt.`);
    out[i] = v;
  }
  return out;
}
