/**
 * `k.ops.linalg`: Keras 3's keras.ops.linalg names (each also in k.ops itself, as in Keras).
 */
export { cholesky, choleskyInverse, det, inv, luFactor, solve, solveTriangular } from './linalg_solve';
export { eig, eigh, lstsq, matrixRank, pinv, qr, svd } from './linalg_decompose';
export { norm } from './linalg_norm';
export { jvp } from './jvp';
