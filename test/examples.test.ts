/** The examples run end to end (with few epochs) and print what the README says they print. */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { decodeEvents, scalars, valuesOf } from './summary/decoder';
import { DECODER_TOOLS, testWithTools } from './system_tools';
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

testWithTools(DECODER_TOOLS)('mlp --logdir --plots: TensorBoard logs that the decoder reads, and the pictures', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-mlp-'));
  try {
    const out = run('mlp', '--epochs', '2', '--logdir', path.join(dir, 'runs', 'mlp'), '--plots', path.join(dir, 'out'));
    const losses = [...out.matchAll(/ - loss: ([\d.]+) - accuracy: ([\d.]+) - val_loss: ([\d.]+) - val_accuracy: ([\d.]+)/g)];
    expect(losses).toHaveLength(2);
    const [train, validation] = decodeEvents(path.join(dir, 'runs', 'mlp', 'train'), path.join(dir, 'runs', 'mlp', 'validation'));
    const epoch = (file: typeof train, tag: string): number[] => scalars(file).filter((s) => s.tag === tag).map((s) => Number(s.value.toFixed(4)));
    expect(epoch(train, 'epoch_loss')).toEqual(losses.map((m) => Number(m[1])));
    expect(epoch(train, 'epoch_accuracy')).toEqual(losses.map((m) => Number(m[2])));
    expect(epoch(validation, 'epoch_loss')).toEqual(losses.map((m) => Number(m[3])));
    expect(epoch(validation, 'epoch_accuracy')).toEqual(losses.map((m) => Number(m[4])));
    expect(valuesOf(train, 'histograms')).toHaveLength(2 * 8); // 4 kernels and 4 biases per epoch
    expect(train.events.find((e) => e.what === 'graph_def')?.nodes).toHaveLength(1 + 4 * 5); // input; kernel, bias, MatMul, BiasAdd, activation per Dense
    for (const f of ['model.svg', 'model.png', 'curves.svg', 'curves.png']) expect(fs.statSync(path.join(dir, 'out', f)).size).toBeGreaterThan(1000);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
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

test('images_from_folder: digits written as PNG files, read back by imageDatasetFromDirectory, a CNN with augmentation', () => {
  const out = run('images_from_folder', '--epochs', '2', '--limit', '1000');
  expect(out).toMatch(/Found 1000 files belonging to 10 classes\.\nUsing 900 files for training\.\nUsing 100 files for validation\.\nFound 250 files belonging to 10 classes\./);
  expect(out).toMatch(/Epoch 2\/2\n 29\/29 \[={30}\]/);
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

test('custom_training: the low-level perceptron with minimize, and a subclass trainStep trained by fit', () => {
  const out = run('custom_training', '--epochs', '1');
  expect(out).toMatch(/perceptron epoch 1\/1 - loss: [\d.]+/);
  const perceptron = Number(/test accuracy on 0 vs 1: ([\d.]+)/.exec(out)?.[1]);
  expect(perceptron).toBeGreaterThan(0.98);
  expect(out).toMatch(/Epoch 1\/1\n 8000\/8000 \[={30}\] - \d+s \d+us\/sample - loss: [\d.]+ - accuracy: [\d.]+/);
  const subclassed = Number(/own trainStep, clipped gradients\): test accuracy ([\d.]+)/.exec(out)?.[1]);
  expect(subclassed).toBeGreaterThan(0.8);
});

test('pretrained: base on 0-4 saved and loaded, frozen base + new head vs scratch on 5-9, and the Keras 2 MLP', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-home-')); // an empty Keras cache, whatever this machine has
  const saved = process.env.KERAS_HOME;
  process.env.KERAS_HOME = home;
  let out: string;
  try {
    out = run('pretrained', '--epochs', '1', '--head-epochs', '5', '--few', '200', '--base-limit', '1000', '--app-images', '60', '--app-epochs', '1');
  } finally {
    if (saved === undefined) delete process.env.KERAS_HOME;
    else process.env.KERAS_HOME = saved;
    fs.rmSync(home, { recursive: true, force: true });
  }
  expect(out).toMatch(/Saved .*digits-0-4\.keras/);
  expect(out).toMatch(/Non-trainable params: 4,800/);
  const transfer = Number(/frozen pre-trained base \+ new head: test accuracy ([\d.]+)/.exec(out)?.[1]);
  const scratch = Number(/same network from scratch: +test accuracy ([\d.]+)/.exec(out)?.[1]);
  expect(transfer).toBeGreaterThan(0.5);
  expect(scratch).toBeGreaterThan(0);
  const keras = Number(/mnist_mlp_tf_keras_2\): test accuracy ([\d.]+)/.exec(out)?.[1]);
  expect(keras).toBeGreaterThan(0.9);
  // 5. a Keras application: no weights cached here, so it says where Keras's file goes and runs on random weights
  expect(out).toMatch(/place it at .*keras-home-\w+\/models\/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0\.35_224\.h5/);
  expect(out).toMatch(/image of a \d: \w[\w-]* \d+\.\d%, /);
  expect(out).toMatch(/mobilenetv2_0\.35_224: 1,691,208 parameters/);
  expect(out).toMatch(/frozen MobileNetV2 base \+ new head, 1 epochs on 60 digit images: test accuracy [\d.]+/);
});

test('lstm_mnist: an LSTM over the digits\' rows trains (few digits, one epoch)', () => {
  const out = run('lstm_mnist', '--epochs', '1', '--limit', '600');
  expect(out).toMatch(/lstm \(LSTM\)\s+\(None, 128\)\s+80384/);
  expect(out).toMatch(/Total params: 81,674/);
  const acc = Number(/test accuracy: ([\d.]+)/.exec(out)?.[1]);
  expect(acc).toBeGreaterThan(0.2);
});

test('addition_rnn: the encoder-decoder trains and reports exact-match accuracy', () => {
  const out = run('addition_rnn', '--samples', '1000', '--epochs', '1', '--units', '32');
  expect(out).toMatch(/repeat_vector \(RepeatVector\)\s+\(None, 4, 32\)\s+0/);
  expect(out).toMatch(/\d+\+\d+\s+= \d*/);
  expect(out).toMatch(/Exact-match validation accuracy: [\d.]+ \(\d+\/100;/);
});

test('transformer_classifier: attention with a padding mask trains on generated reviews', () => {
  const out = run('transformer_classifier', '--samples', '600', '--epochs', '1');
  expect(out).toMatch(/multi_head_attention \(MultiHeadAttention\)\s+\(None, 16, 32\)\s+8416/);
  expect(out).toMatch(/Test loss: [\d.]+ - test accuracy: [\d.]+/);
});
