/**
 * k.ops' control flow and functional ops in eager form (cond, switch, whileLoop, foriLoop, scan,
 * associativeScan, map, vectorizedMap, vectorize, customGradient), each against values worked by
 * hand (Keras's docstring examples where it has them); gradients through them; leak counts.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, expectNoLeak, flat, testBackend } from '../helpers';

beforeAll(async () => {
  await k.setBackend(testBackend());
});

const ops = k.ops;

test('cond and switch pick one branch (switch clamps the index, as Keras)', () => {
  expectClose(ops.cond(ops.greater(2, 1), () => ops.add(1, 1), () => ops.zeros([])), 2);
  expectClose(ops.cond(false, () => tfc.scalar(1), () => tfc.scalar(-1)), -1);
  const branches = [(x: tfc.Tensor, y: tfc.Tensor) => ops.add(x, y), (x: tfc.Tensor, y: tfc.Tensor) => ops.subtract(x, y)];
  expectClose(ops.switch(1, branches, 5, 2), 3);
  expectClose(ops.switch(7, branches, 5, 2), 3);
  expectClose(ops.switch(-3, branches, 5, 2), 7);
});

test("whileLoop and foriLoop: Keras's docstring examples", () => {
  // keras: i = 0; while_loop(lambda i: i < 10, lambda i: i + 1, i) -> 10
  expectClose(ops.whileLoop((i) => ops.less(i, 10), (i) => ops.add(i, 1), 0) as tfc.Tensor, 10);
  // keras: x, y = 0, 1; while_loop(lambda x, y: x < 10, lambda x, y: (x + 1, y + 1), (x, y)) -> (10, 11)
  const [x, y] = ops.whileLoop((a) => ops.less(a, 10), (a, b) => [ops.add(a, 1), ops.add(b, 1)], [tfc.scalar(0), tfc.scalar(1)]) as tfc.Tensor[];
  expectClose(x, 10);
  expectClose(y, 11);
  expectClose(ops.whileLoop((i) => ops.less(i, 10), (i) => ops.add(i, 1), 0, 4) as tfc.Tensor, 4);
  // keras: fori_loop(0, 10, lambda i, x: x + i, 0) -> 45
  expectClose(ops.foriLoop(0, 10, (i, v) => ops.add(v as tfc.Tensor, i), 0) as tfc.Tensor, 45);
});

test('scan: cumulative sum with ys, reverse, length without xs', () => {
  const sum = (c: k.ops.Structure, x: k.ops.Structure | null): [k.ops.Structure, k.ops.Structure] => {
    const next = ops.add(c as tfc.Tensor, x as tfc.Tensor);
    return [next, next];
  };
  const [carry, ys] = ops.scan(sum, 0, tfc.tensor1d([1, 2, 3, 4]));
  expectClose(carry as tfc.Tensor, 10);
  expectClose(ys as tfc.Tensor, [1, 3, 6, 10]);
  const [, rev] = ops.scan(sum, 0, tfc.tensor1d([1, 2, 3, 4]), null, true);
  expectClose(rev as tfc.Tensor, [10, 9, 7, 4]);
  const [c2, none] = ops.scan((c) => [ops.multiply(c as tfc.Tensor, 2), null], 1, null, 5);
  expectClose(c2 as tfc.Tensor, 32);
  expect(none).toBeNull();
  expect(() => ops.scan(sum, 0)).toThrow(/xs and length.*help:/);
});

test('associativeScan: prefix sums and products along an axis, reversed', () => {
  expectClose(ops.associativeScan((a, b) => ops.add(a as tfc.Tensor, b as tfc.Tensor), [1, 2, 3, 4, 5]) as tfc.Tensor, [1, 3, 6, 10, 15]);
  expectClose(ops.associativeScan((a, b) => ops.multiply(a as tfc.Tensor, b as tfc.Tensor), [[1, 2, 3], [4, 5, 6]], false, 1) as tfc.Tensor, [[1, 2, 6], [4, 20, 120]]);
  expectClose(ops.associativeScan((a, b) => ops.add(a as tfc.Tensor, b as tfc.Tensor), [1, 2, 3, 4, 5], true) as tfc.Tensor, [15, 14, 12, 9, 5]);
  // A non-commutative associative op: 2x2 matrix products in order, on a list structure.
  const mats = tfc.tensor3d([[[1, 1], [0, 1]], [[2, 0], [0, 1]], [[1, 0], [3, 1]]]);
  const prods = ops.associativeScan((a, b) => ops.matmul(a as tfc.Tensor, b as tfc.Tensor), mats) as tfc.Tensor;
  expectClose(tfc.gather(prods, 2), [[5, 1], [3, 1]]); // [[1,1],[0,1]] [[2,0],[0,1]] [[1,0],[3,1]]
  mats.dispose();
});

test('map, vectorizedMap and vectorize apply per slice', () => {
  expectClose(ops.map((x) => ops.sum(x as tfc.Tensor), [[1, 2], [3, 4], [5, 6]]) as tfc.Tensor, [3, 7, 11]);
  const [a, b] = ops.vectorizedMap((x) => [ops.max(x as tfc.Tensor), ops.min(x as tfc.Tensor)], [[1, 2], [3, 4]]) as tfc.Tensor[];
  expectClose(a, [2, 4]);
  expectClose(b, [1, 3]);
  // keras docstring: vectorize(myfunc)([1, 2, 3, 4], 2) with myfunc(a, b) = a - b if a > b else a + b -> [3, 4, 1, 2]
  const myfunc = ops.vectorize((x: tfc.Tensor, y: tfc.Tensor) => ops.where(ops.greater(x, y), ops.subtract(x, y), ops.add(x, y)));
  expectClose(myfunc([1, 2, 3, 4], 2), [3, 4, 1, 2]);
  // with a signature: a matrix-vector product per batch item
  const mv = ops.vectorize((m: tfc.Tensor, v: tfc.Tensor) => ops.matmul(m, v), { signature: '(m,n),(n)->(m)' });
  expectClose(mv([[[1, 0], [0, 2]], [[1, 1], [1, -1]]], [[3, 4], [5, 6]]), [[3, 8], [11, -1]]);
});

test("customGradient: Keras's log1pexp example gives its stable gradient; stopGradient-like zero gradient", () => {
  const log1pexp = ops.customGradient((x) => {
    const e = ops.exp(x);
    return [ops.log(ops.add(1, e)), (upstream) => ops.multiply(upstream, ops.subtract(1, ops.divide(1, ops.add(1, e))))];
  });
  expectClose(log1pexp(0), Math.log(2));
  // d/dx log(1 + e^x) = sigmoid(x); at x = 100 the naive gradient is NaN (inf / inf), the custom one 1.
  const g = tfc.grad((x: tfc.Tensor) => log1pexp(x))(tfc.scalar(100));
  expectClose(g, 1);
  const g0 = tfc.grad((x: tfc.Tensor) => log1pexp(x))(tfc.scalar(0));
  expectClose(g0, 0.5);
  const two = ops.customGradient((x, y) => [ops.multiply(x, y), (dy) => [ops.multiply(dy, 10), ops.multiply(dy, 20)]]);
  const [gx, gy] = tfc.grads((x: tfc.Tensor, y: tfc.Tensor) => two(x, y))([tfc.scalar(3), tfc.scalar(4)]);
  expect([...flat(gx), ...flat(gy)]).toEqual([10, 20]);
});

test('gradients flow through scan and whileLoop bodies', () => {
  // f(w) = scan of c -> c * w over 3 steps from 1 = w^3: f'(2) = 12.
  const g = tfc.grad((w: tfc.Tensor) => ops.scan((c) => [ops.multiply(c as tfc.Tensor, w), null], 1, null, 3)[0] as tfc.Tensor)(tfc.scalar(2));
  expectClose(g, 12);
});

test('the control-flow ops leave no tensor behind', async () => {
  const xs = tfc.tensor1d([1, 2]);
  await expectNoLeak(() => {
    const outs = [ops.cond(true, () => ops.add(1, 2), () => ops.zeros([])), ops.whileLoop((i) => ops.less(i, 5), (i) => ops.add(i, 1), 0) as tfc.Tensor, ops.foriLoop(0, 3, (i, v) => ops.add(v as tfc.Tensor, i), 0) as tfc.Tensor,
      ...(ops.scan((c, x) => [ops.add(c as tfc.Tensor, x as tfc.Tensor), ops.multiply(x as tfc.Tensor, 2)], 0, xs) as tfc.Tensor[]),
      ops.associativeScan((a, b) => ops.add(a as tfc.Tensor, b as tfc.Tensor), [1, 2, 3]) as tfc.Tensor, ops.map((x) => ops.sum(x as tfc.Tensor), [[1, 2]]) as tfc.Tensor,
      ops.vectorize((x: tfc.Tensor) => ops.square(x))([1, 2]), ops.customGradient((x) => [ops.square(x), (dy) => dy])(3)];
    outs.forEach((t) => t.dispose());
    tfc.tidy(() => tfc.grad((x: tfc.Tensor) => ops.customGradient((y) => [ops.square(y), (dy) => ops.multiply(dy, 2)])(x))(tfc.scalar(3))).dispose();
  });
  xs.dispose();
});
