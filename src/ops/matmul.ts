/**
 * Matrix products with transposed operands. On tfjs-backend-wasm a matmul with transposeA or
 * transposeB runs about 10x slower than an explicit transpose followed by a plain matmul
 * (128×784×64: 12.0 ms against 1.25 ms); other backends handle the flags well.
 * Column sums likewise: wasm's Sum over the first axis transposes first (3584×512: 10.8 ms);
 * a product with a row of ones takes 0.19 ms. The backend's profile says which it is.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { capabilities } from '../backend/profile';

/** x^T? · y^T?: a plain matmul after explicit transposes where the backend's flags are slow (wasm), the flags elsewhere. */
export function product(x: tfc.Tensor, y: tfc.Tensor, transposeX: boolean, transposeY: boolean): tfc.Tensor {
  if (!capabilities().slowTransposedMatMul || (!transposeX && !transposeY)) return tfc.matMul(x, y, transposeX, transposeY);
  return tfc.matMul(transposeX ? swapLastAxes(x) : x, transposeY ? swapLastAxes(y) : y);
}

function swapLastAxes(t: tfc.Tensor): tfc.Tensor {
  const perm = t.shape.map((_, i) => i);
  perm[t.rank - 2] = t.rank - 1;
  perm[t.rank - 1] = t.rank - 2;
  return tfc.transpose(t, perm);
}

/** The sum over the first axis of a 2-D tensor (a bias's gradient): a product with ones on wasm. */
export function columnSum(x: tfc.Tensor): tfc.Tensor {
  if (!capabilities().slowFirstAxisSum || x.rank !== 2) return tfc.sum(x, 0);
  return tfc.reshape(tfc.matMul(tfc.ones([1, x.shape[0]]), x), [x.shape[1] as number]);
}
