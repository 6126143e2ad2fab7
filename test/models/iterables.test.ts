/**
 * fit, evaluate and predict on iterables, async iterables and generators: the epochs a dataset
 * really has (a generator that runs out stops training with Keras's warning, and no empty epoch is
 * logged), the errors for empty data and an uncalled generator function, predict on datasets equal
 * to predict on arrays, and no leaked tensors. Expected losses worked by hand.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, expectNoLeak, testBackend } from '../helpers';

beforeAll(async () => {
  await k.setBackend(testBackend());
});

afterEach(() => k.utils.setLogger(null));

/** y = x (kernel 1, bias 0) never updated (learning rate 0): the squared error of (x, y) is (x - y)². */
function identity(): k.Model {
  const inputs = k.Input({ shape: [1] });
  const model = new k.Model({ inputs, outputs: new k.layers.Dense({ units: 1, kernelInitializer: 'ones' }).apply(inputs) });
  model.compile({ optimizer: new k.optimizers.SGD({ learningRate: 0 }), loss: 'mse' });
  return model;
}

/** Captures what keras-ts writes, so tests can read warnings. */
function capture(): { text: string[]; warnings: string[] } {
  const out = { text: [] as string[], warnings: [] as string[] };
  k.utils.setLogger({ write: (t) => void out.text.push(t), warn: (t) => void out.warnings.push(t) });
  return out;
}

/** Two batches: x = 1 with y = 3 (squared error 4), and x = 1 with y = 1 (0). The mean over the epoch is 2. */
function* twoBatches(): Generator<k.DatasetElement> {
  yield [[[1]], [[3]]];
  yield { xs: tfc.tensor2d([[1]]), ys: tfc.tensor2d([[1]]) };
}

test('a generator that has data for one epoch of three: one epoch in the history, and Keras\'s warning', async () => {
  const model = identity();
  const log = capture();
  const h = await model.fit(twoBatches(), { epochs: 3, verbose: 0 });
  expect(h.epoch).toEqual([0]);
  expect(h.history.loss).toEqual([2]);
  const warning = log.warnings.join('');
  expect(warning).toMatch(/Your input ran out of data; interrupting training\. Make sure that your dataset or generator can generate at least `steps_per_epoch \* epochs` batches\. You may need to use the `\.repeat\(\)` function when building your dataset\./);
  expect(warning).toMatch(/in epoch 2 after 0 batches[\s\S]*help:/);
  model.dispose();
});

test('the progress bar shows no empty epoch either', async () => {
  const model = identity();
  const log = capture();
  await model.fit(twoBatches(), { epochs: 3, verbose: 2 });
  const text = log.text.join('');
  expect(text).toMatch(/Epoch 1\/3/);
  expect(text).not.toMatch(/Epoch 2\/3/);
  model.dispose();
});

test('an object whose [Symbol.iterator]() starts afresh gives three real epochs', async () => {
  const model = identity();
  let started = 0;
  const data: Iterable<k.DatasetElement> = {
    [Symbol.iterator]() {
      started++;
      return twoBatches();
    },
  };
  const log = capture();
  const h = await model.fit(data, { epochs: 3, verbose: 0 });
  expect(started).toBe(3);
  expect(h.history.loss).toEqual([2, 2, 2]);
  expect(log.warnings).toEqual([]);
  model.dispose();
});

test('an endless (async) generator with stepsPerEpoch and validationSteps: one iterator each, across epochs', async () => {
  const model = identity();
  let pulled = 0;
  async function* endless(): AsyncGenerator<k.DatasetElement> {
    for (let i = 0; ; i++) {
      pulled++;
      yield [[[i % 2]], [[0]]]; // squared errors 0, 1, 0, 1, ...
    }
  }
  function* validation(): Generator<k.DatasetElement> {
    for (;;) yield [[[2]], [[0]]]; // squared error 4
  }
  const h = await model.fit(endless(), { epochs: 3, stepsPerEpoch: 3, verbose: 0, validationData: validation(), validationSteps: 2 });
  expect(pulled).toBe(9);
  expectClose(h.history.loss, [1 / 3, 2 / 3, 1 / 3]); // batches 0,1,0 | 1,0,1 | 0,1,0
  expect(h.history.val_loss).toEqual([4, 4, 4]);
  model.dispose();
});

test('empty data is refused, naming it', async () => {
  const model = identity();
  await expect(model.fit([], [], { verbose: 0 })).rejects.toThrow(/fit: x is empty \(0 samples, shape \[0\]\)\. help: pass at least one sample/);
  function* none(): Generator<k.DatasetElement> {}
  await expect(model.fit(none(), { verbose: 0 })).rejects.toThrow(/fit: the data \(a Generator\) gave no batches: 0 samples\. help:/);
  await expect(model.evaluate(none())).rejects.toThrow(/evaluate: the data \(a Generator\) gave no batches/);
  expect(() => model.predict(none())).toThrow(/predict: the data gave no batches: 0 samples/);
  expect(() => model.predict([])).toThrow(/predict: x is empty \(0 samples/);
  model.dispose();
});

test('a generator function passed uncalled is refused: call it', async () => {
  const model = identity();
  await expect(model.fit(twoBatches as never, { verbose: 0 })).rejects.toThrow(/fit: x is a function \(twoBatches\), not data;[\s\S]*help: call it: fit\(twoBatches\(\), \.\.\.\)/);
  await expect(model.evaluate(twoBatches as never)).rejects.toThrow(/help: call it: evaluate\(twoBatches\(\), \.\.\.\)/);
  expect(() => model.predict(twoBatches as never)).toThrow(/help: call it: predict\(twoBatches\(\), \.\.\.\)/);
  model.dispose();
});

test('predict on a generator and on an async generator equals predict on the arrays', async () => {
  const inputs = k.Input({ shape: [2] });
  const outputs = new k.layers.Dense({ units: 3, activation: 'tanh' }).apply(inputs);
  const model = new k.Model({ inputs, outputs });
  const rows = [[0.1, 0.2], [0.3, -0.4], [1, 2], [-1, 0.5], [0, 0]];
  const expected = model.predict(rows, { batchSize: 2 }) as tfc.Tensor;
  function* batches(): Generator<k.PredictElement> {
    yield tfc.tensor2d(rows.slice(0, 2)); // x alone
    yield [rows.slice(2, 4)]; // [x]
    yield { xs: rows.slice(4), ys: [[9, 9, 9]] }; // labels ignored
  }
  async function* later(): AsyncGenerator<k.PredictElement> {
    for (const el of batches()) yield el;
  }
  const fromGenerator = model.predict(batches()) as tfc.Tensor;
  const fromAsync = (await model.predict(later())) as tfc.Tensor;
  expect(fromGenerator.shape).toEqual([5, 3]);
  expectClose(fromGenerator, expected.arraySync() as number[][], 1e-6);
  expectClose(fromAsync, expected.arraySync() as number[][], 1e-6);
  tfc.dispose([expected, fromGenerator, fromAsync]);
  model.dispose();
});

test('evaluate on an iterable and on an async iterable: the mean loss over the samples (by hand)', async () => {
  const model = identity();
  const batches = (): k.DatasetElement[] => [
    [[[1], [2]], [[1], [4]]], // squared errors 0, 4
    [[[0]], [[3]]], // 9
  ];
  async function* later(): AsyncGenerator<k.DatasetElement> {
    yield* batches();
  }
  const [loss] = await model.evaluate(batches()[Symbol.iterator]());
  expect(loss).toBeCloseTo(13 / 3, 5);
  const logs = await model.evaluate(later(), undefined, { returnDict: true });
  expect(logs.loss).toBeCloseTo(13 / 3, 5);
  model.dispose();
});

test('fit, evaluate and predict on iterables leak no tensors (the datasets\' own tensors are freed too)', async () => {
  const model = identity();
  tfc.dispose(model.getWeights()); // builds the weights, so only the calls' own tensors are counted
  function* data(): Generator<k.DatasetElement> {
    for (let i = 0; i < 4; i++) yield { xs: tfc.tensor2d([[i], [i + 1]]), ys: tfc.tensor2d([[0], [1]]) };
  }
  async function* later(): AsyncGenerator<k.DatasetElement> {
    yield* data();
  }
  await model.fit(data(), { epochs: 1, verbose: 0 });
  await expectNoLeak(async () => {
    await model.fit(data(), { epochs: 2, verbose: 0 }); // the second epoch finds the generator empty
    await model.fit(later(), { epochs: 1, verbose: 0, validationData: data() });
    await model.evaluate(data());
    await model.evaluate(later());
    tfc.dispose(model.predict(data()));
    tfc.dispose(await model.predict(later()));
  });
  model.dispose();
});

test('validationSplit is refused for a dataset, and y with a dataset', async () => {
  const model = identity();
  await expect(model.fit(twoBatches(), { validationSplit: 0.5, verbose: 0 })).rejects.toThrow(/fit: `validationSplit` needs array data; the data is a Generator\. help: pass validationData/);
  await expect(model.evaluate(twoBatches(), [[1]])).rejects.toThrow(/evaluate: with a dataset, the labels and sample weights come from its elements; got `y` as well/);
  model.dispose();
});

test('a validation generator that runs once is refused before training when validation runs more than once', async () => {
  const model = identity();
  const before = model.getWeights().map((w) => w.arraySync());
  await expect(model.fit([[1]], [[1]], { epochs: 2, verbose: 0, validationData: twoBatches() })).rejects.toThrow(
    /fit: validationData: a Generator runs only once, but validation runs 2 times\. help: pass an object whose \[Symbol\.iterator\]\(\) starts afresh/,
  );
  expect(model.getWeights().map((w) => w.arraySync())).toEqual(before);
  const h = await model.fit([[1]], [[1]], { epochs: 1, verbose: 0, validationData: twoBatches() }); // once is fine
  expect(h.history.val_loss).toEqual([2]);
  model.dispose();
});
