/**
 * k.ops.linalg (and the same names in k.ops) against NumPy's linalg in float64, values printed by
 * test/reference/linalg_reference.py and pasted as is; gradients against that script's central
 * finite differences of NumPy's functions; decompositions whose signs NumPy leaves unspecified
 * (svd's u and vh, eigh's v, qr) by |values| and reconstruction; jvp against hand derivatives;
 * errors; leak counts.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, expectNoLeak, flat, testBackend } from '../helpers';

beforeAll(async () => {
  await k.setBackend(testBackend());
});

const ops = k.ops;
const N = [[2, -1, 0.5], [1, 3, 2], [0, -2, 4]];
const M = [[4, 1, -2], [1, 3, 0.5], [-2, 0.5, 5]];
const R = [[1, 2], [3, 4], [5, 6.5]];
const R3 = [[1, 1, 1], [2, 2, 2], [3, 3, 3]];
const Bm = [[1, 2], [0, -1], [3, 0.5]];
const bv = [1, -2, 0.5];
const L = [[2, 0, 0], [0.5, 1.658312395, 0], [-1, 0.6030226892, 1.906925178]]; // NumPy's cholesky(M)
const C = [0.3, -1.2, 0.7, 2.0, 0.1, -0.4, -0.6, 0.9, 1.5]; // the reference script's loss weights, flat

// [label, the k.ops call, NumPy's shape, NumPy's values] from test/reference/linalg_reference.py.
const cases: Array<[string, () => tfc.Tensor, number[], number[]]> = [
  ['inv', () => ops.inv(N), [3, 3], [0.4571428571, 0.08571428571, -0.1, -0.1142857143, 0.2285714286, -0.1, -0.05714285714, 0.1142857143, 0.2]],
  ['inv batched', () => ops.linalg.inv([N, M]), [2, 3, 3], [0.4571428571, 0.08571428571, -0.1, -0.1142857143, 0.2285714286, -0.1, -0.05714285714, 0.1142857143, 0.2, 0.36875, -0.15, 0.1625, -0.15, 0.4, -0.1, 0.1625, -0.1, 0.275]],
  ['det', () => ops.det(N), [], [35]],
  ['det batched', () => ops.det([N, M, R3]), [3], [35, 40, 0]],
  ['slogdet sign', () => ops.slogdet(ops.negative(M))[0], [], [-1]],
  ['slogdet logabsdet', () => ops.slogdet(ops.negative(M))[1], [], [3.688879454]],
  ['logdet', () => ops.logdet(M), [], [3.688879454]],
  ['solve matrix', () => ops.solve(N, Bm), [3, 2], [0.1571428571, 0.7785714286, -0.4142857143, -0.5071428571, 0.5428571429, -0.1285714286]],
  ['solve vector', () => ops.solve(N, bv), [3], [0.2357142857, -0.6214285714, -0.1857142857]],
  ['solveTriangular lower', () => ops.solveTriangular(N, Bm, true), [3, 2], [0.5, 1, -0.1666666667, -0.6666666667, 0.6666666667, -0.2083333333]],
  ['solveTriangular upper vector', () => ops.linalg.solveTriangular(N, bv), [3], [0.09375, -0.75, 0.125]],
  ['cholesky', () => ops.cholesky(M), [3, 3], [2, 0, 0, 0.5, 1.658312395, 0, -1, 0.6030226892, 1.906925178]],
  ['cholesky upper', () => ops.cholesky(M, true), [3, 3], [2, 0.5, -1, 0, 1.658312395, 0.6030226892, 0, 0, 1.906925178]],
  ['choleskyInverse', () => ops.choleskyInverse(L), [3, 3], [0.36875, -0.15, 0.1625, -0.15, 0.4, -0.1, 0.1625, -0.1, 0.275]],
  ['choleskyInverse upper', () => ops.choleskyInverse(ops.transpose(L), true), [3, 3], [0.36875, -0.15, 0.1625, -0.15, 0.4, -0.1, 0.1625, -0.1, 0.275]],
  ['luFactor lu', () => ops.luFactor(N)[0], [3, 3], [2, -1, 0.5, 0.5, 3.5, 1.75, 0, -0.5714285714, 5]],
  ['luFactor pivots', () => ops.luFactor(N)[1], [3], [0, 1, 2]],
  ['svd s only', () => ops.svd(R, true, false) as tfc.Tensor, [2], [9.852920235, 0.4122655117]],
  ['svd s batched wide', () => ops.svd(ops.stack([ops.transpose(R), ops.transpose(R)]), false, false) as tfc.Tensor, [2, 2], [9.852920235, 0.4122655117, 9.852920235, 0.4122655117]],
  ['eigh w', () => ops.eigh(M)[0], [3], [1.584206693, 3.839336452, 6.576456854]],
  ['eig w (symmetric)', () => ops.eig(M)[0], [3], [1.584206693, 3.839336452, 6.576456854]],
  ['pinv', () => ops.pinv(R), [2, 3], [-1.863636364, 0.04545454545, 0.5454545455, 1.424242424, 0.0303030303, -0.303030303]],
  ['lstsq matrix', () => ops.lstsq(R, Bm), [2, 2], [-0.2272727273, -3.5, 0.5151515152, 2.666666667]],
  ['lstsq vector', () => ops.lstsq(R, bv), [2], [-1.681818182, 1.212121212]],
  ['matrixRank', () => ops.matrixRank([[[1, 2], [2, 4]], [[1, 2], [3, 4]]]), [2], [1, 2]],
  ['norm default', () => ops.norm(N), [], [6.264982043]],
  ['norm vector ord 3 axis 1', () => ops.norm(N, 3, 1), [3], [2.089669598, 3.301927249, 4.160167646]],
  ['norm vector inf axis 0 keepdims', () => ops.norm(N, Infinity, 0, true), [1, 3], [2, 3, 4]],
  ['norm vector ord 0', () => ops.norm(N, 0, -1), [3], [3, 3, 2]],
  ['norm matrix 1', () => ops.norm(N, 1), [], [6.5]],
  ['norm matrix -inf', () => ops.norm(N, -Infinity), [], [3.5]],
  ['norm matrix 2', () => ops.norm(N, 2), [], [4.638519468]],
  ['norm matrix nuc', () => ops.norm(N, 'nuc'), [], [10.36784397]],
  ['norm matrix -2 axes [2, 1] batched', () => ops.norm([N, M], -2, [2, 1]), [2], [2.051779266, 1.584206693]],
  ['norm fro keepdims axes [0, 1]', () => ops.norm(N, 'fro', [0, 1], true), [1, 1], [6.264982043]],
];

function expectValues(actual: tfc.Tensor, shape: number[], expected: number[], tol = 2e-5): void {
  expect(actual.shape).toEqual(shape);
  const got = flat(actual);
  expect(got.length).toBe(expected.length);
  got.forEach((v, i) => {
    if (!(Math.abs(v - expected[i]) <= tol + 2e-5 * Math.abs(expected[i]))) throw new Error(`value ${i}: got ${v}, expected ${expected[i]}`);
  });
}

test.each(cases)('ops %s equals NumPy', (_label, call, shape, expected) => {
  const out = call();
  expectValues(out, shape, expected);
  out.dispose();
});

// [label, NumPy's gradient of sum(f(x) * C[:size]) by central differences].
const fdGrads: Record<string, [number[], number[]]> = Object.fromEntries(([
  ['inv', [3, 3], [0.1065306122, 0.1612244897, 0.01061224494, -0.1773469387, 0.05612244901, -0.006938775457, 0.1621428571, -0.07928571437, -0.1071428572]],
  ['det', [3, 3], [16, -4.000000001, -1.999999999, 3, 7.999999994, 3.999999997, -3.500000002, -3.499999995, 7.000000007]],
  ['slogdet logabsdet', [3, 3], [-0.3687500001, 0.15, -0.1625000001, 0.15, -0.4000000002, 0.1000000003, -0.1625000001, 0.1000000003, -0.2749999999]],
  ['logdet', [3, 3], [0.3687500003, -0.15, 0.1625000001, -0.15, 0.4000000002, -0.1000000003, 0.1625000001, -0.1000000003, 0.2749999999]],
  ['solve wrt a', [3, 3], [0.5791836735, -0.3612244901, -0.1248979593, -0.2712244898, 0.2381632653, -0.06734693869, 0.1371428568, -0.1142857142, 0.02285714307]],
  ['solve wrt b', [3, 2], [0.05142857162, -0.7542857148, 0.1971428572, 0.3085714289, -0.08000000018, -0.1599999999]],
  ['solveTriangular lower wrt a', [3, 3], [0.8874999999, 0, 0, -0.725, 0.4416666666, 0, 0.08750000013, -0.06249999984, -0.03750000022]],
  ['cholesky', [3, 3], [-0.05979176709, 0.5682999746, 0.01456645338, 0.5682999746, -0.01651825521, 0.1283408217, 0.01456645338, 0.1283408217, 0.3933033179]],
  ['eigh w', [3, 3], [0.1602367563, -0.5081901551, -0.4811822796, -0.5081901551, -0.624922599, -0.5263791851, -0.4811822796, -0.5263791851, 0.2646858421]],
  ['eigh v', [3, 3], [-0.3267699555, 0.05771760553, -0.1646161991, 0.05771760553, 0.4315773201, -0.237515324, -0.1646161991, -0.237515324, -0.1048073632]],
] as Array<[string, number[], number[]]>).map(([label, shape, values]) => [label, [shape, values]]));

/** The gradient of sum(f(x) * C[:size]) with respect to x. */
function gradOf(f: (x: tfc.Tensor) => tfc.Tensor, x: number[][]): tfc.Tensor {
  return tfc.tidy(() => tfc.grad((t: tfc.Tensor) => {
    const y = f(t);
    return y.rank === 0 ? y : tfc.sum(tfc.mul(y, tfc.tensor(C.slice(0, y.size), y.shape))); // as the script: weight 1 for a scalar
  })(tfc.tensor(x)));
}

const differentiable: Array<[string, (x: tfc.Tensor) => tfc.Tensor, number[][]]> = [
  ['inv', (x) => ops.inv(x), N],
  ['det', (x) => ops.det(x), N],
  ['slogdet logabsdet', (x) => ops.slogdet(x)[1], M.map((r) => r.map((v) => -v))],
  ['logdet', (x) => ops.logdet(x), M],
  ['solve wrt a', (x) => ops.solve(x, Bm), N],
  ['solve wrt b', (x) => ops.solve(N, x), Bm],
  ['solveTriangular lower wrt a', (x) => ops.solveTriangular(x, Bm, true), N],
  ['cholesky', (x) => ops.cholesky(x), M],
  ['eigh w', (x) => ops.eigh(x)[0], M],
  ['eigh v', (x) => ops.eigh(x)[1], M],
];

test.each(differentiable)('the gradient of %s equals NumPy finite differences', (label, f, x) => {
  const [shape, expected] = fdGrads[label];
  const g = gradOf(f, x);
  expectValues(g, shape, expected, 1e-4);
  g.dispose();
});

test('svd: |u|, s, |vh| equal NumPy and u diag(s) vh rebuilds x, full and reduced', () => {
  const [u, s, vh] = ops.svd(R) as tfc.Tensor[];
  expect([u.shape, s.shape, vh.shape]).toEqual([[3, 3], [2], [2, 2]]);
  // NumPy (reference script): |u| (full), |vh|.
  expectClose(tfc.abs(u), [0.2233091488, 0.9669444187, 0.123091491, 0.5074636679, 0.00750888419, 0.8616404369, 0.8322341316, 0.254876652, 0.4923659639], 1e-5);
  expectClose(tfc.abs(vh), [0.5995045804, 0.8003713251, 0.8003713251, 0.5995045804], 1e-5);
  expectClose(tfc.matMul(u, u, true, false), [[1, 0, 0], [0, 1, 0], [0, 0, 1]], 1e-5);
  const [ur, sr, vhr] = ops.svd(R, false) as tfc.Tensor[];
  expect(ur.shape).toEqual([3, 2]);
  expectClose(tfc.matMul(tfc.mul(ur, sr), vhr), R, 1e-5);
  const [uw, sw, vw] = ops.svd(ops.transpose(R), false) as tfc.Tensor[]; // wide: 2 x 3
  expectClose(tfc.matMul(tfc.mul(uw, sw), vw), [[1, 3, 5], [2, 4, 6.5]], 1e-5);
  for (const t of [u, s, vh, ur, sr, vhr, uw, sw, vw]) t.dispose();
});

test('eigh: |v| equals NumPy, v diag(w) v^T rebuilds x; eig refuses a non-symmetric matrix', () => {
  const [w, v] = ops.eigh(M);
  expectClose(tfc.abs(v), [0.6382426182, 0.445339485, 0.6279483287, 0.61454694, 0.7860144038, 0.06718195802, 0.4636576526, 0.4287821127, 0.7753499088], 1e-5);
  expectClose(tfc.matMul(tfc.mul(v, w), v, false, true), M, 1e-5);
  expect(() => ops.eig(N)).toThrow(/symmetric matrices only.*help:/);
  w.dispose();
  v.dispose();
});

test('qr: |r| equals NumPy, q r rebuilds x, q orthonormal; reduced and complete', () => {
  const [q, r] = ops.qr(R);
  expect([q.shape, r.shape]).toEqual([[3, 2], [2, 2]]);
  expectClose(tfc.abs(r), [5.916079783, 7.859934569, 0, 0.6866065623], 1e-5);
  expectClose(tfc.matMul(q, r), R, 1e-5);
  const [qc, rc] = ops.linalg.qr(R, 'complete');
  expect([qc.shape, rc.shape]).toEqual([[3, 3], [3, 2]]);
  expectClose(tfc.abs(rc), [5.916079783, 7.859934569, 0, 0.6866065623, 0, 0], 1e-5);
  expectClose(tfc.matMul(qc, qc, true, false), [[1, 0, 0], [0, 1, 0], [0, 0, 1]], 1e-5);
  expect(() => ops.qr(R, 'full' as 'reduced')).toThrow(/mode.*help:/);
  for (const t of [q, r, qc, rc]) t.dispose();
});

test('jvp: Keras docstring example, a matmul and two outputs, by hand', () => {
  // keras.ops.jvp(ops.sin, (0.1,), (0.2,)) -> (0.09983342, 0.19900084) in Keras's docstring.
  const [p, t] = ops.jvp((x) => ops.sin(x), [0.1], [0.2]) as [tfc.Tensor, tfc.Tensor];
  expectClose(p, 0.09983342, 1e-6);
  expectClose(t, 0.19900084, 1e-6);
  // f(x, w) = x w: J (tx, tw) = tx w + x tw.
  const [, tm] = ops.jvp((x, w) => ops.matmul(x, w), [[[1, 2]], [[3], [4]]], [[[1, 0]], [[0], [1]]]) as [tfc.Tensor, tfc.Tensor];
  expectClose(tm, [[3 + 2]], 1e-5);
  // f(x) = [x^3, sum(x)]: tangents [3 x^2 t, sum(t)]; aux passed through.
  const [outs, ts, aux] = ops.jvp((x) => [[ops.power(x, 3), ops.sum(x)], 'aux'], [[1, -2]], [[0.5, 1]], true) as [tfc.Tensor[], tfc.Tensor[], string];
  expectClose(ts[0], [1.5, 12], 1e-5);
  expectClose(ts[1], 1.5, 1e-5);
  expect(aux).toBe('aux');
  expect(() => ops.jvp((x) => x, [[1, 2]], [[1]])).toThrow(/tangent 0.*help:/);
  for (const x of [p, t, tm, ...outs, ...ts]) x.dispose();
});

test('errors name the op and the fix; ops without gradients say so', () => {
  expect(() => ops.inv(R)).toThrow(/ops\.inv: expected square.*help:/);
  expect(() => ops.cholesky(N.map((r) => r.map((v) => -v)))).toThrow(/not positive definite.*help:/);
  expect(() => ops.solve(N, [1, 2])).toThrow(/ops\.solve.*help:/);
  expect(() => ops.norm(N, 'nuc', 0)).toThrow(/matrix norm.*help:/);
  expect(() => tfc.grad((x: tfc.Tensor) => ops.sum(ops.pinv(x)))(tfc.tensor(R))).toThrow(/ops\.pinv has no gradient.*help:/);
});

test('the linalg ops leave no tensor behind, forward and backward', async () => {
  const n = tfc.tensor(N);
  const m = tfc.tensor(M);
  await expectNoLeak(() => {
    const outs = [ops.inv(n), ops.det(n), ...ops.slogdet(n), ops.logdet(m), ops.solve(n, bv), ops.solveTriangular(n, Bm), ops.cholesky(m, true), ops.choleskyInverse(L), ...ops.luFactor(n),
      ...(ops.svd(R) as tfc.Tensor[]), ops.svd(n, false, false) as tfc.Tensor, ...ops.eigh(m), ...ops.eig(m), ...ops.qr(R), ops.pinv(R), ops.lstsq(R, Bm), ops.matrixRank(n), ops.norm(n, 2), ops.norm(n, 1, [0, 1], true),
      ...(ops.jvp((x) => ops.sin(x), [0.1], [0.2]) as tfc.Tensor[])];
    outs.forEach((t) => t.dispose());
    for (const [, f, x] of differentiable) gradOf(f, x).dispose();
  });
  n.dispose();
  m.dispose();
});
