/**
 * `npm run test:cuda`: the GPU test script. Needs a built addon (`npm run build:cuda`) and an
 * NVIDIA GPU. Runs (1) a conformance suite of every native kernel against the cpu backend on
 * random inputs (broadcast shapes, reduction axes, transposes, odd sizes) within 1e-5 relative
 * error, (2) the seed MLP and the CNN for one epoch on cuda and on cpu with the same seed, losses
 * compared to 1e-3, and (3) device memory back to its starting level after fit and dispose.
 * Prints one line per check and `N passed, N failed`; exits non-zero on any failure.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { fallbackReport, resetFallbackReport } from '../../src/backend/cpu_fallback';
import { nativeCounts } from '../../src/backend/cuda/kernels';

let passed = 0;
let failed = 0;
function check(name: string, ok: boolean, detail = ''): void {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
}

/** Relative error of a against b (absolute below 1). */
function maxError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return a.length === b.length ? worst : Infinity;
}

/** Runs `f` on cpu and on cuda with the same inputs (made by `make`), compares the outputs. */
async function compare(name: string, make: () => tfc.Tensor[], f: (...xs: tfc.Tensor[]) => tfc.Tensor, tol = 1e-5): Promise<void> {
  await k.setBackend('cpu');
  const inputs = make();
  const values = inputs.map((t) => ({ v: t.dataSync().slice(), shape: t.shape, dtype: t.dtype }));
  const expected = tfc.tidy(() => f(...inputs));
  const want = expected.dataSync().slice();
  tfc.dispose([...inputs, expected]);
  await k.setBackend('cuda');
  const onGpu = values.map(({ v, shape, dtype }) => tfc.tensor(v, shape, dtype));
  try {
    const got = tfc.tidy(() => f(...onGpu));
    const err = maxError(got.dataSync(), want);
    check(`${name} ${JSON.stringify(onGpu.map((t) => t.shape))}`, err <= tol, `max relative error ${err.toExponential(2)}`);
    got.dispose();
  } catch (e) {
    check(name, false, (e as Error).message);
  }
  tfc.dispose(onGpu);
}

const r = (shape: number[], lo = -2, hi = 2) => (): tfc.Tensor[] => [tfc.randomUniform(shape, lo, hi, 'float32', 7)];
const r2 = (a: number[], b: number[], lo = -2, hi = 2) => (): tfc.Tensor[] => [tfc.randomUniform(a, lo, hi, 'float32', 7), tfc.randomUniform(b, lo, hi, 'float32', 8)];

async function conformance(): Promise<void> {
  const binaries: Array<[string, (a: tfc.Tensor, b: tfc.Tensor) => tfc.Tensor]> = [
    ['add', tfc.add], ['sub', tfc.sub], ['mul', tfc.mul], ['div', tfc.div], ['maximum', tfc.maximum], ['minimum', tfc.minimum],
    ['squaredDifference', tfc.squaredDifference],
  ];
  const shapes: Array<[number[], number[]]> = [[[7, 13], [7, 13]], [[5, 1, 3], [1, 4, 3]], [[33], []], [[2, 3, 4, 5], [5]], [[1000, 17], [1, 17]]];
  for (const [name, op] of binaries) for (const [a, b] of shapes) await compare(name, r2(a, b), op);
  await compare('pow', r2([9, 4], [9, 4], 0.5, 2), tfc.pow);
  const unaries: Array<[string, (x: tfc.Tensor) => tfc.Tensor, number, number]> = [
    ['neg', tfc.neg, -3, 3], ['exp', tfc.exp, -3, 3], ['log', tfc.log, 0.1, 5], ['sqrt', tfc.sqrt, 0.1, 5], ['square', tfc.square, -3, 3],
    ['abs', tfc.abs, -3, 3], ['sigmoid', tfc.sigmoid, -6, 6], ['relu', tfc.relu, -3, 3], ['tanh', tfc.tanh, -3, 3], ['step', (x) => tfc.step(x, 0.3), -3, 3],
    ['rsqrt', tfc.rsqrt, 0.1, 5], ['reciprocal', tfc.reciprocal, 0.5, 5], ['log1p', tfc.log1p, -0.5, 5], ['relu6', tfc.relu6, -3, 9],
    ['elu', tfc.elu, -3, 3], ['softplus', tfc.softplus, -5, 5], ['sign', tfc.sign, -3, 3],
  ];
  for (const [name, op, lo, hi] of unaries) await compare(name, r([37, 11], lo, hi), op);
  for (const axis of [0, 1, 2, [0, 2], [1, 2], [0, 1, 2]]) {
    await compare(`sum axis ${JSON.stringify(axis)}`, r([6, 7, 9]), (x) => tfc.sum(x, axis));
    await compare(`mean axis ${JSON.stringify(axis)}`, r([6, 7, 9]), (x) => tfc.mean(x, axis, true));
    await compare(`max axis ${JSON.stringify(axis)}`, r([6, 7, 9]), (x) => tfc.max(x, axis));
    await compare(`min axis ${JSON.stringify(axis)}`, r([6, 7, 9]), (x) => tfc.min(x, axis));
  }
  await compare('sum all, 100003 values', r([100003]), (x) => tfc.sum(x), 1e-4);
  await compare('argMax axis 1', r([31, 17]), (x) => tfc.argMax(x, 1));
  await compare('argMax axis 0', r([31, 17]), (x) => tfc.argMax(x, 0));
  await compare('softmax', r([64, 10], -5, 5), (x) => tfc.softmax(x));
  await compare('clipByValue', r([40, 9]), (x) => tfc.clipByValue(x, -0.5, 0.7));
  await compare('transpose [2,0,1]', r([3, 5, 7]), (x) => tfc.transpose(x, [2, 0, 1]));
  await compare('transpose 2-D', r([129, 65]), (x) => tfc.transpose(x));
  await compare('cast to int32 and back', r([50], -9, 9), (x) => tfc.cast(tfc.cast(x, 'int32'), 'float32'));
  await compare('oneHot', () => [tfc.tensor1d([3, 0, 9, 5], 'int32')], (x) => tfc.oneHot(x as tfc.Tensor1D, 10));
  for (const [a, b, ta, tb] of [[[32, 784], [784, 64], false, false], [[784, 32], [784, 64], true, false], [[32, 64], [10, 64], false, true], [[3, 5, 7], [3, 7, 2], false, false], [[1, 5, 7], [4, 7, 3], false, false], [[6, 4], [6, 5], true, false]] as Array<[number[], number[], boolean, boolean]>) {
    await compare(`matMul tA=${ta} tB=${tb}`, r2(a, b), (x, y) => tfc.matMul(x, y, ta, tb), 1e-4);
  }
  for (const [xs, ws, stride, pad] of [[[2, 7, 6, 3], [3, 3, 3, 4], 2, 'same'], [[4, 28, 28, 1], [3, 3, 1, 32], 1, 'valid'], [[3, 13, 13, 32], [3, 3, 32, 64], 1, 'valid'], [[1, 9, 8, 2], [2, 3, 2, 5], 3, 'same']] as Array<[number[], number[], number, 'same' | 'valid']>) {
    await compare(`conv2d stride ${stride} ${pad}`, r2(xs, ws), (x, w) => tfc.conv2d(x as tfc.Tensor4D, w as tfc.Tensor4D, stride, pad), 1e-4);
    await compare(`conv2d gradients stride ${stride} ${pad}`, r2(xs, ws), (x, w) => {
      const [dx, dw] = tfc.grads((a: tfc.Tensor, b: tfc.Tensor) => tfc.sum(tfc.square(tfc.conv2d(a as tfc.Tensor4D, b as tfc.Tensor4D, stride, pad))))([x, w]);
      return tfc.concat([tfc.reshape(dx, [-1]), tfc.reshape(dw, [-1])]);
    }, 1e-3);
  }
  await compare('conv2d dilation 2', r2([2, 9, 9, 2], [3, 3, 2, 3]), (x, w) => tfc.conv2d(x as tfc.Tensor4D, w as tfc.Tensor4D, 1, 'valid', 'NHWC', 2), 1e-4);
  for (const [shape, size, stride, pad] of [[[2, 26, 26, 32], 2, 2, 'valid'], [[2, 7, 5, 3], 3, 2, 'same']] as Array<[number[], number, number, 'same' | 'valid']>) {
    await compare(`maxPool ${size}/${stride} ${pad}`, r(shape), (x) => tfc.maxPool(x as tfc.Tensor4D, size, stride, pad));
    await compare(`maxPool gradient ${size}/${stride} ${pad}`, r(shape), (x) => tfc.grad((a: tfc.Tensor) => tfc.sum(tfc.mul(tfc.maxPool(a as tfc.Tensor4D, size, stride, pad), 1.5)))(x));
  }
  await compare('gather rows', () => [tfc.randomUniform([50, 7, 3], -1, 1, 'float32', 4), tfc.tensor1d([49, 0, 3, 3, 17], 'int32')], (x, i) => tfc.gather(x, i));
  await compare('slice of whole rows', r([40, 6]), (x) => tfc.slice(x, 13, 9));
  await compare('fused matMul + bias + sigmoid', () => [tfc.randomUniform([16, 30], -1, 1, 'float32', 1), tfc.randomUniform([30, 8], -1, 1, 'float32', 2), tfc.randomUniform([8], -1, 1, 'float32', 3)],
    (x, w, b) => tfc.fused.matMul({ a: x as tfc.Tensor2D, b: w as tfc.Tensor2D, bias: b, activation: 'sigmoid' }), 1e-4);
}

/** One seeded epoch of a model on a backend; returns the epoch's loss. */
async function oneEpoch(backend: k.BackendName, model: 'mlp' | 'cnn'): Promise<number> {
  await k.setBackend(backend);
  k.utils.setRandomSeed(11);
  const n = 512;
  const x = new Float32Array(n * 784).map((_, i) => ((i * 7919) % 1000) / 1000);
  const labels = Float32Array.from({ length: n }, (_, i) => i % 10);
  const m = model === 'mlp'
    ? new k.Sequential([
      new k.layers.Dense({ units: 64, activation: 'sigmoid', inputShape: [784] }), new k.layers.Dense({ units: 32, activation: 'sigmoid' }),
      new k.layers.Dense({ units: 16, activation: 'sigmoid' }), new k.layers.Dense({ units: 10, activation: 'softmax' })])
    : new k.Sequential([
      new k.layers.Reshape({ targetShape: [28, 28, 1], inputShape: [784] }), new k.layers.Conv2D({ filters: 8, kernelSize: 3, activation: 'relu' }),
      new k.layers.MaxPooling2D(), new k.layers.Flatten(), new k.layers.Dense({ units: 10, activation: 'softmax' })]);
  m.compile({ optimizer: new k.optimizers.SGD({ learningRate: 0.05 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const h = await m.fit(x, labels, { epochs: 1, batchSize: 32, verbose: 0, shuffle: false });
  m.dispose();
  return h.history.loss[0];
}

/** Device names on the real addon: the GPUs listed before the backend starts, the last one selected, one past it refused. */
async function devices(): Promise<void> {
  const gpus = k.listDevices().filter((d) => d.deviceType === 'GPU');
  console.log(`devices: ${k.listDevices().map((d) => `${d.name} (${d.backend}: ${d.description})`).join('; ')}`);
  check('listDevices lists the GPUs before the cuda backend starts', gpus.length > 0 && tfc.engine().registryFactory['cuda'] === undefined, `${gpus.length} GPU(s)`);
  const last = gpus.length - 1;
  await k.setBackend(`cuda:${last}`);
  const name = (gpus[last].description ?? '').split(',')[0];
  check(`setBackend('cuda:${last}') runs on that GPU`, (k.backendReport().device ?? '').startsWith(name), `${k.backendReport().device}`);
  let refused = '';
  await k.setBackend(`cuda:${gpus.length}`).catch((e: Error) => (refused = e.message));
  check(`setBackend('cuda:${gpus.length}') is refused naming the devices`, refused.includes(`no GPU ${gpus.length}; the devices are /cpu:0, /gpu:0`), refused);
  const a = tfc.tensor1d([1, -2, 3]);
  const b = k.device('/cpu:0', () => tfc.tidy(() => tfc.relu(a))); // a moves to the CPU, b is made there
  const c = tfc.add(a, b); // and b moves back to the GPU
  check("device('/cpu:0') computes on the CPU and restores cuda; tensors move both ways", k.getBackend() === 'cuda' && maxError(c.dataSync(), [2, -2, 6]) === 0);
  tfc.dispose([a, b, c]);
}

async function main(): Promise<void> {
  await devices();
  await k.setBackend('cuda');
  console.log(`cuda backend on ${(tfc.backend() as unknown as { device: string }).device}`);
  await conformance();
  for (const model of ['mlp', 'cnn'] as const) {
    const cpu = await oneEpoch('cpu', model);
    resetFallbackReport();
    nativeCounts.clear();
    const gpu = await oneEpoch('cuda', model);
    check(`${model}: one epoch, loss on cuda vs cpu`, Math.abs(gpu - cpu) <= 1e-3, `cuda ${gpu.toFixed(6)}, cpu ${cpu.toFixed(6)}`);
    console.log(`     ${model} kernels on the CPU fallback during fit: ${JSON.stringify(fallbackReport())}`);
  }
  await k.setBackend('cuda');
  {
    const t = tfc.randomUniform([1000, 33], -1, 1, 'float32', 5);
    const sync = t.dataSync();
    const asyncValues = await t.data();
    check('async read (pinned staging, event-polled) equals the synchronous read', maxError(asyncValues, sync) === 0);
    const timing = await tfc.time(() => tfc.dispose(tfc.matMul(t, t, true, false)));
    const ms = timing.kernelMs as number;
    check('time() measures GPU time with CUDA events', ms > 0 && ms < 1000, `${ms.toFixed(3)} ms`);
    t.dispose();
  }
  const before = (tfc.memory() as unknown as { numBytesInGPU: number }).numBytesInGPU;
  const tensorsBefore = tfc.memory().numTensors;
  await oneEpoch('cuda', 'mlp');
  const after = (tfc.memory() as unknown as { numBytesInGPU: number }).numBytesInGPU;
  check('device memory back to its starting level after fit and dispose', after === before && tfc.memory().numTensors === tensorsBefore, `${before} -> ${after} bytes`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

main().catch((e) => {
  console.error(e instanceof Error ? `${e.name}: ${e.message}` : e);
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});
