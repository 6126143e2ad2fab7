/**
 * Every native kernel against tfjs-backend-cpu's kernel for the same op, on odd shapes:
 * broadcasting, strides, dilation, padding, batch 1, an empty batch, NaN. Each op runs on 'cpu',
 * then on 'native' with the same inputs; the results must agree (elementwise ops to float32
 * rounding, products and convolutions to 1e-4 relative: sums of hundreds of terms in another order).
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../../src';
import { nativeBuilt } from '../../helpers';
import { matches, tensor } from './match_cpu';
import { ConvActivation, conv2dLayer } from '../../../src/ops/conv_layer';
import { DenseActivation, dense } from '../../../src/ops/dense';

const onNative = nativeBuilt() ? describe : describe.skip;

onNative('native kernels match tfjs-backend-cpu', () => {
  afterAll(async () => {
    await k.setBackend('cpu');
  });

  describe('binary ops with broadcasting', () => {
    const ops: Array<[string, (a: tfc.Tensor, b: tfc.Tensor) => tfc.Tensor]> = [
      ['add', tfc.add], ['sub', tfc.sub], ['mul', tfc.mul], ['div', tfc.div], ['maximum', tfc.maximum], ['minimum', tfc.minimum],
      ['squaredDifference', tfc.squaredDifference], ['equal', tfc.equal], ['greater', tfc.greater], ['greaterEqual', tfc.greaterEqual],
      ['less', tfc.less], ['lessEqual', tfc.lessEqual],
    ];
    const shapes: Array<[number[], number[]]> = [[[3, 1, 5], [4, 5]], [[], [2, 3]], [[2, 3], [1]], [[7], [7]], [[1, 4, 1], [3, 1, 2]], [[0, 3], [3]]];
    for (const [name, f] of ops) {
      test.each(shapes)(`${name} %j with %j`, async (sa, sb) => matches(() => f(tensor(sa, 1), tensor(sb, 2))));
    }
    test('pow of positive bases', async () => matches(() => tfc.pow(tfc.abs(tensor([3, 4], 1)), tensor([4], 2))));
    test('int32 add, sub, mul, maximum and comparisons', async () =>
      matches(() => {
        const [a, b] = [tensor([2, 3], 1, 'int32'), tensor([3], 2, 'int32')];
        return [tfc.add(a, b), tfc.sub(a, b), tfc.mul(a, b), tfc.maximum(a, b), tfc.equal(a, b), tfc.less(a, b)];
      }));
    test('logical and of bools', async () => matches(() => tfc.logicalAnd(tfc.greater(tensor([4, 3], 1), 0), tfc.less(tensor([3], 2), 0))));
    test('NaN: maximum and minimum keep it, comparisons are false', async () =>
      matches(() => {
        const a = tfc.tensor1d([NaN, 1, -2, NaN]);
        const b = tfc.tensor1d([0, NaN, 3, 4]);
        return [tfc.maximum(a, b), tfc.minimum(a, b), tfc.greater(a, b), tfc.equal(a, a)];
      }));
    test('addN of three', async () => matches(() => tfc.addN([tensor([2, 5], 1), tensor([2, 5], 2), tensor([2, 5], 3)])));
  });

  describe('unary ops', () => {
    const x = (): tfc.Tensor => tfc.concat([tensor([29], 3), tfc.tensor1d([0, NaN, -0.5, 30, -30])]);
    const pos = (): tfc.Tensor => tfc.add(tfc.abs(tensor([17], 4)), 0.1);
    const ops: Array<[string, () => tfc.Tensor]> = [
      ['neg', () => tfc.neg(x())], ['exp', () => tfc.exp(x())], ['log', () => tfc.log(pos())], ['sqrt', () => tfc.sqrt(pos())],
      ['square', () => tfc.square(x())], ['abs', () => tfc.abs(x())], ['sigmoid', () => tfc.sigmoid(x())], ['relu', () => tfc.relu(x())],
      ['tanh', () => tfc.tanh(x())], ['step', () => tfc.step(x(), 0.3)], ['rsqrt', () => tfc.rsqrt(pos())], ['reciprocal', () => tfc.reciprocal(pos())],
      ['log1p', () => tfc.log1p(pos())], ['relu6', () => tfc.relu6(tfc.mul(x(), 4))], ['elu', () => tfc.elu(x())], ['softplus', () => tfc.softplus(x())],
      ['sign', () => tfc.sign(x())], ['floor', () => tfc.floor(x())], ['clipByValue', () => tfc.clipByValue(x(), -0.7, 1.1)],
      ['int32 neg and abs', () => tfc.abs(tfc.neg(tensor([3, 3], 5, 'int32')))],
    ];
    test.each(ops)('%s', async (_name, f) => matches(f, 2e-6));
  });

  describe('reductions, argmax, softmax', () => {
    const cases: Array<[string, () => tfc.Tensor | tfc.Tensor[]]> = [
      ['sum of everything', () => tfc.sum(tensor([3, 4, 5], 1))],
      ['sum over the last axis, keepDims', () => tfc.sum(tensor([3, 4, 5], 1), -1, true)],
      ['sum over the first axis', () => tfc.sum(tensor([7, 3], 1), 0)],
      ['sum over axes 0 and 2', () => tfc.sum(tensor([3, 4, 5], 1), [0, 2])],
      ['sum over the middle axis', () => tfc.sum(tensor([3, 4, 5], 1), 1)],
      ['middle axes read in place (blocks): sum, mean, max and int32 sum, keepDims', () => [
        tfc.sum(tensor([2, 3, 4, 5], 1), [1, 2]), tfc.mean(tensor([4, 6, 3], 2), 1, true), tfc.max(tensor([3, 5, 2], 4), 1), tfc.sum(tensor([3, 5, 2], 1, 'int32'), 1),
      ]],
      ['mean, max, min and prod', () => [tfc.mean(tensor([4, 6], 2), 1), tfc.max(tensor([4, 6], 2), 0), tfc.min(tensor([4, 6], 2), [0, 1]), tfc.prod(tfc.div(tensor([3, 4], 3), 2), 1)]],
      ['max and min with NaN', () => [tfc.max(tfc.tensor2d([[1, NaN, 3], [4, 5, 6]]), 1), tfc.min(tfc.tensor2d([[NaN, 1], [2, 3]]), 0)]],
      ['int32 and bool sums', () => [tfc.sum(tensor([3, 5], 1, 'int32'), 1), tfc.sum(tfc.greater(tensor([3, 5], 1), 0), 0)]],
      ['argMax over the last and the first axis', () => [tfc.argMax(tensor([5, 7], 3), -1), tfc.argMax(tensor([5, 7], 3), 0), tfc.argMax(tensor([2, 3, 4], 3), 1)]],
      ['softmax over the last axis', () => tfc.softmax(tfc.mul(tensor([6, 9], 4), 3))],
      ['an empty batch', () => [tfc.sum(tfc.zeros([0, 3]), 1), tfc.softmax(tfc.zeros([0, 3]))]],
    ];
    test.each(cases)('%s', async (_name, f) => matches(f, 1e-6));
  });

  describe('data movement', () => {
    const cases: Array<[string, () => tfc.Tensor | tfc.Tensor[]]> = [
      ['transpose [2,3,4] by [2,0,1]', () => tfc.transpose(tensor([2, 3, 4], 1), [2, 0, 1])],
      ['transpose of int32 and bool', () => [tfc.transpose(tensor([3, 5], 1, 'int32')), tfc.transpose(tfc.greater(tensor([3, 5], 1), 0))]],
      ['concat along axes 0, 1 and 2', () => [0, 1, 2].map((a) => tfc.concat([tensor([2, 3, 2], 1), tensor([2, 3, 2], 2)], a))],
      ['split along axis 1, uneven', () => tfc.split(tensor([2, 5, 3], 1), [1, 3, 1], 1)],
      ['slice of rows', () => tfc.slice(tensor([6, 4], 1), [2, 0], [3, 4])],
      ['slice of a block, and of int32 and bool', () => [tfc.slice(tensor([4, 5, 3], 1), [1, 2, 0], [2, 2, 3]), tfc.slice(tensor([5, 3], 1, 'int32'), [1, 1], [3, 2]),
        tfc.slice(tfc.greater(tensor([5, 3], 1), 0), [2, 0], [2, 3])]],
      ['concat of int32 and bool, with an empty part', () => [tfc.concat([tensor([2, 3], 1, 'int32'), tensor([2, 0], 2, 'int32'), tensor([2, 2], 3, 'int32')], 1),
        tfc.concat([tfc.greater(tensor([2, 3], 1), 0), tfc.greater(tensor([1, 3], 2), 0)], 0)]],
      ['stack and unstack along axes 0, 1 and 2', () => [0, 1, 2].flatMap((a) => [tfc.stack([tensor([2, 3], 1), tensor([2, 3], 2), tensor([2, 3], 3)], a), ...tfc.unstack(tensor([3, 2, 4], 4), a)])],
      ['gather of rows', () => tfc.gather(tensor([5, 3], 1), tfc.tensor1d([4, 0, 4, 2], 'int32'))],
      ['oneHot, int32 and float32', () => [tfc.oneHot(tfc.tensor1d([0, 3, 2, 5, -1], 'int32'), 4), tfc.cast(tfc.oneHot(tfc.tensor1d([1, 2], 'int32'), 3, 2, -1), 'float32')]],
      ['casts', () => [tfc.cast(tfc.tensor1d([-1.7, 2.5, NaN, 1e10]), 'int32'), tfc.cast(tensor([4], 1), 'bool'), tfc.cast(tfc.greater(tensor([4], 1), 0), 'float32'), tfc.cast(tensor([3], 1, 'int32'), 'float32')]],
      ['where (select)', () => tfc.where(tfc.greater(tensor([3, 4], 1), 0), tensor([3, 4], 2), tensor([3, 4], 3))],
      ['fill, zerosLike, onesLike', () => [tfc.fill([2, 3], 1.5), tfc.zerosLike(tensor([5], 1)), tfc.onesLike(tensor([2, 2], 1))]],
      ['reshape, expandDims, squeeze', () => [tfc.reshape(tensor([2, 6], 1), [3, 4]), tfc.expandDims(tensor([3], 1), 1), tfc.squeeze(tensor([1, 3, 1], 1))]],
    ];
    test.each(cases)('%s', async (_name, f) => matches(f));
  });

  describe('matrix products', () => {
    const cases: Array<[string, number[], number[], boolean, boolean]> = [
      ['plain', [5, 7], [7, 3], false, false],
      ['transposeA', [7, 5], [7, 3], true, false],
      ['transposeB', [5, 7], [3, 7], false, true],
      ['both transposed', [7, 5], [3, 7], true, true],
      ['batched', [4, 5, 7], [4, 7, 3], false, false],
      ['batch of 1 broadcast on a', [1, 5, 7], [4, 7, 3], false, false],
      ['batch of 1 broadcast on b', [4, 5, 7], [3, 7], false, true],
      ['one row', [1, 9], [9, 2], false, false],
      ['an empty batch', [0, 9], [9, 2], false, false],
      ['inner size 0', [3, 0], [0, 2], false, false],
    ];
    test.each(cases)('matMul, %s', async (_name, sa, sb, ta, tb) => matches(() => tfc.matMul(tensor(sa, 1), tensor(sb, 2), ta, tb), 1e-4));
    test.each(['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu'] as tfc.fused.Activation[])('fused matMul with bias and %s', async (activation) =>
      matches(() => tfc.fused.matMul({ a: tensor([6, 9], 1), b: tensor([9, 4], 2), bias: tensor([4], 3), activation, leakyreluAlpha: 0.3 }), 1e-4));
  });

  describe('convolutions', () => {
    const cases: Array<[string, number[], number[], number | [number, number], 'same' | 'valid', number | [number, number]]> = [
      ['3x3 valid', [2, 7, 6, 3], [3, 3, 3, 4], 1, 'valid', 1],
      ['3x3 same, stride 2, odd sizes', [2, 7, 6, 3], [3, 3, 3, 4], 2, 'same', 1],
      ['3x3 valid, stride 2 leaving a row unread', [1, 8, 8, 2], [3, 3, 2, 3], 2, 'valid', 1],
      ['2x3 valid, strides 2 and 1', [3, 8, 7, 1], [2, 3, 1, 2], [2, 1], 'valid', 1],
      ['dilation 2', [1, 7, 7, 2], [3, 3, 2, 2], 1, 'valid', 2],
      ['1x1, batch 1', [1, 3, 3, 4], [1, 1, 4, 5], 1, 'same', 1],
      ['an empty batch', [0, 5, 5, 2], [3, 3, 2, 2], 1, 'same', 1],
    ];
    test.each(cases)('conv2d, %s', async (_name, xs, fs, s, pad, d) =>
      matches(() => tfc.conv2d(tensor(xs, 1) as tfc.Tensor4D, tensor(fs, 2) as tfc.Tensor4D, s, pad, 'NHWC', d), 1e-4));
    test.each(cases.filter((c) => c[5] === 1))('conv2d gradients (both backprops), %s', async (_name, xs, fs, s, pad) =>
      matches(() => {
        const [x, f] = [tensor(xs, 1) as tfc.Tensor4D, tensor(fs, 2) as tfc.Tensor4D];
        const out = tfc.conv2d(x, f, s, pad);
        const r = tensor(out.shape, 3);
        return tfc.grads((a: tfc.Tensor, b: tfc.Tensor) => tfc.sum(tfc.mul(tfc.conv2d(a as tfc.Tensor4D, b as tfc.Tensor4D, s, pad), r)))([x, f]);
      }, 1e-4));
    test.each(['linear', 'relu', 'sigmoid'] as tfc.fused.Activation[])('fused conv2d with bias and %s', async (activation) =>
      matches(() => tfc.fused.conv2d({ x: tensor([2, 6, 5, 3], 1) as tfc.Tensor4D, filter: tensor([3, 3, 3, 4], 2) as tfc.Tensor4D, strides: 1, pad: 'same', bias: tensor([4], 3), activation }), 1e-4));
  });

  // The layers' fused backward passes (KerasConvGrad, KerasDenseGrad on native; tfjs's separate ops on
  // cpu): activation gradient and bias sums in one pass, split over threads at the Dense's size (80k
  // outputs); a Conv2D's pass takes the threads its gradients will (one at 2.5M multiply-adds).
  describe('fused layer gradients', () => {
    test.each(['linear', 'relu', 'relu6', 'elu'] as ConvActivation[])('Conv2D with bias and %s', async (activation) =>
      matches(() => {
        const [x, kernel, bias] = [tensor([4, 40, 40, 3], 1), tensor([3, 3, 3, 16], 2), tensor([16], 3)];
        const r = tensor([4, 38, 38, 16], 4);
        const f = (a: tfc.Tensor, w: tfc.Tensor, b: tfc.Tensor): tfc.Tensor =>
          tfc.sum(tfc.mul(conv2dLayer(a as tfc.Tensor4D, w as tfc.Tensor4D, b, { strides: [1, 1], padding: 'valid', dilation: [1, 1], activation, inputGradient: true }), r));
        return tfc.grads(f)([x, kernel, bias]);
      }, 1e-4));
    // Work enough (24M multiply-adds) for the filter and input gradients to run at once, one thread
    // each. Each filter gradient sums 5,184 products of up to 4 in float32 (tfjs-backend-cpu sums in
    // double): 1e-3 past 1.
    test('Conv2D with bias and relu, its two gradients at once', async () =>
      matches(() => {
        const [x, kernel, bias] = [tensor([16, 20, 20, 16], 1), tensor([3, 3, 16, 32], 2), tensor([32], 3)];
        const r = tensor([16, 18, 18, 32], 4);
        const f = (a: tfc.Tensor, w: tfc.Tensor, b: tfc.Tensor): tfc.Tensor =>
          tfc.sum(tfc.mul(conv2dLayer(a as tfc.Tensor4D, w as tfc.Tensor4D, b, { strides: [1, 1], padding: 'valid', dilation: [1, 1], activation: 'relu', inputGradient: true }), r));
        return tfc.grads(f)([x, kernel, bias]);
      }, 1e-3));
    test.each(['linear', 'relu', 'sigmoid'] as DenseActivation[])('Dense with bias and %s, threaded', async (activation) =>
      matches(() => {
        const [x, kernel, bias] = [tensor([2500, 24], 1), tensor([24, 32], 2), tensor([32], 3)];
        const r = tensor([2500, 32], 4);
        return tfc.grads((a: tfc.Tensor, w: tfc.Tensor, b: tfc.Tensor) => tfc.sum(tfc.mul(dense(a as tfc.Tensor2D, w as tfc.Tensor2D, b, activation), r)))([x, kernel, bias]);
      }, 1e-4));
  });

  describe('pooling', () => {
    const cases: Array<[string, number[], number, number, 'same' | 'valid']> = [
      ['2x2 stride 2', [2, 6, 6, 3], 2, 2, 'valid'],
      ['3x3 stride 2 same, odd sizes', [2, 7, 5, 2], 3, 2, 'same'],
      ['3x3 stride 1 valid, batch 1', [1, 5, 6, 4], 3, 1, 'valid'],
      ['2x2 stride 2, 65,536 elements', [4, 32, 32, 16], 2, 2, 'valid'],
      // Tiling windows that leave the last row and column unread: their gradient is 0.
      ['2x2 stride 2 valid, odd sizes', [3, 7, 5, 5], 2, 2, 'valid'],
      ['3x3 stride 3 valid, threaded', [8, 13, 14, 40], 3, 3, 'valid'],
      ['3x3 stride 1 same, threaded, overlapping', [4, 20, 20, 48], 3, 1, 'same'],
    ];
    const pools = (x: tfc.Tensor4D, size: number, stride: number, pad: 'same' | 'valid'): tfc.Tensor[] => {
      const max = tfc.maxPool(x, size, stride, pad);
      const r = tensor(max.shape, 2);
      const [gMax] = tfc.grads((a: tfc.Tensor) => tfc.sum(tfc.mul(tfc.maxPool(a as tfc.Tensor4D, size, stride, pad), r)))([x]);
      const [gAvg] = tfc.grads((a: tfc.Tensor) => tfc.sum(tfc.mul(tfc.avgPool(a as tfc.Tensor4D, size, stride, pad), r)))([x]);
      return [max, tfc.avgPool(x, size, stride, pad), gMax, gAvg];
    };
    test.each(cases)('max and average pooling and their gradients, %s', async (_name, xs, size, stride, pad) =>
      matches(() => pools(tensor(xs, 1) as tfc.Tensor4D, size, stride, pad).slice(0, pad === 'same' ? 3 : 4), 1e-5));
    // Ties: each window's dy goes to its first maximum in row-major order (TensorFlow's and tfjs's
    // rule). Worked by hand: on a 2x2 image of equal values, every 3x3 'same' window (stride 1)
    // covers all four pixels, so all of dy lands on the top-left one: 1 + 2 + 3 + 4 = 10.
    // Enough elements (4,194,304) for the tiled gradient loop (2x2 windows that tile the image) to
    // split the batch over threads; checked against a plain loop over the windows (dy to the
    // first maximum, a strict '>' in row-major window order), too large for tfjs's CPU kernel.
    test('max pooling gradient, tiled and threaded', async () => {
      await k.setBackend('native');
      const [n, h, w, c] = [2, 64, 64, 512];
      const x = tfc.randomNormal([n, h, w, c], 0, 1, 'float32', 3) as tfc.Tensor4D;
      const dy = tfc.randomUniform([n, h / 2, w / 2, c], 1, 2, 'float32', 4) as tfc.Tensor4D;
      const [g] = tfc.grads((a: tfc.Tensor) => tfc.sum(tfc.mul(tfc.maxPool(a as tfc.Tensor4D, 2, 2, 'valid'), dy)))([x]);
      const [xs, dys, got] = [x.dataSync(), dy.dataSync(), g.dataSync()];
      const want = new Float32Array(xs.length);
      const at = (b: number, i: number, j: number, ch: number): number => ((b * h + i) * w + j) * c + ch;
      for (let b = 0; b < n; b++) for (let i = 0; i < h / 2; i++) for (let j = 0; j < w / 2; j++) for (let ch = 0; ch < c; ch++) {
        let best = -Infinity;
        let where = -1;
        for (const [di, dj] of [[0, 0], [0, 1], [1, 0], [1, 1]]) {
          const p = at(b, 2 * i + di, 2 * j + dj, ch);
          if (xs[p] > best) [best, where] = [xs[p], p];
        }
        want[where] = dys[((b * (h / 2) + i) * (w / 2) + j) * c + ch];
      }
      let differ = 0;
      for (let i = 0; i < want.length; i++) if (got[i] !== want[i]) differ++;
      expect(differ).toBe(0);
      tfc.dispose([x, dy, g]);
    });
    test('max pooling gradient with tied maxima goes to the first', async () => {
      await k.setBackend('native');
      const x = tfc.ones([1, 2, 2, 1]) as tfc.Tensor4D;
      const dy = tfc.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
      const [g] = tfc.grads((a: tfc.Tensor) => tfc.sum(tfc.mul(tfc.maxPool(a as tfc.Tensor4D, 3, 1, 'same'), dy)))([x]);
      expect(Array.from(g.dataSync())).toEqual([10, 0, 0, 0]);
      // A 2x2 window holding -2, 5, 5, -1 (channel 0) and 7, 7, 7, 7 (channel 1): dy 3 and 4 go to index 1 and 0.
      const x2 = tfc.tensor4d([-2, 7, 5, 7, 5, 7, -1, 7], [1, 2, 2, 2]);
      const dy2 = tfc.tensor4d([3, 4], [1, 1, 1, 2]);
      const [g2] = tfc.grads((a: tfc.Tensor) => tfc.sum(tfc.mul(tfc.maxPool(a as tfc.Tensor4D, 2, 2, 'valid'), dy2)))([x2]);
      expect(Array.from(g2.dataSync())).toEqual([0, 4, 3, 0, 0, 0, 0, 0]);
      // Windows of NaN and -infinity pass no gradient (nothing is '>' -infinity); a NaN beside a
      // number loses to it. Channel 0: NaN, 1, NaN, 0 -> dy 5 at index 1; channel 1: all -infinity.
      const x3 = tfc.tensor4d([NaN, -Infinity, 1, -Infinity, NaN, -Infinity, 0, -Infinity], [1, 2, 2, 2]);
      const dy3 = tfc.tensor4d([5, 6], [1, 1, 1, 2]);
      const [g3] = tfc.grads((a: tfc.Tensor) => tfc.sum(tfc.mul(tfc.maxPool(a as tfc.Tensor4D, 2, 2, 'valid'), dy3)))([x3]);
      expect(Array.from(g3.dataSync())).toEqual([0, 0, 5, 0, 0, 0, 0, 0]);
      tfc.dispose([x, dy, g, x2, dy2, g2, x3, dy3, g3]);
    });
    // With 'same' padding tfjs-backend-cpu averages over the pixels inside the image (as TensorFlow
    // does) but its gradient divides by the whole window; the native gradient is that of the average
    // it computes, checked here against a loop over the windows.
    test('average pooling with same padding: the gradient of the average taken', async () => {
      await k.setBackend('native');
      const [n, h, w, c, size, stride] = [2, 7, 5, 2, 3, 2];
      const x = tensor([n, h, w, c], 1) as tfc.Tensor4D;
      const y = tfc.avgPool(x, size, stride, 'same');
      const [, oh, ow] = y.shape;
      const r = tensor(y.shape, 2);
      const [g] = tfc.grads((a: tfc.Tensor) => tfc.sum(tfc.mul(tfc.avgPool(a as tfc.Tensor4D, size, stride, 'same'), r)))([x]);
      const pad = (len: number, out: number): number => Math.floor(Math.max((out - 1) * stride + size - len, 0) / 2);
      const [pt, pl] = [pad(h, oh), pad(w, ow)];
      const want = new Array(n * h * w * c).fill(0);
      const rv = r.dataSync();
      for (let b = 0; b < n; b++)
        for (let i = 0; i < oh; i++)
          for (let j = 0; j < ow; j++) {
            const rows = [...Array(size).keys()].map((q) => i * stride - pt + q).filter((q) => q >= 0 && q < h);
            const cols = [...Array(size).keys()].map((q) => j * stride - pl + q).filter((q) => q >= 0 && q < w);
            for (const ch of [...Array(c).keys()])
              for (const p of rows) for (const q of cols) want[((b * h + p) * w + q) * c + ch] += rv[((b * oh + i) * ow + j) * c + ch] / (rows.length * cols.length);
          }
      Array.from(g.dataSync()).forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-5));
      tfc.dispose([x, y, r, g]);
      await k.setBackend('cpu');
    });
  });
});
