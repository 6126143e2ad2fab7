/**
 * `npm run bench:distributed`: seconds per epoch of the seed MLP (784-64-32-16-10) and the CNN on
 * the 8,000 MNIST training digits, batch 32, Adam, with 1 process (no MPI) and with 2 processes
 * (mpirun, DataParallel), one compute thread per process; and where a 2-process step's time goes:
 * compute, the gradients' allreduce (as measured inside the step, including any wait for the
 * slower process), packing, and the metrics' small allreduce; then the allreduce alone.
 *
 *   flock -x /tmp/keras-ts-cpu.lock npm run bench:distributed -- [--backend wasm|cpu|native] [--models mlp,cnn]
 *                                                               [--processes 1,2] [--epochs-mlp 5] [--epochs-cnn 2]
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { parseFlags } from '../examples/args';

interface Result {
  backend: string;
  model: string;
  processes: number;
  library: string | null;
  samples: number;
  steps: number;
  secPerEpoch: number;
  stepMs: number;
  allreduceMs: number;
  packMs: number;
  metricsMs: number;
  gradientFloats: number;
  pureAllreduceMs: number;
}

const root = path.join(__dirname, '..');
const flags = parseFlags({ backend: 'wasm', models: 'mlp,cnn', processes: '1,2', 'epochs-mlp': 5, 'epochs-cnn': 2, samples: 8000, batch: 32 });
// One compute thread per process: tfjs's cpu and wasm backends in Node use one; a BLAS-based backend is told so.
const env = { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true', OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };

function run(model: string, processes: number): Result | string {
  const epochs = model === 'mlp' ? flags['epochs-mlp'] : flags['epochs-cnn'];
  const worker = [process.execPath, '-r', 'ts-node/register/transpile-only', path.join('bench', 'workers', 'distributed.ts'), flags.backend, model, String(epochs), String(flags.batch), String(flags.samples)];
  const [cmd, ...args] = processes === 1 ? worker : ['mpirun', '--allow-run-as-root', '--oversubscribe', '-np', String(processes), ...worker];
  const out = spawnSync(cmd, args, { cwd: root, env, encoding: 'utf8', timeout: 20 * 60 * 1000 });
  const line = (out.stdout ?? '').split('\n').find((l) => l.startsWith('RESULT '));
  if (line === undefined) return `${(out.stderr || out.stdout || 'no result').trim().split('\n').slice(-3).join(' | ').slice(0, 300)}`;
  return JSON.parse(line.slice(7)) as Result;
}

const ms = (v: number): string => v.toFixed(3);
console.log(`backend ${flags.backend}, batch ${flags.batch} (global), ${flags.samples} samples, one compute thread per process`);
console.log('| model | processes | s/epoch | speed-up | step ms | compute ms | allreduce ms (in step) | pack ms | metrics ms | allreduce alone ms | gradient KiB |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const model of flags.models.split(',')) {
  let base: number | null = null;
  for (const p of flags.processes.split(',').map(Number)) {
    const r = run(model, p);
    if (typeof r === 'string') {
      console.log(`| ${model} | ${p} | failed: ${r} |`);
      continue;
    }
    base ??= r.secPerEpoch;
    const compute = r.stepMs - r.allreduceMs - r.packMs - r.metricsMs;
    console.log(
      `| ${model} | ${p} | ${r.secPerEpoch.toFixed(3)} | ${(base / r.secPerEpoch).toFixed(2)}x | ${ms(r.stepMs)} | ${ms(compute)} | ${ms(r.allreduceMs)} | ` +
        `${ms(r.packMs)} | ${ms(r.metricsMs)} | ${p > 1 ? ms(r.pureAllreduceMs) : '-'} | ${((r.gradientFloats * 4) / 1024).toFixed(1)} |`,
    );
  }
}
