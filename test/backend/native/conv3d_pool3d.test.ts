/**
 * The native 3-D kernels (issue 23's zero fallbacks): Conv3D, Conv3DBackpropInputV2,
 * Conv3DBackpropFilterV2, MaxPool3D, AvgPool3D, MaxPool3DGrad, AvgPool3DGrad. Each against
 * tfjs-backend-cpu's kernel with no fallback (match_cpu.ts) for strides, dilations and both
 * paddings, and against PyTorch's conv3d / max_pool3d / avg_pool3d and their autograd
 * (test/reference/conv3d_pool3d_reference.py, numbers in conv3d_pool3d_references.ts). Where
 * tfjs-backend-cpu's AvgPool3DGrad is itself wrong ('same' edges: it divides by the whole window),
 * the reference is PyTorch's alone.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../../src';
import { nativeBuilt } from '../../helpers';
import { matches, random } from './match_cpu';
import { TORCH } from './conv3d_pool3d_references';

const onNative = nativeBuilt() ? describe : describe.skip;
type Triple = [number, number, number];
type Pad = 'same' | 'valid';

const conv = (x: tfc.Tensor, f: tfc.Tensor, strides: number | Triple, pad: Pad, dilations: number | Triple = 1): tfc.Tensor =>
  tfc.conv3d(x as tfc.Tensor5D, f as tfc.Tensor5D, strides, pad, 'NDHWC', dilations);

/** d/dx and d/dfilter of sum(conv3d(x, f) * w): both backprop kernels. */
function convGrads(x: tfc.Tensor, f: tfc.Tensor, strides: number | Triple, pad: Pad, wSeed: number): tfc.Tensor[] {
  const y = conv(x, f, strides, pad);
  const w = random(y.shape, wSeed);
  return tfc.grads((a: tfc.Tensor, b: tfc.Tensor) => tfc.sum(tfc.mul(conv(a, b, strides, pad), w)))([x, f]);
}

type PoolFn = (x: tfc.Tensor5D, size: Triple, strides: Triple, pad: Pad) => tfc.Tensor5D;
const maxPool: PoolFn = (x, size, strides, pad) => tfc.maxPool3d(x, size, strides, pad);
const avgPool: PoolFn = (x, size, strides, pad) => tfc.avgPool3d(x, size, strides, pad);

/** The pooling and d/dx of sum(pool(x) * w). */
function poolAndGrad(pool: PoolFn, x: tfc.Tensor, size: Triple, strides: Triple, pad: Pad, wSeed: number): tfc.Tensor[] {
  const y = pool(x as tfc.Tensor5D, size, strides, pad);
  const w = random(y.shape, wSeed);
  return [y, tfc.grad((a: tfc.Tensor) => tfc.sum(tfc.mul(pool(a as tfc.Tensor5D, size, strides, pad), w)))(x)];
}

function close(got: tfc.Tensor, want: number[], shape: number[], tol = 1e-4): void {
  expect(got.shape).toEqual(shape);
  const v = got.dataSync();
  want.forEach((w, i) => {
    if (Math.abs(v[i] - w) > tol * Math.max(1, Math.abs(w))) throw new Error(`[${i}]: ${tfc.getBackend()} ${v[i]}, PyTorch ${w}`);
  });
}

onNative('native 3-D convolution and pooling kernels', () => {
  afterAll(async () => {
    await k.setBackend('cpu');
  });

  describe('match tfjs-backend-cpu', () => {
    const x = (): tfc.Tensor => random([2, 5, 6, 4, 3], 1);
    const f = (): tfc.Tensor => random([2, 3, 2, 3, 4], 2);
    test.each<[string, number | Triple, Pad, number | Triple]>([
      ['stride 1, valid', 1, 'valid', 1],
      ['strides [2, 1, 2], same', [2, 1, 2], 'same', 1],
      ['strides [1, 3, 2], valid (cells no window reaches)', [1, 3, 2], 'valid', 1],
      ['dilations [2, 1, 2], same', 1, 'same', [2, 1, 2]],
      ['dilations [1, 2, 1], valid', 1, 'valid', [1, 2, 1]],
    ])('Conv3D, %s', async (_, strides, pad, dilations) => matches(() => conv(x(), f(), strides, pad, dilations), 1e-5));
    test.each<[string, number | Triple, Pad]>([
      ['stride 1, valid', 1, 'valid'], ['strides [2, 1, 2], same', [2, 1, 2], 'same'], ['strides [1, 3, 2], valid', [1, 3, 2], 'valid'],
      ['strides 2, same', 2, 'same'],
    ])('Conv3D\'s gradients (both backprops), %s', async (_, strides, pad) => matches(() => convGrads(x(), f(), strides, pad, 3), 1e-5));
    // tfjs's conv3dTranspose is Conv3DBackpropInputV2 alone (it has no gradient; the layer runs conv3d).
    test('conv3dTranspose (Conv3DBackpropInputV2 as the op): strides [2, 1, 2], same', async () =>
      matches(() => tfc.conv3dTranspose(random([2, 5, 6, 4, 3], 4) as tfc.Tensor5D, random([2, 3, 2, 2, 3], 5) as tfc.Tensor5D, [2, 10, 6, 8, 2], [2, 1, 2], 'same'), 1e-5));
    test('a batch of one and an empty batch', async () =>
      matches(() => [conv(random([1, 3, 3, 3, 2], 6), random([2, 2, 2, 2, 1], 7), 1, 'same'), conv(tfc.zeros([0, 3, 3, 3, 2]), random([2, 2, 2, 2, 1], 7), 1, 'same'),
        tfc.maxPool3d(tfc.zeros([0, 3, 3, 3, 2]) as tfc.Tensor5D, 2, 1, 'same')]));

    const p = (): tfc.Tensor => random([2, 5, 7, 6, 3], 8);
    test.each<[string, Triple, Triple, Pad]>([
      ['2x2x2, stride 2, valid', [2, 2, 2], [2, 2, 2], 'valid'],
      ['[2, 3, 2], strides [2, 2, 1], same', [2, 3, 2], [2, 2, 1], 'same'],
      ['[3, 2, 3], strides [1, 3, 2], valid', [3, 2, 3], [1, 3, 2], 'valid'],
      ['[1, 2, 2], stride 1, same', [1, 2, 2], [1, 1, 1], 'same'],
    ])('MaxPool3D and AvgPool3D: %s', async (_, size, strides, pad) =>
      matches(() => [maxPool(p() as tfc.Tensor5D, size, strides, pad), avgPool(p() as tfc.Tensor5D, size, strides, pad)], 1e-5));
    // Only windows as high as wide: tfjs-backend-cpu's maxPool3dPositions numbers a window's cells
    // with its height where its width belongs (wRow * effectiveFilterHeight), so its MaxPool3DGrad
    // is wrong otherwise; PyTorch checks those below.
    test.each<[string, Triple, Triple, Pad]>([
      ['2x2x2, stride 2, valid', [2, 2, 2], [2, 2, 2], 'valid'],
      ['[3, 2, 2], strides [2, 1, 2], same', [3, 2, 2], [2, 1, 2], 'same'],
      ['[1, 3, 3], strides [1, 2, 1], valid', [1, 3, 3], [1, 2, 1], 'valid'],
    ])('MaxPool3DGrad: %s', async (_, size, strides, pad) => matches(() => poolAndGrad(maxPool, p(), size, strides, pad, 9), 1e-5));
    // 'same' too: on cpu the gradient override (avg_pool_gradient.ts) makes tfjs's kernel exact.
    test.each<[string, Triple, Triple, Pad]>([
      ['[2, 3, 2], strides [2, 2, 1], valid', [2, 3, 2], [2, 2, 1], 'valid'],
      ['[2, 3, 2], strides [2, 2, 1], same', [2, 3, 2], [2, 2, 1], 'same'],
      ['[3, 3, 3], stride 1, same', [3, 3, 3], [1, 1, 1], 'same'],
    ])('AvgPool3D\'s gradient (AvgPool3DGrad): %s', async (_, size, strides, pad) => matches(() => poolAndGrad(avgPool, p(), size, strides, pad, 9), 1e-5));
  });

  describe('match PyTorch (conv3d_pool3d_reference.py)', () => {
    beforeAll(async () => {
      await k.setBackend('native');
    });
    test.each(Object.entries(TORCH.conv))('conv3d %s: output and both gradients', (_, c) => {
      const before = tfc.memory().numTensors;
      k.resetFallbackReport();
      tfc.tidy(() => {
        const [x, f] = [random(c.x, 11), random(c.filter, 12)];
        const y = conv(x, f, c.strides as Triple, c.pad as Pad, c.dilations as Triple);
        close(y, c.y, c.yShape);
        if (c.dx.length === 0) return; // tfjs has no gradient of dilated 3-D convolutions
        const [dx, df] = convGrads(x, f, c.strides as Triple, c.pad as Pad, 13);
        close(dx, c.dx, c.x);
        close(df, c.dfilter, c.filter);
      });
      expect(k.backendReport().fallbacks).toEqual({});
      expect(tfc.memory().numTensors).toBe(before);
    });
    test.each(Object.entries(TORCH.pool))('%s: output and gradient', (name, c) => {
      const before = tfc.memory().numTensors;
      k.resetFallbackReport();
      tfc.tidy(() => {
        const [y, dx] = poolAndGrad(name.startsWith('max') ? maxPool : avgPool, random(c.x, 14), c.size as Triple, c.strides as Triple, c.pad as Pad, 15);
        close(y, c.y, c.yShape);
        close(dx, c.dx, c.x);
      });
      expect(k.backendReport().fallbacks).toEqual({});
      expect(tfc.memory().numTensors).toBe(before);
    });
    test('the AvgPool3DGrad kernel itself divides \'same\' edges by the real cells', () => {
      const c = TORCH.pool['avg [2, 3, 2], strides [2, 2, 1], same'];
      tfc.tidy(() => {
        const x = random(c.x, 14);
        const y = avgPool(x as tfc.Tensor5D, c.size as Triple, c.strides as Triple, 'same');
        const dy = random(y.shape, 15);
        const dx = tfc.engine().runKernel('AvgPool3DGrad', { dy, input: x }, { filterSize: c.size, strides: c.strides, pad: 'same' }) as tfc.Tensor;
        close(dx, c.dx, c.x);
      });
    });
  });
});

// tfjs-backend-cpu's MaxPool3DGrad (wasm falls back to it) hands dy to the wrong cells when the
// window is not as high as wide; the cpu and wasm profiles override that gradient
// (src/backend/max_pool3d_gradient.ts). The same PyTorch values, on those backends.
describe.each(['cpu', 'wasm'] as const)('3-D pooling on %s matches PyTorch', (backend) => {
  beforeAll(async () => {
    await k.setBackend(backend);
  });
  test.each(Object.entries(TORCH.pool))('%s: output and gradient', (name, c) => {
    const before = tfc.memory().numTensors;
    tfc.tidy(() => {
      const [y, dx] = poolAndGrad(name.startsWith('max') ? maxPool : avgPool, random(c.x, 14), c.size as Triple, c.strides as Triple, c.pad as Pad, 15);
      close(y, c.y, c.yShape);
      close(dx, c.dx, c.x);
    });
    expect(tfc.memory().numTensors).toBe(before);
  });
});
