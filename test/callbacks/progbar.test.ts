import { Writable } from 'stream';
import * as k from '../../src';
import { formatBar, formatCount, formatElapsed, formatEta, formatLogs } from '../../src/callbacks/progbar_format';

test('bar, count, ETA, timing and logs as Keras writes them', () => {
  expect(formatBar(3200, 8000)).toBe('[===========>..................]');
  expect(formatBar(8000, 8000)).toBe(`[${'='.repeat(30)}]`);
  expect(formatBar(0, 8000)).toBe(`[${'.'.repeat(30)}]`);
  expect(formatCount(800, 8000)).toBe('  800/8000');
  expect(formatEta(1.2)).toBe('1s');
  expect(formatEta(65)).toBe('1:05');
  expect(formatEta(3665)).toBe('1:01:05');
  expect(formatElapsed(1.68, 8000, 'sample')).toBe('2s 210us/sample');
  expect(formatLogs({ loss: 0.65432, accuracy: 0.8123 })).toBe(' - loss: 0.6543 - accuracy: 0.8123');
  expect(formatLogs({ loss: 0.00001234 })).toBe(' - loss: 1.2340e-5');
});

class Capture extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

test('where stdout is not a terminal, verbose 1 prints only the epoch lines', async () => {
  await k.setBackend('cpu');
  const stream = new Capture();
  const inputs = k.Input({ shape: [2] });
  const model = new k.Model({ inputs, outputs: new k.layers.Dense({ units: 1 }).apply(inputs) });
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const bar = new k.callbacks.ProgbarLogger({ stream: stream as unknown as NodeJS.WriteStream });
  const x = Array.from({ length: 100 }, (_, i) => [i / 100, 1]);
  const y = x.map((r) => [r[0]]);
  await model.fit(x, y, { epochs: 2, batchSize: 10, verbose: 0, callbacks: [bar], validationSplit: 0.2 });
  const lines = stream.text.trimEnd().split('\n');
  expect(lines).toHaveLength(4);
  expect(lines[0]).toBe('Epoch 1/2');
  // A value is written as Keras writes it: %.4f, or %.4e at or below 1e-3 (unseeded weights can end there).
  const value = String.raw`\d\.\d{4}(?:e[-+]\d+)?`;
  expect(lines[1]).toMatch(new RegExp(String.raw`^ 80/80 \[={30}\] - \d+s \d+(us|ms)/sample - loss: ${value} - val_loss: ${value}$`));
  expect(lines[2]).toBe('Epoch 2/2');
  model.dispose();
});

test('with a dataset the bar counts steps', async () => {
  const stream = new Capture();
  const inputs = k.Input({ shape: [1] });
  const model = new k.Model({ inputs, outputs: new k.layers.Dense({ units: 1 }).apply(inputs) });
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  function* data(): Generator<k.DatasetElement> {
    for (;;) yield [[[1], [2]], [[1], [2]]];
  }
  const bar = new k.callbacks.ProgbarLogger({ stream: stream as unknown as NodeJS.WriteStream });
  await model.fit(data(), { epochs: 1, stepsPerEpoch: 4, verbose: 0, callbacks: [bar] });
  // Unseeded weights: the loss may end at or below 1e-3, written %.4e as Keras writes it (a CI run saw 2.7135e-4).
  expect(stream.text.trimEnd().split('\n')[1]).toMatch(/^ 4\/4 \[={30}\] - \d+s \d+(us|ms)\/step - loss: \d+\.\d{4}(?:e[-+]\d+)?$/);
  model.dispose();
});
