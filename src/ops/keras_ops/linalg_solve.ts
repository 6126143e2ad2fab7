/**
 * Keras 3's linear solves and factorizations (keras/src/ops/linalg.py, numpy.py's slogdet, math.py's
 * logdet) on (..., M, M) float32 matrices, batched over the leading axes, computed in float64 by
 * linalg_kernels.ts. inv, det, slogdet's logabsdet, logdet, solve, solveTriangular, cholesky and
 * choleskyInverse have gradients (the standard matrix-calculus formulas); luFactor has none.
 * A singular matrix gives inv/solve non-finite values (as NumPy would refuse, keras-ts does not
 * check), a non positive-definite one makes cholesky throw.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';
import * as K from './linalg_kernels';
import { matrixTranspose, noGradient, readMatrices, sameBatch, writeMatrices } from './linalg_batch';
import { run, toTensor, type TensorInput } from './tensor_input';

type Grad = Parameters<typeof tfc.customGrad>[0];
const float = (x: TensorInput): tfc.Tensor => toTensor(x, 'float32');

function invValue(x: tfc.Tensor): tfc.Tensor {
  const m = readMatrices('inv', x, true);
  return writeMatrices(m.batch, [m.rows, m.rows], m.mats.map((a) => K.luSolve(K.luFactor(a, m.rows), m.rows, K.identity(m.rows), m.rows)));
}

/** The inverse of each square matrix. Gradient: -inv(x)^T dy inv(x)^T. */
export function inv(x: TensorInput): tfc.Tensor {
  return run(() => {
    const f = tfc.customGrad(((a: tfc.Tensor, save: tfc.GradSaveFunc) => {
      const y = invValue(a);
      save([y]);
      return { value: y, gradFunc: (dy: tfc.Tensor, [ys]: tfc.Tensor[]) => tfc.neg(tfc.matMul(tfc.matMul(ys, dy, true, false), ys, false, true)) };
    }) as Grad);
    return f(float(x));
  });
}

function detParts(op: string, x: tfc.Tensor): { batch: number[]; sign: number[]; logabs: number[] } {
  const m = readMatrices(op, x, true);
  const parts = m.mats.map((a) => {
    const f = K.luFactor(a, m.rows);
    let sign = f.singular ? 0 : f.sign;
    let logabs = 0;
    for (let i = 0; i < m.rows; i++) {
      const d = f.lu[i * m.rows + i];
      sign *= Math.sign(d);
      logabs += Math.log(Math.abs(d));
    }
    return [sign, logabs];
  });
  return { batch: m.batch, sign: parts.map((p) => p[0]), logabs: parts.map((p) => p[1]) };
}

/** dy (per matrix) times inv(x)^T: the gradient of log|det x| scaled by dy. */
const scaledInvT = (dy: tfc.Tensor, x: tfc.Tensor): tfc.Tensor => tfc.mul(tfc.expandDims(tfc.expandDims(dy, -1), -1), matrixTranspose(invValue(x)));

/** The determinant of each square matrix. Gradient: dy det(x) inv(x)^T. */
export function det(x: TensorInput): tfc.Tensor {
  return run(() => {
    const f = tfc.customGrad(((a: tfc.Tensor, save: tfc.GradSaveFunc) => {
      const p = detParts('det', a);
      const value = tfc.tensor(p.sign.map((s, i) => s * Math.exp(p.logabs[i])), p.batch, 'float32');
      save([a, value]);
      return { value, gradFunc: (dy: tfc.Tensor, [as, v]: tfc.Tensor[]) => scaledInvT(tfc.mul(dy, v), as) };
    }) as Grad);
    return f(float(x));
  });
}

function logabsdet(op: string, x: tfc.Tensor): tfc.Tensor {
  const f = tfc.customGrad(((a: tfc.Tensor, save: tfc.GradSaveFunc) => {
    const p = detParts(op, a);
    save([a]);
    return { value: tfc.tensor(p.logabs, p.batch, 'float32'), gradFunc: (dy: tfc.Tensor, [as]: tfc.Tensor[]) => scaledInvT(dy, as) };
  }) as Grad);
  return f(x);
}

/** [sign, logabsdet] of each square matrix's determinant (sign 0 for a singular one); logabsdet has a gradient. */
export function slogdet(x: TensorInput): [tfc.Tensor, tfc.Tensor] {
  return run(() => {
    const a = float(x);
    const p = detParts('slogdet', a);
    return [tfc.tensor(p.sign, p.batch, 'float32'), logabsdet('slogdet', a)];
  });
}

/** log det(x) of a symmetric positive-definite matrix (NaN where the determinant is negative). */
export function logdet(x: TensorInput): tfc.Tensor {
  return run(() => {
    const a = float(x);
    const p = detParts('logdet', a);
    return tfc.where(tfc.tensor(p.sign.map((s) => s > 0), p.batch, 'bool'), logabsdet('logdet', a), tfc.fill(p.batch, NaN));
  });
}

/** X with A X = B for A (..., M, M) and B (..., M, K), by `solveOne` per matrix. */
function solveValue(op: string, a: tfc.Tensor, b: tfc.Tensor, solveOne: (a: Float64Array, n: number, b: Float64Array, k: number) => Float64Array): tfc.Tensor {
  const ma = readMatrices(op, a, true);
  const mb = readMatrices(op, b);
  sameBatch(op, ma, mb);
  if (mb.rows !== ma.rows) throw new ValueError(`ops.${op}: a is [${a.shape}] but b has ${mb.rows} rows. help: b must be (..., M) or (..., M, K) for a (..., M, M).`);
  return writeMatrices(ma.batch, [ma.rows, mb.cols], ma.mats.map((m, i) => solveOne(m, ma.rows, mb.mats[i], mb.cols)));
}

/** `solve`'s shape handling: b of rank a.rank - 1 is a vector per matrix. */
function withVectorB(a: tfc.Tensor, b: tfc.Tensor, f: (a: tfc.Tensor, b: tfc.Tensor) => tfc.Tensor): tfc.Tensor {
  if (b.rank !== a.rank - 1) return f(a, b);
  return tfc.squeeze(f(a, tfc.expandDims(b, -1)), [-1]);
}

function solveWithGrad(op: string, solveOne: (a: Float64Array, n: number, b: Float64Array, k: number) => Float64Array, transposed: typeof solveOne, mask: (g: tfc.Tensor) => tfc.Tensor) {
  return (a: tfc.Tensor, b: tfc.Tensor): tfc.Tensor => tfc.customGrad(((as: tfc.Tensor, bs: tfc.Tensor, save: tfc.GradSaveFunc) => {
    const xs = solveValue(op, as, bs, solveOne);
    save([as, xs]);
    return {
      value: xs,
      gradFunc: (dy: tfc.Tensor, [sa, sx]: tfc.Tensor[]) => {
        const gb = solveValue(op, matrixTranspose(sa), dy, transposed);
        return [mask(tfc.neg(tfc.matMul(gb, sx, false, true))), gb];
      },
    };
  }) as Grad)(a, b);
}

const luSolveOne = (a: Float64Array, n: number, b: Float64Array, k: number): Float64Array => K.luSolve(K.luFactor(a, n), n, b, k);

/** x with a x = b: a (..., M, M), b (..., M) or (..., M, K). Gradients for both. */
export function solve(a: TensorInput, b: TensorInput): tfc.Tensor {
  return run(() => withVectorB(float(a), float(b), solveWithGrad('solve', luSolveOne, luSolveOne, (g) => g)));
}

/** x with a x = b for a triangular `a` (its lower triangle when `lower`, else its upper; the rest is ignored). */
export function solveTriangular(a: TensorInput, b: TensorInput, lower = false): tfc.Tensor {
  return run(() => {
    const one = (m: Float64Array, n: number, r: Float64Array, k: number): Float64Array => K.triSolve(m, n, r, k, lower);
    const onT = (m: Float64Array, n: number, r: Float64Array, k: number): Float64Array => K.triSolve(m, n, r, k, !lower);
    const mask = (g: tfc.Tensor): tfc.Tensor => tfc.linalg.bandPart(g, lower ? -1 : 0, lower ? 0 : -1);
    return withVectorB(float(a), float(b), solveWithGrad('solveTriangular', one, onT, mask));
  });
}

/** The Cholesky factor of a symmetric positive-definite matrix: lower L (x = L L^T), or upper U = L^T when `upper`. */
export function cholesky(x: TensorInput, upper = false): tfc.Tensor {
  return run(() => {
    const f = tfc.customGrad(((a: tfc.Tensor, save: tfc.GradSaveFunc) => {
      const m = readMatrices('cholesky', a, true);
      const l = writeMatrices(m.batch, [m.rows, m.rows], m.mats.map((mat) => K.cholesky(mat, m.rows, 'cholesky')));
      save([l]);
      return { value: l, gradFunc: (dy: tfc.Tensor, [ls]: tfc.Tensor[]) => choleskyGrad(ls, dy) };
    }) as Grad);
    const l = f(float(x));
    return upper ? matrixTranspose(l) : l;
  });
}

/**
 * The gradient of L = cholesky(A) (Murray 2016, as TensorFlow's): with P = Phi(L^T dL) (the lower
 * triangle, diagonal halved), S = L^-T P L^-1, the symmetric dA = (S + S^T) / 2.
 */
function choleskyGrad(l: tfc.Tensor, dl: tfc.Tensor): tfc.Tensor {
  const phi = (t: tfc.Tensor): tfc.Tensor => tfc.sub(tfc.linalg.bandPart(t, -1, 0), tfc.mul(0.5, tfc.mul(t, tfc.eye(t.shape[t.rank - 1]))));
  const p = phi(tfc.matMul(l, dl, true, false));
  const upperSolve = (m: Float64Array, n: number, b: Float64Array, k: number): Float64Array => K.triSolve(m, n, b, k, false);
  const left = solveValue('cholesky', matrixTranspose(l), p, upperSolve); // L^-T P
  const s = matrixTranspose(solveValue('cholesky', matrixTranspose(l), matrixTranspose(left), upperSolve)); // (L^-T (L^-T P)^T)^T = L^-T P L^-1
  return tfc.mul(0.5, tfc.add(s, matrixTranspose(s)));
}

/** The inverse of A = L L^T (or U^T U when `upper`) given its Cholesky factor `x`. */
export function choleskyInverse(x: TensorInput, upper = false): tfc.Tensor {
  return run(() => {
    const f = float(x);
    const n = f.shape[f.rank - 1];
    const eye = tfc.broadcastTo(tfc.eye(n), f.shape);
    const invFactor = solveTriangular(f, eye, !upper);
    return upper ? tfc.matMul(invFactor, invFactor, false, true) : tfc.matMul(invFactor, invFactor, true, false);
  });
}

/** SciPy's lu_factor: [lu (L below the unit diagonal, U on and above), pivots (int32, row i swapped with pivots[i])]. No gradient. */
export function luFactor(x: TensorInput): [tfc.Tensor, tfc.Tensor] {
  return run(() => {
    const t = float(x);
    const m = readMatrices('luFactor', t, true);
    const fs = m.mats.map((a) => K.luFactor(a, m.rows));
    const lu = noGradient('luFactor', t, () => writeMatrices(m.batch, [m.rows, m.rows], fs.map((f) => f.lu)));
    return [lu, writeMatrices(m.batch, [m.rows], fs.map((f) => f.piv), 'int32')];
  });
}
