/**
 * The live progress bar gives the terminal back on every way out of fit, and Ctrl-C still ends the
 * process. Under a pseudo-terminal (test/callbacks/pty_run.py: a real ^C through the terminal's line
 * discipline, as a key press sends it) a fit with verbose 1 (signal_child.ts) must show the cursor
 * and turn line wrap back on as often as it hid and turned them off, and then:
 * - with no listener of its own, end killed by SIGINT (or SIGTERM), as Node's default;
 * - with StopOnSignal, exit 0 with a history shorter than the 20 epochs asked;
 * - with its own SIGINT handler (which exits with 3), let that handler decide.
 * In the test's own process: a callback that throws mid-epoch, and StopOnSignal's listeners.
 */
import { spawn } from 'child_process';
import * as path from 'path';
import { Writable } from 'stream';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { testWithTools } from '../system_tools';

const PYTHON = '/usr/bin/python3';
const ROOT = path.join(__dirname, '..', '..');
const ptyTest = testWithTools({ [PYTHON]: 'python3' });

interface PtyRun {
  output: string;
  exitCode: number | null;
  signal: string | null;
  sent: boolean;
  timedOut: boolean;
}

/** signal_child.ts in `mode`, sent `how` ('ctrl-c' or 'SIGTERM') 300 ms after its first batch. */
function runUnderPty(mode: string, how: string): Promise<PtyRun> {
  const child = ['node', '-r', 'ts-node/register/transpile-only', path.join('test', 'callbacks', 'signal_child.ts'), mode];
  const args = [path.join(ROOT, 'test', 'callbacks', 'pty_run.py'), how, 'training', '300', '90', ...child];
  return new Promise((resolve, reject) => {
    const p = spawn(PYTHON, args, { cwd: ROOT, env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' } });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('close', () => {
      try {
        const r = JSON.parse(out) as PtyRun;
        resolve({ ...r, output: Buffer.from(r.output, 'base64').toString('latin1') });
      } catch {
        reject(new Error(`pty_run.py printed no result: ${out} ${err}`));
      }
    });
  });
}

const count = (text: string, seq: string): number => text.split(seq).length - 1;

/** Every hide has its show, every wrap-off its wrap-on, and there was a live bar. */
function expectTerminalRestored(output: string): void {
  expect(count(output, '\x1b[?25l')).toBeGreaterThan(0);
  expect(count(output, '\x1b[?25h')).toBe(count(output, '\x1b[?25l'));
  expect(count(output, '\x1b[?7h')).toBe(count(output, '\x1b[?7l'));
  expect(output.lastIndexOf('\x1b[?25h')).toBeGreaterThan(output.lastIndexOf('\x1b[?25l'));
}

describe('under a pseudo-terminal', () => {
  ptyTest('Ctrl-C during fit restores the terminal, ends the line, and the process ends by SIGINT', async () => {
    const r = await runUnderPty('default', 'ctrl-c');
    expect(r.sent).toBe(true);
    expect(r.timedOut).toBe(false);
    expectTerminalRestored(r.output);
    expect(r.output.endsWith('\r\n')).toBe(true); // the line is ended: the shell's prompt starts on its own line
    expect(r.signal).toBe('SIGINT');
    expect(r.output).not.toContain('history');
  });

  ptyTest('SIGTERM during fit restores the terminal and the process ends by SIGTERM', async () => {
    const r = await runUnderPty('default', 'SIGTERM');
    expect(r.sent).toBe(true);
    expectTerminalRestored(r.output);
    expect(r.signal).toBe('SIGTERM');
  });

  ptyTest('with StopOnSignal, Ctrl-C ends fit after the batch and the program goes on', async () => {
    const r = await runUnderPty('graceful', 'ctrl-c');
    expect(r.sent).toBe(true);
    expectTerminalRestored(r.output);
    expect(r.exitCode).toBe(0);
    expect(r.signal).toBeNull();
    expect(r.output).toContain('StopOnSignal: training stopped on SIGINT.');
    const history = JSON.parse(/history (.*)\r\n/.exec(r.output)?.[1] ?? 'null') as { loss: number[] };
    expect(history.loss.length).toBeGreaterThanOrEqual(1);
    expect(history.loss.length).toBeLessThan(20);
  });

  ptyTest("with the program's own SIGINT handler, that handler decides (here: exit 3), and the terminal is restored", async () => {
    const r = await runUnderPty('own', 'ctrl-c');
    expect(r.sent).toBe(true);
    expectTerminalRestored(r.output);
    expect(r.output).toContain('own handler');
    expect(r.exitCode).toBe(3);
  });
});

class FakeTerminal extends Writable {
  text = '';
  isTTY = true;
  columns = 120;
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** A linear model, trained on one batch so that its running loss's state exists before tensors are counted. */
function model(): k.Model {
  const inputs = k.Input({ shape: [2] });
  const m = new k.Model({ inputs, outputs: new k.layers.Dense({ units: 1 }).apply(inputs) });
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  m.trainOnBatch([[0, 1]], [[0]]);
  return m;
}

const x = Array.from({ length: 400 }, (_, i) => [i / 400, 1]);
const y = x.map((r) => [2 * r[0]]);
const listeners = (): number[] => ['SIGINT', 'SIGTERM', 'exit'].map((s) => process.listenerCount(s));

beforeAll(async () => {
  await k.setBackend('cpu');
});

test('a callback that throws mid-epoch: fit rejects, the live bar restores the terminal and leaves no listener', async () => {
  const m = model();
  const term = new FakeTerminal();
  const bar = new k.callbacks.ProgbarLogger({ stream: term as unknown as NodeJS.WriteStream });
  const boom = new k.callbacks.LambdaCallback({
    onBatchBegin: (batch: number) => {
      if (batch === 5) throw new Error('boom');
    },
  });
  const before = listeners();
  const tensors = tfc.memory().numTensors;
  await expect(m.fit(x, y, { epochs: 3, batchSize: 4, verbose: 0, callbacks: [bar, new k.callbacks.StopOnSignal(), boom] })).rejects.toThrow('boom');
  expectTerminalRestored(term.text);
  expect(term.text.endsWith('\n')).toBe(true);
  expect(listeners()).toEqual(before);
  expect(tfc.memory().numTensors).toBe(tensors);
  m.dispose();
});

test('StopOnSignal: a SIGINT during fit stops it after the batch; its listener is gone after fit', async () => {
  const m = model();
  const stop = new k.callbacks.StopOnSignal();
  let batches = 0;
  let batchesAtSignal = -1;
  const signal = new k.callbacks.LambdaCallback({
    onBatchBegin: (batch: number) => {
      batches++;
      if (batch === 3) {
        batchesAtSignal = batches;
        process.emit('SIGINT', 'SIGINT'); // as a signal's delivery does: the listeners run
      }
    },
  });
  const warnings: string[] = [];
  k.utils.setLogger({ write: () => undefined, warn: (t) => void warnings.push(t) });
  const before = listeners();
  const tensors = tfc.memory().numTensors;
  try {
    const history = await m.fit(x, y, { epochs: 5, batchSize: 4, verbose: 0, callbacks: [stop, signal] });
    expect(history.history.loss).toHaveLength(1);
  } finally {
    k.utils.setLogger(null);
  }
  expect(batches).toBe(batchesAtSignal); // the batch in progress finished, no other began
  expect(stop.stoppedBy).toBe('SIGINT');
  expect(warnings.join('')).toContain('StopOnSignal: training stopped on SIGINT.');
  expect(listeners()).toEqual(before);
  expect(tfc.memory().numTensors).toBe(tensors);
  m.dispose();
});

test('StopOnSignal refuses a list that is not of signal names', () => {
  expect(() => new k.callbacks.StopOnSignal({ signals: [] })).toThrow(/StopOnSignal: signals must be a non-empty list.*help:/);
  expect(() => new k.callbacks.StopOnSignal({ signals: ['INT' as NodeJS.Signals] })).toThrow(/got \["INT"\]/);
});
