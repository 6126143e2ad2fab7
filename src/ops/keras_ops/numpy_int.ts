/**
 * Keras 3's integer ops on int32 tensors (tfjs-core has no uint8 or int64 dtype; inputs are cast to
 * int32, so uint8 wrap-around and 64-bit values are not reproduced): bitwiseAnd / Or / Xor / Not
 * (bitwiseInvert), left / right shifts (bitwiseLeftShift, leftShift, bitwiseRightShift, rightShift:
 * arithmetic, as NumPy's on signed integers), gcd and lcm. Computed on the host with JavaScript's
 * 32-bit integer operators; results are int32 and have no gradient (integers).
 */
import * as tfc from '@tensorflow/tfjs-core';
import { run, toTensor, type TensorInput } from './tensor_input';

function binary(f: (a: number, b: number) => number) {
  return (x: TensorInput, y: TensorInput): tfc.Tensor => run(() => {
    const [a, b] = [tfc.cast(toTensor(x), 'int32'), tfc.cast(toTensor(y), 'int32')];
    const shape = tfc.add(a, b).shape;
    const [av, bv] = [tfc.broadcastTo(a, shape).dataSync(), tfc.broadcastTo(b, shape).dataSync()];
    return tfc.tensor(Int32Array.from(av, (v, i) => f(v, bv[i])), shape, 'int32');
  });
}

export const bitwiseAnd = binary((a, b) => a & b);
export const bitwiseOr = binary((a, b) => a | b);
export const bitwiseXor = binary((a, b) => a ^ b);
export const bitwiseLeftShift = binary((a, b) => (b >= 32 ? 0 : a << b));
export const leftShift = bitwiseLeftShift;
export const bitwiseRightShift = binary((a, b) => (b >= 32 ? (a < 0 ? -1 : 0) : a >> b));
export const rightShift = bitwiseRightShift;

/** ~x. */
export function bitwiseInvert(x: TensorInput): tfc.Tensor {
  return run(() => {
    const a = tfc.cast(toTensor(x), 'int32');
    return tfc.tensor(Int32Array.from(a.dataSync(), (v) => ~v), a.shape, 'int32');
  });
}
export const bitwiseNot = bitwiseInvert;

const gcdOf = (a: number, b: number): number => {
  let [x, y] = [Math.abs(a), Math.abs(b)];
  while (y !== 0) [x, y] = [y, x % y];
  return x;
};
/** The greatest common divisor, elementwise (non-negative, gcd(0, 0) = 0). */
export const gcd = binary(gcdOf);
/** The least common multiple, elementwise (non-negative, 0 when either is 0). */
export const lcm = binary((a, b) => (a === 0 || b === 0 ? 0 : Math.abs((a / gcdOf(a, b)) * b)));
