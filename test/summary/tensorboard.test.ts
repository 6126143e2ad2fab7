/**
 * The TensorBoard callback, read back by an independent decoder (Debian's protoc + python3-protobuf,
 * its own CRC-32C): every scalar and step against fit's History, histogram bucket counts against the
 * weights, the graph's nodes and edges against the model, every record's CRC, truncated files,
 * several fits into one folder, and flushing at each epoch end.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import * as tfc from '@tensorflow/tfjs-core';
import { PNG } from 'pngjs';
import * as k from '../../src';
import { DecodedFile, decodeEvents, scalars, valuesOf } from './decoder';
import { DECODER_TOOLS, testWithTools } from '../system_tools';

const test = testWithTools(DECODER_TOOLS);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-tb-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

beforeAll(async () => {
  await k.setBackend('cpu');
});

/** 48 samples of 8 features, 3 classes. */
function data(): { x: number[][]; y: number[][] } {
  const x = Array.from({ length: 48 }, (_, i) => Array.from({ length: 8 }, (_, j) => Math.sin(0.7 * i + 1.3 * j)));
  const y = x.map((r) => {
    const c = r[0] + r[1] > 0.5 ? 0 : r[2] > 0 ? 1 : 2;
    return [0, 1, 2].map((j) => (j === c ? 1 : 0));
  });
  return { x, y };
}

function mlp(): k.Model {
  k.utils.setRandomSeed(7);
  const inputs = k.Input({ shape: [8], name: 'pixels' });
  const h = new k.layers.Dense({ units: 6, activation: 'sigmoid', name: 'hidden' }).apply(inputs);
  const outputs = new k.layers.Dense({ units: 3, activation: 'softmax', name: 'probs' }).apply(h);
  const model = new k.Model({ inputs, outputs, name: 'mlp' });
  model.compile({ optimizer: new k.optimizers.SGD({ learningRate: 0.1 }), loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  return model;
}

function eventFiles(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.startsWith('events.out.tfevents.')).sort().map((f) => path.join(dir, f)) : [];
}

const f32 = Math.fround;

describe('a fit with the TensorBoard callback', () => {
  const logDir = path.join(tmp, 'fit');
  let history: k.callbacks.History;
  let train: DecodedFile;
  let validation: DecodedFile;
  const weightsAtEpochEnd: Array<Record<string, Float32Array>> = [];
  const epochs = 3;
  const batches = 3; // 36 training samples (48 less 25% for validation) in batches of 12

  beforeAll(async () => {
    const model = mlp();
    const { x, y } = data();
    const snapshot = new k.callbacks.LambdaCallback({
      onEpochEnd: () => {
        weightsAtEpochEnd.push(Object.fromEntries(model.weights.map((w) => [w.name, w.value.dataSync().slice() as Float32Array])));
      },
    });
    const tb = new k.callbacks.TensorBoard({ logDir, histogramFreq: 1, updateFreq: 'batch', writeImages: true });
    history = await model.fit(x, y, { epochs, batchSize: 12, validationSplit: 0.25, verbose: 0, callbacks: [tb, snapshot] });
    const trainFiles = eventFiles(path.join(logDir, 'train'));
    const valFiles = eventFiles(path.join(logDir, 'validation'));
    expect(trainFiles).toHaveLength(1);
    expect(valFiles).toHaveLength(1);
    [train, validation] = decodeEvents(trainFiles[0], valFiles[0]);
    model.dispose();
  });

  test('files are named and begin as TensorFlow 2 writes them, and every record passes its CRCs', () => {
    const host = os.hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const name = new RegExp(`^events\\.out\\.tfevents\\.\\d{10}\\.${host}\\.${process.pid}\\.\\d+\\.v2$`);
    for (const file of [train, validation]) {
      expect(path.basename(file.path)).toMatch(name);
      expect(file.end).toBe('clean');
      expect(file.record_ends[file.record_ends.length - 1]).toBe(file.bytes);
      expect(file.events[0]).toMatchObject({ what: 'file_version', file_version: 'brain.Event:2' });
      expect(file.events).toHaveLength(file.records);
      for (const e of file.events) expect(Math.abs(e.wall_time - Date.now() / 1000)).toBeLessThan(600);
    }
  });

  test('every epoch scalar equals the History, at step = epoch, with Keras tag names', () => {
    const got = scalars(train).filter((s) => s.tag.startsWith('epoch_'));
    const expected = history.epoch.flatMap((e) => [
      { tag: 'epoch_loss', step: e, value: f32(history.history.loss[e]) },
      { tag: 'epoch_accuracy', step: e, value: f32(history.history.accuracy[e]) },
      { tag: 'epoch_learning_rate', step: e, value: f32(0.1) },
    ]);
    expect(got).toEqual(expected);
    const val = scalars(validation);
    const expectedVal = history.epoch.flatMap((e) => [
      { tag: 'epoch_loss', step: e, value: f32(history.history.val_loss[e]) },
      { tag: 'epoch_accuracy', step: e, value: f32(history.history.val_accuracy[e]) },
      { tag: 'evaluation_loss_vs_iterations', step: (e + 1) * batches, value: f32(history.history.val_loss[e]) },
      { tag: 'evaluation_accuracy_vs_iterations', step: (e + 1) * batches, value: f32(history.history.val_accuracy[e]) },
    ]);
    expect(val).toEqual(expectedVal);
  });

  test("updateFreq 'batch' writes batch_loss and batch_accuracy at every global batch (1-based)", () => {
    const batchLoss = scalars(train).filter((s) => s.tag === 'batch_loss');
    expect(batchLoss.map((s) => s.step)).toEqual(Array.from({ length: epochs * batches }, (_, i) => i + 1));
    // The last batch of each epoch carries the epoch's running mean, which is the epoch loss.
    for (let e = 0; e < epochs; e++) expect(batchLoss[(e + 1) * batches - 1].value).toBe(f32(history.history.loss[e]));
    expect(scalars(train).filter((s) => s.tag === 'batch_accuracy')).toHaveLength(epochs * batches);
  });

  test('histograms: every weight every epoch, bucket counts match the weights', () => {
    const hists = valuesOf(train, 'histograms');
    const names = ['hidden/kernel', 'hidden/bias', 'probs/kernel', 'probs/bias'];
    expect(hists.map((h) => `${h.step}:${h.tag}`)).toEqual(history.epoch.flatMap((e) => names.map((n) => `${e}:${n}/histogram`)));
    for (const h of hists) {
      expect(h.dims).toEqual([30, 3]);
      const rows = h.data as number[];
      const weights = Array.from(weightsAtEpochEnd[h.step][h.tag.replace('/histogram', '')]);
      const sorted = [...weights].sort((a, b) => a - b);
      expect(rows[0]).toBe(sorted[0]); // left edge of the first bucket: the minimum
      expect(rows[29 * 3 + 1]).toBe(sorted[sorted.length - 1]); // right edge of the last: the maximum
      for (let b = 0; b < 30; b++) {
        const [left, right, count] = rows.slice(b * 3, b * 3 + 3);
        const inside = weights.filter((w) => w >= left && (b === 29 ? w <= right : w < right)).length;
        expect(count).toBe(inside);
      }
      expect(rows.filter((_v, i) => i % 3 === 2).reduce((a, b) => a + b, 0)).toBe(weights.length);
    }
  });

  test('writeImages: each kernel and bias as a PNG laid out as Keras does', () => {
    const images = valuesOf(train, 'images').filter((v) => v.step === 0);
    expect(images.map((v) => v.tag)).toEqual(['hidden/kernel/image', 'hidden/bias/image', 'probs/kernel/image', 'probs/bias/image']);
    // [width, height, png]: the 8x6 kernel is transposed to 6 rows x 8 columns; a bias is a column.
    expect((images[0].data as unknown[]).slice(0, 2)).toEqual(['8', '6']);
    expect((images[1].data as unknown[]).slice(0, 2)).toEqual(['1', '6']);
    for (const img of images) {
      const [width, height, encoded] = img.data as [string, string, { png_ok: boolean; base64: string }];
      expect(encoded.png_ok).toBe(true);
      const png = PNG.sync.read(Buffer.from(encoded.base64, 'base64'));
      expect([png.width, png.height]).toEqual([Number(width), Number(height)]);
    }
  });

  test('the graph: one Placeholder, each layer scope with its weights and ops, shapes on every node', () => {
    const graphs = train.events.filter((e) => e.what === 'graph_def');
    expect(graphs).toHaveLength(1);
    const nodes = graphs[0].nodes ?? [];
    expect(nodes).toEqual([
      { name: 'pixels', op: 'Placeholder', input: [], output_shapes: [[-1, 8]] },
      { name: 'hidden/kernel', op: 'VariableV2', input: [], output_shapes: [[8, 6]] },
      { name: 'hidden/bias', op: 'VariableV2', input: [], output_shapes: [[6]] },
      { name: 'hidden/MatMul', op: 'MatMul', input: ['pixels', 'hidden/kernel'], output_shapes: [[-1, 6]] },
      { name: 'hidden/BiasAdd', op: 'BiasAdd', input: ['hidden/MatMul', 'hidden/bias'], output_shapes: [[-1, 6]] },
      { name: 'hidden/Sigmoid', op: 'Sigmoid', input: ['hidden/BiasAdd'], output_shapes: [[-1, 6]] },
      { name: 'probs/kernel', op: 'VariableV2', input: [], output_shapes: [[6, 3]] },
      { name: 'probs/bias', op: 'VariableV2', input: [], output_shapes: [[3]] },
      { name: 'probs/MatMul', op: 'MatMul', input: ['hidden/Sigmoid', 'probs/kernel'], output_shapes: [[-1, 3]] },
      { name: 'probs/BiasAdd', op: 'BiasAdd', input: ['probs/MatMul', 'probs/bias'], output_shapes: [[-1, 3]] },
      { name: 'probs/Softmax', op: 'Softmax', input: ['probs/BiasAdd'], output_shapes: [[-1, 3]] },
    ]);
  });
});

test('a functional graph with branches: a scope per layer, and an edge for every connection of the model', () => {
  const inputs = k.Input({ shape: [28, 28, 1], name: 'image' });
  const c = new k.layers.Conv2D({ filters: 4, kernelSize: 3, activation: 'relu', name: 'conv' }).apply(inputs);
  const p = new k.layers.MaxPooling2D({ poolSize: 2, name: 'pool' }).apply(c);
  const f = new k.layers.Flatten({ name: 'flat' }).apply(p);
  const a = new k.layers.Dense({ units: 5, name: 'a' }).apply(f);
  const b = new k.layers.Dense({ units: 5, activation: 'tanh', name: 'b' }).apply(a);
  const sum = new k.layers.Add({ name: 'sum' }).apply([a, b]);
  const model = new k.Model({ inputs, outputs: sum });
  const dir = path.join(tmp, 'graph');
  const w = k.summary.createFileWriter(dir);
  w.graph(model);
  w.close();
  const [file] = decodeEvents(w.path);
  const nodes = file.events.find((e) => e.what === 'graph_def')?.nodes ?? [];
  const scopeOf = (name: string): string => name.split(/[/:]/)[0];
  // Every layer has nodes in its scope; the model's connections, written out by hand, are edges between scopes.
  expect([...new Set(nodes.map((n) => scopeOf(n.name)))]).toEqual(['image', 'conv', 'pool', 'flat', 'a', 'b', 'sum']);
  const edges = new Set(nodes.flatMap((n) => n.input.map((i) => `${scopeOf(i)}->${scopeOf(n.name)}`)).filter((e) => e.split('->')[0] !== e.split('->')[1]));
  expect([...edges].sort()).toEqual(['a->b', 'a->sum', 'b->sum', 'conv->pool', 'flat->a', 'image->conv', 'pool->flat']);
  expect(nodes.find((n) => n.name === 'conv/Conv2D')).toMatchObject({ op: 'Conv2D', input: ['image', 'conv/kernel'], output_shapes: [[-1, 26, 26, 4]] });
  expect(nodes.find((n) => n.name === 'pool/MaxPooling2D')).toMatchObject({ op: 'MaxPooling2D', output_shapes: [[-1, 13, 13, 4]] });
  expect(nodes.find((n) => n.name === 'sum/Add')).toMatchObject({ op: 'Add', input: ['a/BiasAdd', 'b/Tanh'], output_shapes: [[-1, 5]] });
  for (const n of nodes) expect(n.output_shapes.length).toBeGreaterThan(0);
});

test('a file cut at a random byte keeps every complete record readable', () => {
  const dir = path.join(tmp, 'cut');
  const w = k.summary.createFileWriter(dir);
  for (let step = 0; step < 40; step++) {
    w.scalar('loss', 1 / (step + 1), step);
    if (step % 10 === 0) w.histogram('values', Array.from({ length: 50 + step }, (_, i) => Math.cos(i * step)), step);
    if (step % 13 === 0) w.text('note', `step ${step}: ${'x'.repeat(step)}`, step);
  }
  w.close();
  const [full] = decodeEvents(w.path);
  expect(full.end).toBe('clean');
  const bytes = fs.readFileSync(w.path);
  let seed = 12345;
  const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const cuts = [...Array.from({ length: 12 }, () => 1 + Math.floor(random() * (bytes.length - 1))), full.record_ends[5], full.record_ends[5] + 1];
  cuts.forEach((cut, i) => {
    const file = path.join(dir, `cut_${i}`);
    fs.writeFileSync(file, bytes.subarray(0, cut));
  });
  const decoded = decodeEvents(...cuts.map((_c, i) => path.join(dir, `cut_${i}`)));
  decoded.forEach((file, i) => {
    const complete = full.record_ends.filter((end) => end <= cuts[i]).length;
    expect(file.records).toBe(complete);
    expect(file.events).toEqual(full.events.slice(0, complete));
    expect(file.end).toBe(full.record_ends.includes(cuts[i]) ? 'clean' : file.bytes - (full.record_ends[complete - 1] ?? 0) < 12 ? 'truncated header' : 'truncated data');
  });
});

test('several fits into one logDir append new files; events are on disk at each epoch end', async () => {
  const logDir = path.join(tmp, 'twice');
  const model = mlp();
  const { x, y } = data();
  const seenAtEpochEnd: number[] = [];
  const tb = new k.callbacks.TensorBoard({ logDir, writeGraph: false });
  const check = new k.callbacks.LambdaCallback({
    onEpochEnd: (epoch) => {
      // Read the file while fit is still running: this epoch's loss must already be there.
      const files = eventFiles(path.join(logDir, 'train'));
      const [last] = decodeEvents(files[files.length - 1]);
      const losses = scalars(last).filter((s) => s.tag === 'epoch_loss');
      seenAtEpochEnd.push(losses[losses.length - 1].step);
      expect(losses[losses.length - 1].step).toBe(epoch);
    },
  });
  const h1 = await model.fit(x, y, { epochs: 2, batchSize: 16, validationSplit: 0.25, verbose: 0, callbacks: [tb, check] });
  const h2 = await model.fit(x, y, { epochs: 4, initialEpoch: 2, batchSize: 16, validationSplit: 0.25, verbose: 0, callbacks: [tb, check] });
  expect(seenAtEpochEnd).toEqual([0, 1, 2, 3]);
  const trainFiles = eventFiles(path.join(logDir, 'train'));
  const valFiles = eventFiles(path.join(logDir, 'validation'));
  expect(trainFiles).toHaveLength(2);
  expect(valFiles).toHaveLength(2);
  const decoded = decodeEvents(...trainFiles);
  const lossesOf = (f: DecodedFile): number[] => scalars(f).filter((s) => s.tag === 'epoch_loss').map((s) => s.value);
  expect(lossesOf(decoded[0])).toEqual(h1.history.loss.map(f32));
  expect(lossesOf(decoded[1])).toEqual(h2.history.loss.map(f32));
  expect(scalars(decoded[1]).filter((s) => s.tag === 'epoch_loss').map((s) => s.step)).toEqual([2, 3]);
  model.dispose();
});

test('flushSecs: queued events reach the file once that many seconds have passed', async () => {
  const w = k.summary.createFileWriter(path.join(tmp, 'flush'), { flushSecs: 1, maxQueue: 1000 });
  w.scalar('a', 1, 0);
  expect(decodeEvents(w.path)[0].events).toHaveLength(1); // only the file_version record
  await new Promise((r) => setTimeout(r, 1500)); // the timer flushes
  expect(scalars(decodeEvents(w.path)[0])).toEqual([{ tag: 'a', step: 0, value: 1 }]);
  w.close();
});

test('a process killed while writing leaves every earlier record readable', () => {
  const dir = path.join(tmp, 'killed');
  const script = `
    const k = require(${JSON.stringify(path.join(__dirname, '..', '..', 'src'))});
    const w = k.summary.createFileWriter(${JSON.stringify(dir)}, { maxQueue: 1 });
    for (let i = 0; i < 1000; i++) {
      w.scalar('value', i, i);
      if (i === 300) process.kill(process.pid, 'SIGKILL');
    }`;
  const { spawnSync } = require('child_process') as typeof import('child_process');
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { cwd: path.join(__dirname, '..', '..'), encoding: 'utf8' });
  expect(r.signal).toBe('SIGKILL');
  const files = eventFiles(dir);
  expect(files).toHaveLength(1);
  const [file] = decodeEvents(files[0]);
  expect(file.end).toBe('clean');
  expect(scalars(file)).toEqual(Array.from({ length: 301 }, (_, i) => ({ tag: 'value', step: i, value: i })));
});

test('profileBatch: a table of the profiled kernels in the Text tab and a Chrome trace file', async () => {
  const logDir = path.join(tmp, 'profile');
  const model = mlp();
  const { x, y } = data();
  await model.fit(x, y, { epochs: 1, batchSize: 12, verbose: 0, callbacks: [new k.callbacks.TensorBoard({ logDir, profileBatch: [2, 3] })] });
  const [file] = decodeEvents(...eventFiles(path.join(logDir, 'train')));
  const text = valuesOf(file, 'text');
  expect(text.map((t) => [t.tag, t.step])).toEqual([['profile/batch_2_3', 3]]);
  const table = (text[0].data as string[])[0];
  const count = Number(/(\d+) kernels/.exec(table)?.[1]);
  expect(table).toMatch(/\| _FusedMatMul \| \d+ \|/); // the Dense layers' kernel
  const runs = fs.readdirSync(path.join(logDir, 'train', 'plugins', 'profile'));
  expect(runs).toHaveLength(1);
  const trace = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(logDir, 'train', 'plugins', 'profile', runs[0], `${os.hostname()}.trace.json.gz`))).toString());
  expect(trace.traceEvents).toHaveLength(count);
  expect(trace.traceEvents[0]).toMatchObject({ ph: 'X', pid: 1, tid: 1, ts: 0 });
  model.dispose();
});

test('fit with the callback leaves no tensor behind', async () => {
  const model = mlp();
  const { x, y } = data();
  await model.fit(x, y, { epochs: 1, verbose: 0 }); // creates the optimizer's slots and the metrics' state
  const before = tfc.memory().numTensors;
  const tb = new k.callbacks.TensorBoard({ logDir: path.join(tmp, 'leak'), histogramFreq: 1, writeImages: true, updateFreq: 2, profileBatch: 1 });
  await model.fit(x, y, { epochs: 2, batchSize: 12, validationSplit: 0.25, verbose: 0, callbacks: [tb] });
  expect(tfc.memory().numTensors).toBe(before);
  model.dispose();
});

describe('the k.summary writer API', () => {
  test('scalar, histogram, text and image with the default writer; histogram buckets worked by hand', () => {
    const before = tfc.memory().numTensors;
    const w = k.summary.createFileWriter(path.join(tmp, 'api')).setAsDefault();
    k.summary.scalar('x', 2.5, 0);
    const t = tfc.scalar(-1.25);
    k.summary.scalar('x', t, 1);
    t.dispose();
    // 0..10 in 5 buckets of width 2: [0,2) [2,4) [4,6) [6,8) [8,10] -> 2, 2, 2, 2, 3.
    k.summary.histogram('h', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0, { buckets: 5 });
    // one distinct value: every edge is it, the last bucket counts all; no data: zeros.
    k.summary.histogram('same', new Float32Array([3, 3, 3]), 0, { buckets: 4 });
    k.summary.histogram('empty', [], 0, { buckets: 2 });
    k.summary.text('notes', '**bold** é', 3);
    const img = tfc.tensor4d([0, 0.5, 1, 0.25, 1, 1, 1, 1], [2, 2, 2, 1]);
    k.summary.image('img', img, 4, { maxOutputs: 1 });
    img.dispose();
    k.summary.flush();
    k.summary.close();
    expect(tfc.memory().numTensors).toBe(before);
    expect(() => k.summary.scalar('x', 1, 2)).toThrow(/no default writer.*help:/);
    expect(() => w.scalar('x', 1, 2)).toThrow(/closed.*help:/);
    const [file] = decodeEvents(w.path);
    expect(scalars(file)).toEqual([{ tag: 'x', step: 0, value: 2.5 }, { tag: 'x', step: 1, value: -1.25 }]);
    const hists = valuesOf(file, 'histograms');
    expect(hists[0].dims).toEqual([5, 3]);
    expect(hists[0].data).toEqual([0, 2, 2, 2, 4, 2, 4, 6, 2, 6, 8, 2, 8, 10, 3]);
    expect(hists[1].data).toEqual([3, 3, 0, 3, 3, 0, 3, 3, 0, 3, 3, 3]);
    expect(hists[2]).toMatchObject({ dims: [2, 3] });
    expect(valuesOf(file, 'text')).toMatchObject([{ tag: 'notes', step: 3, data: ['**bold** é'] }]);
    const images = valuesOf(file, 'images');
    expect(images).toMatchObject([{ tag: 'img', step: 4, dims: [3] }]);
    expect((images[0].data as unknown[]).slice(0, 2)).toEqual(['2', '2']);
  });

  test('image PNGs hold the pixels given', () => {
    const w = k.summary.createFileWriter(path.join(tmp, 'png'));
    const img = tfc.tensor4d([0, 0.5, 1, 0.2], [1, 2, 2, 1]);
    w.image('img', img, 0);
    img.dispose();
    w.close();
    const [value] = valuesOf(decodeEvents(w.path)[0], 'images');
    const png = PNG.sync.read(Buffer.from((value.data as Array<{ base64: string }>)[2].base64, 'base64'));
    expect([png.width, png.height]).toEqual([2, 2]);
    expect([0, 1, 2, 3].map((i) => png.data[i * 4])).toEqual([0, 128, 255, 51]);
  });

  it('bad input is refused with the fix', () => {
    const w = k.summary.createFileWriter(path.join(tmp, 'bad'));
    expect(() => w.scalar('x', 1, 1.5)).toThrow(/`step` must be an integer, got 1.5.*help:/);
    expect(() => w.scalar('', 1, 0)).toThrow(/name must be a non-empty string.*help:/);
    expect(() => w.histogram('h', [1, 2], 0, { bucket: 3 } as never)).toThrow(/unknown option 'bucket'. Did you mean 'buckets'\?/);
    const t = tfc.zeros([2, 2]);
    expect(() => w.scalar('x', t, 0)).toThrow(/expected one value, got a tensor of shape \[2,2\].*help:/);
    expect(() => w.image('i', t, 0)).toThrow(/images must have shape \[k, height, width, 1\|3\|4\], got \[2,2\].*help:/);
    t.dispose();
    w.close();
    expect(() => k.summary.createFileWriter('')).toThrow(/`logDir` must be a directory path.*help:/);
    expect(() => k.summary.createFileWriter(path.join(tmp, 'bad2'), { flushSecs: 0 })).toThrow(/`flushSecs` must be a positive number, got 0.*help:/);
  });

  it('the TensorBoard callback refuses bad options with the fix', () => {
    expect(() => new k.callbacks.TensorBoard({ log_dir: 'x' } as never)).toThrow(/unknown option 'log_dir'. Did you mean 'logDir'\?/);
    expect(() => new k.callbacks.TensorBoard({ updateFreq: 0 })).toThrow(/`updateFreq` must be 'epoch', 'batch' or an integer >= 1, got 0.*help:/);
    expect(() => new k.callbacks.TensorBoard({ updateFreq: 'step' as never })).toThrow(/`updateFreq`.*got "step"/);
    expect(() => new k.callbacks.TensorBoard({ histogramFreq: -1 })).toThrow(/`histogramFreq` must be an integer >= 0, got -1.*help:/);
    expect(() => new k.callbacks.TensorBoard({ profileBatch: [5, 2] })).toThrow(/`profileBatch` must be a batch number.*got \[5,2\].*help:/);
  });
});

it('the callback reads batch values from the device only on the batches it writes', () => {
  const reads = (updateFreq: 'epoch' | number): number[] => {
    const tb = new k.callbacks.TensorBoard({ logDir: path.join(tmp, `lazy_${updateFreq}`), updateFreq, writeGraph: false });
    expect((tb as k.callbacks.Callback).onBatchEnd).toBeUndefined(); // so fit does not read every batch for it
    const read: number[] = [];
    tb.onTrainBegin();
    for (let b = 0; b < 7; b++) {
      tb.onBatchBegin();
      tb.onBatchEndLazy(b, () => (read.push(b + 1), { loss: 1 }));
    }
    return read;
  };
  expect(reads('epoch')).toEqual([]);
  expect(reads(3)).toEqual([3, 6]);
});

test('writeStepsPerSecond, and the graph of a Sequential built from the first data', async () => {
  const logDir = path.join(tmp, 'sps');
  k.utils.setRandomSeed(3);
  const model = new k.Sequential([new k.layers.Dense({ units: 5, activation: 'relu', name: 'd1' }), new k.layers.Dense({ units: 3, activation: 'softmax', name: 'd2' })]);
  model.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy' });
  const { x, y } = data();
  await model.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0, callbacks: [new k.callbacks.TensorBoard({ logDir, writeStepsPerSecond: true })] });
  const [file] = decodeEvents(...eventFiles(path.join(logDir, 'train')));
  const all = scalars(file);
  expect(all.filter((s) => s.tag === 'batch_steps_per_second').map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6]);
  expect(all.filter((s) => s.tag === 'epoch_steps_per_second').map((s) => s.step)).toEqual([0, 1]);
  for (const s of all.filter((v) => v.tag.endsWith('steps_per_second'))) expect(s.value).toBeGreaterThan(0);
  const nodes = file.events.find((e) => e.what === 'graph_def')?.nodes ?? [];
  expect(nodes.map((n) => `${n.name}:${n.op}`)).toEqual([
    `${model.inputNames[0]}:Placeholder`, 'd1/kernel:VariableV2', 'd1/bias:VariableV2', 'd1/MatMul:MatMul', 'd1/BiasAdd:BiasAdd', 'd1/Relu:Relu',
    'd2/kernel:VariableV2', 'd2/bias:VariableV2', 'd2/MatMul:MatMul', 'd2/BiasAdd:BiasAdd', 'd2/Softmax:Softmax',
  ]);
  expect(nodes[0].output_shapes).toEqual([[-1, 8]]);
  model.dispose();
});
