/**
 * BackupAndRestore across a real crash: a run is SIGKILLed in the middle of epoch 3, started again,
 * and must end with the losses of a run that was never interrupted (weights, optimizer state,
 * dropout and shuffling all continue where the backup left them).
 */
import { spawn, ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');
const child = path.join(__dirname, 'backup_child.ts');

function start(args: string[]): { proc: ChildProcess; output: () => string; done: Promise<number | null> } {
  const proc = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', child, ...args], {
    cwd: root,
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
  });
  let out = '';
  proc.stdout?.on('data', (d) => (out += String(d)));
  proc.stderr?.on('data', (d) => (out += String(d)));
  const done = new Promise<number | null>((resolve) => proc.on('close', (code) => resolve(code)));
  return { proc, output: () => out, done };
}

function history(out: string): { epoch: number[]; loss: number[] } {
  const line = out.split('\n').find((l) => l.startsWith('history '));
  if (line === undefined) throw new Error(`no history in the child's output:\n${out}`);
  return JSON.parse(line.slice('history '.length));
}

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-backup-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('a run killed with SIGKILL mid-epoch resumes from its last backup and ends as an uninterrupted run', async () => {
  const whole = start([path.join(tmp, 'whole')]);
  expect(await whole.done).toBe(0);
  const reference = history(whole.output());
  expect(reference.epoch).toEqual([0, 1, 2, 3, 4]);

  const dir = path.join(tmp, 'crashed');
  const first = start([dir, '2']);
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (first.output().includes('waiting to be killed')) {
        clearInterval(timer);
        first.proc.kill('SIGKILL');
        resolve();
      }
    }, 20);
    first.done.then(() => {
      clearInterval(timer);
      reject(new Error(`the child ended before it was killed:\n${first.output()}`));
    });
  });
  await first.done;
  expect(first.proc.signalCode).toBe('SIGKILL');
  expect(first.output()).toContain('epoch 2');
  expect(first.output()).not.toContain('epoch 3');
  expect(fs.readdirSync(dir).sort()).toEqual(['epoch-2.weights.h5', 'training_metadata.json']);

  const second = start([dir]);
  expect(await second.done).toBe(0);
  const resumed = history(second.output());
  expect(resumed.epoch).toEqual([2, 3, 4]);
  resumed.loss.forEach((loss, i) => expect(Math.abs(loss - reference.loss[i + 2])).toBeLessThan(1e-6));
  expect(fs.existsSync(dir)).toBe(false); // deleted once training ended normally
}, 120_000);
