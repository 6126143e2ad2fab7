/**
 * A training step runs the part of the model that no trained variable reaches (a frozen base) before
 * the gradient tape opens (graph.ts's executeUntaped). The losses, gradients and updates must equal
 * those of the whole forward pass under the tape (the reference here: tfc.variableGrads over
 * model.forward, computed by the test), the frozen base must run with no tape open, and nothing leaks.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, flat, testBackend } from '../helpers';

beforeAll(async () => {
  await k.setBackend(testBackend());
});

/** Records whether a tape was recording while it ran (an identity layer). */
class TapeProbe extends k.layers.Layer {
  readonly className = 'TapeProbe';
  tapeOn: boolean[] = [];
  call(x: tfc.Tensor): tfc.Tensor {
    this.tapeOn.push((tfc.engine() as unknown as { isTapeOn(): boolean }).isTapeOn());
    return tfc.clone(x);
  }
}

/** MobileNet's block in small: conv-BN-ReLU, depthwise-BN-ReLU6, pooled. */
function base(probe: TapeProbe): k.Model {
  const inputs = k.Input({ shape: [6, 6, 2] });
  let x = new k.layers.Conv2D({ filters: 4, kernelSize: 3, padding: 'same', useBias: false }).apply(inputs);
  x = new k.layers.BatchNormalization({ momentum: 0.5 }).apply(x);
  x = new k.layers.ReLU().apply(x);
  x = probe.apply(x);
  x = new k.layers.DepthwiseConv2D({ kernelSize: 3, padding: 'same', useBias: false }).apply(x);
  x = new k.layers.BatchNormalization({ momentum: 0.5 }).apply(x);
  x = new k.layers.ReLU({ maxValue: 6 }).apply(x);
  return new k.Model({ inputs, outputs: new k.layers.GlobalAveragePooling2D().apply(x) });
}

function data(): { x: tfc.Tensor; y: tfc.Tensor } {
  const x = tfc.randomUniform([5, 6, 6, 2], -1, 1, 'float32', 3);
  const y = tfc.oneHot(tfc.tensor1d([0, 1, 2, 0, 1], 'int32'), 3);
  return { x, y };
}

/** The unsplit step: loss and gradients of the whole forward pass under one tape (categorical cross-entropy by hand). */
function reference(model: k.Model, x: tfc.Tensor, y: tfc.Tensor): { loss: number; grads: Map<string, number[]> } {
  const variables = model.trainableWeights.map((w) => w.value);
  const { value, grads } = tfc.variableGrads(() => {
    const p = model.forward([x], { training: true })[0];
    return tfc.neg(tfc.mean(tfc.sum(tfc.mul(y, tfc.log(tfc.clipByValue(p, 1e-7, 1 - 1e-7))), -1))) as tfc.Scalar;
  }, variables);
  const out = { loss: value.dataSync()[0], grads: new Map(variables.map((v) => [v.name, flat(grads[v.name])])) };
  tfc.dispose([value, ...Object.values(grads)]);
  return out;
}

test('a frozen base runs before the tape: the loss and the head\'s update equal the unsplit step\'s, the base is unchanged', () => {
  k.utils.setRandomSeed(11);
  const probe = new TapeProbe({});
  const frozen = base(probe);
  frozen.trainable = false;
  const model = new k.Sequential([frozen, new k.layers.Dense({ units: 3, activation: 'softmax' })]);
  const lr = 0.5;
  model.compile({ optimizer: new k.optimizers.SGD({ learningRate: lr }), loss: 'categorical_crossentropy' });
  const { x, y } = data();
  tfc.dispose(model.predict(x)); // builds the head
  const ref = reference(model, x, y);
  const before = model.weights.map((w) => flat(w.value));
  probe.tapeOn = [];
  const [loss] = model.trainOnBatch(x, y);
  expect(probe.tapeOn).toEqual([false]);
  expect(loss).toBeCloseTo(ref.loss, 5);
  model.weights.forEach((w, i) => {
    const g = ref.grads.get(w.value.name);
    if (g === undefined) expectClose(flat(w.value), before[i], 0); // the base: weights and moving statistics
    else expectClose(flat(w.value), before[i].map((v, j) => v - lr * g[j]), 1e-5);
  });
  expect(model.trainableWeights.map((w) => w.name)).toEqual(['dense/kernel', 'dense/bias']);
  tfc.dispose([x, y]);
  model.dispose();
});

test('a flat graph with its first layers frozen: the trained layers after them get the unsplit step\'s gradients', () => {
  k.utils.setRandomSeed(12);
  const probe = new TapeProbe({});
  const inputs = k.Input({ shape: [6, 6, 2] });
  const conv = new k.layers.Conv2D({ filters: 4, kernelSize: 3, activation: 'relu' });
  conv.trainable = false;
  let h = probe.apply(conv.apply(inputs));
  h = new k.layers.Conv2D({ filters: 3, kernelSize: 3, padding: 'same' }).apply(h);
  h = new k.layers.BatchNormalization().apply(h);
  const outputs = new k.layers.Dense({ units: 3, activation: 'softmax' }).apply(new k.layers.Flatten().apply(h));
  const model = new k.Model({ inputs, outputs });
  const lr = 0.1;
  model.compile({ optimizer: new k.optimizers.SGD({ learningRate: lr }), loss: 'categorical_crossentropy' });
  const { x, y } = data();
  const ref = reference(model, x, y);
  const trained = model.trainableWeights.map((w) => [w, flat(w.value)] as const);
  const frozenKernel = flat(conv.kernel!.value);
  probe.tapeOn = [];
  const [loss] = model.trainOnBatch(x, y);
  expect(probe.tapeOn).toEqual([false]);
  expect(loss).toBeCloseTo(ref.loss, 5);
  for (const [w, before] of trained) expectClose(flat(w.value), before.map((v, j) => v - lr * (ref.grads.get(w.value.name) as number[])[j]), 1e-5);
  expectClose(flat(conv.kernel!.value), frozenKernel, 0);
  tfc.dispose([x, y]);
  model.dispose();
});

test('with everything trainable the whole forward pass runs under the tape', () => {
  const probe = new TapeProbe({});
  const model = new k.Sequential([base(probe), new k.layers.Dense({ units: 3, activation: 'softmax' })]);
  model.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy' });
  const { x, y } = data();
  probe.tapeOn = [];
  model.trainOnBatch(x, y);
  expect(probe.tapeOn).toEqual([true]);
  tfc.dispose([x, y]);
  model.dispose();
});

test('fine-tuning with a frozen base leaks no tensor', async () => {
  const { x, y } = data();
  const start = tfc.memory().numTensors;
  const frozen = base(new TapeProbe({}));
  frozen.trainable = false;
  const model = new k.Sequential([frozen, new k.layers.Dense({ units: 3, activation: 'softmax' })]);
  model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  model.trainOnBatch(x, y);
  const after = tfc.memory().numTensors;
  model.trainOnBatch(x, y);
  await model.fit(x, y, { epochs: 2, batchSize: 2, verbose: 0 });
  expect(tfc.memory().numTensors).toBe(after);
  model.dispose();
  expect(tfc.memory().numTensors).toBe(start);
  tfc.dispose([x, y]);
});
