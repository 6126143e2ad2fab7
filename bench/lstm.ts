/**
 * `npm run bench:lstm`: LSTM training speed, keras-ts against PyTorch's nn.LSTM on the same sizes:
 * 8,000 MNIST digits read as 28 steps of 28 pixels, LSTM(128) → Dense(10), Adam 1e-3, sparse
 * cross-entropy, batch 64 and 128. keras-ts runs on wasm (one thread) twice: its LSTM as shipped
 * (the whole sequence one op, backward written out) and the same cell step by step under tfjs's
 * autograd (forced by giving the cell an activation function; tanh computed the same way, so only
 * the backward differs). PyTorch runs on 1 and 2 threads (Debian's python3-torch; its BLAS is the
 * system's libblas.so.3, OpenBLAS pthreads where libopenblas0-pthread is installed; each run sets
 * torch's, OpenMP's and OpenBLAS's thread counts to the same number). Seconds per
 * epoch are the median of 3 epochs after a warm-up epoch. Run it alone:
 *
 *   flock -x /tmp/keras-ts-cpu.lock npm run bench:lstm
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { torchPython } from './torch_python';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../src';
import { digits, median } from './workers/common';

const SAMPLES = 8000;
const BATCHES = [64, 128];

/** tanh as the fast path computes it on wasm (2 sigmoid(2x) - 1), as a function: the cell then runs step by step. */
const stepTanh = (x: tfc.Tensor): tfc.Tensor => tfc.sub(tfc.mul(tfc.sigmoid(tfc.mul(x, 2)), 2), 1);

async function secondsPerEpoch(batch: number, stepByStep: boolean, x: Float32Array, y: Float32Array): Promise<number> {
  k.utils.setRandomSeed(1);
  const model = new k.Sequential([
    new k.layers.LSTM({ units: 128, inputShape: [28, 28], ...(stepByStep ? { activation: stepTanh } : {}) }),
    new k.layers.Dense({ units: 10, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: new k.optimizers.Adam({ learningRate: 1e-3 }), loss: 'sparse_categorical_crossentropy' });
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

async function main(): Promise<void> {
  await k.setBackend('wasm');
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
    for (const threads of [1, 2]) {
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
  const rows = ['| batch | keras-ts wasm s/epoch | keras-ts step-by-step s/epoch | PyTorch 1 thread | PyTorch 2 threads | keras-ts / PyTorch (1 thread) | keras-ts / PyTorch (2 threads) |', '|---|---|---|---|---|---|---|'];
  const fmt = (v: number | undefined, d = 2): string => (v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(d));
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
