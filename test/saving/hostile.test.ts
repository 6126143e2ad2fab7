/**
 * Hostile files, each made at test time (h5py and zipfile from Debian's Python for the HDF5 cases,
 * hand-made zips and tfjs folders here) and loaded in a child process whose heap is capped at
 * 512 MB, whose resident memory is watched (killed past 1.2 GB) and whose cases are timed (killed
 * past 20 s each): a regression is a failing test, never a crashed or hung suite. Every case must
 * end in a clear FileFormatError/ValueError naming the file, or load the values an independent
 * reader (NumPy) gives. Also: crash-safety of a multi-shard tfjs save (SIGKILL at each rename), a
 * checkpoint path of the wrong kind, the load budget option, and NaN sample weights.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { unzipSync } from 'fflate';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { craftZip, deflatedZeros, stored, CraftEntry } from './hostile/zip_craft';

const PYTHON = '/usr/bin/python3'; // Debian's, with python3-h5py and python3-numpy
const HERE = path.join(__dirname, 'hostile');
const CASE_MS = 20_000;
const RSS_CAP_MB = 1200;
const HEAP_CAP_MB = 512;

interface Outcome {
  name: string;
  ok: boolean;
  error?: string;
  weights?: number[];
  ms: number;
  maxRssMB: number;
}

let tmp: string;
let expected: { int64_small: number[][]; float16: number[][]; sparse_bytes: number };
const outcomes = new Map<string, Outcome>();
let childFailure = '';
let socketServer: net.Server | undefined;

const MiB = 1 << 20;

function baseParts(): Record<string, Uint8Array> {
  return unzipSync(new Uint8Array(fs.readFileSync(path.join(tmp, 'base.keras'))));
}

function writeZip(name: string, entries: CraftEntry[]): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, craftZip(entries));
  return file;
}

function baseEntries(edit: (parts: Record<string, Uint8Array>) => void = () => {}): CraftEntry[] {
  const parts = baseParts();
  edit(parts);
  return Object.entries(parts).map(([n, d]) => stored(n, d));
}

function tfjsFolder(name: string, edit: (json: { weightsManifest: Array<{ paths: string[]; weights: Array<Record<string, unknown>> }> }, dir: string) => void): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  const json = JSON.parse(fs.readFileSync(path.join(tmp, 'tfjs', 'model.json'), 'utf8'));
  fs.copyFileSync(path.join(tmp, 'tfjs', 'group1-shard1of1.bin'), path.join(dir, 'group1-shard1of1.bin'));
  edit(json, dir);
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
  return dir;
}

async function makeCases(): Promise<Array<{ name: string; op: 'loadModel' | 'loadWeights'; path: string }>> {
  const zeros = await deflatedZeros(256);
  const bomb = { name: 'bomb', stored: zeros, method: 8, size: 256 * MiB, crc: 0 } as CraftEntry;
  const cases: Array<{ name: string; op: 'loadModel' | 'loadWeights'; path: string }> = [];
  const add = (name: string, file: string, op: 'loadModel' | 'loadWeights' = 'loadModel'): void => void cases.push({ name, op, path: file });

  add('base', path.join(tmp, 'base.keras'));
  // 64 overlapping 256 MiB entries that nobody needs (one deflate stream, shared).
  const overlap = baseEntries();
  overlap.push({ ...bomb, name: 'assets/bomb0' });
  for (let i = 1; i < 64; i++) overlap.push({ ...bomb, name: `assets/bomb${i}`, shareWith: 3 });
  add('zip-overlapping-bomb', writeZip('overlap.keras', overlap));
  // 16 distinct unused entries declaring 16 bytes, each inflating to 256 MiB.
  const unused = baseEntries();
  for (let i = 0; i < 16; i++) unused.push({ ...bomb, name: `assets/lie${i}`, size: 16 });
  add('zip-unused-lying-entries', writeZip('unused.keras', unused));
  // The weights entry itself declares 16 bytes and inflates to 256 MiB.
  add('zip-weights-inflate-past-declared', writeZip('lying_weights.keras', [...baseEntries((p) => delete p['model.weights.h5']), { ...bomb, name: 'model.weights.h5', size: 16 }]));
  // config.json claims 256 MiB from 256 KB: beyond config.json's cap.
  add('zip-config-over-cap', writeZip('big_config.keras', [...baseEntries((p) => delete p['config.json']), { ...bomb, name: 'config.json' }]));
  // A weights entry claiming 3 GB from 256 KB: beyond deflate's ratio.
  add('zip-ratio-beyond-deflate', writeZip('ratio.keras', [...baseEntries((p) => delete p['model.weights.h5']), { ...bomb, name: 'model.weights.h5', size: 3_000_000_000 }]));
  // One flipped bit in the stored weights, CRC kept.
  const flipped = baseEntries();
  const w = flipped.find((e) => e.name === 'model.weights.h5') as CraftEntry;
  const goodCrc = (await import('zlib')).crc32(w.stored) >>> 0;
  const bytes = Uint8Array.from(w.stored);
  bytes[bytes.length - 3] ^= 0x10;
  flipped[flipped.indexOf(w)] = { ...w, stored: bytes, crc: goodCrc };
  add('zip-crc-flipped-bit', writeZip('flipped.keras', flipped));
  // Two config.json entries.
  const dup = baseEntries();
  dup.push(stored('config.json', Buffer.from(baseParts()['config.json']).toString().replace('"units":2', '"units":5')));
  add('zip-duplicate-config', writeZip('dup.keras', dup));
  add('zip-encrypted', writeZip('encrypted.keras', baseEntries().map((e) => (e.name === 'model.weights.h5' ? { ...e, flags: 1 } : e))));
  add('zip-unknown-method', writeZip('method.keras', baseEntries().map((e) => (e.name === 'model.weights.h5' ? { ...e, method: 12 } : e))));
  const full = fs.readFileSync(path.join(tmp, 'base.keras'));
  fs.writeFileSync(path.join(tmp, 'truncated.keras'), full.subarray(0, full.length >> 1));
  add('zip-truncated', path.join(tmp, 'truncated.keras'));
  const liar = Buffer.from(craftZip(baseEntries()));
  liar.writeUInt16LE(0xfffe, liar.length - 22 + 10); // the end record claims 65,534 entries
  fs.writeFileSync(path.join(tmp, 'count.keras'), liar);
  add('zip-directory-count-lie', path.join(tmp, 'count.keras'));

  // HDF5 cases, made by h5py.
  for (const n of ['int64', 'int64_small', 'uint64', 'float16', 'string', 'sparse']) add(`h5-${n}`, path.join(tmp, `${n}.keras`));
  add('h5-split-attribute-20000-parts', path.join(tmp, 'split_names.h5'));
  add('h5-split-attribute-20000-parts-weights', path.join(tmp, 'split_names.h5'), 'loadWeights');

  // tfjs folders.
  add('tfjs-uint8-scale-1e38', tfjsFolder('quant', (j, dir) => {
    j.weightsManifest[0].weights[0].quantization = { dtype: 'uint8', scale: 1e38, min: 0 };
    fs.writeFileSync(path.join(dir, 'group1-shard1of1.bin'), Buffer.alloc(6 + 8, 1));
  }));
  add('tfjs-float16-nan', tfjsFolder('f16nan', (j, dir) => {
    j.weightsManifest[0].weights[0].quantization = { dtype: 'float16' };
    const b = Buffer.alloc(12 + 8);
    b.writeUInt16LE(0x7e00, 4); // NaN
    fs.writeFileSync(path.join(dir, 'group1-shard1of1.bin'), b);
  }));
  add('tfjs-shard-is-fifo', tfjsFolder('fifo', (j, dir) => {
    j.weightsManifest[0].paths = ['pipe.bin'];
    const r = spawnSync('mkfifo', [path.join(dir, 'pipe.bin')]);
    if (r.status !== 0) throw new Error(`mkfifo failed: ${r.stderr}`);
  }));
  const sockDir = tfjsFolder('socket', (j) => (j.weightsManifest[0].paths = ['sock.bin']));
  socketServer = net.createServer().listen(path.join(sockDir, 'sock.bin'));
  await new Promise((r) => socketServer?.once('listening', r));
  add('tfjs-shard-is-socket', sockDir);
  add('tfjs-shard-listed-1024-times', tfjsFolder('repeat', (j, dir) => {
    fs.writeFileSync(path.join(dir, 'group1-shard1of1.bin'), Buffer.alloc(MiB));
    j.weightsManifest[0].paths = Array(1024).fill('group1-shard1of1.bin');
    j.weightsManifest[0].weights = [{ name: 'd/kernel', shape: [1024, 262144], dtype: 'float32' }];
  }));
  return cases;
}

/** Runs the cases in one capped child, watching its memory and each case's time. */
function runChild(casesFile: string): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_CAP_MB}`, '-r', 'ts-node/register/transpile-only', path.join(HERE, 'run_cases.ts'), casesFile], {
      cwd: path.join(__dirname, '..', '..'),
      env: { ...process.env, TS_NODE_TRANSPILE_ONLY: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let current = '(start-up)';
    let started = Date.now();
    let out = '';
    let err = '';
    const watch = setInterval(() => {
      const status = fs.existsSync(`/proc/${child.pid}/status`) ? fs.readFileSync(`/proc/${child.pid}/status`, 'utf8') : '';
      const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      const limit = current === '(start-up)' ? 120_000 : CASE_MS;
      if (rssKb / 1024 > RSS_CAP_MB) childFailure = `case ${current} went past ${RSS_CAP_MB} MB resident (${Math.round(rssKb / 1024)} MB): killed`;
      else if (Date.now() - started > limit) childFailure = `case ${current} ran past ${limit} ms: killed`;
      if (childFailure !== '') child.kill('SIGKILL');
    }, 50);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      let nl: number;
      while ((nl = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        if (line.startsWith('START ')) {
          current = line.slice(6);
          started = Date.now();
        } else if (line.startsWith('RESULT ')) {
          const o = JSON.parse(line.slice(7)) as Outcome;
          outcomes.set(o.name, o);
        } else if (line.startsWith('CRASH ')) childFailure = `the child crashed in ${current}: ${line}`;
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code, signal) => {
      clearInterval(watch);
      if (childFailure === '' && code !== 0) childFailure = `the child exited with ${code ?? signal} in ${current}: ${err.slice(-2000)}`;
      resolve();
    });
  });
}

beforeAll(async () => {
  await k.setBackend('cpu');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-hostile-'));
  const model = new k.Sequential([new k.layers.Dense({ units: 2, inputShape: [3], name: 'd' })]);
  await model.save(path.join(tmp, 'base.keras'));
  await model.save(path.join(tmp, 'base.h5'));
  await model.save(path.join(tmp, 'tfjs/'));
  model.dispose();
  const py = spawnSync(PYTHON, [path.join(HERE, 'make_h5_cases.py'), tmp], { encoding: 'utf8' });
  if (py.status !== 0) throw new Error(`make_h5_cases.py failed (needs Debian's python3-h5py and python3-numpy; .ci/run installs them): ${py.stderr}`);
  expected = JSON.parse(py.stdout);
  const cases = await makeCases();
  fs.writeFileSync(path.join(tmp, 'cases.json'), JSON.stringify(cases));
  await runChild(path.join(tmp, 'cases.json'));
}, 400_000);

afterAll(() => {
  // KERAS_HOSTILE_REPORT=file.json keeps every case's outcome, time and memory (the figures of the docs).
  if (process.env.KERAS_HOSTILE_REPORT) fs.writeFileSync(process.env.KERAS_HOSTILE_REPORT, JSON.stringify([...outcomes.values()], null, 1));
  socketServer?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** The case's outcome, which must have stayed within the caps. */
function outcome(name: string): Outcome {
  const o = outcomes.get(name);
  if (o === undefined) throw new Error(`case ${name} has no result: ${childFailure || 'the child stopped before it'}`);
  expect(o.ms).toBeLessThan(CASE_MS);
  expect(o.maxRssMB).toBeLessThan(RSS_CAP_MB);
  return o;
}

function refused(name: string, pattern: RegExp): void {
  const o = outcome(name);
  expect(o.ok).toBe(false);
  expect(o.error).toMatch(/^(FileFormatError|ValueError): /);
  expect(o.error).toMatch(pattern);
}

test('the child ran every case within its caps', () => {
  expect(childFailure).toBe('');
});

test('the untouched file loads (the harness works)', () => {
  expect(outcome('base').ok).toBe(true);
});

describe('.keras zip archives', () => {
  test('overlapping 256 MiB entries: refused from the directory, nothing inflated', () => refused('zip-overlapping-bomb', /share bytes.*overlapping-entry zip bomb/));
  test('unused entries are never inflated, whatever they claim', () => expect(outcome('zip-unused-lying-entries').ok).toBe(true));
  test('an entry inflating past its declared size stops at that size', () => refused('zip-weights-inflate-past-declared', /'model\.weights\.h5' inflates to more than the 16 bytes it declares/));
  test("config.json beyond its cap is refused before inflating", () => refused('zip-config-over-cap', /'config\.json' declares 268435456 bytes, more than the 67108864 allowed/));
  test("a size beyond deflate's ratio is refused before inflating", () => refused('zip-ratio-beyond-deflate', /claims to inflate \d+ bytes to 3000000000 \(beyond deflate's limit\)/));
  test('one flipped bit fails the CRC-32 check', () => refused('zip-crc-flipped-bit', /'model\.weights\.h5' fails its CRC-32 check/));
  test('two config.json entries are refused (Keras takes the last; we refuse the ambiguity)', () => refused('zip-duplicate-config', /'config\.json' appears twice/));
  test('encrypted and unknown-method entries are refused', () => {
    refused('zip-encrypted', /'model\.weights\.h5' is encrypted/);
    refused('zip-unknown-method', /uses compression method 12/);
  });
  test('a truncated archive and a lying directory count are clear errors', () => {
    refused('zip-truncated', /truncated\.keras: .*(end-of-directory|truncated)/);
    refused('zip-directory-count-lie', /the zip directory \(65534 entries/);
  });
});

describe('HDF5 weights', () => {
  test('an int64 kernel holding 2^40 is refused by value (it used to wrap to 0)', () => refused('h5-int64', /holds the integer 1099511627776 at index 0, which float32 weights cannot hold exactly/));
  test('a uint64 beyond 2^63 is refused by value', () => refused('h5-uint64', /holds the integer 9223372036854775813 at index 5/));
  test('small int64 values are read exactly', () => {
    const o = outcome('h5-int64_small');
    expect(o.ok).toBe(true);
    expect(o.weights).toEqual(expected.int64_small.flat());
  });
  test('a float16 kernel is read as NumPy rounds it', () => {
    const o = outcome('h5-float16');
    expect(o.ok).toBe(true);
    expect(o.weights).toEqual(expected.float16.flat().map((v) => Math.fround(v)));
  });
  test('a string dataset is refused as not numeric', () => refused('h5-string', /is not numeric \(HDF5 type class 3/));
  test(`a sparse dataset declaring 1.2 GB in a small file is refused before the model is built`, () => {
    refused('h5-sparse', /declare 1200400000 bytes .* in a file of \d+ bytes: their data was never written/);
    expect(outcome('h5-sparse').ms).toBeLessThan(3000);
    expect(expected.sparse_bytes).toBeLessThan(10_000);
  });
  test('an attribute split into 20,000 parts is read in linear time (a clear error, not a time-out)', () => {
    refused('h5-split-attribute-20000-parts', /the model has 1 layers with weights \(d\) but the file has 0/);
    refused('h5-split-attribute-20000-parts-weights', /the model has 1 layers with weights \(d\) but the file has 0/);
  });
});

describe('tfjs folders', () => {
  test('uint8 quantization that de-quantizes past float32 is refused', () => refused('tfjs-uint8-scale-1e38', /quantized as uint8 with scale 1e\+38 .* beyond float32/));
  test('float16 weights holding NaN are refused', () => refused('tfjs-float16-nan', /its float16 value at index 2 is NaN/));
  test('a shard that is a FIFO or a socket is refused without hanging', () => {
    refused('tfjs-shard-is-fifo', /'.*pipe\.bin' is a named pipe \(FIFO\), not a regular file/);
    refused('tfjs-shard-is-socket', /'.*sock\.bin' is a socket, not a regular file/);
  });
  test('one shard listed 1,024 times is refused before a byte is read', () => {
    refused('tfjs-shard-listed-1024-times', /the shard 'group1-shard1of1\.bin' is listed twice/);
    expect(outcome('tfjs-shard-listed-1024-times').maxRssMB).toBeLessThan(600);
  });
});

describe('saves a crash cannot mix', () => {
  const runKill = (dir: string, value: number, killAt: number): Promise<string> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(HERE, 'save_and_kill.ts'), dir, String(value), String(killAt)], {
        cwd: path.join(__dirname, '..', '..'),
        env: { ...process.env, TS_NODE_TRANSPILE_ONLY: '1' },
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.on('exit', (code, signal) => resolve(`${signal ?? code} ${out}`));
    });

  test('SIGKILL at each rename of a two-shard tfjs save leaves the old model or the new one', async () => {
    const { bigModel } = await import('./hostile/save_and_kill');
    const killPoints = [1, 2, 3, 0];
    const dirs = killPoints.map((n) => path.join(tmp, `crash-${n}`));
    for (const dir of dirs) {
      const old = bigModel(1);
      await old.save(`${dir}/`);
      old.dispose();
      expect(fs.readdirSync(dir).filter((f) => f.endsWith('.bin'))).toHaveLength(2);
    }
    const ends = await Promise.all(killPoints.map((n, i) => runKill(dirs[i], 2, n)));
    ends.forEach((e) => expect(e).toMatch(/^SIGKILL/));
    const seen: number[] = [];
    for (const dir of dirs) {
      const m = await k.models.loadModel(dir);
      const values = new Set([...m.getWeights()[0].dataSync(), ...m.getWeights()[1].dataSync()]);
      expect(values.size).toBe(1); // never a mix of the two saves
      seen.push([...values][0]);
      m.dispose();
    }
    expect(seen).toEqual([1, 1, 1, 2]); // the commit is model.json's rename, the third
  }, 300_000);

  test('a checkpoint path of the wrong kind is an error naming it, not a format switch', async () => {
    const model = new k.Sequential([new k.layers.Dense({ units: 1, inputShape: [2] })]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const dir = path.join(tmp, 'ckpt.keras');
    fs.mkdirSync(dir);
    const cb = new k.callbacks.ModelCheckpoint(dir);
    await expect(model.fit([[0, 1]], [[1]], { epochs: 1, verbose: 0, callbacks: [cb] })).rejects.toThrow(/'.*ckpt\.keras' is an existing folder, but its name asks for a \.keras file/);
    expect(fs.readdirSync(dir)).toEqual([]);
    const file = path.join(tmp, 'not-a-folder');
    fs.writeFileSync(file, 'x');
    await expect(model.save(`${file}/`)).rejects.toThrow(/is an existing file, but a TensorFlow\.js model is a folder/);
    expect(fs.readFileSync(file, 'utf8')).toBe('x');
    model.dispose();
  });
});

describe('the load budget and the training data', () => {
  test('maxBytes bounds a load and names the option', async () => {
    const before = tfc.memory().numTensors;
    await expect(k.models.loadModel(path.join(tmp, 'base.keras'), { maxBytes: 1000 })).rejects.toThrow(/declares \d+ bytes, beyond what this load allows .* pass a larger \{maxBytes\}/);
    await expect(k.models.loadModel(path.join(tmp, 'tfjs'), { maxBytes: 100 })).rejects.toThrow(/maxBytes/);
    expect(tfc.memory().numTensors).toBe(before);
    const m = await k.models.loadModel(path.join(tmp, 'base.keras'), { maxBytes: 1 << 20 });
    m.dispose();
    expect(tfc.memory().numTensors).toBe(before);
  });

  test('NaN in sampleWeight is refused up front, as NaN in x and y', async () => {
    const model = new k.Sequential([new k.layers.Dense({ units: 1, inputShape: [2] })]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const before = tfc.memory().numTensors;
    await expect(model.fit([[0, 1], [1, 0]], [[1], [0]], { epochs: 1, verbose: 0, sampleWeight: [1, NaN] })).rejects.toThrow(/sampleWeight contains NaN at sampleWeight\[1\] \(sample 1\)/);
    expect(tfc.memory().numTensors).toBe(before);
    model.dispose();
  });
});
