/**
 * Data-parallel training with 2 real processes under mpirun (test/distribution/worker.ts), against
 * the same script run as one process: equal weights, logs and files on rank 0 only, faults that end
 * the job with a clear error instead of hanging, and BackupAndRestore resuming a killed job.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { testWithTools } from '../system_tools';

const root = path.join(__dirname, '..', '..');
const worker = path.join(__dirname, 'worker.ts');
const addon = path.join(root, 'native', 'mpi', 'build', 'keras_mpi.node');
const mpiTest = testWithTools({ '/usr/bin/mpirun': 'openmpi-bin', '/usr/bin/mpicc': 'libopenmpi-dev' });

interface Result {
  rank: number;
  size: number;
  weights: number[][];
  history: Record<string, number[]>;
  evaluation: Record<string, number>;
  predicted: number[];
  tensors: { afterFit: number; afterPredict: number; afterSecondFit: number };
  stats: { steps: number; gradientFloats: number };
}

interface Run {
  code: number | null;
  output: string;
  seconds: number;
}

function run(processes: number, options: Record<string, unknown>, limitSeconds = 90): Promise<Run> {
  const node = [process.execPath, '-r', 'ts-node/register/transpile-only', worker, JSON.stringify(options)];
  const [cmd, ...args] = processes === 1 ? node : ['mpirun', '--allow-run-as-root', '--oversubscribe', '-np', String(processes), ...node];
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const proc = spawn(cmd, args, { cwd: root, env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' } });
    let output = '';
    proc.stdout.on('data', (d) => (output += String(d)));
    proc.stderr.on('data', (d) => (output += String(d)));
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`the job did not end within ${limitSeconds} s:\n${output}`));
    }, limitSeconds * 1000);
    proc.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output, seconds: (Date.now() - started) / 1000 });
    });
  });
}

/** An example script, alone or under mpirun. */
function runExample(processes: number, args: string[]): Promise<Run> {
  const node = [process.execPath, '-r', 'ts-node/register/transpile-only', ...args];
  const [cmd, ...rest] = processes === 1 ? node : ['mpirun', '--allow-run-as-root', '--oversubscribe', '-np', String(processes), ...node];
  return new Promise((resolve) => {
    const started = Date.now();
    const proc = spawn(cmd, rest, { cwd: root, env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' } });
    let output = '';
    proc.stdout.on('data', (d) => (output += String(d)));
    proc.stderr.on('data', (d) => (output += String(d)));
    proc.on('close', (code) => resolve({ code, output, seconds: (Date.now() - started) / 1000 }));
  });
}

function read(out: string, rank: number): Result {
  return JSON.parse(fs.readFileSync(`${out}.rank${rank}.json`, 'utf8')) as Result;
}

/** The largest absolute difference between two nested lists of numbers. */
function maxDiff(a: number[] | number[][], b: number[] | number[][]): number {
  const fa = (a as unknown[]).flat() as number[];
  const fb = (b as unknown[]).flat() as number[];
  expect(fa.length).toBe(fb.length);
  return fa.reduce((m, v, i) => Math.max(m, Math.abs(v - fb[i])), 0);
}

function count(text: string, what: string): number {
  return text.split(what).length - 1;
}

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-mpi-'));
  if (fs.existsSync('/usr/bin/mpicc') && !fs.existsSync(addon)) {
    throw new Error(`the MPI binding is not built (${addon}). help: npx keras-ts build-mpi (npm install builds it where mpicc is present).`);
  }
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// 97 samples in batches of 32: the last global batch has 1 row, so rank 1 runs it on a stand-in row.
const common = { epochs: 2, batchSize: 32, samples: 97 };

mpiTest('2 processes train to the weights of 1 process (synchronized batch norm), log and write on rank 0 only, and leak no tensors', async () => {
  const one = await run(1, { ...common, sync: true, out: path.join(tmp, 'one'), writeDir: path.join(tmp, 'files-one') }); // the same callbacks: TensorBoard makes the weights early
  expect(one.code).toBe(0);
  const writeDir = path.join(tmp, 'files');
  const two = await run(2, { ...common, sync: true, out: path.join(tmp, 'two'), verbose: 1, writeDir });
  if (two.code !== 0) throw new Error(two.output);
  const ref = read(path.join(tmp, 'one'), 0);
  const [r0, r1] = [read(path.join(tmp, 'two'), 0), read(path.join(tmp, 'two'), 1)];
  expect([r0.size, r1.size]).toEqual([2, 2]);
  expect(maxDiff(r0.weights, ref.weights)).toBeLessThan(1e-5);
  expect(maxDiff(r1.weights, r0.weights)).toBe(0); // the processes agree exactly (moving statistics included)
  for (const key of ['loss', 'accuracy', 'val_loss', 'val_accuracy']) {
    expect(maxDiff(r0.history[key], ref.history[key])).toBeLessThan(1e-5);
    expect(r1.history[key]).toEqual(r0.history[key]); // every process logs the global values
  }
  expect(Math.abs(r0.evaluation.loss - ref.evaluation.loss)).toBeLessThan(1e-5);
  expect(r0.evaluation.accuracy).toBeCloseTo(ref.evaluation.accuracy, 6);
  expect(maxDiff(r0.predicted, ref.predicted)).toBeLessThan(1e-5);
  expect(r1.predicted).toEqual(r0.predicted);
  // One gradient allreduce per step, of every trainable float: Dense 6x16+16, BN 16+16, Dense 16x3+3.
  expect(r0.stats.gradientFloats).toBe(6 * 16 + 16 + 16 + 16 + 16 * 3 + 3);
  expect(r0.stats.steps).toBe(3 * 4); // 4 steps per epoch, 2 + 1 epochs (the worker fits again for its tensor count)
  // Logs on rank 0 only: one progress bar per epoch; the writers' files only in rank 0's folder.
  expect(count(two.output, 'Epoch 1/2')).toBe(1);
  expect(count(two.output, 'Epoch 2/2')).toBe(1);
  expect(two.output).toContain('97/97');
  expect(fs.readdirSync(path.join(`${writeDir}-rank0`, 'tb', 'train')).some((f) => f.startsWith('events.out.tfevents'))).toBe(true);
  expect(fs.existsSync(path.join(`${writeDir}-rank0`, 'ckpt-2.weights.h5'))).toBe(true);
  expect(fs.existsSync(`${writeDir}-rank1`)).toBe(false);
  for (const r of [r0, r1]) {
    expect(r.tensors.afterPredict).toBe(r.tensors.afterFit);
    expect(r.tensors.afterSecondFit).toBe(r.tensors.afterFit);
  }
}, 180_000);

mpiTest('per-process batch norm (not synchronized): the processes agree, and differ from one process as documented', async () => {
  const one = await run(1, { ...common, sync: false, out: path.join(tmp, 'one-local') });
  expect(one.code).toBe(0);
  const two = await run(2, { ...common, sync: false, out: path.join(tmp, 'two-local') });
  if (two.code !== 0) throw new Error(two.output);
  const ref = read(path.join(tmp, 'one-local'), 0);
  const [r0, r1] = [read(path.join(tmp, 'two-local'), 0), read(path.join(tmp, 'two-local'), 1)];
  expect(maxDiff(r1.weights, r0.weights)).toBe(0); // moving statistics averaged at each epoch's end
  expect(maxDiff(r0.weights, ref.weights)).toBeGreaterThan(1e-3); // each process normalized by its own half-batch
}, 180_000);

mpiTest('a rank killed mid-epoch ends the job with a clear error within seconds', async () => {
  const job = await run(2, { ...common, out: path.join(tmp, 'killed'), fault: { rank: 1, epoch: 0, batch: 2, kind: 'kill' } });
  expect(job.code).not.toBe(0);
  expect(job.output).toContain('rank 1 fault kill');
  expect(job.output).toMatch(/process rank 1 .* exited on signal 9/);
  expect(job.output).toContain('keras-ts DataParallel (rank 0 of 2): stopped by');
  expect(fs.existsSync(path.join(tmp, 'killed.rank0.json'))).toBe(false);
  expect(job.seconds).toBeLessThan(60);
}, 120_000);

mpiTest('a rank that hangs ends the job after the collective timeout, naming the call that waited', async () => {
  const job = await run(2, { ...common, out: path.join(tmp, 'hung'), timeoutSeconds: 3, fault: { rank: 1, epoch: 1, batch: 0, kind: 'hang' } });
  expect(job.code).not.toBe(0);
  expect(job.output).toContain('rank 1 fault hang');
  expect(job.output).toMatch(/keras-ts DataParallel \(rank 0 of 2\): (allreduce|broadcast|barrier) has waited [3-9] s for the other processes/);
  expect(job.output).toContain('help: ');
  expect(job.seconds).toBeLessThan(60); // the hang itself would last 120 s
}, 120_000);

mpiTest('an error in one rank ends every rank with that error', async () => {
  const job = await run(2, { ...common, out: path.join(tmp, 'threw'), fault: { rank: 1, epoch: 0, batch: 1, kind: 'throw' } });
  expect(job.code).not.toBe(0);
  expect(job.output).toContain('keras-ts DataParallel (rank 1 of 2): fit failed: Error: injected failure in rank 1');
  expect(job.output).toContain('Ending every process of the job');
}, 120_000);

mpiTest('BackupAndRestore: a 2-process job killed in epoch 3 resumes from its backup and ends as an uninterrupted run', async () => {
  const options = { ...common, epochs: 3, sync: true };
  const one = await run(1, { ...options, out: path.join(tmp, 'whole') });
  expect(one.code).toBe(0);
  const backupDir = path.join(tmp, 'backup');
  const killed = await run(2, { ...options, out: path.join(tmp, 'first'), backupDir, fault: { rank: 1, epoch: 2, batch: 1, kind: 'kill' } });
  expect(killed.code).not.toBe(0);
  expect(JSON.parse(fs.readFileSync(path.join(backupDir, 'training_metadata.json'), 'utf8')).epoch).toBe(2);
  const resumed = await run(2, { ...options, out: path.join(tmp, 'resumed'), backupDir });
  if (resumed.code !== 0) throw new Error(resumed.output);
  expect(resumed.output).not.toContain('rank 0 epoch 0');
  const ref = read(path.join(tmp, 'whole'), 0);
  const [r0, r1] = [read(path.join(tmp, 'resumed'), 0), read(path.join(tmp, 'resumed'), 1)];
  expect(r0.history.loss).toHaveLength(1); // only epoch 3 ran
  expect(Math.abs(r0.history.loss[0] - ref.history.loss[2])).toBeLessThan(1e-5);
  expect(maxDiff(r0.weights, ref.weights)).toBeLessThan(1e-5);
  expect(maxDiff(r1.weights, r0.weights)).toBe(0);
  expect(fs.existsSync(backupDir)).toBe(false); // deleted by rank 0 when the resumed fit ended
}, 240_000);

mpiTest('examples/mlp.ts --distributed with 2 processes: one summary, one progress bar, the test accuracy of one process', async () => {
  const args = ['examples/mlp.ts', '--epochs', '2'];
  const one = await runExample(1, args);
  if (one.code !== 0) throw new Error(one.output);
  const two = await runExample(2, [...args, '--distributed']);
  if (two.code !== 0) throw new Error(two.output);
  expect(two.output).toContain('Data-parallel over 2 processes');
  expect(count(two.output, 'Model: "mnist_mlp"')).toBe(1);
  expect(count(two.output, 'Epoch 1/2')).toBe(1);
  expect(count(two.output, 'Epoch 2/2')).toBe(1);
  const result = (out: string): string => (/Test loss: ([\d.]+) - test accuracy: ([\d.]+)/.exec(out) ?? ['', 'none'])[0];
  expect(count(two.output, 'Test loss:')).toBe(1);
  expect(result(two.output)).toBe(result(one.output)); // the same loss and accuracy, to the 4 printed decimals
  expect(one.output).not.toContain('Data-parallel'); // the default output is unchanged
}, 240_000);
