/**
 * Keras 3's decompositions (keras/src/ops/linalg.py) on (..., M, N) float32 matrices, batched, in
 * float64 (linalg_kernels.ts): qr (tfjs-core's Householder), svd and pinv / lstsq / matrixRank over
 * it (one-sided Jacobi), eigh and eig (cyclic Jacobi). Real inputs only: tfjs-core has no complex
 * dtype, so `eig` accepts symmetric matrices only (where NumPy's eig is real) and refuses others.
 * Signs: each eigenvector and right singular vector has its largest entry positive (NumPy's LAPACK
 * signs are unspecified). Gradients: eigh and eig (w and v); qr, svd, pinv, lstsq, matrixRank and
 * luFactor throw a clear error when differentiated.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';
import * as K from './linalg_kernels';
import { matrixTranspose, noGradient, readMatrices, writeMatrices } from './linalg_batch';
import { run, toTensor, type TensorInput } from './tensor_input';

type Grad = Parameters<typeof tfc.customGrad>[0];
/** float32's machine epsilon: the default cut-offs are relative to it, as PyTorch's and NumPy's for float32. */
const EPS32 = 1.1920928955078125e-7;
const float = (x: TensorInput): tfc.Tensor => toTensor(x, 'float32');

/** [q, r] of each matrix; `mode` 'reduced' (q M x K, r K x N, K = min(M, N)) or 'complete' (q M x M, r M x N). */
export function qr(x: TensorInput, mode: 'reduced' | 'complete' = 'reduced'): [tfc.Tensor, tfc.Tensor] {
  if (mode !== 'reduced' && mode !== 'complete') throw new ValueError(`ops.qr: mode must be 'reduced' or 'complete', got '${String(mode)}'. help: pass mode 'reduced'.`);
  return run(() => {
    const t = float(x);
    if (t.rank < 2) throw new ValueError(`ops.qr: expected rank >= 2, got shape [${t.shape}]. help: pass a matrix or a batch of matrices.`);
    const [q, r] = tfc.linalg.qr(t, mode === 'complete');
    return [noGradient('qr', t, () => q), noGradient('qr', t, () => r)];
  });
}

interface SVDParts { batch: number[]; m: number; n: number; k: number; u: Float64Array[]; s: Float64Array[]; v: Float64Array[] }

function svdParts(op: string, x: tfc.Tensor): SVDParts {
  const mats = readMatrices(op, x);
  const [m, n] = [mats.rows, mats.cols];
  const parts = mats.mats.map((a) => K.svdThin(a, m, n));
  return { batch: mats.batch, m, n, k: Math.min(m, n), u: parts.map((p) => p.u), s: parts.map((p) => p.s), v: parts.map((p) => p.v) };
}

/**
 * [u, s, vh] with x = u diag(s) vh, s descending; `fullMatrices` makes u M x M and vh N x N, else
 * M x K and K x N. With `computeUv` false, only s (a tensor, as Keras returns it). No gradient.
 */
export function svd(x: TensorInput, fullMatrices = true, computeUv = true): tfc.Tensor | [tfc.Tensor, tfc.Tensor, tfc.Tensor] {
  return run(() => {
    const t = float(x);
    const p = svdParts('svd', t);
    const s = noGradient('svd', t, () => writeMatrices(p.batch, [p.k], p.s));
    if (!computeUv) return s;
    const { m, n, k } = p;
    const [uc, vc] = fullMatrices ? [m, n] : [k, k];
    const u = p.u.map((a) => K.completeColumns(a, m, k, uc));
    const vh = p.v.map((a) => K.transpose(K.completeColumns(a, n, k, vc), n, vc));
    return [noGradient('svd', t, () => writeMatrices(p.batch, [m, uc], u)), s, noGradient('svd', t, () => writeMatrices(p.batch, [vc, n], vh))];
  }) as tfc.Tensor | [tfc.Tensor, tfc.Tensor, tfc.Tensor];
}

/** pinv of one matrix from its SVD, singular values <= cutoff * max(s) dropped: n x m. */
function pinvOne(p: SVDParts, i: number, cutoff: number): Float64Array {
  const { m, n, k } = p;
  const [u, s, v] = [p.u[i], p.s[i], p.v[i]];
  const out = new Float64Array(n * m);
  const limit = cutoff * (s[0] ?? 0);
  for (let c = 0; c < k; c++) {
    if (!(s[c] > limit)) continue;
    for (let r = 0; r < n; r++) for (let q = 0; q < m; q++) out[r * m + q] += (v[r * k + c] * u[q * k + c]) / s[c];
  }
  return out;
}

/** The Moore-Penrose pseudo-inverse (..., N, M); singular values <= rcond * the largest are dropped (default max(M, N) * float32 eps). No gradient. */
export function pinv(x: TensorInput, rcond: number | null = null): tfc.Tensor {
  return run(() => {
    const t = float(x);
    const p = svdParts('pinv', t);
    const cutoff = rcond ?? Math.max(p.m, p.n) * EPS32;
    return noGradient('pinv', t, () => writeMatrices(p.batch, [p.n, p.m], p.s.map((_s, i) => pinvOne(p, i, cutoff))));
  });
}

/** The least-squares (minimum-norm) x of a x = b: a (M, N), b (M,) or (M, K); rcond as NumPy's (default max(M, N) * eps). No gradient. */
export function lstsq(a: TensorInput, b: TensorInput, rcond: number | null = null): tfc.Tensor {
  return run(() => {
    const [ta, tb] = [float(a), float(b)];
    if (ta.rank !== 2 || tb.rank < 1 || tb.rank > 2 || tb.shape[0] !== ta.shape[0]) {
      throw new ValueError(`ops.lstsq: expected a (M, N) and b (M,) or (M, K), got [${ta.shape}] and [${tb.shape}]. help: pass 2-D a and b with a's row count.`);
    }
    const [n, k] = [ta.shape[1] as number, tb.shape[1] ?? 1];
    const x = (): tfc.Tensor => tfc.reshape(tfc.matMul(pinv(ta, rcond), tfc.reshape(tb, [-1, k])), tb.rank === 1 ? [n] : [n, k]);
    return noGradient('lstsq', ta, x);
  });
}

/** The number of singular values above `tol` (default max(s) * max(M, N) * float32 eps), int32 of shape (...). */
export function matrixRank(x: TensorInput, tol: number | null = null): tfc.Tensor {
  return run(() => {
    const p = svdParts('matrixRank', float(x));
    const ranks = p.s.map((s) => {
      const limit = tol ?? (s[0] ?? 0) * Math.max(p.m, p.n) * EPS32;
      return s.filter((v) => v > limit).length;
    });
    return tfc.tensor(ranks, p.batch, 'int32');
  });
}

/**
 * [w, v] of each symmetric matrix (its lower triangle is read, as NumPy's eigh): eigenvalues
 * ascending, eigenvectors in v's columns. Gradient: V (diag(dw) + F o (V^T dV)) V^T, symmetrized,
 * as TensorFlow's and cholesky's (a symmetric perturbation's derivative is exact), F_ij = 1 / (w_j - w_i) (repeated eigenvalues make it infinite, as everywhere).
 */
export function eigh(x: TensorInput): [tfc.Tensor, tfc.Tensor] {
  return run(() => {
    const t = float(x);
    const n = t.shape[t.rank - 1];
    const f = tfc.customGrad(((a: tfc.Tensor, save: tfc.GradSaveFunc) => {
      const m = readMatrices('eigh', a, true);
      const lowerSym = m.mats.map((mat) => { const s = Float64Array.from(mat); for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) s[i * n + j] = s[j * n + i]; return s; });
      const parts = lowerSym.map((mat) => K.eighJacobi(mat, n));
      const packed = writeMatrices(m.batch, [n + 1, n], parts.map((p) => [...p.w, ...p.v]));
      save([packed]);
      return { value: packed, gradFunc: (dy: tfc.Tensor, [ps]: tfc.Tensor[]) => eighGrad(ps, dy, n) };
    }) as Grad);
    const packed = f(t);
    const lead = t.shape.slice(0, -2);
    const w = tfc.reshape(tfc.slice(packed, [...lead.map(() => 0), 0, 0], [...lead, 1, n]), [...lead, n]);
    const v = tfc.slice(packed, [...lead.map(() => 0), 1, 0], [...lead, n, n]);
    return [w, v];
  });
}

function eighGrad(packed: tfc.Tensor, dpacked: tfc.Tensor, n: number): tfc.Tensor {
  const lead = packed.shape.slice(0, -2);
  const split = (p: tfc.Tensor): [tfc.Tensor, tfc.Tensor] => [tfc.slice(p, [...lead.map(() => 0), 0, 0], [...lead, 1, n]), tfc.slice(p, [...lead.map(() => 0), 1, 0], [...lead, n, n])];
  const [w, v] = split(packed);
  const [dw, dv] = split(dpacked);
  const diff = tfc.sub(w, matrixTranspose(w)); // [i][j] = w_j - w_i
  const eye = tfc.eye(n);
  const f = tfc.mul(tfc.sub(1, eye), tfc.div(1, tfc.add(diff, eye)));
  const inner = tfc.add(tfc.mul(eye, dw), tfc.mul(f, tfc.matMul(v, dv, true, false)));
  const g = tfc.matMul(tfc.matMul(v, inner), v, false, true);
  return tfc.mul(0.5, tfc.add(g, matrixTranspose(g)));
}

/**
 * [w, v] for a real symmetric matrix (eigh's result). NumPy's eig of a non-symmetric matrix can be
 * complex, which tfjs-core cannot hold: such input is refused.
 */
export function eig(x: TensorInput): [tfc.Tensor, tfc.Tensor] {
  return run(() => {
    const t = float(x);
    const m = readMatrices('eig', t, true);
    const n = m.rows;
    m.mats.forEach((a) => {
      const scale = Math.max(1e-30, ...Array.from(a, Math.abs));
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
        if (Math.abs(a[i * n + j] - a[j * n + i]) > 1e-6 * scale) {
          throw new ValueError(`ops.eig: keras-ts supports symmetric matrices only (tfjs-core has no complex dtype); entry [${i}][${j}] = ${a[i * n + j]} but [${j}][${i}] = ${a[j * n + i]}. help: use ops.eigh for symmetric matrices, or compute a non-symmetric eigendecomposition outside keras-ts.`);
        }
      }
    });
    return eigh(t);
  });
}
