/**
 * The TypeScript side of the 'cuda' backend on a host-memory stand-in for the addon: every native
 * kernel against the cpu backend, a training epoch with the same losses, and no leaked buffers.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { registerCpuFallbacks } from '../../src/backend/cpu_fallback';
import { CudaBackend } from '../../src/backend/cuda/cuda_backend';
import { registerCudaKernels, nativeCounts } from '../../src/backend/cuda/kernels';
import { fakeAddon } from './fake_addon';

const addon = fakeAddon();

beforeAll(async () => {
  await k.setBackend('cpu'); // keras-ts installs tfjs-core's gradients on first use
  tfc.registerBackend('cuda', () => new CudaBackend(addon, 'fake'), 0);
  registerCudaKernels();
  registerCpuFallbacks('cuda');
});

async function both(make: () => tfc.Tensor[], f: (...xs: tfc.Tensor[]) => tfc.Tensor): Promise<[number[], number[]]> {
  await tfc.setBackend('cpu');
  const inputs = make();
  const specs = inputs.map((t) => ({ v: t.dataSync().slice(), shape: t.shape, dtype: t.dtype }));
  const want = tfc.tidy(() => Array.from(f(...inputs).dataSync()));
  tfc.dispose(inputs);
  await tfc.setBackend('cuda');
  const xs = specs.map((s) => tfc.tensor(s.v, s.shape, s.dtype));
  const got = tfc.tidy(() => Array.from(f(...xs).dataSync()));
  tfc.dispose(xs);
  return [got, want];
}

const rnd = (shape: number[], seed = 1): tfc.Tensor => tfc.randomUniform(shape, -2, 2, 'float32', seed);

test.each([
  ['broadcast add', () => [rnd([5, 1, 3]), rnd([1, 4, 3], 2)], (a: tfc.Tensor, b: tfc.Tensor) => tfc.add(a, b)],
  ['scalar mul', () => [rnd([7]), tfc.scalar(3)], (a: tfc.Tensor, b: tfc.Tensor) => tfc.mul(a, b)],
  ['sum over axes [0, 2]', () => [rnd([3, 4, 5])], (x: tfc.Tensor) => tfc.sum(x, [0, 2])],
  ['mean keepDims', () => [rnd([3, 4])], (x: tfc.Tensor) => tfc.mean(x, 1, true)],
  ['max over axis 0', () => [rnd([6, 2])], (x: tfc.Tensor) => tfc.max(x, 0)],
  ['argMax axis 0', () => [rnd([6, 3])], (x: tfc.Tensor) => tfc.argMax(x, 0)],
  ['softmax', () => [rnd([4, 6])], (x: tfc.Tensor) => tfc.softmax(x)],
  ['transpose', () => [rnd([2, 3, 4])], (x: tfc.Tensor) => tfc.transpose(x, [1, 2, 0])],
  ['matMul transposed, batched with broadcast', () => [rnd([1, 5, 3]), rnd([4, 5, 2], 2)], (a: tfc.Tensor, b: tfc.Tensor) => tfc.matMul(a, b, true, false)],
  ['fused matMul', () => [rnd([4, 3]), rnd([3, 2], 2), rnd([2], 3)], (a: tfc.Tensor, b: tfc.Tensor, c: tfc.Tensor) => tfc.fused.matMul({ a: a as tfc.Tensor2D, b: b as tfc.Tensor2D, bias: c, activation: 'relu' })],
  ['oneHot and cast', () => [tfc.tensor1d([2, 0, 1], 'int32')], (x: tfc.Tensor) => tfc.cast(tfc.oneHot(x as tfc.Tensor1D, 4), 'int32')],
  ['conv2d same, stride 2', () => [rnd([2, 7, 6, 3]), rnd([3, 3, 3, 4], 2)], (x: tfc.Tensor, w: tfc.Tensor) => tfc.conv2d(x as tfc.Tensor4D, w as tfc.Tensor4D, 2, 'same')],
  ['conv2d gradient (backprop input and filter)', () => [rnd([2, 6, 5, 2]), rnd([3, 2, 2, 3], 2)],
    (x: tfc.Tensor, w: tfc.Tensor) => { const [dx, dw] = tfc.grads((a: tfc.Tensor, b: tfc.Tensor) => tfc.sum(tfc.square(tfc.conv2d(a as tfc.Tensor4D, b as tfc.Tensor4D, [2, 1], 'same'))))([x, w]); return tfc.concat([tfc.reshape(dx, [-1]), tfc.reshape(dw, [-1])]); }],
  ['max pool and its gradient', () => [rnd([2, 5, 7, 3])],
    (x: tfc.Tensor) => { const g = tfc.grad((a: tfc.Tensor) => tfc.sum(tfc.mul(tfc.maxPool(a as tfc.Tensor4D, 3, 2, 'same'), 1.5)))(x); return tfc.concat([tfc.reshape(tfc.maxPool(x as tfc.Tensor4D, 3, 2, 'same'), [-1]), tfc.reshape(g, [-1])]); }],
  ['gather rows and slice rows', () => [rnd([9, 2, 3]), tfc.tensor1d([8, 0, 4, 4], 'int32')], (x: tfc.Tensor, i: tfc.Tensor) => tfc.concat([tfc.reshape(tfc.gather(x, i), [-1]), tfc.reshape(tfc.slice(x, 2, 3), [-1])])],
  ['comparison on the device, then cast', () => [rnd([5]), rnd([5], 2)], (a: tfc.Tensor, b: tfc.Tensor) => tfc.cast(tfc.greater(a, b), 'float32')],
])('%s matches cpu', async (_name, make, f) => {
  const [got, want] = await both(make as () => tfc.Tensor[], f as (...xs: tfc.Tensor[]) => tfc.Tensor);
  expect(got.length).toBe(want.length);
  got.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-4));
});

test('a training epoch gives the cpu losses, runs matmuls natively, and frees every buffer', async () => {
  const run = async (backend: string): Promise<number[]> => {
    await tfc.setBackend(backend);
    k.utils.setRandomSeed(5);
    const model = new k.Sequential([new k.layers.Dense({ units: 8, activation: 'sigmoid', inputShape: [6] }), new k.layers.Dense({ units: 3, activation: 'softmax' })]);
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const x = Array.from({ length: 40 }, (_, i) => Array.from({ length: 6 }, (_, j) => Math.sin(i * 6 + j)));
    const h = await model.fit(x, x.map((r) => (r[0] > 0.3 ? 2 : r[0] > -0.3 ? 1 : 0)), { epochs: 2, batchSize: 8, verbose: 0, shuffle: false });
    model.dispose();
    return h.history.loss;
  };
  const cpu = await run('cpu');
  nativeCounts.clear();
  const buffersBefore = addon.live();
  const gpu = await run('cuda');
  gpu.forEach((l, i) => expect(Math.abs(l - cpu[i])).toBeLessThan(1e-4));
  expect(nativeCounts.get('BatchMatMul') ?? 0).toBeGreaterThan(0);
  expect(addon.live()).toBe(buffersBefore);
});

test('async reads go through staging and resolve later; time() reports the GPU time', async () => {
  await tfc.setBackend('cuda');
  const t = tfc.tensor2d([[1, 2], [3, 4]]);
  const i = tfc.tensor1d([7, -1], 'int32');
  const b = tfc.greater(t, 2);
  expect(Array.from(await t.data())).toEqual([1, 2, 3, 4]);
  expect(Array.from(await i.data())).toEqual([7, -1]);
  expect(Array.from(await b.data())).toEqual([0, 0, 1, 1]);
  const timing = await tfc.time(() => tfc.dispose(tfc.matMul(t, t)));
  expect(timing.kernelMs).toBeGreaterThanOrEqual(0);
  tfc.dispose([t, i, b]);
});
