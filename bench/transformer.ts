/**
 * bench:lstm's transformer rows: the model of examples/transformer_model.ts (Keras's text
 * classification with a transformer: embedding 32, MultiHeadAttention of 2 heads x 32, feed-forward
 * 32, LayerNormalization, masked GlobalAveragePooling1D, dropout 0.1, Dense heads) trained with Adam
 * 1e-3 at batch 32 on TRANSFORMER_SAMPLES synthetic reviews of the example's shape (16 token ids from
 * a vocabulary of 64, 6 to 16 real tokens then padding 0), keras-ts on 'native' against
 * bench/torch_transformer.py (the same model in PyTorch) with equal threads, alternated (PyTorch,
 * keras-ts, PyTorch, keras-ts). Seconds per epoch are the median of 3 epochs after 3 warm-up epochs (WARMUP);
 * each row also gives the CPU seconds each process used per epoch, less sensitive than wall time to
 * other work on a loaded machine (on 2 threads it counts threads waiting for work too). After the
 * rounds of each thread count, one row with compile's jitCompile (its label says if the steps ran
 * eagerly, and why).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../src';
import { transformerClassifier } from '../examples/transformer_model';
import { withJitNote } from './jit_note';
import { median } from './workers/common';

/** The example's 12,000 reviews less its validation tenth. */
const TRANSFORMER_SAMPLES = 10800;
const LENGTH = 16;
/** About the example's vocabulary (its generated reviews use 57 words plus padding and unknown). */
const VOCABULARY = 64;
const BATCH = 32;
/**
 * Warm-up epochs, then timed ones. 3 warm-up epochs are 1,014 steps: V8 compiles the hot code over about a
 * thousand (bench/fit.ts); measured here on 1 thread, keras-ts's epochs 2-3 took 1.06-1.09 s and 4-8 0.97-1.05 s.
 */
const WARMUP = 3;
const EPOCHS = 3;

const loadavg = (): string => fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/** Token ids (a fixed pseudo-random stream, 6 to 16 real tokens then 0s) and 0/1 labels. */
function reviewsData(): { tokens: Int32Array; labels: Uint8Array } {
  let s = 2024;
  const next = (): number => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
  const tokens = new Int32Array(TRANSFORMER_SAMPLES * LENGTH);
  for (let i = 0; i < TRANSFORMER_SAMPLES; i++) {
    const real = 6 + (next() % (LENGTH - 5));
    for (let t = 0; t < real; t++) tokens[i * LENGTH + t] = 1 + (next() % (VOCABULARY - 1));
  }
  return { tokens, labels: Uint8Array.from({ length: TRANSFORMER_SAMPLES }, () => next() % 2) };
}

/** Wall seconds and this process's CPU seconds per epoch of keras-ts's model on the current backend and threads. */
async function kerasSecondsPerEpoch(x: tfc.Tensor, y: tfc.Tensor, jitCompile = false): Promise<{ wall: number; cpu: number }> {
  k.utils.setRandomSeed(1);
  const model = transformerClassifier(VOCABULARY, LENGTH);
  model.compile({ optimizer: new k.optimizers.Adam({ learningRate: 1e-3 }), loss: 'sparse_categorical_crossentropy', jitCompile });
  const [times, cpu]: number[][] = [[], []];
  const cpuSeconds = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  await model.fit(x, y, {
    batchSize: BATCH, epochs: WARMUP + EPOCHS, verbose: 0,
    callbacks: [{
      onEpochBegin: () => void (times.push(performance.now()), cpu.push(cpuSeconds())),
      onEpochEnd: () => void (times.push(performance.now() - (times.pop() as number)), cpu.push(cpuSeconds() - (cpu.pop() as number))),
    }],
  });
  model.dispose();
  return { wall: median(times.slice(WARMUP)) / 1000, cpu: median(cpu.slice(WARMUP)) };
}

/** The transformer rows (markdown) on 'native', one pair of rounds per thread count. */
export async function transformerRows(python: string | null, threadCounts: number[]): Promise<string[]> {
  const { tokens, labels } = reviewsData();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-bench-'));
  fs.writeFileSync(path.join(dir, 't.i32'), Buffer.from(tokens.buffer));
  fs.writeFileSync(path.join(dir, 'y.u8'), Buffer.from(labels.buffer));
  await k.setBackend('native');
  const x = tfc.tensor2d(tokens, [TRANSFORMER_SAMPLES, LENGTH], 'float32');
  const y = tfc.tensor1d(Float32Array.from(labels));
  const rows: string[] = [];
  for (const threads of threadCounts) {
    k.setNumThreads(threads);
    let torchLast: { secPerEpoch: number; cpuSecPerEpoch: number } | undefined;
    for (let round = 0; round < 2; round++) {
      let torch: { secPerEpoch: number; cpuSecPerEpoch: number } | undefined;
      const torchLoad = loadavg();
      if (python) {
        const env = { ...process.env, OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads) };
        const args = [path.join(__dirname, 'torch_transformer.py'), path.join(dir, 't.i32'), path.join(dir, 'y.u8'), String(TRANSFORMER_SAMPLES), String(VOCABULARY), String(threads), String(BATCH), String(EPOCHS), String(WARMUP)];
        const line = execFileSync(python, args, { encoding: 'utf8', env }).split('\n').find((l) => l.startsWith('RESULT '));
        if (line) torch = JSON.parse(line.slice(7)) as { secPerEpoch: number; cpuSecPerEpoch: number };
      }
      const kerasLoad = loadavg();
      const ours = await kerasSecondsPerEpoch(x, y);
      const ratio = (a: number, b: number | undefined): string => (b ? `${(a / b).toFixed(2)}x` : '—');
      rows.push(
        `| transformer classifier, ${TRANSFORMER_SAMPLES} x ${LENGTH} tokens, batch ${BATCH}, ${threads} thread(s), round ${round + 1} | ${ours.wall.toFixed(2)} | ` +
          `${torch?.secPerEpoch.toFixed(2) ?? '—'} | ${ratio(ours.wall, torch?.secPerEpoch)} (CPU seconds: ${ours.cpu.toFixed(2)} / ${torch?.cpuSecPerEpoch.toFixed(2) ?? '—'} = ` +
          `${ratio(ours.cpu, torch?.cpuSecPerEpoch)}) | ${kerasLoad} / ${torchLoad} |`,
      );
      process.stdout.write(`${rows[rows.length - 1]}\n`);
      torchLast = torch;
    }
    const jitLoad = loadavg();
    const { value: jit, note } = await withJitNote(() => kerasSecondsPerEpoch(x, y, true));
    rows.push(`| transformer classifier, ${threads} thread(s), ${note} | ${jit.wall.toFixed(2)} | ${torchLast?.secPerEpoch.toFixed(2) ?? '—'} (round 2) | ` +
      `${torchLast ? `${(jit.wall / torchLast.secPerEpoch).toFixed(2)}x` : '—'} | ${jitLoad} / — |`);
    process.stdout.write(`${rows[rows.length - 1]}\n`);
  }
  tfc.dispose([x, y]);
  fs.rmSync(dir, { recursive: true });
  return rows;
}
