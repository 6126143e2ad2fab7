/**
 * One logger for every message (k.utils.setLogger), Keras's interactive-logging switches, and
 * k.utils.clearSession resetting default names.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { testBackend } from '../helpers';

beforeAll(async () => {
  await k.setBackend(testBackend());
});

afterEach(() => {
  k.utils.setLogger(null);
  k.utils.enableInteractiveLogging();
});

function model(): k.Model {
  const inputs = k.Input({ shape: [2] });
  const m = new k.Model({ inputs, outputs: new k.layers.Dense({ units: 1 }).apply(inputs) });
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  return m;
}

const X = [[1, 2], [3, 4], [5, 6]];
const Y = [[1], [0], [1]];

test('with a capturing logger, fit (verbose 1), evaluate, predict and summary write to it and nothing to process.stdout', async () => {
  const text: string[] = [];
  const warnings: string[] = [];
  k.utils.setLogger({ write: (t) => void text.push(t), warn: (t) => void warnings.push(t) });
  const stdout = jest.spyOn(process.stdout, 'write');
  const stderr = jest.spyOn(process.stderr, 'write');
  const m = model();
  try {
    await m.fit(X, Y, { epochs: 2, batchSize: 2, verbose: 1 });
    await m.evaluate(X, Y, { verbose: 1 });
    tfc.dispose(m.predict(X, { verbose: 1, batchSize: 2 }));
    m.summary();
    await m.fit(X, Y, { epochs: 1, verbose: 0, callbacks: [new k.callbacks.EarlyStopping({ monitor: 'nothing', mode: 'min' })] });
    expect(stdout).not.toHaveBeenCalled();
    expect(stderr).not.toHaveBeenCalled();
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
  const all = text.join('');
  expect(all).toMatch(/Epoch 1\/2\n\s*3\/3 \[=+\] - .*loss: /); // the bar's final line (the logger is no terminal)
  expect(all).toMatch(/Epoch 2\/2/);
  expect(all).toMatch(/^loss: \d+\.\d{4}$/m); // evaluate
  expect(all).toMatch(/2\/2 \[=+\] - .*step/); // predict's line: 2 batches
  expect(all).toMatch(/Total params: 3/); // summary
  expect(warnings.join('')).toMatch(/EarlyStopping: 'nothing' is not in the logs/);
  m.dispose();
});

test('the logger reaches the live bar only when it says it is a terminal and interactive logging is on', async () => {
  const text: string[] = [];
  k.utils.setLogger({ write: (t) => void text.push(t), warn: () => undefined, isTTY: true, columns: 120 });
  expect(k.utils.isInteractiveLoggingEnabled()).toBe(true);
  const live = new k.callbacks.ProgbarLogger();
  k.utils.disableInteractiveLogging();
  expect(k.utils.isInteractiveLoggingEnabled()).toBe(false);
  const quiet = new k.callbacks.ProgbarLogger();
  const m = model();
  await m.fit(X, Y, { epochs: 1, verbose: 0, callbacks: [quiet] });
  const plain = text.splice(0).join('');
  expect(plain).toMatch(/^Epoch 1\/1\n\s*3\/3 \[=+\] - /); // final line only, no cursor codes
  expect(plain).not.toMatch(/\x1b\[/);
  await m.fit(X, Y, { epochs: 1, verbose: 0, callbacks: [live] });
  expect(text.join('')).toMatch(/\x1b\[/); // the live bar redraws its line with terminal codes
  m.dispose();
});

test('setLogger refuses an object without write and warn, and null restores the default', () => {
  expect(() => k.utils.setLogger({ write: () => undefined } as never)).toThrow(/setLogger: a logger needs write\(text\) and warn\(text\) methods\. help:/);
  k.utils.setLogger(null);
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  k.utils.getLogger().write('x\n');
  const calls = stdout.mock.calls.map((c) => c[0]);
  stdout.mockRestore();
  expect(calls).toEqual(['x\n']);
});

test('clearSession: default names start again at dense, dense_1 and functional', () => {
  k.utils.clearSession();
  const a = new k.layers.Dense({ units: 1 });
  const b = new k.layers.Dense({ units: 1 });
  new k.layers.Dense({ units: 1, name: 'dense_2' }); // an explicit name is skipped by later defaults
  const c = new k.layers.Dense({ units: 1 });
  expect([a.name, b.name, c.name]).toEqual(['dense', 'dense_1', 'dense_3']);
  const m1 = model();
  k.utils.clearSession();
  expect(new k.layers.Dense({ units: 1 }).name).toBe('dense');
  expect(new k.layers.Dense({ units: 1, name: 'dense_2' }).name).toBe('dense_2');
  expect(new k.layers.Dense({ units: 1 }).name).toBe('dense_1');
  const m2 = model();
  expect(m2.name).toBe('functional');
  expect(m1.name).toBe('functional'); // live models keep their names
  expect(m2.layers.map((l) => l.name)).toEqual(['input_layer', 'dense_3']);
  m1.dispose();
  m2.dispose();
});

test('a model built after clearSession trains beside one built before (weight ids never repeat)', async () => {
  k.utils.clearSession();
  const before = model();
  k.utils.clearSession();
  const after = model();
  await after.fit(X, Y, { epochs: 1, verbose: 0 });
  await before.fit(X, Y, { epochs: 1, verbose: 0 });
  expect(after.weights.map((w) => w.name)).toEqual(before.weights.map((w) => w.name)); // Keras's names may repeat
  before.dispose();
  after.dispose();
});
