/**
 * Files from strangers, fuzzed: a few hundred damaged copies of each format (seeded, so every run
 * tries the same ones). Each must load, or be refused with a KerasError; never a crash, another
 * kind of error, a hang, or a read outside the file's folder.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { zipSync, unzipSync } from 'fflate';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { mutateBytes, mutateJson, rng, Rng } from './mutate';

const CASES = 200;

let tmp: string;
let model: k.Model;
const reads: string[] = [];
// The fs module object itself (the namespace import above is a read-only view of it).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nodeFs = require('fs') as typeof fs;
const originalRead = fs.readFileSync;
const originalOpen = fs.openSync;

beforeAll(async () => {
  await k.setBackend('cpu');
  k.utils.setRandomSeed(5);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-fuzz-'));
  const inputs = k.Input({ shape: [6, 6, 1] });
  const c = new k.layers.Conv2D({ filters: 2, kernelSize: 3 }).apply(inputs);
  const b = new k.layers.BatchNormalization().apply(c);
  const f = new k.layers.Flatten().apply(b);
  const d = new k.layers.Dense({ units: 3, activation: 'softmax' }).apply(new k.layers.Dropout({ rate: 0.1 }).apply(f));
  model = new k.Model({ inputs, outputs: d });
  model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  await model.fit(tfc.randomNormal([4, 6, 6, 1]), tfc.oneHot(tfc.tensor1d([0, 1, 2, 0], 'int32'), 3), { epochs: 1, verbose: 0 });
  for (const name of ['m.keras', 'm.h5']) await model.save(path.join(tmp, 'valid', name));
  await model.saveWeights(path.join(tmp, 'valid', 'w.weights.h5'));
  await model.save(path.join(tmp, 'valid', 'tfjs') + '/');
  fs.writeFileSync(path.join(tmp, 'secret.bin'), Buffer.alloc(1200));
  // Record every file read, to check nothing outside a case's folder is touched.
  jest.spyOn(nodeFs, 'readFileSync').mockImplementation(((p: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
    if (typeof p === 'string') reads.push(path.resolve(p));
    return (originalRead as (...a: unknown[]) => unknown)(p, ...rest);
  }) as typeof fs.readFileSync);
  jest.spyOn(nodeFs, 'openSync').mockImplementation(((p: fs.PathLike, ...rest: unknown[]) => {
    reads.push(path.resolve(String(p)));
    return (originalOpen as (...a: unknown[]) => unknown)(p, ...rest);
  }) as typeof fs.openSync);
});

afterAll(() => {
  jest.restoreAllMocks();
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface Tally {
  loaded: number;
  refused: number;
  slowestMs: number;
}

/** Runs `load` on `count` mutants; any error that is not a KerasError fails the test, naming the mutation. */
async function fuzz(name: string, count: number, make: (r: Rng, dir: string) => { target: string; how: string }, load: (target: string) => Promise<unknown>): Promise<Tally> {
  const r = rng(0x5eed + name.length);
  const tally: Tally = { loaded: 0, refused: 0, slowestMs: 0 };
  // Warnings (a training config that cannot be compiled, an optimizer state that does not fit) are expected here.
  const quiet = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  for (let i = 0; i < count; i++) {
    const dir = path.join(tmp, name, String(i));
    fs.mkdirSync(dir, { recursive: true });
    const { target, how } = make(r, dir);
    reads.length = 0;
    const started = Date.now();
    try {
      const loaded = await load(target);
      if (loaded instanceof k.Model) loaded.dispose();
      tally.loaded++;
    } catch (e) {
      if (!(e instanceof k.KerasError)) throw new Error(`${name} case ${i} (${how}): ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
      expect(e.message.length).toBeGreaterThan(20);
      tally.refused++;
    }
    tally.slowestMs = Math.max(tally.slowestMs, Date.now() - started);
    const outside = reads.filter((p) => !p.startsWith(dir + path.sep) && p !== dir && !p.includes(`${path.sep}node_modules${path.sep}`));
    if (outside.length > 0) throw new Error(`${name} case ${i} (${how}) read outside its folder: ${outside.join(', ')}`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  quiet.mockRestore();
  process.stdout.write(`fuzz ${name}: ${count} mutants, ${tally.loaded} loaded, ${tally.refused} refused with a KerasError, slowest ${tally.slowestMs} ms\n`);
  return tally;
}

function valid(name: string): Uint8Array {
  return new Uint8Array(originalRead(path.join(tmp, 'valid', name)));
}

test('.keras archives: damaged bytes, a damaged config.json, a damaged model.weights.h5', async () => {
  const bytes = valid('m.keras');
  const entries = unzipSync(bytes);
  const config = JSON.parse(Buffer.from(entries['config.json']).toString('utf8'));
  const tally = await fuzz('keras', CASES, (r, dir) => {
    const target = path.join(dir, 'm.keras');
    const which = Math.floor(r() * 3);
    if (which === 0) {
      const { data, how } = mutateBytes(bytes, r);
      fs.writeFileSync(target, data);
      return { target, how: `archive: ${how}` };
    }
    if (which === 1) {
      const { data, how } = mutateJson(config, r);
      fs.writeFileSync(target, zipSync({ ...entries, 'config.json': Buffer.from(JSON.stringify(data)) }, { level: 0 }));
      return { target, how: `config.json: ${how}` };
    }
    const { data, how } = mutateBytes(entries['model.weights.h5'], r);
    fs.writeFileSync(target, zipSync({ ...entries, 'model.weights.h5': data }, { level: 0 }));
    return { target, how: `model.weights.h5: ${how}` };
  }, (t) => k.models.loadModel(t));
  expect(tally.loaded + tally.refused).toBe(CASES);
}, 120_000);

test('legacy .h5 models: damaged bytes', async () => {
  const bytes = valid('m.h5');
  const tally = await fuzz('h5', CASES, (r, dir) => {
    const target = path.join(dir, 'm.h5');
    const { data, how } = mutateBytes(bytes, r);
    fs.writeFileSync(target, data);
    return { target, how };
  }, (t) => k.models.loadModel(t));
  expect(tally.refused).toBeGreaterThan(0);
}, 120_000);

test('.weights.h5 files loaded into the model: damaged bytes; a refused file leaves the weights as they were', async () => {
  const bytes = valid('w.weights.h5');
  const before = model.getWeights().map((t) => Array.from(t.dataSync()));
  let refusedUnchanged = 0;
  await fuzz('weights', CASES, (r, dir) => {
    const target = path.join(dir, 'w.weights.h5');
    const { data, how } = mutateBytes(bytes, r);
    fs.writeFileSync(target, data);
    return { target, how };
  }, async (t) => {
    try {
      await model.loadWeights(t);
    } catch (e) {
      // A refusal may not have changed any weight (all are checked before any is set).
      const now = model.getWeights();
      if (now.every((w, i) => Array.from(w.dataSync()).every((v, j) => v === before[i][j]))) refusedUnchanged++;
      tfc.dispose(now);
      throw e;
    }
    const now = model.getWeights();
    now.forEach((w, i) => {
      const t = tfc.tensor(before[i], w.shape);
      model.weights[i].assign(t);
      t.dispose();
    });
    tfc.dispose(now);
  });
  expect(refusedUnchanged).toBeGreaterThan(0);
}, 120_000);

test('tfjs folders: a damaged model.json (paths that leave the folder included) and damaged shards', async () => {
  const json = JSON.parse(originalRead(path.join(tmp, 'valid', 'tfjs', 'model.json'), 'utf8'));
  const shard = valid(path.join('tfjs', 'group1-shard1of1.bin'));
  const escapes = ['../secret.bin', '../../secret.bin', path.join(tmp, 'secret.bin'), 'link.bin'];
  const tally = await fuzz('tfjs', CASES, (r, dir) => {
    let manifest = json;
    let weights = shard;
    let how: string;
    const which = Math.floor(r() * 3);
    if (which === 0) {
      const m = mutateJson(json, r);
      [manifest, how] = [m.data, `model.json: ${m.how}`];
    } else if (which === 1) {
      const m = mutateBytes(shard, r);
      [weights, how] = [m.data, `shard: ${m.how}`];
    } else {
      const escape = escapes[Math.floor(r() * escapes.length)];
      manifest = JSON.parse(JSON.stringify(json));
      (manifest as { weightsManifest: Array<{ paths: string[] }> }).weightsManifest[0].paths = [escape];
      if (escape === 'link.bin') fs.symlinkSync(path.join(tmp, 'secret.bin'), path.join(dir, 'link.bin'));
      how = `path ${escape}`;
    }
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(manifest));
    fs.writeFileSync(path.join(dir, 'group1-shard1of1.bin'), weights);
    return { target: dir, how };
  }, (t) => k.models.loadModel(t));
  expect(tally.refused).toBeGreaterThan(0);
}, 120_000);
