/**
 * The kernels issue 23's fallback survey (no_fallback_families.test.ts) found on tfjs's JavaScript
 * CPU kernels, now in the addon (native/cpu/fallback_ops.cc, resize.cc): each against
 * tfjs-backend-cpu's kernel (an independent implementation) on random inputs, with no fallback
 * (match_cpu.ts). tfjs-backend-cpu's resize gradients ignore halfPixelCenters (and have shape and
 * batch bugs, named below), so every native resize gradient is also checked as the adjoint of
 * tfjs-backend-cpu's forward: <resize(x), dy> = <x, grad(dy)>.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../../src';
import { nativeBuilt } from '../../helpers';
import { matches, random } from './match_cpu';

const onNative = nativeBuilt() ? describe : describe.skip;

/** Values from a few levels, so comparisons meet equal pairs. */
const levels = (shape: number[], seed: number, dtype: 'float32' | 'int32' = 'float32'): tfc.Tensor =>
  tfc.tensor(Array.from(random(shape, seed).dataSync(), (v) => Math.round(2 * v)), shape, dtype);
const bools = (shape: number[], seed: number): tfc.Tensor => tfc.tidy(() => random(shape, seed).greater(0.2));

onNative('native kernels that replaced CPU fallbacks match tfjs-backend-cpu', () => {
  afterAll(async () => {
    await k.setBackend('cpu');
  });

  test('LeakyRelu, Erf (GELU) and EluGrad', async () => {
    await matches(() => tfc.leakyRelu(random([3, 50], 1).mul(3), 0.3));
    await matches(() => tfc.erf(random([4, 40], 2).mul(3)), 2e-6); // tfjs: Abramowitz-Stegun 7.1.26, error < 1.5e-7
    await matches(() => tfc.grad((x: tfc.Tensor) => tfc.elu(x).mul(random([5, 20], 4)).sum())(random([5, 20], 3).mul(2)));
  });

  test.each([
    ['same shapes', [4, 6], [4, 6]], ['broadcast both ways', [3, 1, 5], [4, 1]], ['a scalar', [2, 3], []], ['a scalar first', [], [7]],
  ])('NotEqual, LogicalOr and LogicalNot, %s', async (_n, a, b) => {
    await matches(() => tfc.notEqual(levels(a, 5), levels(b, 6)));
    await matches(() => tfc.notEqual(levels(a, 7, 'int32'), levels(b, 8, 'int32')));
    await matches(() => tfc.notEqual(bools(a, 9), bools(b, 10)));
    await matches(() => tfc.logicalOr(bools(a, 11), bools(b, 12)));
    await matches(() => tfc.logicalNot(bools(a, 13)));
    await matches(() => tfc.equal(bools(a, 14), bools(b, 15)));
  });

  test('Mean of bools (an accuracy), over every axis and over one', async () => {
    await matches(() => tfc.mean(bools([4, 6], 16)));
    await matches(() => tfc.mean(bools([4, 6], 17), 1));
  });

  test.each([
    ['the last axis', [3, 4, 5], -1, false], ['a middle axis, keepDims', [3, 4, 5], 1, true], ['two outer axes', [3, 4, 5], [0, 2], false],
    ['every axis', [2, 3], null, false],
  ])('All and Any over %s', async (_n, shape, axis, keepDims) => {
    const ax = (axis ?? undefined) as number | number[] | undefined;
    await matches(() => tfc.all(bools(shape as number[], 13), ax, keepDims as boolean));
    await matches(() => tfc.any(bools(shape as number[], 14), ax, keepDims as boolean));
    await matches(() => tfc.all(tfc.ones(shape as number[], 'bool'), ax, keepDims as boolean));
    await matches(() => tfc.any(tfc.zeros(shape as number[], 'bool'), ax, keepDims as boolean));
  });

  test('All and Any over an empty axis: true and false (tfjs-backend-cpu reads past the row: by hand)', async () => {
    await k.setBackend('native');
    k.resetFallbackReport();
    expect(Array.from(tfc.tidy(() => tfc.all(tfc.zeros([3, 0, 2], 'bool'), 1).dataSync()))).toEqual([1, 1, 1, 1, 1, 1]);
    expect(Array.from(tfc.tidy(() => tfc.any(tfc.ones([3, 0, 2], 'bool'), 1).dataSync()))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(k.backendReport().fallbacks).toEqual({});
  });

  test('Tile on float32, int32 and bool, along inner and outer axes', async () => {
    await matches(() => tfc.tile(random([2, 3, 1], 15), [2, 1, 3]));
    await matches(() => tfc.tile(random([5], 16), [4]));
    await matches(() => tfc.tile(levels([3, 2], 17, 'int32'), [1, 5]));
    await matches(() => tfc.tile(bools([2, 2, 2], 18), [3, 2, 1]));
    await matches(() => tfc.tile(random([2, 0], 19), [2, 2]));
  });

  test('GatherV2 along inner axes, with repeated indices and 2-D indices', async () => {
    await matches(() => tfc.gather(random([3, 5, 4], 20), tfc.tensor1d([4, 0, 0, 2], 'int32'), 1));
    await matches(() => tfc.gather(random([3, 5, 4], 21), tfc.tensor2d([[3, 1], [0, 3]], [2, 2], 'int32'), 2));
    await matches(() => tfc.gather(levels([2, 6], 22, 'int32'), tfc.tensor1d([5, 1], 'int32'), -1));
    await matches(() => tfc.gather(bools([2, 3, 2], 23), tfc.tensor1d([2, 2, 0], 'int32'), 1));
    // Enough rows (outer 2 x 600 gathered, 512 each: 614,400 elements) that the copy splits among threads
    const many = tfc.tensor1d(Array.from({ length: 600 }, (_, i) => (i * 37) % 700), 'int32');
    await matches(() => tfc.gather(random([2, 700, 512], 24), many, 1));
  });

  // [name, x shape, new size, alignCorners, halfPixelCenters]
  const resizes: Array<[string, number[], [number, number], boolean, boolean]> = [
    ['upsampling', [2, 3, 4, 2], [7, 9], false, false],
    ['downsampling', [1, 9, 8, 3], [4, 3], false, false],
    ['alignCorners', [2, 4, 5, 1], [7, 3], true, false],
    ['halfPixelCenters up', [2, 3, 4, 2], [8, 6], false, true],
    ['halfPixelCenters down', [1, 9, 7, 2], [4, 5], false, true],
    ['to one pixel', [1, 3, 3, 2], [1, 1], true, false],
    ['square, upsampling', [1, 4, 4, 3], [6, 6], false, false],
    ['square, alignCorners', [1, 5, 5, 2], [3, 3], true, false],
  ];
  test.each(resizes)('ResizeBilinear and ResizeNearestNeighbor forward, %s', async (_n, shape, size, ac, hp) => {
    await matches(() => tfc.image.resizeBilinear(random(shape, 24) as tfc.Tensor4D, size, ac, hp), 1e-5);
    await matches(() => tfc.image.resizeNearestNeighbor(random(shape, 25) as tfc.Tensor4D, size, ac, hp));
  });

  const grad = (nearest: boolean, shape: number[], size: [number, number], ac: boolean, hp: boolean) => (): tfc.Tensor =>
    tfc.grad((x: tfc.Tensor) => {
      const y = nearest ? tfc.image.resizeNearestNeighbor(x as tfc.Tensor4D, size, ac, hp) : tfc.image.resizeBilinear(x as tfc.Tensor4D, size, ac, hp);
      return y.mul(random(y.shape, 26)).sum();
    })(random(shape, 27));
  // tfjs-backend-cpu's ResizeBilinearGrad labels its result [n, w, h, c], and its
  // ResizeNearestNeighborGrad reads dy at the images' batch offset: only square single images compare.
  test.each(resizes.filter((c) => !c[4] && c[1][1] === c[1][2]))('resize gradients without halfPixelCenters as tfjs-backend-cpu, %s', async (_n, shape, size, ac, hp) => {
    await matches(grad(false, shape, size, ac, hp), 1e-5);
    await matches(grad(true, shape, size, ac, hp), 1e-5);
  });

  test.each(resizes)('resize gradients: the adjoint of tfjs-backend-cpu\'s forward, %s', async (_n, shape, size, ac, hp) => {
    for (const nearest of [false, true]) {
      await k.setBackend('cpu');
      const forward = tfc.tidy(() => {
        const x = random(shape, 28) as tfc.Tensor4D;
        const y = nearest ? tfc.image.resizeNearestNeighbor(x, size, ac, hp) : tfc.image.resizeBilinear(x, size, ac, hp);
        return y.mul(random(y.shape, 26)).sum().dataSync()[0]; // <resize(x), dy>
      });
      await k.setBackend('native');
      k.resetFallbackReport();
      const before = tfc.memory().numTensors;
      const viaGrad = tfc.tidy(() => grad(nearest, shape, size, ac, hp)().mul(random(shape, 28)).sum().dataSync()[0]); // <x, grad(dy)>
      expect(Math.abs(viaGrad - forward)).toBeLessThan(1e-4 * Math.max(1, Math.abs(forward)));
      expect(k.backendReport().fallbacks).not.toHaveProperty(nearest ? 'ResizeNearestNeighborGrad' : 'ResizeBilinearGrad');
      expect(tfc.memory().numTensors).toBe(before);
    }
  });
});
