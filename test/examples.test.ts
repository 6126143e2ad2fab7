/** The examples run end to end (with few epochs) and print what the README says they print. */
import { execFileSync } from 'child_process';
import * as path from 'path';
import { nativeBuilt } from './helpers';

const root = path.join(__dirname, '..');

function run(example: string, ...args: string[]): string {
  return execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', `examples/${example}.ts`, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
  });
}

test('mlp: summary, epoch lines and test accuracy', () => {
  const out = run('mlp', '--epochs', '2', '--backend', 'wasm');
  expect(out).toMatch(/Model: "mnist_mlp"/);
  expect(out).toMatch(/Total params: 53,018/);
  expect(out).toMatch(/Epoch 2\/2\n 7200\/7200 \[={30}\] - \d+s \d+us\/sample - loss: [\d.]+ - accuracy: [\d.]+ - val_loss/);
  const acc = Number(/test accuracy: ([\d.]+)/.exec(out)?.[1]);
  expect(acc).toBeGreaterThan(0.6);
});

test('perceptron tells 0 from 1', () => {
  const out = run('perceptron', '--epochs', '2', '--backend', 'cpu');
  const acc = Number(/test accuracy ([\d.]+)/.exec(out)?.[1]);
  expect(acc).toBeGreaterThan(0.98);
});

test('functional: two inputs, two outputs', () => {
  const out = run('functional', '--epochs', '1');
  expect(out).toMatch(/digit_loss: [\d.]+ - even_loss: [\d.]+ - digit_accuracy/);
  expect(out).toMatch(/Test: loss: [\d.]+/);
});

test('cnn: the convolutional network trains (few digits, one epoch)', () => {
  const out = run('cnn', '--epochs', '1', '--limit', '1000');
  expect(out).toMatch(/conv2d \(Conv2D\)\s+\(None, 26, 26, 32\)\s+320/);
  expect(out).toMatch(/Total params: 34,826/);
  const acc = Number(/test accuracy: ([\d.]+)/.exec(out)?.[1]);
  expect(acc).toBeGreaterThan(0.5);
});

test('residual: a residual block and two branches', () => {
  const out = run('residual', '--epochs', '1', '--limit', '500');
  expect(out).toMatch(/add \(Add\)\s+\(None, 14, 14, 16\)\s+0\s+max_pooling2d, conv2d_2/);
  expect(out).toMatch(/test accuracy: [\d.]+/);
});

(nativeBuilt() ? test : test.skip)('mlp and cnn on the native backend print their seconds per epoch', () => {
  const mlp = run('mlp', '--epochs', '1', '--backend', 'native');
  expect(mlp).toMatch(/Backend: native\./);
  expect(mlp).toMatch(/test accuracy: [\d.]+ \([\d.]+ s per epoch on native\)/);
  const cnn = run('cnn', '--epochs', '1', '--limit', '1000', '--backend', 'native');
  expect(Number(/test accuracy: ([\d.]+) \([\d.]+ s per epoch on native\)/.exec(cnn)?.[1])).toBeGreaterThan(0.5);
});

test('bad flags are refused with the valid ones', () => {
  expect(() => run('mlp', '--epoch', '2')).toThrow(/unknown flag --epoch/);
});
