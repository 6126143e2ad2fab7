/**
 * PageProgbar: Keras's bar as plain text in an element (redrawn in place) or through the logger
 * (the console in a page), and fit choosing it for `verbose` where there is no Node process
 * (utils/environment's runsInNode, stubbed here). Expected bars are counted by hand: 30 cells,
 * floor(30 * seen / total) filled, the last filled one '>' while the epoch runs.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import * as environment from '../../src/utils/environment';

beforeAll(async () => {
  await k.setBackend('cpu');
});

afterEach(() => {
  jest.restoreAllMocks();
  k.utils.setLogger(null);
});

function model(): k.Model {
  const inputs = k.Input({ shape: [2] });
  const m = new k.Model({ inputs, outputs: new k.layers.Dense({ units: 1 }).apply(inputs) });
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  return m;
}

const x = Array.from({ length: 100 }, (_, i) => [i / 100, 1]);
const y = x.map((r) => [r[0]]);
const value = String.raw`\d\.\d{4}(?:e[-+]\d+)?`;

test('in an element: the live line while the epoch runs, redrawn at most every 50 ms, logs read only then', () => {
  const element = { textContent: '' as string | null };
  const bar = new k.callbacks.PageProgbar({ element });
  bar.setParams({ epochs: 3, steps: 10, samples: 100, verbose: 1, batchSize: 10, initialEpoch: 0 });
  bar.onTrainBegin();
  bar.onEpochBegin(1);
  expect(element.textContent).toBe(`Epoch 2/3\n   0/100 [${'.'.repeat(30)}] - ETA: 0s`);
  let reads = 0;
  bar.onBatchEndLazy(3, () => (reads++, { loss: 0.5 }));
  expect(element.textContent).toMatch(new RegExp(String.raw`^Epoch 2/3\n  40/100 \[={11}>\.{18}\] - ETA: \d+s - loss: 0\.5000$`));
  bar.onBatchEndLazy(4, () => (reads++, { loss: 0.25 })); // within 50 ms of the last redraw: not drawn, not read
  expect(reads).toBe(1);
  expect(element.textContent).toContain(' 40/100');
  bar.onEpochEnd(1, { loss: 0.125 });
  expect(element.textContent).toMatch(new RegExp(String.raw`^Epoch 2/3\n 100/100 \[={30}\] - \d+s \d+(us|ms)/sample - loss: 0\.1250\n$`));
  expect(element.textContent).not.toMatch(/\x1b/);
});

test('fit with a PageProgbar in an element: the lines of every epoch, no terminal codes, nothing on the console, no leak', async () => {
  const m = model();
  const written: string[] = [];
  k.utils.setLogger({ write: (t) => written.push(t), warn: (t) => written.push(t) });
  const element = { textContent: null as string | null };
  await m.fit(x, y, { epochs: 1, batchSize: 10, verbose: 0 }); // the optimizer's variables are made on the first fit
  const before = tfc.memory().numTensors;
  await m.fit(x, y, { epochs: 2, batchSize: 10, verbose: 1, callbacks: [new k.callbacks.PageProgbar({ element })] });
  expect(tfc.memory().numTensors).toBe(before);
  const lines = (element.textContent ?? '').trimEnd().split('\n');
  expect(lines).toHaveLength(4);
  expect(lines[0]).toBe('Epoch 1/2');
  expect(lines[1]).toMatch(new RegExp(String.raw`^ 100/100 \[={30}\] - \d+s \d+(us|ms)/sample - loss: ${value}$`));
  expect(lines[2]).toBe('Epoch 2/2');
  expect(element.textContent).not.toMatch(/\x1b/);
  expect(written).toEqual([]); // the user's bar replaces verbose's own, as in Keras
  m.dispose();
});

test('where there is no Node process, verbose fit writes the text bar through the logger: epoch lines only', async () => {
  jest.spyOn(environment, 'runsInNode').mockReturnValue(false);
  const m = model();
  const written: string[] = [];
  k.utils.setLogger({ write: (t) => written.push(t), warn: (t) => written.push(t) });
  await m.fit(x, y, { epochs: 2, batchSize: 10, verbose: 1, validationSplit: 0.2 });
  expect(written.join('')).not.toMatch(/\x1b/);
  const lines = written.join('').trimEnd().split('\n');
  expect(lines).toHaveLength(4);
  expect(lines[0]).toBe('Epoch 1/2');
  expect(lines[1]).toMatch(new RegExp(String.raw`^ 80/80 \[={30}\] - \d+s \d+(us|ms)/sample - loss: ${value} - val_loss: ${value}$`));
  written.length = 0;
  await m.fit(x, y, { epochs: 1, batchSize: 10, verbose: 2 });
  expect(written.join('')).toMatch(new RegExp(String.raw`^Epoch 1/1\n 100/100 - \d+s \d+(us|ms)/sample - loss: ${value}\n$`));
  m.dispose();
});

test('PageProgbar refuses what it cannot draw into, with the fix', () => {
  expect(() => new k.callbacks.PageProgbar({ element: 'pre' as never })).toThrow(/`element` must be a DOM element.*got string.*help:/);
  expect(() => new k.callbacks.PageProgbar({ verbose: 3 as never })).toThrow(/`verbose` must be 1 or 2, got 3.*help:/);
  expect(() => new k.callbacks.PageProgbar({ elem: {} } as never)).toThrow(/unknown option 'elem'/);
});
