/**
 * Files from strangers, case by case: no code from a file ever runs (Lambda layers and unregistered
 * classes are refused with how to register), paths that leave the model's folder are refused before
 * anything is read, byte lengths are checked against shapes and dtypes, and corrupt input gets a
 * clear error that names the file.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { zipSync } from 'fflate';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';

let tmp: string;
let model: k.Sequential;
beforeAll(async () => {
  await k.setBackend('cpu');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-untrusted-'));
  model = new k.Sequential([new k.layers.Dense({ units: 2, inputShape: [3], name: 'd' })]);
  await model.save(path.join(tmp, 'ok', 'tfjs/'));
  await model.save(path.join(tmp, 'ok', 'm.keras'));
  await model.save(path.join(tmp, 'ok', 'm.h5'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function sequential(layers: unknown[]): string {
  return JSON.stringify({ class_name: 'Sequential', config: { name: 's', layers } });
}

test('a Lambda layer is refused: keras-ts never runs code from a file', () => {
  const json = sequential([{ class_name: 'Lambda', config: { name: 'l', function: ['4wEAAAAAAAAA...', null, null], batch_input_shape: [null, 3] } }]);
  expect(() => k.models.modelFromJson(json)).toThrow(/Lambda layer.*never runs code from a file \(safe mode\). help: write the layer as a TypeScript Layer class, register it/);
  const lambdaActivation = sequential([{ class_name: 'Dense', config: { units: 2, batch_input_shape: [null, 3], activation: { class_name: '__lambda__', config: { code: 'lambda x: x' } } } }]);
  expect(() => k.models.modelFromJson(lambdaActivation)).toThrow(/Python code \(a lambda\)/);
});

test('an unknown class is refused with the Keras 3 registered name and how to register it', () => {
  const json = sequential([{ class_name: 'Attention9', registered_name: 'acme>Attention9', config: { name: 'a' } }]);
  expect(() => k.models.modelFromJson(json)).toThrow(/unknown layer class 'Attention9' \(registered as 'acme>Attention9'\).*registerKerasSerializable\(Attention9, \{package: 'acme'\}\)/);
});

function tfjsCopy(name: string, edit: (json: { weightsManifest: Array<{ paths: string[]; weights: Array<Record<string, unknown>> }> }) => void): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  const json = JSON.parse(fs.readFileSync(path.join(tmp, 'ok', 'tfjs', 'model.json'), 'utf8'));
  edit(json);
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
  fs.copyFileSync(path.join(tmp, 'ok', 'tfjs', 'group1-shard1of1.bin'), path.join(dir, 'group1-shard1of1.bin'));
  return dir;
}

test('weight paths that leave the folder are refused before anything is read', async () => {
  fs.writeFileSync(path.join(tmp, 'secret.bin'), Buffer.alloc(32));
  for (const bad of ['../secret.bin', path.join(tmp, 'secret.bin'), 'sub/../../secret.bin']) {
    const dir = tfjsCopy(`escape-${bad.length}`, (j) => (j.weightsManifest[0].paths = [bad]));
    await expect(k.models.loadModel(dir)).rejects.toThrow(/refusing the path .* which leaves the model's folder/);
  }
  const linked = tfjsCopy('symlink', (j) => (j.weightsManifest[0].paths = ['w.bin']));
  fs.symlinkSync(path.join(tmp, 'secret.bin'), path.join(linked, 'w.bin'));
  await expect(k.models.loadModel(linked)).rejects.toThrow(/leads outside the model's folder/);
});

test('byte lengths are checked against shapes and dtypes', async () => {
  const short = tfjsCopy('short', () => undefined);
  fs.truncateSync(path.join(short, 'group1-shard1of1.bin'), 20);
  await expect(k.models.loadModel(short)).rejects.toThrow(/need 32 bytes by their shapes and dtypes, but its shard files \(group1-shard1of1.bin\) hold 20/);
  const wrongShape = tfjsCopy('shape', (j) => (j.weightsManifest[0].weights[0].shape = [3, 3]));
  await expect(k.models.loadModel(wrongShape)).rejects.toThrow(/need 44 bytes/);
  const dtype = tfjsCopy('dtype', (j) => (j.weightsManifest[0].weights[0].dtype = 'complex64'));
  await expect(k.models.loadModel(dtype)).rejects.toThrow(/dtype "complex64"/);
});

test('zip entries whose names leave the archive are refused', async () => {
  const file = path.join(tmp, 'evil.keras');
  fs.writeFileSync(file, zipSync({ '../evil.txt': new Uint8Array([1]), 'config.json': new Uint8Array(Buffer.from('{}')) }));
  await expect(k.models.loadModel(file)).rejects.toThrow(/refusing the zip entry '..\/evil.txt'/);
});

test('corrupt input gets a clear error naming the file', async () => {
  const notH5 = path.join(tmp, 'not.h5');
  fs.writeFileSync(notH5, 'this is not hdf5');
  await expect(k.models.loadModel(notH5)).rejects.toThrow(/neither a .keras archive \(zip\), an HDF5 file, nor a tfjs folder/);
  await expect(model.loadWeights(notH5)).rejects.toThrow(/not an HDF5 file \(no HDF5 signature/);
  const truncated = path.join(tmp, 'trunc.h5');
  fs.writeFileSync(truncated, fs.readFileSync(path.join(tmp, 'ok', 'm.h5')).subarray(0, 1000));
  await expect(k.models.loadModel(truncated)).rejects.toThrow(k.KerasError);
  const badJson = tfjsCopy('badjson', () => undefined);
  fs.writeFileSync(path.join(badJson, 'model.json'), '{"modelTopology": ');
  await expect(k.models.loadModel(badJson)).rejects.toThrow(/model.json: not valid JSON/);
  const graph = tfjsCopy('graph', () => undefined);
  fs.writeFileSync(path.join(graph, 'model.json'), JSON.stringify({ format: 'graph-model', modelTopology: {} }));
  await expect(k.models.loadModel(graph)).rejects.toThrow(/a tfjs graph model .* cannot be loaded as a Keras model/);
  await expect(k.models.loadModel(path.join(tmp, 'missing.keras'))).rejects.toThrow(/no such file/);
});

test('a weights file from another architecture changes nothing', async () => {
  const other = new k.Sequential([new k.layers.Dense({ units: 5, inputShape: [3] })]);
  await other.saveWeights(path.join(tmp, 'other.weights.h5'));
  await other.saveWeights(path.join(tmp, 'other.h5'));
  const before = model.getWeights().map((t) => Array.from(t.dataSync()));
  await expect(model.loadWeights(path.join(tmp, 'other.weights.h5'))).rejects.toThrow(/dataset 'layers\/dense\/vars\/0' has shape \[3,5\], expected \[3,2\]/);
  await expect(model.loadWeights(path.join(tmp, 'other.h5'))).rejects.toThrow(/has shape \[3,5\], expected \[3,2\]/);
  const after = model.getWeights();
  after.forEach((t, i) => expect(Array.from(t.dataSync())).toEqual(before[i]));
  tfc.dispose(after);
  other.dispose();
});

test('saving refuses unknown targets and, with overwrite false, existing files', async () => {
  await expect(model.save(path.join(tmp, 'model.bin'))).rejects.toThrow(/cannot tell the format of .*help: use 'model.keras'/);
  await expect(model.save(path.join(tmp, 'x.weights.h5'))).rejects.toThrow(/names a weights file; save writes a whole model/);
  await expect(model.save(path.join(tmp, 'ok', 'm.keras'), { overwrite: false })).rejects.toThrow(/exists and overwrite is false/);
  await expect(model.saveWeights(path.join(tmp, 'w.keras'))).rejects.toThrow(/weights go to a '.weights.h5' file/);
});

test('a save replaces the old file atomically: no temporary file is left, and a failed save keeps the old file', async () => {
  const file = path.join(tmp, 'atomic.keras');
  await model.save(file);
  const first = fs.readFileSync(file);
  class Unsaveable extends k.layers.Dense {
    override getConfig(): k.layers.LayerConfig {
      throw new Error('this layer cannot describe itself');
    }
  }
  const broken = new k.Sequential([new Unsaveable({ units: 2, inputShape: [3] })]);
  await expect(broken.save(file)).rejects.toThrow(/cannot describe itself/);
  expect(fs.readFileSync(file).equals(first)).toBe(true);
  expect(fs.readdirSync(tmp).filter((f) => f.includes('.tmp-'))).toEqual([]);
});
