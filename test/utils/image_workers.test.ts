/**
 * The image workers (src/utils/image/image_workers.ts): imageDatasetFromDirectory's images made in
 * worker threads equal, bit for bit, the ones made on the main thread (workers: 0), over a folder of
 * JPEG, PNG (the native addon's decoders where built, else sharp and JS), BMP and GIF files in every
 * colour mode, cropped and padded, shrunk and enlarged, bilinear and nearest. The independent references (PIL, NumPy's TF resize) are checked in
 * image.test.ts and image_dataset.test.ts; here the worker path must give the same bits as that
 * checked path. Also: a corrupt file's error names it, no tensor leaks, the workers are stopped and
 * restarted, the worker file takes dist/'s compiled module without ts-node, and idle workers do not
 * keep a process alive.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import * as tfc from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import * as k from '../../src';
import { closeImageWorkers, imageWorkers } from '../../src/utils/image/image_workers';
import { expectNoLeak } from '../helpers';

let root: string;
let dir: string;

/** Seeded noise pixels (so every resize weight shows), width x height x channels. */
function noise(width: number, height: number, channels: number, seed: number): Buffer {
  let s = seed >>> 0;
  const px = Buffer.alloc(width * height * channels);
  for (let i = 0; i < px.length; i++) px[i] = (s = (s * 1664525 + 1013904223) >>> 0) >>> 24;
  return px;
}

async function write(file: string, width: number, height: number, channels: number, seed: number): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const data = noise(width, height, channels, seed);
  if (file.endsWith('.bmp')) {
    const rows = Array.from({ length: height }, (_, y) => Array.from({ length: width }, (_, x) => Array.from(data.subarray((y * width + x) * channels, (y * width + x + 1) * channels))));
    await k.utils.saveImg(file, rows, { scale: false });
    return;
  }
  const img = sharp(data, { raw: { width, height, channels: channels as 1 | 2 | 3 | 4 } });
  const ext = path.extname(file);
  await (ext === '.png' ? img.png() : ext === '.gif' ? img.gif() : img.jpeg({ quality: 90 })).toFile(file);
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-imgworkers-'));
  dir = path.join(root, 'mixed');
  const files: [string, number, number, number][] = [
    ['a/j0.jpg', 97, 61, 3], ['a/j1.jpg', 40, 75, 3], ['a/p_small.png', 30, 20, 3], ['a/p_grey.png', 50, 33, 1],
    ['b/p_large.png', 130, 90, 4], ['b/p_rgba_small.png', 16, 24, 4], ['b/g0.gif', 45, 35, 3],
    ['c/m0.bmp', 33, 27, 3], ['c/m1.bmp', 21, 40, 1], ['c/j2.jpg', 64, 64, 3],
  ];
  for (const [i, [name, w, h, c]] of files.entries()) await write(path.join(dir, name), w, h, c, 1000 + i);
});

afterAll(async () => {
  await closeImageWorkers();
  fs.rmSync(root, { recursive: true, force: true });
});

/** Every batch's images of the dataset, concatenated as bytes, and the labels. */
async function bytesOf(options: k.utils.ImageDatasetOptions): Promise<Buffer> {
  const ds = await k.utils.imageDatasetFromDirectory(dir, { shuffle: false, verbose: false, batchSize: 4, ...options });
  const parts: Buffer[] = [];
  for await (const element of ds) {
    const [x, y] = element as tfc.Tensor[];
    const v = (await x.data()) as Float32Array;
    parts.push(Buffer.from(v.buffer, v.byteOffset, v.byteLength));
    tfc.dispose([x, y]);
  }
  return Buffer.concat(parts);
}

describe('image workers', () => {
  test.each([
    ['rgb, shrunk', { imageSize: [24, 20] }],
    ['rgb, enlarged', { imageSize: [70, 90] }],
    ['grayscale', { imageSize: [31, 17], colorMode: 'grayscale' }],
    ['rgba', { imageSize: [18, 26], colorMode: 'rgba' }],
    ['cropToAspectRatio', { imageSize: [20, 40], cropToAspectRatio: true }],
    ['padToAspectRatio', { imageSize: [40, 20], padToAspectRatio: true }],
    ['unbatched', { imageSize: [12, 12], batchSize: null }],
    ['nearest', { imageSize: [50, 23], interpolation: 'nearest' }],
    ['nearest, padToAspectRatio, grayscale', { imageSize: [19, 40], interpolation: 'nearest', padToAspectRatio: true, colorMode: 'grayscale' }],
  ] as [string, k.utils.ImageDatasetOptions][])('%s: the workers give the main thread\'s bits exactly', async (_, options) => {
    const main = await bytesOf({ ...options, workers: 0 });
    const workers = await bytesOf({ ...options, workers: 3 });
    const [h, w] = options.imageSize!;
    const channels = { grayscale: 1, rgb: 3, rgba: 4 }[options.colorMode ?? 'rgb'];
    expect(main.length).toBe(10 * h * w * channels * 4);
    expect(workers.equals(main)).toBe(true);
    // Not all equal by accident: the noise images differ from one another.
    expect(new Set(Array.from(new Float32Array(main.buffer, main.byteOffset, main.length / 4))).size).toBeGreaterThan(100);
  });

  test('a corrupt file is a ValueError naming it, from a worker; no tensor is left behind', async () => {
    const bad = path.join(root, 'bad');
    await write(path.join(bad, 'a', 'ok.jpg'), 20, 20, 3, 7);
    fs.mkdirSync(path.join(bad, 'b'), { recursive: true });
    fs.writeFileSync(path.join(bad, 'b', 'broken.jpg'), fs.readFileSync(path.join(bad, 'a', 'ok.jpg')).subarray(0, 200));
    const ds = await k.utils.imageDatasetFromDirectory(bad, { imageSize: [8, 8], batchSize: 2, shuffle: false, verbose: false, workers: 2 });
    const before = tfc.memory().numTensors;
    let error: unknown;
    try {
      for await (const element of ds) tfc.dispose(element as tfc.Tensor[]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(k.ValueError);
    expect((error as Error).message).toMatch(/^imageDatasetFromDirectory: cannot decode '.*broken\.jpg'[\s\S]*help:/);
    expect(tfc.memory().numTensors).toBe(before);
  });

  test('iterating and fitting with workers leave no tensors behind', async () => {
    const ds = await k.utils.imageDatasetFromDirectory(dir, { imageSize: [8, 8], batchSize: 4, verbose: false, seed: 3, workers: 2 });
    const inputs = k.Input({ shape: [8, 8, 3] });
    const outputs = new k.layers.Dense({ units: 3, activation: 'softmax' }).apply(new k.layers.Flatten().apply(inputs));
    const model = new k.Model({ inputs, outputs });
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
    await model.fit(ds, { epochs: 1, verbose: 0 });
    await expectNoLeak(async () => {
      for await (const element of ds) tfc.dispose(element as tfc.Tensor[]);
      await model.fit(ds, { epochs: 1, verbose: 0 });
    });
    model.dispose();
  });

  test('closing stops the workers (jobs in flight reject naming their file); the next epoch starts new ones', async () => {
    const pool = imageWorkers();
    const out = new Float32Array(new SharedArrayBuffer(8 * 8 * 3 * 4));
    const spec = { mode: 'RGB' as const, imageSize: [8, 8] as [number, number], interpolation: 'bilinear' as const, crop: false, pad: false };
    // A large JPEG: its decode is still running when the workers are terminated.
    const file = path.join(root, 'large.jpg');
    await write(file, 3000, 2000, 3, 5);
    const rejected = expect(pool.load({ file, spec, where: 'test', out, offset: 0 }, 1)).rejects.toThrow(/stopped while decoding '.*large\.jpg'[\s\S]*help:/);
    await closeImageWorkers();
    await rejected;
    expect(pool.size).toBe(0);
    expect((await bytesOf({ imageSize: [6, 6], workers: 2 })).length).toBe(10 * 6 * 6 * 3 * 4);
    expect(pool.size).toBe(2);
  });

  test('workers must be a non-negative integer (the error names the value and the fix)', async () => {
    await expect(k.utils.imageDatasetFromDirectory(dir, { workers: -1, verbose: false })).rejects.toThrow(/workers must be a non-negative integer, got -1\. help:/);
    await expect(k.utils.imageDatasetFromDirectory(dir, { workers: 1.5, verbose: false })).rejects.toThrow(/got 1\.5\. help:/);
  });

  test('the worker file loads the compiled module next to it when there is one (dist/), without ts-node', async () => {
    // dist/'s layout: image_worker.js beside a load_bilinear.js (here a stand-in that reports what it sees).
    const layout = path.join(root, 'dist-layout');
    fs.mkdirSync(layout, { recursive: true });
    fs.copyFileSync(path.join(__dirname, '../../src/utils/image/image_worker.js'), path.join(layout, 'image_worker.js'));
    fs.writeFileSync(path.join(layout, 'load_bilinear.js'), `exports.loadBilinearBatch = async ([file], spec, where, out, [offset]) => {
      if (file === 'bad') throw Object.assign(new Error(where + ': cannot decode bad'), { name: 'ValueError' });
      out[offset] = require.extensions['.ts'] === undefined ? 1 : 2;
      out[offset + 1] = typeof spec.hint.smallPng === 'boolean' ? 3 : 4;
    };`);
    const worker = new Worker(path.join(layout, 'image_worker.js'));
    const out = new Float32Array(new SharedArrayBuffer(16));
    const answer = (job: object): Promise<unknown> => new Promise((resolve) => { worker.once('message', resolve); worker.postMessage(job); });
    try {
      expect(await answer({ id: 7, files: ['ok'], where: 'w', spec: {}, buffer: out.buffer, offsets: [2] })).toEqual({ id: 7 });
      expect(Array.from(out)).toEqual([0, 0, 1, 3]); // no .ts loader registered; the worker's hint passed on
      expect(await answer({ id: 8, files: ['bad'], where: 'w', spec: {}, buffer: out.buffer, offsets: [0] })).toEqual({ id: 8, error: { name: 'ValueError', message: 'w: cannot decode bad' } });
    } finally {
      await worker.terminate();
    }
  });

  test('idle workers do not keep the process alive: a script that iterates a dataset exits by itself', () => {
    const script = `
      const k = require(${JSON.stringify(path.join(__dirname, '../../src'))});
      (async () => {
        const ds = await k.utils.imageDatasetFromDirectory(${JSON.stringify(dir)}, { imageSize: [8, 8], verbose: false, workers: 2 });
        let n = 0;
        for await (const [x, y] of ds) { n += x.shape[0]; x.dispose(); y.dispose(); }
        console.log('images', n);
      })();`;
    const run = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { encoding: 'utf8', timeout: 90000, cwd: path.join(__dirname, '../..') });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('images 10');
    expect(run.status).toBe(0);
  });
});
