import type * as tfc from '@tensorflow/tfjs-core';

/** A weight penalty: `call(w)` is the scalar added to the loss; `getConfig()` rebuilds it. */
export abstract class Regularizer {
  abstract readonly className: string;
  /** The penalty for `x`, a scalar. */
  abstract call(x: tfc.Tensor): tfc.Scalar;
  abstract getConfig(): Record<string, number | string>;
}
