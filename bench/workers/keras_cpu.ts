/**
 * One keras-ts run of `npm run bench`: `<backend> <threads> <workload> <epochs> [warmup] [jit]` trains
 * the workload (bench/cpu_workloads.ts) for `warmup` epochs (default 1) plus `epochs`, and prints one RESULT line
 * with each epoch's seconds, the median after the warm-up, the kernels that fell back to the CPU
 * backend's code, and the GEMM GFLOP/s of a 128x784x256 matmul on this backend; with `jit` the
 * model is compiled with jitCompile (a captured step, replayed in one call of the addon's runner),
 * with `jitloop` the same replayed as the loop of addon calls from JavaScript;
 * `<backend> <threads> gemm` prints only the GEMM line.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { replayRunner } from '../../src/backend/capture/native_capture';
import { withJitNote } from '../jit_note';
import { prepare, Workload } from '../cpu_workloads';
import { median } from './common';

/** GFLOP/s of a 128x784x256 float32 matmul (a Dense layer's product at batch 128), 200 runs after 20. */
function gemm(): number {
  const [m, kk, n] = [128, 784, 256];
  const a = tfc.randomUniform([m, kk]);
  const b = tfc.randomUniform([kk, n]);
  for (let i = 0; i < 20; i++) tfc.matMul(a, b).dispose();
  const reps = 200;
  const t = performance.now();
  for (let i = 0; i < reps; i++) {
    const c = tfc.matMul(a, b);
    if (i === reps - 1) c.dataSync();
    c.dispose();
  }
  const seconds = (performance.now() - t) / 1000;
  tfc.dispose([a, b]);
  return (2 * m * kk * n * reps) / seconds / 1e9;
}

async function main(): Promise<void> {
  const [backend, threads, workload, epochs, warmup = '1', jit] = process.argv.slice(2);
  k.setNumThreads(Number(threads));
  await k.setBackend(backend as k.BackendName);
  const gflops = gemm();
  if (workload === 'gemm') {
    process.stdout.write(`RESULT ${JSON.stringify({ gflops, threads: k.getNumThreads() })}\n`);
    return;
  }
  k.utils.setRandomSeed(1);
  const { model, x, y, batchSize } = prepare(workload as Workload);
  if (jit === 'jit' || jit === 'jitloop') model.compile({ ...(model.compileArgs as k.CompileArgs), jitCompile: true });
  if (jit === 'jitloop') replayRunner.mode = 'loop';
  const times: number[] = [];
  let start = 0;
  k.resetFallbackReport();
  // With jitCompile, the note says whether the steps were replayed (or ran eagerly, and why).
  const { note } = await withJitNote(() => model.fit(x, y, {
    batchSize, epochs: Number(epochs) + Number(warmup), verbose: 0,
    callbacks: [{ onEpochBegin: () => void (start = performance.now()), onEpochEnd: () => void times.push((performance.now() - start) / 1000) }],
  }));
  const report = k.backendReport();
  process.stdout.write(`RESULT ${JSON.stringify({ secPerEpoch: median(times.slice(Number(warmup))), epochs: times, gflops, threads: report.threads, fallbacks: report.fallbacks, device: report.device, ...(jit ? { jitNote: note } : {}) })}\n`);
  model.dispose();
}

main().catch((e) => {
  process.stdout.write(`RESULT ${JSON.stringify({ error: (e as Error).message.split('\n')[0].slice(0, 200) })}\n`);
});
