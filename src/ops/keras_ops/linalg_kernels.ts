/**
 * The matrix kernels behind k.ops.linalg, in plain float64 JavaScript on one row-major matrix at a
 * time (tfjs-core has no LU, Cholesky, eigen or SVD kernel). Meant for the small matrices custom
 * layers use (n up to a few hundred): O(n^3) loops, no blocking. Each kernel takes and returns
 * Float64Arrays; the ops in linalg_ops.ts batch over leading axes and attach the gradients.
 */
import { ValueError } from '../../engine/errors';

/** An LU factorization with partial pivoting: `lu` holds L (unit diagonal, below) and U. */
export interface LU {
  lu: Float64Array;
  /** SciPy's convention: row i was swapped with row piv[i] (0-based), in order. */
  piv: Int32Array;
  /** +1 or -1: the parity of the row swaps. */
  sign: number;
  /** Whether a pivot was exactly zero (the matrix is singular). */
  singular: boolean;
}

export function luFactor(a: Float64Array, n: number): LU {
  const lu = Float64Array.from(a);
  const piv = new Int32Array(n);
  let sign = 1;
  let singular = false;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(lu[r * n + c]) > Math.abs(lu[p * n + c])) p = r;
    piv[c] = p;
    if (p !== c) {
      sign = -sign;
      for (let j = 0; j < n; j++) [lu[c * n + j], lu[p * n + j]] = [lu[p * n + j], lu[c * n + j]];
    }
    const d = lu[c * n + c];
    if (d === 0) { singular = true; continue; }
    for (let r = c + 1; r < n; r++) {
      const f = (lu[r * n + c] /= d);
      for (let j = c + 1; j < n; j++) lu[r * n + j] -= f * lu[c * n + j];
    }
  }
  return { lu, piv, sign, singular };
}

/** Solves A X = B (B is n x k) from A's LU factorization. */
export function luSolve(f: LU, n: number, b: Float64Array, k: number): Float64Array {
  const x = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    const p = f.piv[i];
    if (p !== i) for (let j = 0; j < k; j++) [x[i * k + j], x[p * k + j]] = [x[p * k + j], x[i * k + j]];
  }
  for (let i = 0; i < n; i++) for (let r = 0; r < i; r++) { const l = f.lu[i * n + r]; for (let j = 0; j < k; j++) x[i * k + j] -= l * x[r * k + j]; }
  for (let i = n - 1; i >= 0; i--) {
    for (let r = i + 1; r < n; r++) { const u = f.lu[i * n + r]; for (let j = 0; j < k; j++) x[i * k + j] -= u * x[r * k + j]; }
    const d = f.lu[i * n + i];
    for (let j = 0; j < k; j++) x[i * k + j] /= d;
  }
  return x;
}

export function identity(n: number): Float64Array {
  const e = new Float64Array(n * n);
  for (let i = 0; i < n; i++) e[i * n + i] = 1;
  return e;
}

/** The lower Cholesky factor of a symmetric positive-definite A (reads A's lower triangle). */
export function cholesky(a: Float64Array, n: number, op: string): Float64Array {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let p = 0; p < j; p++) d -= l[j * n + p] ** 2;
    if (!(d > 0)) throw new ValueError(`ops.${op}: the matrix is not positive definite (pivot ${j} is ${d}). help: pass a symmetric positive-definite matrix, e.g. x x^T + eps I.`);
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let p = 0; p < j; p++) s -= l[i * n + p] * l[j * n + p];
      l[i * n + j] = s / ljj;
    }
  }
  return l;
}

/** Solves T X = B for a triangular n x n T (its `lower` or upper triangle is read), B n x k. */
export function triSolve(t: Float64Array, n: number, b: Float64Array, k: number, lower: boolean): Float64Array {
  const x = Float64Array.from(b);
  const order = lower ? [...Array(n).keys()] : [...Array(n).keys()].reverse();
  for (const i of order) {
    for (let r = 0; r < n; r++) {
      if (lower ? r >= i : r <= i) continue;
      const c = t[i * n + r];
      for (let j = 0; j < k; j++) x[i * k + j] -= c * x[r * k + j];
    }
    for (let j = 0; j < k; j++) x[i * k + j] /= t[i * n + i];
  }
  return x;
}

/**
 * Eigen-decomposition of a symmetric A by cyclic Jacobi rotations: eigenvalues ascending and
 * the eigenvectors as the columns of `v` (n x n), each with its largest entry made positive.
 */
export function eighJacobi(a: Float64Array, n: number): { w: Float64Array; v: Float64Array } {
  const m = Float64Array.from(a);
  const v = identity(n);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p * n + q] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (m[q * n + q] - m[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < n; r++) { // columns p, q of m
          const [mp, mq] = [m[r * n + p], m[r * n + q]];
          m[r * n + p] = c * mp - s * mq;
          m[r * n + q] = s * mp + c * mq;
        }
        for (let r = 0; r < n; r++) { // rows p, q of m
          const [mp, mq] = [m[p * n + r], m[q * n + r]];
          m[p * n + r] = c * mp - s * mq;
          m[q * n + r] = s * mp + c * mq;
        }
        for (let r = 0; r < n; r++) {
          const [vp, vq] = [v[r * n + p], v[r * n + q]];
          v[r * n + p] = c * vp - s * vq;
          v[r * n + q] = s * vp + c * vq;
        }
      }
    }
  }
  const order = [...Array(n).keys()].sort((i, j) => m[i * n + i] - m[j * n + j]);
  const w = Float64Array.from(order, (i) => m[i * n + i]);
  return { w, v: normalizeSigns(permuteColumns(v, n, n, order), n, n) };
}

function permuteColumns(x: Float64Array, rows: number, cols: number, order: number[]): Float64Array {
  const out = new Float64Array(rows * order.length);
  for (let r = 0; r < rows; r++) order.forEach((c, j) => { out[r * order.length + j] = x[r * cols + c]; });
  return out;
}

/** Each column flipped so that its entry of largest magnitude is positive (a deterministic sign). */
function normalizeSigns(x: Float64Array, rows: number, cols: number): Float64Array {
  for (let c = 0; c < cols; c++) {
    let big = 0;
    for (let r = 0; r < rows; r++) if (Math.abs(x[r * cols + c]) > Math.abs(big) + 1e-12) big = x[r * cols + c];
    if (big < 0) for (let r = 0; r < rows; r++) x[r * cols + c] = -x[r * cols + c];
  }
  return x;
}

/** The thin SVD of an m x n A (k = min(m, n)): u m x k, s (k, descending), v n x k. */
export function svdThin(a: Float64Array, m: number, n: number): { u: Float64Array; s: Float64Array; v: Float64Array } {
  if (m < n) {
    const t = transpose(a, m, n);
    const r = svdThin(t, n, m);
    return { u: r.v, s: r.s, v: r.u };
  }
  // One-sided Jacobi: rotate the columns of U = A until they are orthogonal; V collects the rotations.
  const u = Float64Array.from(a);
  const v = identity(n);
  for (let sweep = 0; sweep < 100; sweep++) {
    let rotated = false;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        let [alpha, beta, gamma] = [0, 0, 0];
        for (let r = 0; r < m; r++) {
          alpha += u[r * n + p] ** 2;
          beta += u[r * n + q] ** 2;
          gamma += u[r * n + p] * u[r * n + q];
        }
        if (Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta) || gamma === 0) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let r = 0; r < m; r++) {
          const [up, uq] = [u[r * n + p], u[r * n + q]];
          u[r * n + p] = c * up - s * uq;
          u[r * n + q] = s * up + c * uq;
        }
        for (let r = 0; r < n; r++) {
          const [vp, vq] = [v[r * n + p], v[r * n + q]];
          v[r * n + p] = c * vp - s * vq;
          v[r * n + q] = s * vp + c * vq;
        }
      }
    }
    if (!rotated) break;
  }
  const norms = Array.from({ length: n }, (_, c) => Math.sqrt(Array.from({ length: m }, (_r, r) => u[r * n + c] ** 2).reduce((x, y) => x + y, 0)));
  const order = [...Array(n).keys()].sort((i, j) => norms[j] - norms[i]);
  const s = Float64Array.from(order, (i) => norms[i]);
  const uo = permuteColumns(u, m, n, order);
  for (let c = 0; c < n; c++) for (let r = 0; r < m; r++) uo[r * n + c] = s[c] > 0 ? uo[r * n + c] / s[c] : 0;
  const vo = normalizeSigns(permuteColumns(v, n, n, order), n, n);
  // Keep U = A V / s consistent with V's signs.
  for (let c = 0; c < n; c++) {
    if (s[c] === 0) continue;
    for (let r = 0; r < m; r++) {
      let acc = 0;
      for (let j = 0; j < n; j++) acc += a[r * n + j] * vo[j * n + c];
      uo[r * n + c] = acc / s[c];
    }
  }
  return { u: completeColumns(uo, m, n, n), s, v: vo };
}

/** `x` (rows x cols, orthonormal columns where non-zero) with its first `want` columns made a full orthonormal set. */
export function completeColumns(x: Float64Array, rows: number, cols: number, want: number): Float64Array {
  const out = new Float64Array(rows * want);
  const col = (c: number): Float64Array => Float64Array.from({ length: rows }, (_, r) => (c < cols ? x[r * cols + c] : 0));
  const done: Float64Array[] = [];
  let candidate = 0;
  for (let c = 0; c < want; c++) {
    let vec = col(c);
    let norm = Math.hypot(...vec);
    while (norm < 1e-10) { // a zero (or missing) column: take the next unit vector, orthogonalized
      vec = Float64Array.from({ length: rows }, (_, r) => (r === candidate ? 1 : 0));
      candidate++;
      for (const d of done) { const dot = d.reduce((acc, v, r) => acc + v * vec[r], 0); for (let r = 0; r < rows; r++) vec[r] -= dot * d[r]; }
      norm = Math.hypot(...vec);
    }
    for (let r = 0; r < rows; r++) vec[r] /= norm;
    done.push(vec);
    for (let r = 0; r < rows; r++) out[r * want + c] = vec[r];
  }
  return out;
}

export function transpose(a: Float64Array, rows: number, cols: number): Float64Array {
  const t = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = a[r * cols + c];
  return t;
}
