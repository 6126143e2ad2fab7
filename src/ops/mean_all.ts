/**
 * The mean (or sum) of all of a tensor's values, as a loss reduces its per-sample values, with the
 * gradient written out: dy / n spread over x's shape (a division, a fill of ones, a product; the
 * same float32 values as tfjs's). tfjs's `sum(x)` then `div(·, n)` tape two kernels that save
 * copies of their inputs, and their gradients take four more (a cast, a division, a reshape, a
 * product), in every training step.
 */
import * as tfc from '@tensorflow/tfjs-core';

type CustomGradientFunc = Parameters<typeof tfc.customGrad>[0];

/** Σx / x.size with `mean` (0 for an empty x), else Σx: a float32 scalar. */
export function reduceAll(x: tfc.Tensor, mean: boolean): tfc.Scalar {
  const n = Math.max(x.size, 1);
  const value = (): tfc.Scalar => (mean ? tfc.div(tfc.sum(x), n) : tfc.sum(x)) as tfc.Scalar;
  if (!tfc.engine().isTapeOn() || x.dtype !== 'float32') return tfc.tidy(value);
  const op = tfc.customGrad(((a: tfc.Tensor) => {
    void a;
    return { value: value(), gradFunc: (dy: tfc.Tensor) => tfc.mul(tfc.fill(x.shape, 1), mean ? tfc.div(dy, n) : dy) };
  }) as unknown as CustomGradientFunc);
  return op(x) as tfc.Scalar;
}
