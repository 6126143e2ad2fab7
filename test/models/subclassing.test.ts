/**
 * Model subclassing as Keras 3: a `k.Model` subclass that creates its layers as fields and
 * implements `call(inputs, ctx)` builds itself on the first data it sees (or on `build(shape)`),
 * then trains, summarizes, counts and saves like any model. Expected numbers are worked by hand;
 * predictions are compared with the layers applied one after the other (a relation).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, expectNoLeak } from '../helpers';

let tmp: string;
beforeAll(async () => {
  await k.setBackend('cpu');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-subclass-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface MlpArgs {
  units?: number;
  name?: string;
}

/** Keras's `class MyModel(keras.Model)`: two Dense layers as fields, composed in call. */
class Mlp extends k.Model {
  readonly units: number;
  readonly hidden: k.layers.Dense;
  readonly head: k.layers.Dense;
  constructor(args: MlpArgs = {}) {
    super({ name: args.name });
    this.units = args.units ?? 16;
    this.hidden = new k.layers.Dense({ units: this.units, activation: 'relu' });
    this.head = new k.layers.Dense({ units: 3, activation: 'softmax' });
  }
  override call(x: tfc.Tensor): tfc.Tensor {
    return this.head.apply(this.hidden.apply(x));
  }
  override getConfig() {
    return { ...super.getConfig(), units: this.units };
  }
}
k.utils.registerKerasSerializable(Mlp, { package: 'subclass_test' });

/** The same model, not registered: refused by save('.keras'). */
class Unregistered extends Mlp {}

/** Registered, without getConfig: refused too. */
class NoConfig extends k.Model {
  readonly dense = new k.layers.Dense({ units: 2 });
  override call(x: tfc.Tensor): tfc.Tensor {
    return this.dense.apply(x);
  }
}
k.utils.registerKerasSerializable(NoConfig, { package: 'subclass_test' });

/**
 * 4 features in [-1, 1) from a fixed LCG; the class is the argmax of W·x for a fixed W, so the
 * classes are linearly separable: a linear model can reach accuracy 1, chance is about 1/3.
 */
function blobs(n: number, seed = 7): { x: number[][]; y: number[] } {
  let s = seed;
  const rand = (): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648) * 2 - 1;
  };
  const w = [
    [1, -1, 0.5, 0],
    [-0.5, 1, 1, -1],
    [0, -0.5, -1, 1],
  ];
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = [rand(), rand(), rand(), rand()];
    const scores = w.map((wc) => wc.reduce((a, v, j) => a + v * row[j], 0));
    x.push(row);
    y.push(scores.indexOf(Math.max(...scores)));
  }
  return { x, y };
}

/** 4·16 + 16 (hidden) + 16·3 + 3 (head) = 80 + 51. */
const MLP_PARAMS = 131;

test('fit builds the model from the data and trains it: loss falls, accuracy well above chance', async () => {
  k.utils.setRandomSeed(1);
  const { x, y } = blobs(300);
  const model = new Mlp();
  expect(model.built).toBe(false);
  model.compile({ optimizer: new k.optimizers.Adam({ learningRate: 0.02 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const history = await model.fit(x, y, { epochs: 40, batchSize: 32, verbose: 0 });
  expect(model.built).toBe(true);
  const loss = history.history.loss as number[];
  expect(loss).toHaveLength(40);
  expect(loss[39]).toBeLessThan(loss[0] * 0.5);
  // Separable by a linear map, which the MLP contains (relu units can pass it on): after 40 epochs
  // it should classify nearly all training points; 0.9 leaves room for points near the boundaries.
  expect((history.history.accuracy as number[])[39]).toBeGreaterThan(0.9);
  const [, accuracy] = await model.evaluate(x, y);
  expect(accuracy).toBeGreaterThan(0.9);
  expect(model.countParams()).toBe(MLP_PARAMS);
  model.dispose();
});

test('predict equals the layers applied one after the other', () => {
  const model = new Mlp();
  const x = tfc.randomUniform([5, 4], -1, 1);
  const predicted = model.predict(x) as tfc.Tensor;
  const hidden = model.hidden.apply(x);
  const manual = model.head.apply(hidden);
  expect(predicted.shape).toEqual([5, 3]);
  expectClose(predicted, Array.from(manual.dataSync()), 1e-6);
  tfc.dispose([x, predicted, hidden, manual]);
  model.dispose();
});

test('build(inputShape) creates the weights: countParams, weights in creation order, output shapes', () => {
  const model = new Mlp();
  expect(model.countParams()).toBe(0);
  expect(() => model.outputShapes).toThrow(/not built yet.*help: .*model\.build/);
  model.build([null, 4]);
  expect(model.countParams()).toBe(MLP_PARAMS);
  expect(model.weights.map((w) => w.shape)).toEqual([[4, 16], [16], [16, 3], [3]]);
  expect(model.layers).toEqual([model.hidden, model.head]);
  expect(model.inputShapes).toEqual([[null, 4]]);
  expect(model.outputShapes).toEqual([[null, 3]]);
  expect(model.outputNames).toEqual(['output_1']);
  model.build([null, 7]); // built already: nothing changes, as in Keras
  expect(model.countParams()).toBe(MLP_PARAMS);
  model.dispose();
});

test('build refuses a shape without sizes, naming the shape', () => {
  const model = new Mlp();
  expect(() => model.build([null, 0])).toThrow(/Mlp|mlp.*build: the input shape must have the batch dimension first .*\[null,0\].*help: e.g. model.build\(\[null, 784\]\)/);
  expect(model.built).toBe(false);
  // [784] is read as a batch of 784 samples of no features: Dense cannot take them, and the help says why.
  expect(() => model.build([784])).toThrow(/ran call\(\) on zeros of shape \(2,\), and it failed: .*help: .*starts with the batch dimension \(model\.build\(\[null, 784\]\)/);
  expect(model.built).toBe(false);
  model.build([null, 4]); // the refused builds left nothing half made
  expect(model.countParams()).toBe(MLP_PARAMS);
  model.dispose();
});

test('summary lists each layer with its output shape and parameters, and the total', () => {
  const model = new Mlp();
  const before = model.summary(() => undefined);
  expect(before).toContain(`${model.hidden.name} (Dense)`);
  expect(before).toMatch(/\?\s+0 \(unbuilt\)/);
  model.build([null, 4]);
  const lines: string[] = [];
  const text = model.summary((l) => lines.push(l));
  expect(lines).toEqual([text]);
  expect(text).toContain(`Model: "${model.name}"`);
  expect(text).toMatch(new RegExp(`${model.hidden.name} \\(Dense\\)\\s+\\(None, 16\\)\\s+80`));
  expect(text).toMatch(new RegExp(`${model.head.name} \\(Dense\\)\\s+\\(None, 3\\)\\s+51`));
  expect(text).toContain(`Total params: ${MLP_PARAMS}`);
  expect(text).toContain(`Trainable params: ${MLP_PARAMS}`);
  model.dispose();
});

/** Layers in a list, in a plain object, and a whole functional model as fields: tracked in assignment order. */
class Nested extends k.Model {
  readonly blocks = [new k.layers.Dense({ units: 3 }), new k.layers.Dense({ units: 3 })];
  readonly parts: { norm: k.layers.Dense };
  readonly inner: k.Model;
  constructor() {
    super();
    this.parts = { norm: new k.layers.Dense({ units: 2 }) };
    const i = k.Input({ shape: [2] });
    this.inner = new k.Model({ inputs: i, outputs: new k.layers.Dense({ units: 1 }).apply(i) });
  }
  override call(x: tfc.Tensor): tfc.Tensor {
    let h = x;
    for (const b of this.blocks) h = b.apply(h);
    return this.inner.apply(this.parts.norm.apply(h));
  }
}

test('layers in lists, plain objects and nested models are tracked, in order; trainable flags reach them', () => {
  const model = new Nested();
  model.build([null, 5]);
  expect(model.layers).toEqual([model.blocks[0], model.blocks[1], model.parts.norm, model.inner]);
  // (5·3+3) + (3·3+3) + (3·2+2) + (2·1+1) = 18 + 12 + 8 + 3
  expect(model.countParams()).toBe(41);
  expect(model.trainableWeights).toHaveLength(8);
  model.blocks[1].trainable = false;
  expect(model.trainableWeights).toHaveLength(6);
  expect(model.nonTrainableWeights.map((w) => w.shape)).toEqual([[3, 3], [3]]);
  model.trainable = false;
  expect(model.trainableWeights).toHaveLength(0);
  expect(model.inner.trainable).toBe(false);
  model.dispose();
});

test('trainable = false on the model or on a field layer: fit leaves those weights as they were', async () => {
  const { x, y } = blobs(32);
  const frozen = new Mlp();
  frozen.build([null, 4]);
  frozen.trainable = false;
  frozen.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
  const before = frozen.getWeights();
  await frozen.fit(x, y, { epochs: 1, verbose: 0 });
  frozen.getWeights().forEach((w, i) => expectClose(w, Array.from(before[i].dataSync()), 0));
  const partly = new Mlp();
  partly.hidden.trainable = false;
  partly.compile({ optimizer: new k.optimizers.SGD({ learningRate: 0.5 }), loss: 'sparse_categorical_crossentropy' });
  partly.build([null, 4]);
  const [k0, b0, k1] = partly.getWeights();
  await partly.fit(x, y, { epochs: 1, verbose: 0 });
  const [k0After, b0After, k1After] = partly.getWeights();
  expectClose(k0After, Array.from(k0.dataSync()), 0);
  expectClose(b0After, Array.from(b0.dataSync()), 0);
  expect(tfc.max(tfc.abs(tfc.sub(k1After, k1))).dataSync()[0]).toBeGreaterThan(0);
  tfc.dispose([...before, k0, b0, k1, k0After, b0After, k1After]);
  frozen.dispose();
  partly.dispose();
});

test('getWeights/setWeights and saveWeights/loadWeights (.weights.h5) round trip', async () => {
  const a = new Mlp();
  const x = tfc.randomUniform([4, 4], -1, 1);
  const pa = a.predict(x) as tfc.Tensor;
  const file = path.join(tmp, 'mlp.weights.h5');
  await a.saveWeights(file);
  const b = new Mlp();
  b.build([null, 4]);
  await b.loadWeights(file);
  const pb = b.predict(x) as tfc.Tensor;
  expectClose(pb, Array.from(pa.dataSync()), 1e-6);
  const c = new Mlp();
  c.build([null, 4]);
  const values = a.getWeights();
  c.setWeights(values);
  const pc = c.predict(x) as tfc.Tensor;
  expectClose(pc, Array.from(pa.dataSync()), 1e-6);
  tfc.dispose([x, pa, pb, pc, ...values]);
  [a, b, c].forEach((m) => m.dispose());
});

test('a registered subclass with getConfig round-trips through .keras: class, config, weights, compile, predictions', async () => {
  const model = new Mlp({ units: 8 });
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const { x, y } = blobs(16);
  await model.fit(x, y, { epochs: 1, verbose: 0 });
  const file = path.join(tmp, 'mlp.keras');
  await model.save(file);
  const loaded = (await k.models.loadModel(file)) as Mlp;
  expect(loaded).toBeInstanceOf(Mlp);
  expect(loaded.units).toBe(8);
  expect(loaded.built).toBe(true);
  expect(loaded.countParams()).toBe(4 * 8 + 8 + 8 * 3 + 3);
  expect(loaded.compileArgs).not.toBeNull();
  const xt = tfc.tensor2d(x);
  const p1 = model.predict(xt) as tfc.Tensor;
  const p2 = loaded.predict(xt) as tfc.Tensor;
  expectClose(p2, Array.from(p1.dataSync()), 1e-6);
  await loaded.fit(x, y, { epochs: 1, verbose: 0 }); // trains on, compiled from the file
  tfc.dispose([xt, p1, p2]);
  model.dispose();
  loaded.dispose();
});

test('save of a subclass that is not registered, or has no getConfig, is refused before anything is written', async () => {
  const model = new Unregistered();
  model.build([null, 4]);
  const file = path.join(tmp, 'unregistered.keras');
  await expect(model.save(file)).rejects.toThrow(
    /is a subclassed model \(Unregistered\), which is saved as its registered class and its config, and it is not registered\. help: .*getConfig\(\).*registerKerasSerializable\(Unregistered/,
  );
  expect(fs.existsSync(file)).toBe(false);
  const bare = new NoConfig();
  bare.build([null, 3]);
  const other = path.join(tmp, 'noconfig.keras');
  await expect(bare.save(other)).rejects.toThrow(/\(NoConfig\).*and it has no getConfig\(\)\. help/);
  await expect(bare.save(path.join(tmp, 'noconfig.h5'))).rejects.toThrow(/subclassed model; the legacy HDF5 format holds only Functional and Sequential/);
  expect(fs.readdirSync(tmp).filter((f) => f.startsWith('noconfig') || f.startsWith('unregistered'))).toEqual([]);
  await bare.saveWeights(path.join(tmp, 'noconfig.weights.h5')); // the weights alone need no registration
  model.dispose();
  bare.dispose();
});

/** Two inputs: call gets the list. */
class TwoInputs extends k.Model {
  readonly left = new k.layers.Dense({ units: 2 });
  readonly join = new k.layers.Concatenate();
  readonly out = new k.layers.Dense({ units: 1 });
  override call([a, b]: tfc.Tensor[]): tfc.Tensor {
    return this.out.apply(this.join.apply([this.left.apply(a), b]));
  }
}

test('several inputs: call([a, b]); fit and predict take a list of arrays', async () => {
  const model = new TwoInputs();
  const a = [[1, 2, 3], [4, 5, 6], [7, 8, 9], [1, 0, 1]];
  const b = [[1], [0], [1], [0]];
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const history = await model.fit([a, b], [[1], [2], [3], [4]], { epochs: 2, verbose: 0 });
  expect(history.history.loss).toHaveLength(2);
  expect(model.inputShapes).toEqual([[null, 3], [null, 1]]);
  // left: 3·2 + 2, out: (2 + 1)·1 + 1
  expect(model.countParams()).toBe(12);
  const ta = tfc.tensor2d(a);
  const tb = tfc.tensor2d(b);
  const predicted = model.predict([ta, tb]) as tfc.Tensor;
  const l = model.left.apply(ta);
  const j = model.join.apply([l, tb]);
  const manual = model.out.apply(j);
  expectClose(predicted, Array.from(manual.dataSync()), 1e-6);
  tfc.dispose([ta, tb, predicted, l, j, manual]);
  model.dispose();
});

/** Dropout in call: active in fit (training from the step reaches the layer), identity in predict. */
class Dropping extends k.Model {
  readonly drop = new k.layers.Dropout({ rate: 0.5 });
  override call(x: tfc.Tensor): tfc.Tensor {
    return this.drop.apply(x);
  }
}

test('layers applied in call take training from the model call (Keras call context)', () => {
  const model = new Dropping();
  const x = tfc.ones([1, 200]);
  const inference = model.predict(x) as tfc.Tensor;
  expectClose(inference, new Array(200).fill(1), 0);
  const training = model.apply(x, { training: true }) as tfc.Tensor;
  const values = Array.from(training.dataSync());
  expect(new Set(values)).toEqual(new Set([0, 2])); // dropped, or scaled by 1 / (1 - 0.5)
  tfc.dispose([x, inference, training]);
  model.dispose();
});

test('fit on a generator builds from its first batch and still trains on it', async () => {
  const model = new Mlp();
  model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
  const { x, y } = blobs(12);
  function* batches(): Generator<[number[][], number[]]> {
    for (let i = 0; i < 12; i += 4) yield [x.slice(i, i + 4), y.slice(i, i + 4)];
  }
  let steps = 0;
  const counter = new (class extends k.callbacks.BaseCallback {
    onBatchEnd(): void {
      steps++;
    }
  })();
  await model.fit(batches(), { epochs: 1, verbose: 0, callbacks: [counter] });
  expect(steps).toBe(3);
  expect(model.inputShapes).toEqual([[null, 4]]);
  model.dispose();
});

test('callbacks: EarlyStopping with restoreBestWeights and ModelCheckpoint with saveWeightsOnly', async () => {
  const model = new Mlp();
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
  const { x, y } = blobs(32);
  // No epoch improves on the first by 1e9: with patience 0 training stops after epoch 2 and the
  // weights of epoch 1 come back; the checkpoint of epoch 1 holds the same weights.
  const stop = new k.callbacks.EarlyStopping({ monitor: 'loss', patience: 0, minDelta: 1e9, restoreBestWeights: true });
  const ckpt = new k.callbacks.ModelCheckpoint(path.join(tmp, 'ckpt-{epoch}.weights.h5'), { saveWeightsOnly: true });
  const history = await model.fit(x, y, { epochs: 5, verbose: 0, callbacks: [stop, ckpt] });
  expect(history.history.loss).toHaveLength(2);
  expect(fs.existsSync(path.join(tmp, 'ckpt-2.weights.h5'))).toBe(true);
  const copy = new Mlp();
  copy.build([null, 4]);
  await copy.loadWeights(path.join(tmp, 'ckpt-1.weights.h5'));
  const xt = tfc.tensor2d(x);
  const p1 = model.predict(xt) as tfc.Tensor;
  const p2 = copy.predict(xt) as tfc.Tensor;
  expectClose(p2, Array.from(p1.dataSync()), 1e-6);
  tfc.dispose([xt, p1, p2]);
  model.dispose();
  copy.dispose();
});

test('building adds exactly the weights; fit, evaluate and predict leak nothing; dispose frees the field layers', async () => {
  const { x, y } = blobs(20);
  const xt = tfc.tensor2d(x);
  const yt = tfc.tensor1d(y);
  const start = tfc.memory().numTensors;
  const model = new Mlp();
  model.build([null, 4]);
  expect(tfc.memory().numTensors - start).toBe(4);
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  await model.fit(xt, yt, { epochs: 1, verbose: 0 });
  await expectNoLeak(async () => {
    await model.fit(xt, yt, { epochs: 2, batchSize: 8, verbose: 0 });
    await model.evaluate(xt, yt, { verbose: 0 });
    tfc.dispose(model.predict(xt));
  });
  model.dispose();
  expect(model.hidden.isDisposed && model.head.isDisposed).toBe(true);
  expect(tfc.memory().numTensors).toBe(start);
  tfc.dispose([xt, yt]);
});

test('trainOnBatch, evaluate and predict of an async generator each build an unbuilt model first', async () => {
  const { x, y } = blobs(8);
  const a = new Mlp();
  a.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
  expect(() => a.optimizer).toThrow(/compiled but not built.*help: call fit, evaluate or predict on data, or model\.build/);
  const [loss] = a.trainOnBatch(x, y);
  expect(Number.isFinite(loss)).toBe(true);
  expect(a.built).toBe(true);
  const b = new Mlp();
  b.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
  await b.evaluate(x, y);
  expect(b.countParams()).toBe(MLP_PARAMS);
  const c = new Mlp();
  async function* batches(): AsyncGenerator<tfc.Tensor> {
    yield tfc.tensor2d(x.slice(0, 5));
    yield tfc.tensor2d(x.slice(5));
  }
  const predicted = (await c.predict(batches())) as tfc.Tensor;
  expect(predicted.shape).toEqual([8, 3]); // the first batch, peeked to build, is predicted too
  predicted.dispose();
  [a, b, c].forEach((m) => m.dispose());
});

/** A penalty added in call, and an activity regularizer on a field layer: both join the step's loss. */
class Penalized extends k.Model {
  readonly dense = new k.layers.Dense({ units: 1, useBias: false, kernelInitializer: 'ones', activityRegularizer: k.regularizers.l2(0.1) });
  override call(x: tfc.Tensor): tfc.Tensor {
    this.addLoss(tfc.scalar(0.5));
    return this.dense.apply(x);
  }
}

test('addLoss in call and a field layer\'s activity regularizer add to the loss by exactly their values', () => {
  // x = [1, 2], kernel ones: output 3 = y, so mse 0; activity l2: 0.1 · 3² = 0.9; addLoss 0.5.
  const model = new Penalized();
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const [loss] = model.testOnBatch([[1, 2]], [[3]]);
  expectClose(loss, 0.5 + 0.9, 1e-6);
  model.dispose();
});

test('a Model subclass with neither a graph nor call() says what to add', () => {
  class Empty extends k.Model {
    readonly dense = new k.layers.Dense({ units: 1 });
  }
  const model = new Empty();
  expect(() => model.predict([[1]])).toThrow(/\(Functional\): the model has neither a graph nor a call\(\)\. help: pass \{inputs, outputs\} to super\(\).*or implement call\(inputs, ctx\)/);
  model.dispose();
});

test('cloneModel gives the same class and config, built for the same inputs, with fresh weights', () => {
  const model = new Mlp({ units: 5 });
  model.build([null, 4]);
  const clone = k.models.cloneModel(model) as Mlp;
  expect(clone).toBeInstanceOf(Mlp);
  expect(clone.units).toBe(5);
  expect(clone.countParams()).toBe(model.countParams());
  expect(clone.weights[0]).not.toBe(model.weights[0]);
  model.dispose();
  clone.dispose();
});

/** Two outputs: call returns the list. */
class TwoHeads extends k.Model {
  readonly shared = new k.layers.Dense({ units: 4, activation: 'relu' });
  readonly a = new k.layers.Dense({ units: 1 });
  readonly b = new k.layers.Dense({ units: 2 });
  override call(x: tfc.Tensor): tfc.Tensor[] {
    const h = this.shared.apply(x);
    return [this.a.apply(h), this.b.apply(h)];
  }
}

test('several outputs: call returns a list; losses per output are logged as output_1_loss, output_2_loss', async () => {
  const model = new TwoHeads();
  model.compile({ optimizer: 'sgd', loss: ['mse', 'mse'] });
  const history = await model.fit([[1, 2, 3], [4, 5, 6]], [[[1], [2]], [[1, 0], [0, 1]]], { epochs: 1, verbose: 0 });
  expect(Object.keys(history.history).sort()).toEqual(['loss', 'output_1_loss', 'output_2_loss']);
  expect(model.outputShapes).toEqual([[null, 1], [null, 2]]);
  const out = model.predict([[1, 2, 3]]) as tfc.Tensor[];
  expect(out.map((t) => t.shape)).toEqual([[1, 1], [1, 2]]);
  tfc.dispose(out);
  model.dispose();
});
