/**
 * The native kernels the applications and the recurrent layers need (issues 21 and 23): depthwise
 * convolutions (forward, fused with bias and activation, both backprops), Reverse, and the data
 * movement of Bidirectional LSTMs. Each against tfjs-backend-cpu's kernel on random inputs, with
 * no fallback (match_cpu.ts). Where tfjs-backend-cpu is itself wrong (its depthwise backprops
 * ignore dilations), the reference is the same backprop through the explicitly dilated filter.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../../src';
import { affineTransform, AffineInterpolation, FillMode } from '../../../src/ops/affine_transform';
import { displacementTransform } from '../../../src/ops/displacement_transform';
import { nativeBuilt } from '../../helpers';
import { matches, random } from './match_cpu';

const onNative = nativeBuilt() ? describe : describe.skip;
type Pad = 'same' | 'valid' | number[][];
type Pair = [number, number];

function depthwise(x: tfc.Tensor, f: tfc.Tensor, strides: number | Pair, pad: Pad, dilations: number | Pair = 1): tfc.Tensor4D {
  return tfc.depthwiseConv2d(x as tfc.Tensor4D, f as tfc.Tensor4D, strides, pad as 'same', 'NHWC', dilations);
}

/** The filter [kh, kw, c, m] with d - 1 zero rows and columns between its taps. */
function dilated(f: tfc.Tensor, d: number): tfc.Tensor {
  const [kh, kw, c, m] = f.shape;
  const v = f.arraySync() as number[][][][];
  const out = Array.from({ length: (kh - 1) * d + 1 }, (_, i) =>
    Array.from({ length: (kw - 1) * d + 1 }, (_, j) => (i % d === 0 && j % d === 0 ? v[i / d][j / d] : Array.from({ length: c }, () => new Array(m).fill(0)))));
  return tfc.tensor4d(out);
}

onNative('native kernels of the applications and sequence models match tfjs-backend-cpu', () => {
  afterAll(async () => {
    await k.setBackend('cpu');
  });

  describe('depthwise convolution', () => {
    // [name, x shape, filter shape [kh, kw, c, multiplier], strides, padding]
    const cases: Array<[string, number[], number[], number | Pair, Pad]> = [
      ['3x3 same, multiplier 1', [2, 7, 6, 3], [3, 3, 3, 1], 1, 'same'],
      ['3x3 same, stride 2, odd sizes, multiplier 2', [2, 7, 5, 3], [3, 3, 3, 2], 2, 'same'],
      ['3x3 valid, stride 2 leaving a row unread', [1, 8, 8, 4], [3, 3, 4, 1], 2, 'valid'],
      ['2x3 valid, strides 2 and 1, multiplier 3', [3, 8, 7, 2], [2, 3, 2, 3], [2, 1], 'valid'],
      ['5x5 explicit pads, batch 1', [1, 9, 8, 5], [5, 5, 5, 1], 1, [[0, 0], [1, 2], [2, 0], [0, 0]]],
      ['1x1, 16 channels (a blocked layout)', [2, 4, 4, 16], [1, 1, 16, 1], 1, 'valid'],
      ['an empty batch', [0, 5, 5, 2], [3, 3, 2, 1], 1, 'same'],
    ];
    test.each(cases)('forward, %s', async (_name, xs, fs, s, pad) => matches(() => depthwise(random(xs, 1), random(fs, 2), s, pad), 1e-5));
    test.each(cases)('gradients (both backprops), %s', async (_name, xs, fs, s, pad) =>
      matches(() => {
        const [x, f] = [random(xs, 1), random(fs, 2)];
        const r = random(depthwise(x, f, s, pad).shape, 3);
        return tfc.grads((a: tfc.Tensor, b: tfc.Tensor) => tfc.sum(tfc.mul(depthwise(a, b, s, pad), r)))([x, f]);
      }, 1e-5));
    test('dilation 2, forward', async () => matches(() => depthwise(random([2, 9, 8, 3], 1), random([3, 3, 3, 2], 2), 1, 'same', 2), 1e-5));
    test.each(['linear', 'relu', 'relu6', 'elu', 'sigmoid'] as tfc.fused.Activation[])('fused with bias and %s, and its gradients', async (activation) =>
      matches(() => {
        const [x, f, bias] = [random([2, 6, 5, 3], 1) as tfc.Tensor4D, random([3, 3, 3, 2], 2) as tfc.Tensor4D, random([6], 3)];
        const fused = (a: tfc.Tensor, b: tfc.Tensor, c: tfc.Tensor): tfc.Tensor4D =>
          tfc.fused.depthwiseConv2d({ x: a as tfc.Tensor4D, filter: b as tfc.Tensor4D, strides: 1, pad: 'same', bias: c, activation });
        const y = fused(x, f, bias);
        const r = random(y.shape, 4);
        return activation === 'linear' || activation === 'relu'
          ? [y, ...tfc.grads((a: tfc.Tensor, b: tfc.Tensor, c: tfc.Tensor) => tfc.sum(tfc.mul(fused(a, b, c), r)))([x, f, bias])]
          : [y];
      }, 1e-5));

    // tfjs-backend-cpu's depthwise backprops ignore dilations: the reference is the undilated backprop
    // through the filter with zeros between its taps (on native itself, checked above against cpu).
    test('dilation 2, both backprops against the explicitly dilated filter', async () => {
      await k.setBackend('native');
      const before = tfc.memory().numTensors;
      const [x, f] = [random([2, 9, 8, 3], 1), random([3, 3, 3, 2], 2)];
      const fd = dilated(f, 2);
      const dy = random([2, 9, 8, 6], 3);
      const run = (name: string, inputs: Record<string, tfc.Tensor>, attrs: Record<string, unknown>): tfc.Tensor =>
        tfc.engine().runKernel(name, inputs as tfc.NamedTensorMap, { strides: [1, 1], pad: 'same', ...attrs } as unknown as tfc.NamedAttrMap) as tfc.Tensor;
      const dx = run('DepthwiseConv2dNativeBackpropInput', { dy, filter: f }, { dilations: [2, 2], inputShape: x.shape });
      const dxRef = run('DepthwiseConv2dNativeBackpropInput', { dy, filter: fd }, { dilations: [1, 1], inputShape: x.shape });
      const df = run('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { dilations: [2, 2], filterShape: f.shape });
      const dfFull = run('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { dilations: [1, 1], filterShape: fd.shape });
      const dfRef = tfc.stridedSlice(dfFull, [0, 0, 0, 0], fd.shape, [2, 2, 1, 1]);
      const largest = (t: tfc.Tensor): number => tfc.tidy(() => tfc.max(tfc.abs(t)).dataSync()[0]);
      expect(tfc.tidy(() => largest(tfc.sub(dx, dxRef)))).toBeLessThan(1e-5);
      expect(tfc.tidy(() => largest(tfc.sub(df, dfRef)))).toBeLessThan(1e-4);
      expect(largest(dx)).toBeGreaterThan(0.1);
      expect(largest(df)).toBeGreaterThan(0.1);
      tfc.dispose([x, f, fd, dy, dx, dxRef, df, dfFull, dfRef]);
      expect(tfc.memory().numTensors).toBe(before);
    });
  });

  describe('reverse', () => {
    const cases: Array<[string, number[], number[]]> = [
      ['the first axis of [7, 3, 5] (time-major sequences)', [7, 3, 5], [0]],
      ['the middle axis of [3, 7, 5] (batch-major sequences)', [3, 7, 5], [1]],
      ['the last axis', [4, 6], [1]],
      ['axes 0 and 2', [3, 4, 5], [0, 2]],
      ['every axis of a 4-d tensor', [2, 3, 1, 4], [0, 1, 2, 3]],
      ['a 1-d tensor', [9], [0]],
      ['an axis of size 1 and a negative axis', [3, 1, 4], [1, -1]],
      ['nothing (an empty axis list)', [2, 3], []],
      ['an empty tensor', [0, 3], [1]],
    ];
    test.each(cases)('%s', async (_name, shape, axes) => matches(() => tfc.reverse(random(shape, 1), axes)));
    test('int32 and bool', async () =>
      matches(() => [tfc.reverse(tfc.cast(tfc.mul(random([3, 4], 1), 10), 'int32'), 1), tfc.reverse(tfc.greater(random([4, 3], 2), 0), [0, 1])]));
    test('its gradient', async () => matches(() => tfc.grad((a: tfc.Tensor) => tfc.sum(tfc.mul(tfc.reverse(a, 1), random([3, 5, 2], 2))))(random([3, 5, 2], 1))));
  });

  // ops/image_sampling.ts (under the affine and displacement transforms) runs as keras-ts's own kernel on
  // native, as gathers (or a host loop) on cpu: the same arithmetic. Projective rows (c0, c1 not 0) and
  // coordinates far outside the image.
  describe('the images\' sampler (KerasImageSample) under affineTransform and displacementTransform', () => {
    const rows = [0.9, -0.35, 1.7, 0.3, 1.1, -2.4, 0.02, -0.015, 1.6, 0.2, -7.3, -0.1, 1.3, 3.1, 0, 0, -1, 0, 6.5, 0, 1, 0.5, 0, 0];
    const modes = ['reflect', 'wrap', 'constant', 'nearest'] as FillMode[];
    const cases = modes.flatMap((m) => (['bilinear', 'nearest'] as AffineInterpolation[]).map((i): [FillMode, AffineInterpolation] => [m, i]));
    test.each(cases)('fillMode %s, %s: forward and gradient, a row per image', async (fillMode, interpolation) =>
      matches(() => {
        const x = random([3, 7, 6, 2], 1);
        const r = random([3, 7, 6, 2], 2);
        const options = { fillMode, interpolation, fillValue: fillMode === 'constant' ? 0.25 : 0 };
        const y = affineTransform(x, rows, options);
        return [y, tfc.grad((a: tfc.Tensor) => tfc.sum(tfc.mul(affineTransform(a, rows, options), r)))(x)];
      }, 1e-5));
    test('one image [h, w, c], one row', async () => matches(() => affineTransform(random([5, 4, 3], 1), rows.slice(0, 8), { fillMode: 'reflect' }), 1e-6));
    test.each(modes)('displacementTransform, fillMode %s, and its gradient', async (fillMode) =>
      matches(() => {
        const x = random([2, 6, 5, 3], 1);
        const [dx, dy] = [random([2, 6, 5], 2), random([2, 6, 5], 3)].map((t) => Array.from(t.dataSync()).map((v) => 3 * v));
        const options = { fillMode, fillValue: 0.5 };
        const r = random([2, 6, 5, 3], 4);
        return [displacementTransform(x, dx, dy, options), tfc.grad((a: tfc.Tensor) => tfc.sum(tfc.mul(displacementTransform(a, dx, dy, options), r)))(x)];
      }, 1e-5));
  });

  // The kernels an IMDB Bidirectional LSTM fit ran on the CPU fallback (issue 23's count), MirrorPad, and
  // Slice of any block (the gradient of a pad).
  describe('stack, unstack, pads and segment sums', () => {
    const ints = (shape: number[], seed: number): tfc.Tensor => tfc.cast(tfc.mul(random(shape, seed), 9), 'int32');
    const cases: Array<[string, () => tfc.Tensor | tfc.Tensor[]]> = [
      ['stack along axes 0, 1, 2 and -1', () => [0, 1, 2, -1].map((a) => tfc.stack([random([3, 4], 1), random([3, 4], 2), random([3, 4], 3)], a))],
      ['stack of int32 and bool', () => [tfc.stack([ints([2, 3], 1), ints([2, 3], 2)], 1), tfc.stack([tfc.greater(random([4], 1), 0), tfc.less(random([4], 2), 0)])]],
      ['unstack along axes 0, 1 and -1', () => [0, 1, -1].flatMap((a) => tfc.unstack(random([3, 4, 2], 1), a))],
      ['stack and unstack gradients', () =>
        tfc.grads((a: tfc.Tensor, c: tfc.Tensor) => tfc.sum(tfc.mul(tfc.stack([a, c], 1), random([3, 2, 5], 3))))([random([3, 5], 1), random([3, 5], 2)])],
      ['pad with a constant, every axis', () => tfc.pad(random([2, 3, 4], 1), [[1, 0], [2, 3], [0, 2]], 0.5)],
      ['pad of the last axis only, and of int32', () => [tfc.pad(random([3, 5], 1), [[0, 0], [2, 1]]), tfc.pad(ints([3, 2], 2), [[1, 1], [0, 1]], 7)]],
      ['pad of an image batch (ZeroPadding2D) and its gradient', () => {
        const x = random([2, 5, 4, 3], 1);
        const pads: Array<[number, number]> = [[0, 0], [1, 1], [0, 2], [0, 0]];
        return [tfc.pad(x, pads), tfc.grad((a: tfc.Tensor) => tfc.sum(tfc.mul(tfc.pad(a, pads), random([2, 7, 6, 3], 2))))(x)];
      }],
      ['mirror pad, reflect and symmetric', () => (['reflect', 'symmetric'] as const).map((m) => tfc.mirrorPad(random([3, 4, 5], 1), [[2, 1], [0, 3], [3, 2 + (m === 'symmetric' ? 1 : 0)]], m))],
      ['slice of an inner block (a crop), float32 and bool', () =>
        [tfc.slice(random([4, 5, 6], 1), [1, 2, 3], [2, 2, 3]), tfc.slice(tfc.greater(random([3, 4], 2), 0), [0, 1], [3, 2]), tfc.slice(random([2, 3], 3), [0, 1], [2, 0])]],
      ['unsorted segment sum, ids out of range skipped', () =>
        tfc.unsortedSegmentSum(random([6, 3, 2], 1), tfc.tensor1d([2, 0, 2, -1, 4, 9], 'int32'), 5)],
      ['unsorted segment sum of int32, wide rows', () => tfc.unsortedSegmentSum(ints([5, 130], 1), tfc.tensor1d([1, 1, 0, 3, 1], 'int32'), 4)],
      // native's own Sum and Mean gradients (a Tile of dy, backend/native/profile.ts) against tfjs-core's (dy times ones)
      ['sum and mean gradients over one axis, two axes, every axis, with keepDims', () => {
        const w = random([3, 4, 5], 2);
        return [[1], [0, 2], undefined].flatMap((axis) => [false, true].flatMap((keep) => [
          tfc.grad((a: tfc.Tensor) => tfc.sum(tfc.mul(tfc.sum(tfc.mul(a, w), axis, keep), tfc.onesLike(tfc.sum(w, axis, keep)).mul(1.5))))(random([3, 4, 5], 1)),
          tfc.grad((a: tfc.Tensor) => tfc.sum(tfc.mul(tfc.mean(tfc.mul(a, w), axis, keep), tfc.sum(w, axis, keep))))(random([3, 4, 5], 3)),
        ]));
      }],
      ['gather\'s gradient (an Embedding\'s)', () =>
        tfc.grad((t: tfc.Tensor) => tfc.sum(tfc.mul(tfc.gather(t, tfc.tensor2d([[3, 1, 3], [0, 3, 2]], [2, 3], 'int32')), random([2, 3, 4], 2))))(random([5, 4], 1))],
    ];
    test.each(cases)('%s', async (_name, f) => matches(f, 1e-6));
  });
});
