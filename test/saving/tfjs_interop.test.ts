/**
 * The TensorFlow.js layers format against @tensorflow/tfjs-layers 4.22 itself, both in this process
 * on the same backend: a layers model published on npm (@upscalerjs/default-model, converted from
 * Keras 2.10) loads and predicts what tfjs-layers predicts; and tfjs-layers loads the model.json
 * keras-ts writes and predicts what keras-ts predicts.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import * as k from '../../src';
import { expectNoLeak } from '../helpers';

/** tfjs-layers' model from a model.json folder, read here (tfjs-layers alone has no file-system loader). */
async function tfjsLoad(dir: string): Promise<tfl.LayersModel> {
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  const groups = json.weightsManifest as Array<{ paths: string[]; weights: tfc.io.WeightsManifestEntry[] }>;
  const buffers = groups.flatMap((g) => g.paths.map((p) => fs.readFileSync(path.join(dir, p))));
  const data = Buffer.concat(buffers);
  return tfl.loadLayersModel(
    tfc.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: groups.flatMap((g) => g.weights),
      weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength),
    }),
  );
}

function maxDiff(a: tfc.Tensor, b: tfc.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  const x = a.dataSync();
  const y = b.dataSync();
  let max = 0;
  x.forEach((v, i) => (max = Math.max(max, Math.abs(v - y[i]))));
  return max;
}

let tmp: string;
beforeAll(async () => {
  await k.setBackend('cpu');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-tfjs-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('@upscalerjs/default-model (npm, layers format) loads from node_modules and predicts what tfjs-layers predicts', async () => {
  // The package's exports map hides its files from require.resolve; find its folder in node_modules.
  const base = (require.resolve.paths('@upscalerjs/default-model') ?? []).map((d) => path.join(d, '@upscalerjs', 'default-model')).find((d) => fs.existsSync(d));
  const dir = path.join(base as string, 'models');
  const ours = await k.models.loadModel(dir);
  const classes = new Set(ours.layers.map((l) => l.className));
  expect([...classes].sort()).toEqual(['Activation', 'Add', 'Concatenate', 'Conv2D', 'InputLayer', 'UpSampling2D']);
  const theirs = await tfjsLoad(dir);
  const x = tfc.randomUniform([1, 12, 16, 3], 0, 1, 'float32', 7);
  const a = ours.predict(x) as tfc.Tensor;
  const b = theirs.predict(x) as tfc.Tensor;
  expect(a.shape).toEqual([1, 24, 32, 3]);
  const diff = maxDiff(a, b);
  process.stdout.write(`@upscalerjs/default-model: max |keras-ts - tfjs-layers| = ${diff.toExponential(2)}\n`);
  expect(diff).toBeLessThan(1e-5);
  tfc.dispose([x, a, b]);
  theirs.dispose();
  ours.dispose();
});

function testModel(): k.Model {
  const inputs = k.Input({ shape: [8, 8, 2] });
  const c = new k.layers.Conv2D({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(inputs);
  const n = new k.layers.BatchNormalization().apply(c);
  const d = new k.layers.DepthwiseConv2D({ kernelSize: 3, padding: 'same' }).apply(n);
  const joined = new k.layers.Concatenate().apply([n, d]);
  const p = new k.layers.MaxPooling2D({ poolSize: 2 }).apply(joined);
  const f = new k.layers.Flatten().apply(p);
  const h = new k.layers.Dense({ units: 6 }).apply(f);
  const l = new k.layers.LeakyReLU({ negativeSlope: 0.1 }).apply(h);
  const r = new k.layers.Add().apply([l, new k.layers.Dense({ units: 6, activation: 'tanh' }).apply(f)]);
  const out = new k.layers.Dense({ units: 3, activation: 'softmax' }).apply(new k.layers.Dropout({ rate: 0.3 }).apply(r));
  return new k.Model({ inputs, outputs: out, name: 'interop' });
}

test('tfjs-layers loads the model.json keras-ts writes and predicts the same', async () => {
  const model = testModel();
  // Non-trivial batch-norm statistics, so their weights matter.
  model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
  const x = tfc.randomNormal([6, 8, 8, 2], 0, 1, 'float32', 3);
  const y = tfc.oneHot(tfc.tensor1d([0, 1, 2, 0, 1, 2], 'int32'), 3);
  await model.fit(x, y, { epochs: 2, verbose: 0 });
  const dir = path.join(tmp, 'ours');
  await model.save(`${dir}/`);
  expect(fs.readdirSync(dir).sort()).toEqual(['group1-shard1of1.bin', 'model.json']);
  const theirs = await tfjsLoad(dir);
  const a = model.predict(x) as tfc.Tensor;
  const b = theirs.predict(x) as tfc.Tensor;
  const diff = maxDiff(a, b);
  process.stdout.write(`keras-ts model.json in tfjs-layers: max difference ${diff.toExponential(2)}\n`);
  expect(diff).toBeLessThan(1e-5);
  // And back into keras-ts.
  const again = await k.models.loadModel(dir);
  const c = again.predict(x) as tfc.Tensor;
  expect(maxDiff(a, c)).toBe(0);
  tfc.dispose([x, y, a, b, c]);
  theirs.dispose();
  again.dispose();
  model.dispose();
});

test('weights larger than 4 MB are split into 4 MB shards, and read back across shards', async () => {
  const model = new k.Sequential([new k.layers.Dense({ units: 700, inputShape: [1600] }), new k.layers.Dense({ units: 10 })]);
  const dir = path.join(tmp, 'sharded');
  await model.save(dir + '/');
  const shards = fs.readdirSync(dir).filter((f) => f.endsWith('.bin')).sort();
  expect(shards).toEqual(['group1-shard1of2.bin', 'group1-shard2of2.bin']);
  expect(fs.statSync(path.join(dir, shards[0])).size).toBe(4 * 1024 * 1024);
  const again = await k.models.loadModel(dir);
  const x = tfc.randomNormal([2, 1600], 0, 1, 'float32', 1);
  const a = model.predict(x) as tfc.Tensor;
  const b = again.predict(x) as tfc.Tensor;
  expect(maxDiff(a, b)).toBe(0);
  tfc.dispose([x, a, b]);
  model.dispose();
  again.dispose();
});

test('quantized weights (uint8, uint16, float16) are dequantized as tfjs does', async () => {
  const dir = path.join(tmp, 'quantized');
  fs.mkdirSync(dir);
  const model = new k.Sequential([new k.layers.Dense({ units: 2, inputShape: [2], name: 'q' })]);
  // kernel [[1, 2], [3, 4]] as uint8 with scale 0.5, min -1: stored q = (v - min) / scale = 4, 6, 8, 10.
  // bias [0.5, -2] as float16: 0x3800, 0xC000.
  const bytes = Buffer.from([4, 6, 8, 10, 0x00, 0x38, 0x00, 0xc0]);
  fs.writeFileSync(path.join(dir, 'w.bin'), bytes);
  const json = JSON.parse(model.toJSON());
  fs.writeFileSync(
    path.join(dir, 'model.json'),
    JSON.stringify({
      format: 'layers-model',
      modelTopology: json,
      weightsManifest: [{
        paths: ['w.bin'],
        weights: [
          { name: 'q/kernel', shape: [2, 2], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.5, min: -1 } },
          { name: 'q/bias', shape: [2], dtype: 'float32', quantization: { dtype: 'float16' } },
        ],
      }],
    }),
  );
  const loaded = await k.models.loadModel(dir);
  const [kernel, bias] = loaded.getWeights();
  expect(Array.from(kernel.dataSync())).toEqual([1, 2, 3, 4]);
  expect(Array.from(bias.dataSync())).toEqual([0.5, -2]);
  tfc.dispose([kernel, bias]);
  loaded.dispose();
  model.dispose();
});

test('saving and loading a tfjs folder leaves no tensors behind', async () => {
  const model = testModel();
  await expectNoLeak(async () => {
    await model.save(path.join(tmp, 'leak/'));
    const again = await k.models.loadModel(path.join(tmp, 'leak'));
    again.dispose();
  }, model.weights.length); // the model's own weights, created on first use
  model.dispose();
});
