/**
 * Keras's Orthogonal initializer (the recurrent kernels' default): the Q of a QR decomposition of
 * a random normal matrix, its columns' signs fixed by R's diagonal, times `gain`. The QR is a
 * Householder decomposition in float64 here: tfjs-core's linalg.qr builds it from tensor ops column
 * by column, which took 13 s for a 512 × 128 matrix on the cpu backend (this takes milliseconds).
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { nextSeed } from '../utils/random';
import { Initializer, Shape } from './initializer';

export interface OrthogonalArgs {
  /** Multiplies the orthogonal matrix. Keras: `gain` @default 1 */
  gain?: number;
  /**
   * Seed of the random draw, for reproducible weights. Keras: `seed` @default undefined (a fresh draw each call, from
   * k.utils.setRandomSeed's generator)
   */
  seed?: number;
}

export class Orthogonal extends Initializer {
  static override readonly optionKeys: readonly string[] = ['gain', 'seed'];
  readonly className = 'Orthogonal';
  constructor(readonly args: OrthogonalArgs = {}) {
    super(args);
    if (args.gain !== undefined && !(typeof args.gain === 'number' && Number.isFinite(args.gain))) {
      throw new ValueError(`Orthogonal: \`gain\` must be a finite number, got ${String(args.gain)}. help: e.g. {gain: 1}.`);
    }
  }

  call(shape: Shape, dtype: tfc.DataType): tfc.Tensor {
    if (shape.length < 2) {
      throw new ValueError(`Orthogonal: the shape must have at least 2 axes, got [${shape}]. help: use it for kernels, e.g. [units, 4 * units].`);
    }
    const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const cols = shape[shape.length - 1];
    const { gain = 1, seed = nextSeed() } = this.args;
    const m = Math.max(rows, cols);
    const n = Math.min(rows, cols);
    const normal = tfc.randomNormal([m, n], 0, 1, 'float32', seed);
    const q = orthonormalColumns(Float64Array.from(normal.dataSync()), m, n);
    normal.dispose();
    const values = new Float32Array(m * n);
    // q is m × n; with fewer rows than columns the kernel is its transpose.
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) values[rows < cols ? j * m + i : i * n + j] = gain * q[i * n + j];
    }
    return tfc.tensor(values, shape, dtype);
  }

  override getConfig(): Record<string, unknown> {
    return { gain: this.args.gain ?? 1, seed: this.args.seed ?? null };
  }
}

/**
 * The Q (m × n, row-major) of the QR decomposition of `a` (m × n, m >= n, row-major) whose R has a
 * positive diagonal: Householder reflections, then each column's sign set by R's diagonal.
 */
export function orthonormalColumns(a: Float64Array, m: number, n: number): Float64Array {
  const vs: Float64Array[] = [];
  const diagSign: number[] = [];
  for (let k = 0; k < n; k++) {
    let norm = 0;
    for (let i = k; i < m; i++) norm += a[i * n + k] * a[i * n + k];
    norm = Math.sqrt(norm);
    const alpha = a[k * n + k] > 0 ? -norm : norm;
    const v = new Float64Array(m - k);
    for (let i = k; i < m; i++) v[i - k] = a[i * n + k];
    v[0] -= alpha;
    let vNorm = 0;
    for (let i = 0; i < v.length; i++) vNorm += v[i] * v[i];
    vNorm = Math.sqrt(vNorm);
    if (vNorm > 0) for (let i = 0; i < v.length; i++) v[i] /= vNorm;
    // a[k:, k:] -= 2 v (v^T a[k:, k:])
    for (let j = k; j < n; j++) {
      let dot = 0;
      for (let i = k; i < m; i++) dot += v[i - k] * a[i * n + j];
      for (let i = k; i < m; i++) a[i * n + j] -= 2 * v[i - k] * dot;
    }
    vs.push(v);
    diagSign.push(a[k * n + k] < 0 ? -1 : 1);
  }
  // Q = H_0 ... H_(n-1) applied to the first n columns of the identity.
  const q = new Float64Array(m * n);
  for (let j = 0; j < n; j++) q[j * n + j] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const v = vs[k];
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let i = k; i < m; i++) dot += v[i - k] * q[i * n + j];
      for (let i = k; i < m; i++) q[i * n + j] -= 2 * v[i - k] * dot;
    }
  }
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) q[i * n + j] *= diagSign[j];
  return q;
}
