import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, testBackend } from '../helpers';

beforeAll(async () => {
  await k.setBackend(testBackend());
});

const ones = (units: number): k.layers.DenseArgs => ({ units, kernelInitializer: 'ones', biasInitializer: 'zeros' });

test('two inputs, two outputs, and a layer shared by both branches', () => {
  const a = k.Input({ shape: [2], name: 'a' });
  const b = k.Input({ shape: [2], name: 'b' });
  const shared = new k.layers.Dense({ ...ones(3), name: 'shared' });
  const sa = shared.apply(a);
  const sb = shared.apply(b);
  const sum = new k.layers.Dense({ ...ones(1), name: 'sum_head' }).apply(sa);
  const diff = new k.layers.Dense({ ...ones(2), name: 'diff_head' }).apply(sb);
  const model = new k.Model({ inputs: [a, b], outputs: [sum, diff] });
  expect(model.inputNames).toEqual(['a', 'b']);
  expect(model.outputNames).toEqual(['sum_head', 'diff_head']);
  expect(model.layers.filter((l) => l === shared)).toHaveLength(1);
  expect(model.weights).toHaveLength(6); // shared kernel+bias once, two heads
  const xa = tfc.tensor2d([[1, 2]]);
  const xb = tfc.tensor2d([[3, 4]]);
  const [o1, o2] = model.predict([xa, xb]) as tfc.Tensor[];
  // by hand: shared(a) = [3,3,3] -> sum_head 9; shared(b) = [7,7,7] -> diff_head [21, 21]
  expectClose(o1, [[9]]);
  expectClose(o2, [[21, 21]]);
  tfc.dispose([xa, xb, o1, o2]);
  model.dispose();
});

test('a model used as a layer of another model', () => {
  const innerIn = k.Input({ shape: [2] });
  const inner = new k.Model({ inputs: innerIn, outputs: new k.layers.Dense(ones(2)).apply(innerIn), name: 'inner' });
  const outerIn = k.Input({ shape: [2] });
  const h = inner.apply(outerIn);
  expect(h.shape).toEqual([null, 2]);
  const out = new k.layers.Dense(ones(1)).apply(h);
  const outer = new k.Model({ inputs: outerIn, outputs: out });
  const x = tfc.tensor2d([[1, 1]]);
  const y = outer.predict(x) as tfc.Tensor;
  expectClose(y, [[4]]); // inner: [2, 2]; outer: 4
  expect(outer.weights).toHaveLength(4);
  tfc.dispose([x, y]);
  outer.dispose();
});

test('summary is the Keras table with shapes and parameter counts', () => {
  const inputs = k.Input({ shape: [784], name: 'pixels' });
  let x = inputs;
  for (const units of [64, 32, 16]) x = new k.layers.Dense({ units, activation: 'sigmoid' }).apply(x);
  const outputs = new k.layers.Dense({ units: 10, activation: 'softmax', name: 'probs' }).apply(x);
  const model = new k.Model({ inputs, outputs, name: 'mlp' });
  const frozen = model.layers[1];
  frozen.trainable = false;
  const lines: string[] = [];
  const text = model.summary((l) => lines.push(l));
  expect(text).toMatch(/^Model: "mlp"/);
  expect(text).toMatch(/ pixels \(InputLayer\)\s+\(None, 784\)\s+0\n/);
  expect(text).toMatch(/ probs \(Dense\)\s+\(None, 10\)\s+170\n/);
  // 784*64+64 + 64*32+32 + 32*16+16 + 16*10+10 = 53,018; the first Dense (50,240) is frozen
  expect(text).toMatch(/Total params: 53,018\nTrainable params: 2,778\nNon-trainable params: 50,240/);
  expect(lines).toHaveLength(1);
});

test('getWeights / setWeights round-trip, and a wrong shape changes nothing', () => {
  const inputs = k.Input({ shape: [3] });
  const model = new k.Model({ inputs, outputs: new k.layers.Dense({ units: 2 }).apply(inputs) });
  const values = [[[1, 2], [3, 4], [5, 6]], [0.5, -0.5]];
  model.setWeights(values);
  const got = model.getWeights();
  expectClose(got[0], values[0] as number[][]);
  expectClose(got[1], values[1] as number[]);
  expect(() => model.setWeights([[[1, 2]], [9, 9]])).toThrow(/setWeights got shape \[1,2\] for weight 'dense_\d+\/kernel' of shape \[3,2\]/);
  const after = model.getWeights();
  expectClose(after[1], [0.5, -0.5]); // the bias was not assigned either
  tfc.dispose([...got, ...after]);
  model.dispose();
});

test('outputs that depend on an input missing from `inputs` are refused', () => {
  const a = k.Input({ shape: [2], name: 'first' });
  const b = k.Input({ shape: [2], name: 'second' });
  const out = new k.layers.Dense({ units: 1 }).apply(b);
  expect(() => new k.Model({ inputs: a, outputs: out })).toThrow(/depend on input 'second', which is not among the model's inputs/);
});

test('layer config round-trip for every layer of the slice', () => {
  const layers: k.Layer[] = [
    new k.layers.Activation({ activation: 'tanh' }),
    new k.layers.Dropout({ rate: 0.3, seed: 4 }),
    new k.layers.Flatten({ name: 'flat' }),
  ];
  for (const layer of layers) {
    const cls = layer.constructor as unknown as { fromConfig(c: unknown): k.Layer };
    expect(cls.fromConfig(layer.getConfig()).getConfig()).toEqual(layer.getConfig());
  }
});

test('Dropout drops only while training, scaling the kept values', () => {
  k.utils.setRandomSeed(3);
  const drop = new k.layers.Dropout({ rate: 0.5 });
  const x = tfc.ones([1000]);
  const inference = drop.apply(x);
  expectClose(inference, new Array(1000).fill(1));
  const training = drop.apply(x, { training: true });
  const values = Array.from(training.dataSync());
  expect(values.every((v) => v === 0 || Math.abs(v - 2) < 1e-6)).toBe(true);
  const kept = values.filter((v) => v > 0).length;
  expect(kept).toBeGreaterThan(400);
  expect(kept).toBeLessThan(600);
  tfc.dispose([x, inference, training]);
});

test('Flatten gives (batch, product of the rest)', () => {
  const inputs = k.Input({ shape: [4, 5, 2] });
  expect(new k.layers.Flatten().apply(inputs).shape).toEqual([null, 40]);
});
