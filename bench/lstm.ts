/**
 * `npm run bench:lstm`: LSTM training speed, keras-ts against PyTorch on the same sizes, in one run.
 *
 * 1. The LSTM workload: 8,000 MNIST digits read as 28 steps of 28 pixels, LSTM(128) → Dense(10),
 *    Adam 1e-3, sparse cross-entropy, batch 64 and 128, against PyTorch's nn.LSTM (bench/torch_lstm.py)
 *    on 1 and 2 threads. keras-ts on 'native' (the sequence kernel of native/cpu/rnn.cc) on the same
 *    thread counts, and on wasm (one thread) twice: its LSTM as shipped (the whole sequence one op,
 *    backward written out) and the same cell step by step under tfjs's autograd (forced by giving the
 *    cell an activation function; tanh computed the same way, so only the backward differs).
 *    Each native row is followed by the same with compile's jitCompile (bench/jit_note.ts: the label
 *    says if its steps ran eagerly, and why).
 * 2. Keras's IMDB example shape: Embedding 20000 x 128, two Bidirectional LSTM(64), 200 tokens, a
 *    2-way softmax head, Adam, batch 32, on IMDB_SAMPLES synthetic sequences, 'native' against
 *    bench/torch_imdb.py with equal threads (2, or --threads), alternated twice (PyTorch, keras-ts, PyTorch, keras-ts).
 * 3. The transformer classifier example's model (bench/transformer.ts) against bench/torch_transformer.py,
 *    'native' and PyTorch on 1 and 2 threads (or --threads's), alternated twice.
 *
 * PyTorch is Debian's python3-torch; its BLAS is the system's libblas.so.3 (OpenBLAS pthreads where
 * libopenblas0-pthread is installed); each run sets torch's, OpenMP's and OpenBLAS's thread counts to
 * the same number. Seconds per epoch are the median of the epochs after a warm-up epoch; the load
 * average is printed with each row (other work on the machine slows both sides). Run it alone:
 *
 *   flock -x /tmp/keras-ts-cpu.lock npm run bench:lstm            (all rows)
 *   npm run bench:lstm -- --native [--threads=N]                  (the native and PyTorch rows only)
 *   npm run bench:lstm -- --imdb [--threads=N]                    (the IMDB-shaped rows only)
 *   npm run bench:lstm -- --transformer [--threads=N]             (the transformer rows only)
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { torchPython } from './torch_python';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../src';
import { withJitNote } from './jit_note';
import { transformerRows } from './transformer';
import { digits, median } from './workers/common';

const SAMPLES = 8000;
const BATCHES = [64, 128];
const IMDB_SAMPLES = 640;
const IMDB_STEPS = 200;
/** --threads=N: the IMDB rows' thread count on both sides (default 2, this machine's cores). */
const threadsFlag = process.argv.find((a) => a.startsWith('--threads='))?.slice(10);
const IMDB_THREADS = Number(threadsFlag ?? 2);
/** The LSTM workload's thread counts (both sides): 1 and 2, or --threads's. */
const LSTM_THREADS = threadsFlag ? [Number(threadsFlag)] : [1, 2];
const nativeOnly = process.argv.includes('--native');
const imdbOnly = process.argv.includes('--imdb');
const transformerOnly = process.argv.includes('--transformer');
const HEADER = ['| workload | keras-ts native s/epoch | PyTorch s/epoch | native / PyTorch | load average (keras-ts / PyTorch) |', '|---|---|---|---|---|'];

/** tanh as the fast path computes it on wasm (2 sigmoid(2x) - 1), as a function: the cell then runs step by step. */
const stepTanh = (x: tfc.Tensor): tfc.Tensor => tfc.sub(tfc.mul(tfc.sigmoid(tfc.mul(x, 2)), 2), 1);

const loadavg = (): string => fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

async function secondsPerEpoch(batch: number, stepByStep: boolean, x: Float32Array, y: Float32Array, jitCompile = false): Promise<number> {
  k.utils.setRandomSeed(1);
  const model = new k.Sequential([
    new k.layers.LSTM({ units: 128, inputShape: [28, 28], ...(stepByStep ? { activation: stepTanh } : {}) }),
    new k.layers.Dense({ units: 10, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: new k.optimizers.Adam({ learningRate: 1e-3 }), loss: 'sparse_categorical_crossentropy', jitCompile });
  const times: number[] = [];
  await model.fit(x, y, {
    batchSize: batch, epochs: 4, verbose: 0,
    callbacks: [{ onEpochBegin: () => void times.push(performance.now()), onEpochEnd: () => void times.push(performance.now() - (times.pop() as number)) }],
  });
  model.dispose();
  return median(times.slice(1)) / 1000;
}

function blas(): string {
  try {
    return fs.realpathSync('/usr/lib/x86_64-linux-gnu/libblas.so.3');
  } catch {
    return 'unknown';
  }
}

/** Keras's IMDB example model (bench/torch_imdb.py builds the same in PyTorch). */
function imdbModel(jitCompile = false): k.Sequential {
  k.utils.setRandomSeed(1);
  const model = new k.Sequential([
    new k.layers.Embedding({ inputDim: 20000, outputDim: 128, inputShape: [IMDB_STEPS] }),
    new k.layers.Bidirectional({ layer: new k.layers.LSTM({ units: 64, returnSequences: true }) }),
    new k.layers.Bidirectional({ layer: new k.layers.LSTM({ units: 64 }) }),
    new k.layers.Dense({ units: 2, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: new k.optimizers.Adam({ learningRate: 1e-3 }), loss: 'sparse_categorical_crossentropy', jitCompile });
  return model;
}

/** Token ids (a fixed pseudo-random stream) and 0/1 labels. */
function imdbData(): { tokens: Int32Array; labels: Uint8Array } {
  let s = 12345;
  const tokens = Int32Array.from({ length: IMDB_SAMPLES * IMDB_STEPS }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % 20000;
  });
  return { tokens, labels: Uint8Array.from({ length: IMDB_SAMPLES }, (_, i) => (i * 7) % 2) };
}

/** Seconds per epoch of the IMDB model's fit (the median after a warm-up epoch). */
async function imdbSecondsPerEpoch(x: tfc.Tensor, y: tfc.Tensor, jitCompile = false): Promise<number> {
  const model = imdbModel(jitCompile);
  const times: number[] = [];
  await model.fit(x, y, {
    batchSize: 32, epochs: 3, verbose: 0,
    callbacks: [{ onEpochBegin: () => void times.push(performance.now()), onEpochEnd: () => void times.push(performance.now() - (times.pop() as number)) }],
  });
  model.dispose();
  return median(times.slice(1)) / 1000;
}

/** The IMDB-shaped rows: keras-ts on native against PyTorch, equal threads, alternated; then one with jitCompile. */
async function imdbRows(python: string | null): Promise<string[]> {
  const { tokens, labels } = imdbData();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-bench-'));
  fs.writeFileSync(path.join(dir, 't.i32'), Buffer.from(tokens.buffer));
  fs.writeFileSync(path.join(dir, 'y.u8'), Buffer.from(labels.buffer));
  await k.setBackend('native');
  k.setNumThreads(IMDB_THREADS);
  const x = tfc.tensor2d(tokens, [IMDB_SAMPLES, IMDB_STEPS], 'float32');
  const y = tfc.tensor1d(Float32Array.from(labels));
  const rows: string[] = [];
  let torchLast: number | undefined;
  for (let round = 0; round < 2; round++) {
    let torchSec: number | undefined;
    const torchLoad = loadavg();
    if (python) {
      const env = { ...process.env, OMP_NUM_THREADS: String(IMDB_THREADS), OPENBLAS_NUM_THREADS: String(IMDB_THREADS) };
      const out = execFileSync(python, [path.join(__dirname, 'torch_imdb.py'), path.join(dir, 't.i32'), path.join(dir, 'y.u8'), String(IMDB_SAMPLES), String(IMDB_THREADS), '32', '2'], { encoding: 'utf8', env });
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (line) torchSec = (JSON.parse(line.slice(7)) as { secPerEpoch: number }).secPerEpoch;
    }
    const kerasLoad = loadavg();
    const ours = await imdbSecondsPerEpoch(x, y);
    rows.push(`| IMDB-shaped, ${IMDB_SAMPLES} x ${IMDB_STEPS} tokens, ${IMDB_THREADS} thread(s), round ${round + 1} | ${ours.toFixed(2)} | ${torchSec?.toFixed(2) ?? '—'} | ${torchSec ? `${(ours / torchSec).toFixed(2)}x` : '—'} | ${kerasLoad} / ${torchLoad} |`);
    process.stdout.write(`${rows[rows.length - 1]}\n`);
    torchLast = torchSec;
  }
  const jitLoad = loadavg();
  const { value: jit, note } = await withJitNote(() => imdbSecondsPerEpoch(x, y, true));
  rows.push(`| IMDB-shaped, ${IMDB_THREADS} thread(s), ${note} | ${jit.toFixed(2)} | ${torchLast?.toFixed(2) ?? '—'} (round 2) | ${torchLast ? `${(jit / torchLast).toFixed(2)}x` : '—'} | ${jitLoad} / — |`);
  process.stdout.write(`${rows[rows.length - 1]}\n`);
  tfc.dispose([x, y]);
  fs.rmSync(dir, { recursive: true });
  return rows;
}

async function main(): Promise<void> {
  if (imdbOnly || transformerOnly) {
    const rows = imdbOnly ? await imdbRows(torchPython()) : await transformerRows(torchPython(), LSTM_THREADS);
    console.log(`\nkeras-ts native: ${k.backendReport().device}; fallbacks ${JSON.stringify(k.backendReport().fallbacks)}.`);
    console.log([...HEADER, ...rows].join('\n'));
    return;
  }
  const { x, labels } = digits(SAMPLES);
  const y = Float32Array.from(labels);
  const python = torchPython();
  const torch: Record<string, number> = {};
  if (python) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-bench-'));
    fs.writeFileSync(path.join(dir, 'x.f32'), Buffer.from(x.buffer));
    fs.writeFileSync(path.join(dir, 'y.u8'), Buffer.from(labels.buffer));
    // One process per thread count, with OpenMP's and OpenBLAS's pools set to it too: torch.set_num_threads
    // alone leaves OpenBLAS (pthreads) starting its own threads on every core.
    for (const threads of LSTM_THREADS) {
      const env = { ...process.env, OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads) };
      const args = [path.join(__dirname, 'torch_lstm.py'), path.join(dir, 'x.f32'), path.join(dir, 'y.u8'), String(SAMPLES), String(threads), BATCHES.join(',')];
      const out = execFileSync(python, args, { encoding: 'utf8', env });
      for (const line of out.split('\n').filter((l) => l.startsWith('RESULT '))) {
        const r = JSON.parse(line.slice(7)) as { threads: number; batch: number; secPerEpoch: number };
        torch[`${r.batch}/${r.threads}`] = r.secPerEpoch;
      }
    }
    fs.rmSync(dir, { recursive: true });
  }
  const fmt = (v: number | undefined, d = 2): string => (v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(d));
  const nativeRows = [...HEADER];
  await k.setBackend('native');
  for (const threads of LSTM_THREADS) {
    k.setNumThreads(threads);
    for (const batch of BATCHES) {
      const load = loadavg();
      const ours = await secondsPerEpoch(batch, false, x, y);
      const theirs = torch[`${batch}/${threads}`];
      nativeRows.push(`| LSTM(128) on 28 x 28 digits, batch ${batch}, ${threads} thread${threads > 1 ? 's' : ''} | ${fmt(ours)} | ${fmt(theirs)} | ${theirs ? `${fmt(ours / theirs)}x` : '—'} | ${load} / — |`);
      process.stdout.write(`${nativeRows[nativeRows.length - 1]}\n`);
      const jitLoad = loadavg();
      const { value: jit, note } = await withJitNote(() => secondsPerEpoch(batch, false, x, y, true));
      nativeRows.push(`| LSTM(128), batch ${batch}, ${threads} thread${threads > 1 ? 's' : ''}, ${note} | ${fmt(jit)} | ${fmt(theirs)} | ${theirs ? `${fmt(jit / theirs)}x` : '—'} | ${jitLoad} / — |`);
      process.stdout.write(`${nativeRows[nativeRows.length - 1]}\n`);
    }
  }
  nativeRows.push(...(await imdbRows(python)));
  nativeRows.push(...(await transformerRows(python, LSTM_THREADS)));
  const info = k.backendReport();
  console.log(`\nkeras-ts native: ${info.device}; fallbacks ${JSON.stringify(info.fallbacks)}.`);
  console.log(nativeRows.join('\n'));
  if (nativeOnly) return;

  await k.setBackend('wasm');
  const rows = ['| batch | keras-ts wasm s/epoch | keras-ts step-by-step s/epoch | PyTorch 1 thread | PyTorch 2 threads | keras-ts / PyTorch (1 thread) | keras-ts / PyTorch (2 threads) |', '|---|---|---|---|---|---|---|'];
  for (const batch of BATCHES) {
    const fused = await secondsPerEpoch(batch, false, x, y);
    const steps = await secondsPerEpoch(batch, true, x, y);
    const [t1, t2] = [torch[`${batch}/1`], torch[`${batch}/2`]];
    rows.push(`| ${batch} | ${fmt(fused)} | ${fmt(steps)} | ${fmt(t1)} | ${fmt(t2)} | ${t1 ? `${fmt(fused / t1, 1)}x` : '—'} | ${t2 ? `${fmt(fused / t2, 1)}x` : '—'} |`);
    process.stdout.write(`${rows[rows.length - 1]}\n`);
  }
  console.log(
    `\nMachine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}; keras-ts on tfjs-backend-wasm (one thread, SIMD). ` +
      `PyTorch: ${python ? `${python} (torch), BLAS ${blas()}` : 'not installed (apt-get install python3-torch libopenblas0-pthread)'}.\n`,
  );
  console.log(rows.join('\n'));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
