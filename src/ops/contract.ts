/**
 * A two-operand einsum without repeated letters (`'abc,cd->abd'`), written as transpose, reshape
 * and one batched matMul, so every backend runs it and it has a gradient. Letters in both operands
 * and the output are batch axes, in both operands only are summed, in one operand and the output
 * are kept; a letter in only one operand is summed out first.
 */
import * as tfc from '@tensorflow/tfjs-core';

export function contract(a: tfc.Tensor, aSpec: string, b: tfc.Tensor, bSpec: string, outSpec: string): tfc.Tensor {
  const sumOnly = (t: tfc.Tensor, spec: string, other: string): [tfc.Tensor, string] => {
    const drop = [...spec].map((c, i) => (!other.includes(c) && !outSpec.includes(c) ? i : -1)).filter((i) => i >= 0);
    return drop.length === 0 ? [t, spec] : [tfc.sum(t, drop), [...spec].filter((_, i) => !drop.includes(i)).join('')];
  };
  [a, aSpec] = sumOnly(a, aSpec, bSpec);
  [b, bSpec] = sumOnly(b, bSpec, aSpec);
  const batch = [...outSpec].filter((c) => aSpec.includes(c) && bSpec.includes(c));
  const summed = [...aSpec].filter((c) => bSpec.includes(c) && !outSpec.includes(c));
  const freeA = [...aSpec].filter((c) => !bSpec.includes(c));
  const freeB = [...bSpec].filter((c) => !aSpec.includes(c));
  const size = (c: string): number => (aSpec.includes(c) ? a.shape[aSpec.indexOf(c)] : b.shape[bSpec.indexOf(c)]);
  const prod = (cs: string[]): number => cs.reduce((n, c) => n * size(c), 1);
  const am = tfc.reshape(tfc.transpose(a, [...batch, ...freeA, ...summed].map((c) => aSpec.indexOf(c))), [prod(batch), prod(freeA), prod(summed)]);
  const bm = tfc.reshape(tfc.transpose(b, [...batch, ...summed, ...freeB].map((c) => bSpec.indexOf(c))), [prod(batch), prod(summed), prod(freeB)]);
  const order = [...batch, ...freeA, ...freeB];
  const y = tfc.reshape(tfc.matMul(am as tfc.Tensor3D, bm as tfc.Tensor3D), order.map(size));
  return tfc.transpose(y, [...outSpec].map((c) => order.indexOf(c)));
}
