/**
 * `npm run bench`: keras-ts on its native and wasm backends against PyTorch (Debian's python3-torch
 * with OpenBLAS) on the four workloads of bench/cpu_workloads.ts, in one run, each in its own
 * process. Prints seconds per epoch, the ratios, and a GEMM GFLOP/s line per backend (a 128x784x256
 * float32 matmul). wasm runs on one thread (its default) and on as many as the others.
 *
 * Threads: keras-ts uses every core by default; PyTorch runs with the same number
 * (torch.set_num_threads and OPENBLAS_NUM_THREADS). On few cores PyTorch's two thread pools
 * (OpenMP for its own ops, OpenBLAS's pthreads for matmuls) compete, so PyTorch also runs with
 * OpenBLAS on one thread and entirely on one thread, and the table shows its best time as well.
 *
 * The seed MLP's epochs are short (250 and 63 steps) and V8 takes about a thousand steps to compile
 * the hot code (measured here: seed128's epochs at 2 threads fall from 0.094 s to 0.04 s over the first
 * 20): it is timed over about 0.7 s of epochs (8 at batch 32, 15 at batch 128) after a thousand warm-up
 * steps (4 epochs at batch 32, 16 at batch 128); the others over 3 after 1. PyTorch runs the same
 * epochs, in each configuration right after keras-ts's eager run of the same workload (one process
 * each). Every epoch's time is printed, and a line compares whole runs, warm-up included (what a fit
 * of that many epochs takes). `--epochs N` sets the timed epochs of all. Every workload also runs
 * with compile's jitCompile (the captured step, src/backend/capture) on native, as its own row
 * against the same PyTorch run: replayed in one call of the addon's runner, and (seed32) as the
 * loop of addon calls from JavaScript that the runner replaced (a step that cannot be captured runs
 * eagerly and its worker prints the one line saying why); the load average at the start and end is printed (the machine may be shared).
 *
 *   npm run bench [-- --threads N] [-- --epochs N] [-- --only seed32,cnn] [-- --no-torch]
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { torchPython } from './torch_python';
import { WORKLOADS } from './cpu_workloads';

const root = path.join(__dirname, '..');

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const threads = Number(flag('threads', String(os.availableParallelism?.() ?? os.cpus().length)));
const epochsFlag = flag('epochs', '');
/** Timed epochs: the seed MLP's are short (0.04-0.1 s), so about 0.7 s of them (15 at batch 128, 8 at 32); 3 of the others. */
const epochsOf = (w: string): number => (epochsFlag ? Number(epochsFlag) : w === 'seed128' ? 15 : w === 'seed32' ? 8 : 3);
/** Warm-up epochs: a thousand steps for the seed MLP (8,000 samples), one epoch for the others. */
const warmupOf = (w: string): number => (w === 'seed32' ? 4 : w === 'seed128' ? 16 : 1);
const only = flag('only', WORKLOADS.join(',')).split(',');
const workloads = WORKLOADS.filter((w) => only.includes(w));

interface KerasResult { secPerEpoch?: number; epochs?: number[]; gflops?: number; threads?: number; fallbacks?: Record<string, number>; device?: string; error?: string; jitNote?: string }
interface TorchRun { label: string; torchThreads: number; blasThreads: number; config?: Record<string, unknown>; gflops?: number; results: Record<string, number>; wholeRun: Record<string, number>; error?: string }

function keras(backend: string, workload: string, backendThreads = threads, jit: 'jit' | 'jitloop' | null = null): KerasResult {
  const args = [backend, String(backendThreads), workload, String(epochsOf(workload)), String(warmupOf(workload)), ...(jit ? [jit] : [])];
  const out = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join('bench', 'workers', 'keras_cpu.ts'), ...args], {
    cwd: root, encoding: 'utf8', env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' }, timeout: 20 * 60 * 1000,
  });
  const line = (out.stdout ?? '').split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) return { error: (out.stderr || 'no result').trim().split('\n').slice(-1)[0].slice(0, 160) };
  return JSON.parse(line.slice(7)) as KerasResult;
}

/** Runs PyTorch in one configuration on `w`, adding its results to `run`. */
function torch(python: string, run: TorchRun, w: string): void {
  const { torchThreads, blasThreads } = run;
  const out = spawnSync(python, [path.join(root, 'bench', 'torch_cpu.py'), String(torchThreads), `${w}:${epochsOf(w)}:${warmupOf(w)}`], {
    encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: String(blasThreads), OMP_NUM_THREADS: String(torchThreads) }, timeout: 30 * 60 * 1000,
  });
  for (const line of (out.stdout ?? '').split('\n')) {
    if (line.startsWith('CONFIG ')) run.config = JSON.parse(line.slice(7));
    if (line.startsWith('GEMM ')) run.gflops ??= (JSON.parse(line.slice(5)) as { gflops: number }).gflops;
    if (line.startsWith('RESULT ')) {
      const r = JSON.parse(line.slice(7)) as { workload: string; secPerEpoch: number; epochs: number[] };
      run.results[r.workload] = r.secPerEpoch;
      run.wholeRun[r.workload] = sum(r.epochs);
    }
  }
  if (out.status !== 0) run.error = (out.stderr || '').trim().split('\n').slice(-1)[0];
}

const sum = (v: number[] | undefined): number => (v === undefined || v.length === 0 ? NaN : v.reduce((a, b) => a + b, 0));
const fmt = (v: number | undefined, d = 3): string => (v !== undefined && Number.isFinite(v) ? v.toFixed(d) : '—');
const ratio = (a: number | undefined, b: number | undefined): string => (a && b && Number.isFinite(a) && Number.isFinite(b) ? `${(a / b).toFixed(2)}x` : '—');

const LABEL: Record<string, string> = {
  seed32: 'seed MLP, 8,000 digits, SGD, batch 32',
  seed128: 'seed MLP, 8,000 digits, SGD, batch 128',
  fashion: 'MLP 784-256-128-100-10, 60,000 samples, Adam, batch 128',
  cnn: 'examples/cnn.ts CNN, 7,200 digits, Adam, batch 32',
};

function main(): void {
  console.log(`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}; ${threads} threads; seconds per epoch are the median of the timed epochs after warm-up ones: ${workloads.map((w) => `${w} ${epochsOf(w)} after ${warmupOf(w)}`).join(', ')}.\n`);
  const native: Record<string, KerasResult> = {};
  const wasm: Record<string, KerasResult> = {};
  const wasmThreaded: Record<string, KerasResult> = {};
  const epochList = (r: KerasResult): string => (r.epochs ?? []).map((e) => e.toFixed(3)).join(' ') || r.error || '';
  const load = (): string => fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const loadBefore = fs.existsSync('/proc/loadavg') ? load() : '?';
  const jitRows: Array<{ w: string; label: string; result: KerasResult }> = [];
  // PyTorch in each configuration right after native's eager run of the same workload: this VM's speed drifts by
  // 10-30% over minutes, and ratios of runs made minutes apart carry that drift.
  const python = process.argv.includes('--no-torch') ? null : torchPython();
  const configs: Array<[string, number, number]> = [[`${threads} threads`, threads, threads]];
  if (threads > 1) configs.push([`${threads} threads, OpenBLAS 1`, threads, 1], ['1 thread', 1, 1]);
  const runs: TorchRun[] = python === null ? [] : configs.map(([label, torchThreads, blasThreads]) => ({ label, torchThreads, blasThreads, results: {}, wholeRun: {} }));
  for (const w of workloads) {
    native[w] = keras('native', w);
    for (const r of runs) torch(python as string, r, w);
    {
      // the captured step (compile's jitCompile), right after the eager run: one native call a step, and (seed32) the JavaScript loop
      for (const mode of w === 'seed32' ? (['jit', 'jitloop'] as const) : (['jit'] as const)) {
        const result = keras('native', w, threads, mode);
        const label = mode === 'jit' ? 'jitCompile (captured step, one native call)' : 'jitCompile (captured step, loop of addon calls from JavaScript)';
        jitRows.push({ w, label, result });
        console.log(`${w} with ${label}: native ${fmt(result.secPerEpoch)} s (${epochList(result)})${result.jitNote ? `; ${result.jitNote}` : ''}`);
      }
    }
    wasm[w] = keras('wasm', w, 1);
    wasmThreaded[w] = threads > 1 ? keras('wasm', w) : wasm[w];
    console.log(`${w}: native ${fmt(native[w].secPerEpoch)} s (${epochList(native[w])}), wasm ${fmt(wasm[w].secPerEpoch)} s (${epochList(wasm[w])}), ` +
      `wasm ${threads} threads ${fmt(wasmThreaded[w].secPerEpoch)} s (${epochList(wasmThreaded[w])})`);
  }
  for (const r of runs) console.log(`PyTorch ${r.label}: ${workloads.map((w) => `${w} ${fmt(r.results[w])}`).join(', ')}${r.error ? ` (error: ${r.error})` : ''}`);
  const equal = runs[0];
  const best = (w: string): { sec: number; label: string } | undefined =>
    runs.filter((r) => Number.isFinite(r.results[w])).map((r) => ({ sec: r.results[w], label: r.label })).sort((a, b) => a.sec - b.sec)[0];

  console.log(`\n| workload | keras-ts native (${threads} threads) | keras-ts wasm (1 thread, its default) | keras-ts wasm (${threads} threads) | ` +
    `PyTorch, ${threads} threads | native / PyTorch | PyTorch, best config | native / best | wasm / native (1 thread, ${threads} threads) |`);
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const w of workloads) {
    const n = native[w].secPerEpoch;
    const b = best(w);
    console.log(`| ${LABEL[w]} | ${fmt(n)} | ${fmt(wasm[w].secPerEpoch)} | ${fmt(wasmThreaded[w].secPerEpoch)} | ${fmt(equal?.results[w])} | ${ratio(n, equal?.results[w])} | ` +
      `${b ? `${fmt(b.sec)} (${b.label})` : '—'} | ${ratio(n, b?.sec)} | ${ratio(wasm[w].secPerEpoch, n)}, ${ratio(wasmThreaded[w].secPerEpoch, n)} |`);
  }
  for (const { w, label, result } of jitRows) {
    const n = result.secPerEpoch;
    const b = best(w);
    const eager = result.jitNote?.includes('ran eagerly') ? ' (ran eagerly: see the line above)' : '';
    console.log(`| ${LABEL[w]}, ${label}${eager} | ${fmt(n)} | — | — | ${fmt(equal?.results[w])} | ${ratio(n, equal?.results[w])} | ` +
      `${b ? `${fmt(b.sec)} (${b.label})` : '—'} | ${ratio(n, b?.sec)} | — |`);
  }
  console.log(`\nWhole runs (every epoch, warm-up included), native ${threads} threads against PyTorch's fastest whole run: ` + workloads.map((w) => {
    const fastest = runs.filter((r) => Number.isFinite(r.wholeRun[w])).sort((a, b) => a.wholeRun[w] - b.wholeRun[w])[0];
    const [n, t] = [sum(native[w].epochs), fastest?.wholeRun[w]];
    return `${w} (${epochsOf(w) + warmupOf(w)} epochs) ${fmt(n, 2)} s against ${fmt(t, 2)} s (${fastest?.label ?? '—'}), ${ratio(n, t)}`;
  }).join('; ') + '.');
  console.log(`\nLoad average (1, 5, 15 min): ${loadBefore} at the start, ${fs.existsSync('/proc/loadavg') ? load() : '?'} at the end.`);
  const gemm = (r: Record<string, KerasResult>): number | undefined => Object.values(r).find((x) => x.gflops !== undefined)?.gflops;
  const nativeInfo = Object.values(native).find((x) => x.device);
  console.log('\nGEMM, 128x784x256 float32:');
  console.log(`- keras-ts native: ${fmt(gemm(native), 1)} GFLOP/s (${nativeInfo?.device ?? 'not available'}, ${nativeInfo?.threads ?? '?'} threads; ` +
    'a product of this size (25.7M multiply-adds) takes the second thread only within four calls of a larger one, so alone in a loop it runs on one)');
  console.log(`- keras-ts wasm: ${fmt(gemm(wasm), 1)} GFLOP/s (1 thread), ${fmt(gemm(wasmThreaded), 1)} GFLOP/s (${threads} threads)`);
  for (const r of runs) console.log(`- PyTorch ${r.label}: ${fmt(r.gflops, 1)} GFLOP/s`);
  if (equal?.config) console.log(`\nPyTorch: ${JSON.stringify(equal.config)}`);
  else console.log('\nPyTorch: not run (needs Debian\'s python3-torch: apt-get install python3-torch libopenblas0-pthread).');
  const fell = workloads.map((w) => [w, Object.keys(native[w].fallbacks ?? {})] as const).filter(([, f]) => f.length > 0);
  console.log(`Kernels that fell back to tfjs's CPU code in the native fits: ${fell.length === 0 ? 'none' : fell.map(([w, f]) => `${w}: ${f.join(', ')}`).join('; ')}.`);
}

main();
