/**
 * Chain fusion (src/models/fusion_chains.ts): conv -> BatchNormalization (moving statistics) ->
 * ReLU(6)/Activation runs as one fused convolution with the normalization folded in. The reference
 * is the same layers applied one after the other on real tensors (each layer's own call, no graph,
 * no fusion): outputs and gradients must agree, in inference, with a frozen BatchNormalization in
 * training, and (not folded) with a training one, whose activation then runs inside it.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { testBackend } from '../helpers';

beforeAll(async () => {
  await k.setBackend(testBackend());
});

/** Conv2D -> BN -> ReLU(6), DepthwiseConv2D -> BN -> Activation('relu'), Conv2D -> BN (no activation), GAP, Dense. */
function model(): k.Model {
  k.utils.setRandomSeed(3);
  const inputs = k.Input({ shape: [9, 9, 3] });
  const layers: k.layers.Layer[] = [
    new k.layers.Conv2D({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', useBias: false, name: 'c1' }),
    new k.layers.BatchNormalization({ name: 'bn1' }),
    new k.layers.ReLU({ maxValue: 6, name: 'r1' }),
    new k.layers.DepthwiseConv2D({ kernelSize: 3, padding: 'same', depthMultiplier: 2, name: 'd2' }),
    new k.layers.BatchNormalization({ name: 'bn2', center: false }),
    new k.layers.Activation({ activation: 'relu', name: 'a2' }),
    new k.layers.Conv2D({ filters: 5, kernelSize: 1, name: 'c3' }),
    new k.layers.BatchNormalization({ name: 'bn3', scale: false }),
    new k.layers.GlobalAveragePooling2D({ name: 'gap' }),
    new k.layers.Dense({ units: 2, name: 'out' }),
  ];
  let x: k.SymbolicTensor = inputs;
  for (const l of layers) x = l.apply(x) as k.SymbolicTensor;
  const m = new k.Model({ inputs, outputs: x });
  // Statistics and scales far from the defaults (0, 1), so that a wrong fold shows.
  for (const l of m.layers) {
    if (!(l instanceof k.layers.BatchNormalization)) continue;
    l.setWeights(l.getWeights().map((w, i) => {
      const v = tfc.randomUniform(w.shape, 0.2, 1.5, 'float32', 7 + i); // positive: one of them is a variance
      w.dispose();
      return v;
    }));
  }
  return m;
}

/** The same layers, one after the other, each with its own call. */
function layerByLayer(m: k.Model, x: tfc.Tensor, training: boolean): tfc.Tensor {
  let y = x;
  for (const l of m.layers.slice(1)) y = l.apply(y, { training }) as tfc.Tensor;
  return y;
}

const maxDiff = (a: tfc.Tensor, b: tfc.Tensor): number => tfc.tidy(() => tfc.max(tfc.abs(tfc.sub(a, b))).dataSync()[0]);

test('inference folds each BatchNormalization: no multiply or add over the activations, only over weights', async () => {
  const m = model();
  const x = tfc.randomNormal([2, 9, 9, 3], 0, 1, 'float32', 10);
  const info = await tfc.profile(() => m.predict(x) as tfc.Tensor);
  const overActivations = info.kernels.filter((kk) => ['Multiply', 'Sub', 'Neg'].includes(kk.name) && kk.outputShapes[0]?.length === 4 && kk.outputShapes[0][0] === 2);
  expect(overActivations.map((kk) => kk.name)).toEqual([]);
  expect(info.kernels.map((kk) => kk.name)).toContain('FusedDepthwiseConv2D'); // depthwise + bias + relu in one kernel
  x.dispose();
  m.dispose();
});

test('inference: the fused chains give the layers\' own outputs', () => {
  const m = model();
  const x = tfc.randomNormal([4, 9, 9, 3], 0, 1, 'float32', 11);
  tfc.dispose(m.predict(x) as tfc.Tensor); // the first predict keeps a few tensors for later calls (with or without fusion)
  const before = tfc.memory().numTensors;
  const fused = m.predict(x) as tfc.Tensor;
  const plain = tfc.tidy(() => layerByLayer(m, x, false));
  expect(maxDiff(fused, plain)).toBeLessThan(1e-5);
  expect(Math.max(...Array.from(plain.dataSync()).map(Math.abs))).toBeGreaterThan(0.1); // not a trivial zero output
  tfc.dispose([fused, plain]);
  expect(tfc.memory().numTensors).toBe(before);
  x.dispose();
  m.dispose();
});

test('training with frozen BatchNormalization folds, and the gradients are the layers\' own', async () => {
  const m = model();
  for (const l of m.layers) if (l instanceof k.layers.BatchNormalization) l.trainable = false;
  const x = tfc.randomNormal([4, 9, 9, 3], 0, 1, 'float32', 12);
  const vars = m.trainableWeights.map((w) => w.value as tfc.Variable);
  expect(vars.length).toBe(7); // c1 kernel (no bias); d2 kernel, bias; c3 kernel, bias; out kernel, bias
  const loss = (f: () => tfc.Tensor) => () => tfc.sum(tfc.square(f())) as tfc.Scalar;
  let taped: ReturnType<typeof tfc.variableGrads> | undefined;
  const info = await tfc.profile(() => void (taped = tfc.variableGrads(loss(() => m.apply(x, { training: true }) as tfc.Tensor), vars)));
  const fused = taped as ReturnType<typeof tfc.variableGrads>;
  // On 'native' the folded convolutions stay fused under the tape (ops/conv_layer.ts, ops/depthwise_layer.ts).
  if (testBackend() === 'native') expect(info.kernelNames.filter((n) => ['Relu', 'Relu6', 'DepthwiseConv2dNative', 'Conv2D'].includes(n))).toEqual([]);
  const plain = tfc.variableGrads(loss(() => layerByLayer(m, x, true)), vars);
  expect(Math.abs(fused.value.dataSync()[0] - plain.value.dataSync()[0])).toBeLessThan(1e-4 * Math.abs(plain.value.dataSync()[0]));
  for (const v of vars) expect(maxDiff(fused.grads[v.name], plain.grads[v.name])).toBeLessThan(1e-4);
  tfc.dispose([fused.value, plain.value, ...Object.values(fused.grads), ...Object.values(plain.grads), x]);
  m.dispose();
});

test('training BatchNormalization (batch statistics) is not folded, and updates its moving mean', async () => {
  const m = model();
  const bn = m.getLayer('bn1') as k.layers.BatchNormalization;
  const meanBefore = Array.from(bn.getWeights()[2].dataSync());
  const x = tfc.randomNormal([4, 9, 9, 3], 0, 1, 'float32', 13);
  const viaModel = m.apply(x, { training: true }) as tfc.Tensor;
  const after = Array.from(bn.getWeights()[2].dataSync());
  expect(after).not.toEqual(meanBefore); // the moving mean moved: BatchNormalization ran as written
  tfc.dispose([viaModel, x]);
  m.dispose();
});

test('training BatchNormalization with its ReLU fused: outputs, gradients and moving statistics are the layers\' own', async () => {
  const [m, ref] = [model(), model()];
  const weights = m.getWeights();
  ref.setWeights(weights);
  tfc.dispose(weights);
  const x = tfc.randomNormal([4, 9, 9, 3], 0, 1, 'float32', 14);
  const vars = m.trainableWeights.map((w) => w.value as tfc.Variable);
  const refVars = ref.trainableWeights.map((w) => w.value as tfc.Variable);
  const loss = (f: () => tfc.Tensor) => () => tfc.sum(tfc.square(f())) as tfc.Scalar;
  let fused: ReturnType<typeof tfc.variableGrads> | undefined;
  const info = await tfc.profile(() => void (fused = tfc.variableGrads(loss(() => m.apply(x, { training: true }) as tfc.Tensor), vars)));
  const plain = tfc.variableGrads(loss(() => layerByLayer(ref, x, true)), refVars);
  const f = fused as ReturnType<typeof tfc.variableGrads>;
  expect(Math.abs(f.value.dataSync()[0] - plain.value.dataSync()[0])).toBeLessThan(1e-4 * Math.abs(plain.value.dataSync()[0]));
  vars.forEach((v, i) => expect(maxDiff(f.grads[v.name], plain.grads[refVars[i].name])).toBeLessThan(1e-4));
  m.weights.forEach((w, i) => expect(maxDiff(w.value, ref.weights[i].value)).toBeLessThan(1e-5)); // moving statistics updated alike
  // On 'native' the ReLU6 after bn1 and the ReLU after bn2 run inside the normalization's kernel: none of their own.
  if (testBackend() === 'native') expect(info.kernelNames.filter((n) => n === 'Relu6' || n === 'Relu')).toEqual([]);
  tfc.dispose([f.value, plain.value, ...Object.values(f.grads), ...Object.values(plain.grads), x]);
  m.dispose();
  ref.dispose();
});

/**
 * A ZeroPadding2D before a 'valid' strided DepthwiseConv2D and before a Conv2D (MobileNetV2's and
 * ResNet's downsampling), each followed by BatchNormalization and ReLU6, then GAP.
 */
function paddedBase(): k.Model {
  k.utils.setRandomSeed(5);
  const inputs = k.Input({ shape: [10, 10, 3] });
  const layers: k.layers.Layer[] = [
    new k.layers.ZeroPadding2D({ padding: [[0, 1], [0, 1]], name: 'p1' }),
    new k.layers.DepthwiseConv2D({ kernelSize: 3, strides: 2, padding: 'valid', useBias: false, name: 'd1' }),
    new k.layers.BatchNormalization({ name: 'bn1' }),
    new k.layers.ReLU({ maxValue: 6, name: 'r1' }),
    new k.layers.ZeroPadding2D({ padding: [[2, 1], [1, 2]], name: 'p2' }),
    new k.layers.Conv2D({ filters: 4, kernelSize: 3, padding: 'valid', name: 'c2' }),
    new k.layers.BatchNormalization({ name: 'bn2' }),
    new k.layers.ReLU({ maxValue: 6, name: 'r2' }),
    new k.layers.GlobalAveragePooling2D({ name: 'gap' }),
  ];
  let x: k.SymbolicTensor = inputs;
  for (const l of layers) x = l.apply(x) as k.SymbolicTensor;
  const m = new k.Model({ inputs, outputs: x, name: 'padded_base' });
  for (const l of m.layers) {
    if (!(l instanceof k.layers.BatchNormalization)) continue;
    const old = l.getWeights();
    const values = old.map((w, i) => tfc.randomUniform(w.shape, 0.2, 1.5, 'float32', 17 + i));
    l.setWeights(values);
    tfc.dispose([...old, ...values]);
  }
  return m;
}

test('a frozen model folds once: later predicts run no fold kernels, the padding runs inside the convolution, and the outputs stay the layers\' own', async () => {
  const before = tfc.memory().numTensors;
  const m = paddedBase();
  m.trainable = false;
  const x = tfc.randomNormal([3, 10, 10, 3], 0, 1, 'float32', 21);
  tfc.dispose(m.predict(x) as tfc.Tensor); // folds and keeps the two chains' kernels and biases
  const folded = tfc.memory().numTensors;
  const info = await tfc.profile(() => m.predict(x) as tfc.Tensor);
  const names = info.kernelNames;
  expect(names.filter((n) => ['Multiply', 'Rsqrt', 'Neg'].includes(n))).toEqual([]); // the folds were kept
  if (testBackend() === 'native') {
    expect(names.filter((n) => n === 'PadV2')).toEqual([]); // padded by the convolutions themselves
    expect(names.filter((n) => n === 'FusedConv2D' || n === 'FusedDepthwiseConv2D').length).toBe(2);
  }
  const fused = m.predict(x) as tfc.Tensor;
  const plain = tfc.tidy(() => layerByLayer(m, x, false));
  expect(maxDiff(fused, plain)).toBeLessThan(1e-5);
  expect(Math.max(...Array.from(plain.dataSync()).map(Math.abs))).toBeGreaterThan(0.05);
  // Weights set anew (as setWeights and loading do): the next predict folds them again.
  const bn = m.getLayer('bn2') as k.layers.BatchNormalization;
  const old = bn.getWeights();
  const variance = tfc.mul(old[3], 3);
  bn.setWeights([...old.slice(0, 3), variance]);
  tfc.dispose([...old, variance]);
  const refolded = m.predict(x) as tfc.Tensor;
  const plainAfter = tfc.tidy(() => layerByLayer(m, x, false));
  expect(maxDiff(refolded, plainAfter)).toBeLessThan(1e-5);
  expect(maxDiff(refolded, fused)).toBeGreaterThan(1e-3); // the new variance changed the outputs
  tfc.dispose([fused, plain, refolded, plainAfter, info.result as tfc.Tensor]);
  expect(tfc.memory().numTensors).toBe(folded); // the new fold replaced the old one
  m.dispose();
  x.dispose();
  expect(tfc.memory().numTensors).toBe(before); // dispose frees the kept folds with the weights
});

test('a frozen base trained with a head: the head learns as if trained alone on the base\'s features, the base does not change', async () => {
  const xs = tfc.randomNormal([6, 10, 10, 3], 0, 1, 'float32', 22);
  const ys = tfc.tensor1d([0, 1, 2, 0, 1, 2]);
  const head = (): k.layers.Dense => new k.layers.Dense({ units: 3, activation: 'softmax', name: 'head' });
  const base = paddedBase();
  base.trainable = false;
  const baseWeights = base.getWeights();
  const model = new k.Sequential([base, head()]);
  model.compile({ optimizer: new k.optimizers.Adam({ learningRate: 0.05 }), loss: 'sparse_categorical_crossentropy' });
  // Reference: the features from the layers' own calls, and the head alone trained on them.
  const features = tfc.tidy(() => layerByLayer(base, xs, false));
  const alone = new k.Sequential([k.layers.Input({ shape: [4] }), head()]);
  alone.compile({ optimizer: new k.optimizers.Adam({ learningRate: 0.05 }), loss: 'sparse_categorical_crossentropy' });
  tfc.dispose(model.predict(xs) as tfc.Tensor); // builds the head
  const init = model.getLayer('head').getWeights();
  alone.getLayer('head').setWeights(init);
  tfc.dispose(init);
  const losses: number[][] = [[], []];
  for (let step = 0; step < 3; step++) {
    losses[0].push(((await model.trainOnBatch(xs, ys)) as number[])[0]);
    losses[1].push(((await alone.trainOnBatch(features, ys)) as number[])[0]);
  }
  losses[0].forEach((l, i) => expect(Math.abs(l - losses[1][i])).toBeLessThan(1e-5));
  expect(losses[0][2]).toBeLessThan(losses[0][0]); // it learned
  const [trained, reference] = [model.getLayer('head').getWeights(), alone.getLayer('head').getWeights()];
  trained.forEach((w, i) => expect(maxDiff(w, reference[i])).toBeLessThan(1e-5));
  base.getWeights().forEach((w, i) => expect(maxDiff(w, baseWeights[i])).toBe(0));
  // Steps after the first keep no more tensors.
  const count = tfc.memory().numTensors;
  await model.trainOnBatch(xs, ys);
  expect(tfc.memory().numTensors).toBe(count);
  tfc.dispose([xs, ys, features, ...baseWeights, ...trained, ...reference]);
  model.dispose();
  alone.dispose();
});

test('unfrozen after a frozen predict, trained, frozen again: the next predict folds the trained weights', async () => {
  const m = paddedBase();
  m.trainable = false;
  const x = tfc.randomNormal([3, 10, 10, 3], 0, 1, 'float32', 23);
  const y = tfc.randomUniform([3, 4], 0, 1, 'float32', 24);
  const first = m.predict(x) as tfc.Tensor;
  m.trainable = true;
  for (const l of m.layers) if (l instanceof k.layers.BatchNormalization) l.trainable = false; // frozen BN: the chains still fold, under the tape
  m.compile({ optimizer: new k.optimizers.SGD({ learningRate: 0.5 }), loss: 'mse', jitCompile: true });
  for (let i = 0; i < 3; i++) await m.trainOnBatch(x, y);
  m.trainable = false;
  const after = m.predict(x) as tfc.Tensor;
  const plain = tfc.tidy(() => layerByLayer(m, x, false));
  expect(maxDiff(after, plain)).toBeLessThan(1e-5);
  expect(maxDiff(after, first)).toBeGreaterThan(1e-3);
  tfc.dispose([x, y, first, after, plain]);
  m.dispose();
});

test('a ZeroPadding2D chain under the tape (conv trained, BatchNormalization frozen): gradients are the layers\' own', () => {
  const m = paddedBase();
  for (const l of m.layers) if (l instanceof k.layers.BatchNormalization) l.trainable = false;
  const x = tfc.randomNormal([3, 10, 10, 3], 0, 1, 'float32', 25);
  const vars = m.trainableWeights.map((w) => w.value as tfc.Variable);
  expect(vars.length).toBe(3); // d1 kernel; c2 kernel, bias
  const loss = (f: () => tfc.Tensor) => () => tfc.sum(tfc.square(f())) as tfc.Scalar;
  const fused = tfc.variableGrads(loss(() => m.apply(x, { training: true }) as tfc.Tensor), vars);
  const plain = tfc.variableGrads(loss(() => layerByLayer(m, x, true)), vars);
  expect(Math.abs(fused.value.dataSync()[0] - plain.value.dataSync()[0])).toBeLessThan(1e-4 * Math.abs(plain.value.dataSync()[0]));
  for (const v of vars) expect(maxDiff(fused.grads[v.name], plain.grads[v.name])).toBeLessThan(1e-4);
  tfc.dispose([fused.value, plain.value, ...Object.values(fused.grads), ...Object.values(plain.grads), x]);
  m.dispose();
});

test('a frozen base in a captured step (jitCompile): weights set anew between steps are used, as in eager steps', async () => {
  const xs = tfc.randomNormal([6, 10, 10, 3], 0, 1, 'float32', 26);
  const ys = tfc.tensor1d([0, 1, 2, 0, 1, 2]);
  const build = (jitCompile: boolean): k.Sequential => {
    const base = paddedBase();
    base.trainable = false;
    const model = new k.Sequential([base, new k.layers.Dense({ units: 3, activation: 'softmax', name: 'head' })]);
    model.compile({ optimizer: new k.optimizers.Adam({ learningRate: 0.05 }), loss: 'sparse_categorical_crossentropy', jitCompile });
    return model;
  };
  const [captured, eager] = [build(true), build(false)];
  tfc.dispose(captured.predict(xs) as tfc.Tensor);
  const init = captured.getWeights();
  tfc.dispose(eager.predict(xs) as tfc.Tensor);
  eager.setWeights(init);
  tfc.dispose(init);
  const losses: number[][] = [[], []];
  for (let step = 0; step < 6; step++) {
    if (step === 4) {
      for (const m of [captured, eager]) {
        const bn = (m.layers[0] as k.Model).getLayer('bn2') as k.layers.BatchNormalization;
        const old = bn.getWeights();
        const beta = tfc.add(old[1], 3);
        bn.setWeights([old[0], beta, ...old.slice(2)]);
        tfc.dispose([...old, beta]);
      }
    }
    losses[0].push(((await captured.trainOnBatch(xs, ys)) as number[])[0]);
    losses[1].push(((await eager.trainOnBatch(xs, ys)) as number[])[0]);
  }
  losses[0].forEach((l, i) => expect(Math.abs(l - losses[1][i])).toBeLessThan(1e-5));
  expect(Math.abs(losses[1][4] - losses[1][3])).toBeGreaterThan(1e-2); // the new offset changed the features
  tfc.dispose([xs, ys]);
  captured.dispose();
  eager.dispose();
});
