/**
 * The native backend as a user meets it: chosen by default where built, threads, the report, no
 * leaks of tensors or of the addon's memory, and arrays handed out that never change behind the
 * user's back (the backend reuses its arrays, up to the most bytes ever alive at once, and updates
 * weights in place).
 */
import { execFileSync } from 'child_process';
import * as os from 'os';
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../../src';
import { loadNativeAddon } from '../../../src/backend/native/addon';
import { nativeBuilt } from '../../helpers';

const onNative = nativeBuilt() ? describe : describe.skip;

function tinyModel(): k.Model {
  const inputs = k.Input({ shape: [6] });
  const h = new k.layers.Dense({ units: 5, activation: 'relu' }).apply(inputs);
  const model = new k.Model({ inputs, outputs: new k.layers.Dense({ units: 3, activation: 'softmax' }).apply(h) });
  model.compile({ optimizer: new k.optimizers.Adam({ learningRate: 0.01 }), loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  return model;
}
const x = Float32Array.from({ length: 60 }, (_, i) => Math.sin(i));
const y = Float32Array.from({ length: 30 }, (_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0));

onNative('the native backend', () => {
  test('is the default where it is built: a model compiled and fitted without setBackend runs on it', async () => {
    k.utils.setRandomSeed(1);
    const model = tinyModel(); // compile computes (metric state): tfjs's own default must already be native
    await model.fit(x, y, { epochs: 1, verbose: 0 });
    expect(k.getBackend()).toBe('native');
    model.dispose();
  });

  test('uses every core by default; setNumThreads changes it; backendReport says so', async () => {
    await k.setBackend('native');
    const cores = os.availableParallelism?.() ?? os.cpus().length;
    expect(k.getNumThreads()).toBe(cores);
    k.setNumThreads(1);
    expect(k.getNumThreads()).toBe(1);
    const report = k.backendReport();
    expect(report).toMatchObject({ backend: 'native', threads: 1 });
    expect(report.device).toMatch(/CPU, \d+ cores \(.+\), oneDNN \d+\.\d+/);
    k.setNumThreads(cores);
    expect(() => k.setNumThreads(0)).toThrow(/setNumThreads: `n` must be a positive integer, got 0\. help:/);
  });

  test('fit, evaluate and predict leave no tensors, and the addon holds no memory after releaseMemory', async () => {
    await k.setBackend('native');
    const addon = loadNativeAddon();
    const before = tfc.memory().numTensors;
    const model = tinyModel();
    await model.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0, validationSplit: 0.2 });
    await model.evaluate(x, y, { batchSize: 3 });
    tfc.dispose(model.predict(x, { batchSize: 7 }) as tfc.Tensor);
    expect(addon.memory().liveBytes).toBe(0); // temporaries live only inside a call
    model.dispose();
    expect(tfc.memory().numTensors).toBe(before);
    addon.releaseMemory();
    expect(addon.memory()).toEqual({ liveBytes: 0, pooledBytes: 0, cachedPrimitives: 0 });
  });

  test('values read from a tensor stay as read after it is freed and its memory reused', async () => {
    await k.setBackend('native');
    const t = tfc.mul(tfc.ones([100]), 2);
    const read = t.dataSync();
    t.dispose();
    tfc.dispose(tfc.tidy(() => [0, 1, 2].map(() => tfc.mul(tfc.ones([100]), 7)))); // arrays of that size come back from the pool
    expect(Array.from(read).every((v) => v === 2)).toBe(true);
  });

  test('a pool full of one workload\'s sizes makes room for the next workload\'s (the oldest sizes go)', async () => {
    await k.setBackend('native');
    const backend = tfc.backend() as unknown as { pooled(): number };
    const MB = 2 ** 20;
    const big = 16 * MB; // floats: 64 MB each, four of them fill the pool's 256 MB
    const start = backend.pooled();
    tfc.dispose(tfc.tidy(() => [1, 2, 3, 4].map((v) => tfc.mul(tfc.ones([big]), v))));
    const full = backend.pooled();
    expect(full).toBeGreaterThanOrEqual(256 * MB - start); // the products (and the ones) went back to the pool
    const small = tfc.mul(tfc.ones([MB / 4]), 2); // 1 MB
    small.dispose();
    const after = backend.pooled();
    expect(after).toBeGreaterThan(0);
    expect(after).toBeLessThanOrEqual(256 * MB);
    // The 1 MB array was kept (one 64 MB array made room for it); without room it would have been left to the collector.
    const again = tfc.mul(tfc.ones([MB / 4]), 3);
    expect(backend.pooled()).toBeLessThan(after);
    again.dispose();
  });

  test('the array pool keeps as many bytes as were alive at once, past its 256 MB floor: a big step reuses its arrays', async () => {
    await k.setBackend('native');
    const backend = tfc.backend() as unknown as { pooled(): number };
    const array = 2 ** 23; // 8 MB
    const one = tfc.ones([2 ** 21]);
    tfc.dispose(Array.from({ length: 36 }, () => tfc.mul(one, 2))); // 288 MB alive at once
    const pooled = backend.pooled();
    // All 36, or 35 where small arrays pooled by earlier tests take the room of one.
    expect(pooled).toBeGreaterThan(256 * 2 ** 20 + array);
    const again = Array.from({ length: 36 }, () => tfc.mul(one, 3));
    expect(pooled - backend.pooled()).toBeGreaterThanOrEqual(35 * array); // from the pool: no fresh pages
    expect(again[35].dataSync()[0]).toBe(3);
    tfc.dispose([one, ...again]);
  });

  test('an optimizer step in place does not change weights read or copied before it', async () => {
    await k.setBackend('native');
    k.utils.setRandomSeed(2);
    const model = tinyModel();
    await model.fit(x, y, { epochs: 1, batchSize: 5, verbose: 0 });
    const copies = model.getWeights();
    const values = copies.map((w) => Array.from(w.dataSync()));
    const kernel = model.trainableWeights[0].value.dataSync();
    const kernelBefore = Array.from(kernel);
    await model.fit(x, y, { epochs: 1, batchSize: 5, verbose: 0 });
    copies.forEach((w, i) => expect(Array.from(w.dataSync())).toEqual(values[i]));
    expect(Array.from(kernel)).toEqual(kernelBefore);
    expect(Array.from(model.trainableWeights[0].value.dataSync())).not.toEqual(kernelBefore); // it did train
    tfc.dispose(copies);
    model.dispose();
  });

  test("a batch's own input gradient is shared zeros: read as zeros, copied out, never reused or written", async () => {
    await k.setBackend('native');
    const backend = tfc.backend() as unknown as { exclusive(t: tfc.TensorInfo): boolean; pooled(): number };
    const before = tfc.memory().numTensors;
    const made: tfc.Tensor[] = [];
    const run = (inputGradient: boolean): tfc.Tensor[] => {
      const [dy, xs, w] = [tfc.ones([16, 2]), tfc.fill([16, 8], 2), tfc.ones([8, 2])];
      const out = tfc.engine().runKernel('KerasDenseGrad', { dy, x: xs, w }, { activation: 'linear', inputGradient, hasBias: false }) as unknown as tfc.Tensor[];
      tfc.dispose([dy, xs, w]);
      made.push(...out);
      return out;
    };
    const [dx1, dw1] = run(false);
    const [dx2] = run(false);
    // dw = xᵀ·dy: each entry sums 16 rows of 2·1 (by hand: 32); dx, not asked for, is zeros of x's shape (128 values: a pooled size).
    expect(Array.from(dw1.dataSync())).toEqual(new Array(16).fill(32));
    expect(dx1.shape).toEqual([16, 8]);
    const read = dx1.dataSync() as Float32Array;
    expect(Array.from(read)).toEqual(new Array(128).fill(0));
    read[0] = 7; // a reader's copy: the shared array keeps its zeros
    expect(dx2.dataSync()[0]).toBe(0);
    expect(backend.exclusive(dx1)).toBe(false); // no in-place update may write into it
    const pooled = backend.pooled();
    tfc.dispose([dx1, dx2]);
    expect(backend.pooled()).toBe(pooled); // freeing them pools nothing
    const [dx3] = run(false);
    expect(Array.from(dx3.dataSync())).toEqual(new Array(128).fill(0));
    // Asked for, dx = dy·wᵀ (by hand: 2 in every entry).
    const [dx4] = run(true);
    expect(Array.from(dx4.dataSync())).toEqual(new Array(128).fill(2));
    tfc.dispose(made);
    expect(tfc.memory().numTensors).toBe(before);
  });
});

test("without the addon, setBackend('native') says what is missing and the command that adds it", () => {
  const script = "require('ts-node/register/transpile-only'); const k = require('./src'); k.setBackend('native').then(() => console.log('ok'), (e) => console.log(e.message));";
  const out = execFileSync(process.execPath, ['-e', script], {
    cwd: path.join(__dirname, '..', '..', '..'), encoding: 'utf8', env: { ...process.env, KERAS_NATIVE_ADDON: '/nonexistent/keras_cpu.node' },
  });
  expect(out).toMatch(/setBackend\('native'\): the native CPU addon (is not built|was not built).*help: .*(apt-get install g\+\+ libdnnl-dev|npm run build:native)/);
});
