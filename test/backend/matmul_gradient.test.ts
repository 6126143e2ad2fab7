import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose } from '../helpers';

/** Plain-loop reference: for L = sum((op(A) · op(B)) ⊙ W), dL/dop(A) = W · op(B)^T, dL/dop(B) = op(A)^T · W. */
function t2(m: number[][]): number[][] {
  return m[0].map((_, j) => m.map((row) => row[j]));
}
function mm(x: number[][], y: number[][]): number[][] {
  return x.map((row) => y[0].map((_, j) => row.reduce((s, v, i) => s + v * y[i][j], 0)));
}

const A = [[1, 2, 3], [4, 5, 6]]; // 2×3
const B = [[0.5, -1], [2, 0], [1, 3]]; // 3×2
const W = [[1, -2], [0.5, 3]]; // 2×2 weights on the product

test.each([
  [false, false],
  [false, true],
  [true, false],
  [true, true],
])('BatchMatMul gradient on wasm, transposeA=%s transposeB=%s, matches the plain-loop reference', async (ta, tb) => {
  await k.setBackend('wasm');
  const a0 = ta ? t2(A) : A;
  const b0 = tb ? t2(B) : B;
  const a = tfc.tensor2d(a0);
  const b = tfc.tensor2d(b0);
  const w = tfc.tensor2d(W);
  const [da, db] = tfc.grads((x: tfc.Tensor, y: tfc.Tensor) => tfc.sum(tfc.mul(tfc.matMul(x as tfc.Tensor2D, y as tfc.Tensor2D, ta, tb), w)))([a, b]);
  const dOpA = mm(W, t2(B)); // w.r.t. op(A) = A
  const dOpB = mm(t2(A), W);
  expectClose(da, ta ? t2(dOpA) : dOpA);
  expectClose(db, tb ? t2(dOpB) : dOpB);
  tfc.dispose([a, b, w, da, db]);
});

test('batched (rank 3) BatchMatMul gradient on wasm matches cpu', async () => {
  const run = async (backend: k.BackendName): Promise<number[][]> => {
    await k.setBackend(backend);
    const a = tfc.tensor3d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [2, 2, 3]);
    const b = tfc.tensor3d([1, 0, -1, 2, 0.5, 1, 3, -2, 1, 1, 0, 2], [2, 2, 3]);
    const [da, db] = tfc.grads((x: tfc.Tensor, y: tfc.Tensor) => tfc.sum(tfc.square(tfc.matMul(x as tfc.Tensor3D, y as tfc.Tensor3D, false, true))))([a, b]);
    const out = [Array.from(da.dataSync()), Array.from(db.dataSync())];
    tfc.dispose([a, b, da, db]);
    return out;
  };
  const cpu = await run('cpu');
  const wasm = await run('wasm');
  expectClose(wasm[0], cpu[0], 1e-4);
  expectClose(wasm[1], cpu[1], 1e-4);
});
