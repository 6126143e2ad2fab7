/**
 * Keras's `utils.normalize`: `x` divided by its `order`-norm along `axis` (sum(|x|^p)^(1/p); the
 * largest |x| for order Infinity), with a zero norm left as 1 so all-zero slices stay zero (Keras's
 * NumPy path). Takes a tensor or nested arrays; returns a new float32 tensor the caller owns.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ensureRegistered } from '../backend/backend';
import { ValueError } from '../engine/errors';

/** Options of normalize. */
export interface NormalizeOptions {
  /** Keras: `axis`. The axis along which each slice is normalized. @default -1 */
  axis?: number;
  /** Keras: `order`. The norm's order: 1, 2, any p > 0, or Infinity. @default 2 */
  order?: number;
}

/** `x` over its norm along `axis`, as Keras's utils.normalize. */
export function normalize(x: tfc.Tensor | tfc.TensorLike, options: NormalizeOptions = {}): tfc.Tensor {
  const { axis = -1, order = 2 } = options;
  if (!(order > 0)) throw new ValueError(`normalize: order must be a positive number or Infinity, got ${order}. help: pass order: 2 (L2) or 1 (L1).`);
  ensureRegistered();
  return tfc.tidy(() => {
    const t = (x instanceof tfc.Tensor ? x : tfc.tensor(x)).toFloat();
    if (!(Number.isInteger(axis) && axis >= -t.rank && axis < t.rank)) {
      throw new ValueError(`normalize: axis ${axis} is out of range for a tensor of rank ${t.rank}. help: pass an axis in [-${t.rank}, ${t.rank}).`);
    }
    const a = t.abs();
    const norm =
      order === Infinity ? a.max(axis, true) : order === 1 ? a.sum(axis, true) : a.pow(order).sum(axis, true).pow(1 / order);
    return t.div(tfc.where(norm.equal(0), tfc.onesLike(norm), norm));
  });
}
