/**
 * `npm run bench:tfjs-layers`: keras-ts against @tensorflow/tfjs-layers 4.22 on the same data (8,000 MNIST
 * digits), model, optimizer (SGD 0.05) and backend, each run in its own process; PyTorch (1 CPU
 * thread) too where python3 has torch. Prints one table of seconds per epoch (median of 3 epochs
 * after a warm-up), the ratio, samples per second, and predict throughput at batch 256.
 *
 *   npm run bench:tfjs-layers                 the seed MLP and the CNN, wasm and cpu
 *   npm run bench:tfjs-layers -- --mlp-only   just the MLP
 */
import { execFileSync, spawnSync } from 'child_process';
import * as os from 'os';
import * as path from 'path';
import { torchPython } from './torch_python';
import type { WorkerResult } from './workers/common';

const root = path.join(__dirname, '..');

function run(worker: 'keras' | 'tfjs_layers', args: Array<string | number>): WorkerResult {
  const out = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join('bench', 'workers', `${worker}.ts`), ...args.map(String)], {
    cwd: root, encoding: 'utf8', env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' }, timeout: 15 * 60 * 1000,
  });
  const line = (out.stdout ?? '').split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) return { secPerEpoch: NaN, samples: 0, predictPerSec: NaN, error: (out.stderr || 'no result').trim().split('\n').slice(-1)[0].slice(0, 100) };
  return JSON.parse(line.slice(7)) as WorkerResult;
}

function torch(samples: number, batches: number[]): Record<number, number> | null {
  const python = torchPython();
  if (python === null) return null;
  // The seed MLP on 1 thread, from the PyTorch side of `npm run bench` (its workloads seed32, seed128).
  void samples;
  const workloads = batches.map((b) => `seed${b}:3:1`);
  const out = execFileSync(python, [path.join(root, 'bench', 'torch_cpu.py'), '1', ...workloads], { encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: '1' } });
  const rows = out.split('\n').filter((l) => l.startsWith('RESULT ')).map((l) => JSON.parse(l.slice(7)) as { workload: string; secPerEpoch: number });
  return Object.fromEntries(rows.map((r) => [Number(r.workload.slice(4)), r.secPerEpoch]));
}

const fmt = (v: number, digits = 3): string => (Number.isFinite(v) ? v.toFixed(digits) : '—');

function main(): void {
  const mlpOnly = process.argv.includes('--mlp-only');
  const samples = 8000;
  const rows: string[] = [];
  rows.push('| model | backend | batch | keras-ts s/epoch | tfjs-layers s/epoch | speed-up | keras-ts samples/s | predict samples/s (keras-ts / tfjs-layers) | PyTorch s/epoch | keras-ts / PyTorch |');
  rows.push('|---|---|---|---|---|---|---|---|---|---|');
  const pt = torch(samples, [32, 128]);
  const configs: Array<[string, string, number, number]> = [
    ['mlp', 'wasm', 32, samples], ['mlp', 'wasm', 128, samples], ['mlp', 'cpu', 32, samples], ['mlp', 'cpu', 128, samples],
  ];
  // The CNN on tfjs's CPU backend is slow (its convolution backprops are plain loops): fewer samples there.
  if (!mlpOnly) configs.push(['cnn', 'wasm', 32, samples], ['cnn', 'cpu', 32, 320]);
  for (const [model, backend, batch, n] of configs) {
    const epochs = model === 'cnn' && backend === 'cpu' ? 1 : 3;
    const ours = run('keras', [backend, batch, model, epochs, n]);
    const theirs = run('tfjs_layers', [backend, batch, model, epochs, n]);
    const torchSec = model === 'mlp' && pt ? pt[batch] : NaN;
    const theirsText = theirs.error ? `fails: ${theirs.error}` : fmt(theirs.secPerEpoch);
    rows.push(
      `| ${model}${n !== samples ? ` (${n} samples)` : ''} | ${backend} | ${batch} | ${fmt(ours.secPerEpoch)} | ${theirsText} | ` +
        `${theirs.error ? '—' : `${fmt(theirs.secPerEpoch / ours.secPerEpoch, 1)}x`} | ${fmt(n / ours.secPerEpoch, 0)} | ` +
        `${fmt(ours.predictPerSec, 0)} / ${fmt(theirs.predictPerSec, 0)} | ${fmt(torchSec)} | ${Number.isFinite(torchSec) ? `${fmt(ours.secPerEpoch / torchSec, 1)}x` : '—'} |`,
    );
    process.stdout.write(`${rows[rows.length - 1]}\n`);
  }
  console.log(`\nMachine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}. PyTorch: ${pt ? `${torchPython()} with torch, 1 thread` : 'not installed (python3 -c "import torch" failed; apt-get install python3-torch)'}.\n`);
  console.log(rows.join('\n'));
}

main();
