/**
 * One LSTM layer's training work on a sequence, keras-ts's native/cpu/rnn.cc against oneDNN's own
 * LSTM primitives (bench/native/rnn_onednn.cc, compiled here with the system's g++ and oneDNN), on
 * the same sizes and threads, in one run: the input projection, the loop over time, BPTT and the
 * weight and input gradients (keras-ts: matMul + rnnForward, then rnnBackward + denseGrad).
 * Milliseconds, median and best of REPS, from the best of ROUNDS alternated rounds. Sizes of Keras's IMDB example's first layer by default.
 *
 *   npx ts-node --transpile-only bench/rnn_kernel.ts [T B F U] [threads]
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadNativeAddon } from '../src/backend/native/addon';

const REPS = 20;
const ROUNDS = 3;
const [T, B, F, U] = process.argv.length >= 6 ? process.argv.slice(2, 6).map(Number) : [200, 32, 128, 64];
const threads = Number(process.argv[6] ?? 2);
const G = 4 * U;

function times(f: () => void): { median: number; best: number } {
  for (let i = 0; i < 2; i++) f();
  const ms: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const t = performance.now();
    f();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { median: ms[REPS >> 1], best: ms[0] };
}

function main(): void {
  const addon = loadNativeAddon();
  addon.setNumThreads(threads);
  const linear = addon.opTable().ACT_LINEAR;
  const fill = (n: number, v: number): Float32Array => new Float32Array(n).fill(v);
  const [x, w, bias, u, h0, c0] = [fill(T * B * F, 0.1), fill(F * G, 0.01), fill(G, 0), fill(U * G, 0.01), fill(B * U, 0), fill(B * U, 0)];
  const [xw, out, work] = [fill(T * B * G, 0), fill((T + 1) * B * U, 0), fill(T * B * 7 * U, 0)];
  const [dy, dxw, du, dh0, dc0, dx, dw, db] = [fill((T + 1) * B * U, 0.01), fill(T * B * G, 0), fill(U * G, 0), fill(B * U, 0), fill(B * U, 0), fill(T * B * F, 0), fill(F * G, 0), fill(G, 0)];
  const exe = path.join(os.tmpdir(), `keras-ts-rnn-onednn-${process.pid}`);
  execFileSync('g++', ['-O2', '-std=c++17', '-fopenmp', path.join(__dirname, 'native', 'rnn_onednn.cc'), '-o', exe, '-ldnnl']);
  // Alternated rounds (keras-ts, oneDNN, ...), the best round of each kept: other work on the machine slows both.
  const best = (a: { median: number; best: number } | undefined, b: { median: number; best: number }): { median: number; best: number } =>
    a === undefined || b.median < a.median ? b : a;
  let forward: { median: number; best: number } | undefined;
  let backward: { median: number; best: number } | undefined;
  let onednn: Record<string, number> | undefined;
  for (let round = 0; round < ROUNDS; round++) {
    forward = best(forward, times(() => {
      addon.matMul(x, w, xw, bias, 1, 1, T * B, G, F, false, false, linear, 0);
      addon.rnnForward(xw, u, null, h0, c0, null, out, work, 0, T, B, U, 0);
    }));
    backward = best(backward, times(() => {
      addon.rnnBackward(dy, work, u, null, dxw, du, null, dh0, dc0, 0, T, B, U, 0);
      addon.denseGrad(dxw, x, w, null, dx, dw, db, T * B, F, G, linear);
    }));
    const r = JSON.parse(execFileSync(exe, [T, B, F, U, REPS].map(String), { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: String(threads) } })) as Record<string, number>;
    if (onednn === undefined || r.forwardMs + r.backwardMs < onednn.forwardMs + onednn.backwardMs) onednn = r;
  }
  fs.rmSync(exe);
  if (!forward || !backward || !onednn) return;
  const load = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(`LSTM layer T=${T} B=${B} F=${F} U=${U}, ${threads} threads (ms, median / best of ${REPS}); load average ${load}`);
  console.log('| | forward (training) | backward | total |\n|---|---|---|---|');
  console.log(`| keras-ts rnn.cc | ${forward.median.toFixed(2)} / ${forward.best.toFixed(2)} | ${backward.median.toFixed(2)} / ${backward.best.toFixed(2)} | ${(forward.median + backward.median).toFixed(2)} |`);
  console.log(`| oneDNN lstm_forward / lstm_backward | ${onednn.forwardMs.toFixed(2)} / ${onednn.forwardMinMs.toFixed(2)} | ${onednn.backwardMs.toFixed(2)} / ${onednn.backwardMinMs.toFixed(2)} | ${(onednn.forwardMs + onednn.backwardMs).toFixed(2)} |`);
}

main();
