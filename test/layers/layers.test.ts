import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, expectNoLeak, testBackend } from '../helpers';

beforeAll(async () => {
  await k.setBackend(testBackend());
});

const L = k.layers;

/** Every layer of the issue, with arguments, and an input shape (without batch) it accepts. */
const ALL: Array<[k.Layer, number[] | number[][]]> = [
  [new L.Conv1D({ filters: 4, kernelSize: 3, strides: 2, padding: 'same' }), [9, 2]],
  [new L.Conv2D({ filters: 4, kernelSize: [3, 2], strides: 2, padding: 'same', kernelRegularizer: 'l2' }), [7, 5, 3]],
  [new L.Conv2DTranspose({ filters: 2, kernelSize: 3, strides: 2 }), [3, 5, 2]],
  [new L.DepthwiseConv2D({ kernelSize: 3, depthMultiplier: 2 }), [5, 5, 2]],
  [new L.SeparableConv2D({ filters: 3, kernelSize: 3, padding: 'same' }), [5, 4, 2]],
  [new L.MaxPooling1D({ poolSize: 2 }), [7, 3]],
  [new L.MaxPooling2D({ poolSize: 2 }), [7, 5, 3]],
  [new L.AveragePooling1D({ poolSize: 3, strides: 2, padding: 'same' }), [7, 3]],
  [new L.AveragePooling2D({ poolSize: 3, strides: 2, padding: 'same' }), [7, 5, 3]],
  [new L.GlobalMaxPooling1D(), [7, 3]],
  [new L.GlobalMaxPooling2D({ keepdims: true }), [7, 5, 3]],
  [new L.GlobalAveragePooling1D(), [7, 3]],
  [new L.GlobalAveragePooling2D(), [7, 5, 3]],
  [new L.BatchNormalization({ momentum: 0.9 }), [4, 3]],
  [new L.LayerNormalization({ epsilon: 1e-5 }), [4, 3]],
  [new L.Embedding({ inputDim: 10, outputDim: 4 }), [6]],
  [new L.Reshape({ targetShape: [-1, 2] }), [3, 4]],
  [new L.Permute({ dims: [2, 1] }), [3, 4]],
  [new L.RepeatVector({ n: 3 }), [4]],
  [new L.ZeroPadding2D({ padding: [[1, 2], [0, 3]] }), [3, 4, 2]],
  [new L.Cropping2D({ cropping: [1, 2] }), [5, 6, 2]],
  [new L.UpSampling2D({ size: [2, 3] }), [3, 4, 2]],
  [new L.Add(), [[4, 3], [4, 3]]],
  [new L.Subtract(), [[4, 3], [4, 3]]],
  [new L.Multiply(), [[4, 3], [1, 3]]],
  [new L.Average(), [[4, 3], [4, 3], [4, 3]]],
  [new L.Maximum(), [[4, 3], [4, 3]]],
  [new L.Minimum(), [[4, 3], [4, 3]]],
  [new L.Concatenate({ axis: 1 }), [[4, 3], [2, 3]]],
  [new L.Dot({ axes: [2, 2] }), [[2, 3], [4, 3]]],
  [new L.SpatialDropout2D({ rate: 0.3 }), [4, 4, 3]],
  [new L.GaussianNoise({ stddev: 0.1 }), [5]],
  [new L.GaussianDropout({ rate: 0.2 }), [5]],
];

function inputsFor(shape: number[] | number[][]): { symbolic: k.SymbolicTensor | k.SymbolicTensor[]; real: tfc.Tensor | tfc.Tensor[] } {
  const many = Array.isArray(shape[0]);
  const shapes = (many ? shape : [shape]) as number[][];
  const symbolic = shapes.map((s) => k.Input({ shape: s }));
  // small integers: valid indices for Embedding, ordinary values for every other layer
  const real = shapes.map((s) => tfc.tidy(() => tfc.floor(tfc.mul(tfc.randomUniform([2, ...s], 0, 1, 'float32', 3), 9))));
  return { symbolic: many ? symbolic : symbolic[0], real: many ? real : real[0] };
}

test.each(ALL.map(([layer, shape]) => [layer.className, layer, shape] as const))(
  '%s: symbolic output shape equals the computed one, config round-trips, no leaks',
  async (_name, layer, shape) => {
    const { symbolic, real } = inputsFor(shape);
    const out = layer.apply(symbolic);
    const y = layer.apply(real, { training: true });
    expect(out.shape.slice(1)).toEqual(y.shape.slice(1));
    y.dispose();
    await expectNoLeak(() => tfc.dispose(layer.apply(real, { training: true })));
    await expectNoLeak(() => tfc.dispose(layer.apply(real)));
    const cls = layer.constructor as unknown as { fromConfig(c: unknown): k.Layer };
    const config = JSON.parse(JSON.stringify(layer.getConfig()));
    expect(cls.fromConfig(config).getConfig()).toEqual(layer.getConfig());
    tfc.dispose(real);
  },
);

test('every layer of the issue is exported under its Keras name', () => {
  const names = ['Conv1D', 'Conv2D', 'Conv2DTranspose', 'DepthwiseConv2D', 'SeparableConv2D', 'MaxPooling1D', 'MaxPooling2D', 'AveragePooling1D',
    'AveragePooling2D', 'GlobalMaxPooling1D', 'GlobalMaxPooling2D', 'GlobalAveragePooling1D', 'GlobalAveragePooling2D', 'BatchNormalization',
    'LayerNormalization', 'Embedding', 'Reshape', 'Permute', 'RepeatVector', 'ZeroPadding2D', 'Cropping2D', 'UpSampling2D', 'Add', 'Subtract',
    'Multiply', 'Average', 'Maximum', 'Minimum', 'Concatenate', 'Dot', 'SpatialDropout2D', 'GaussianNoise', 'GaussianDropout'];
  for (const n of names) expect(typeof (k.layers as Record<string, unknown>)[n]).toBe('function');
});

test('summary shows every output shape before any data flows', () => {
  const model = new k.Sequential([
    new L.Conv2D({ filters: 8, kernelSize: 3, inputShape: [11, 9, 1], padding: 'same', strides: 2 }),
    new L.MaxPooling2D(),
    new L.Flatten(),
    new L.Dense({ units: 2 }),
  ]);
  const text = model.summary(() => undefined);
  expect(text).toMatch(/conv2d(_\d+)? \(Conv2D\)\s+\(None, 6, 5, 8\)\s+80/);
  expect(text).toMatch(/max_pooling2d(_\d+)? \(MaxPooling2D\)\s+\(None, 3, 2, 8\)\s+0/);
  expect(text).toMatch(/flatten(_\d+)? \(Flatten\)\s+\(None, 48\)/);
});

test('values of the simple layers, by hand', () => {
  const x = tfc.tensor2d([[1, 2, 3, 4, 5, 6]]);
  expectClose(new L.Reshape({ targetShape: [3, -1] }).apply(x), [1, 2, 3, 4, 5, 6]);
  expect(new L.Reshape({ targetShape: [3, -1] }).apply(x).shape).toEqual([1, 3, 2]);
  expectClose(new L.Permute({ dims: [2, 1] }).apply(tfc.tensor3d([[[1, 2, 3], [4, 5, 6]]])), [1, 4, 2, 5, 3, 6]);
  expectClose(new L.RepeatVector({ n: 2 }).apply(tfc.tensor2d([[1, 2]])), [1, 2, 1, 2]);
  const img = tfc.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
  expectClose(new L.ZeroPadding2D({ padding: [0, 1] }).apply(img), [0, 1, 2, 0, 0, 3, 4, 0]);
  expectClose(new L.Cropping2D({ cropping: [[1, 0], [0, 1]] }).apply(img), [3]);
  const a = tfc.tensor2d([[1, 5]]);
  const b = tfc.tensor2d([[3, 2]]);
  expectClose(new L.Add().apply([a, b]), [4, 7]);
  expectClose(new L.Subtract().apply([a, b]), [-2, 3]);
  expectClose(new L.Multiply().apply([a, b]), [3, 10]);
  expectClose(new L.Average().apply([a, b]), [2, 3.5]);
  expectClose(new L.Maximum().apply([a, b]), [3, 5]);
  expectClose(new L.Minimum().apply([a, b]), [1, 2]);
  expectClose(new L.Concatenate().apply([a, b]), [1, 5, 3, 2]);
  expectClose(new L.Dot({ axes: 1 }).apply([a, b]), [13]);
  expectClose(new L.GlobalAveragePooling2D().apply(img), [2.5]);
  expectClose(new L.GlobalMaxPooling2D().apply(img), [4]);
  const emb = new L.Embedding({ inputDim: 3, outputDim: 2 });
  tfc.dispose(emb.apply(tfc.tensor2d([[0]])));
  emb.setWeights([[[0, 0], [1, 1], [2, 4]]]);
  expectClose(emb.apply(tfc.tensor2d([[2, 1, 2]])), [2, 4, 1, 1, 2, 4]);
});

test('noise layers are identities at inference and random in training', () => {
  k.utils.setRandomSeed(2);
  const x = tfc.ones([4, 4, 4, 8]);
  for (const layer of [new L.SpatialDropout2D({ rate: 0.5 }), new L.GaussianNoise({ stddev: 0.5 }), new L.GaussianDropout({ rate: 0.5 })]) {
    expectClose(layer.apply(x), new Array(512).fill(1));
    const y = Array.from(layer.apply(x, { training: true }).dataSync());
    expect(new Set(y).size).toBeGreaterThan(1);
  }
  // SpatialDropout2D drops whole channels: every value of a channel is equal
  const y = new L.SpatialDropout2D({ rate: 0.5 }).apply(x, { training: true }).arraySync() as number[][][][];
  for (let c = 0; c < 8; c++) expect(new Set(y[0].flat().map((px) => px[c])).size).toBe(1);
});

test('bad shapes and arguments are refused naming the layer, the shapes and the fix', () => {
  expect(() => new L.Conv2D({ filters: 4, kernelSize: 5 }).apply(k.Input({ shape: [3, 3, 1] }))).toThrow(
    /conv2d(_\d+)? \(Conv2D\): the kernel \(5×5, dilated to 5 along axis 1\) is larger than the input \(None, 3, 3, 1\). help: use a smaller kernelSize, or padding: 'same'/,
  );
  expect(() => new L.Conv2D({ filters: 0, kernelSize: 3 })).toThrow(/`filters` must be a positive integer, got 0/);
  expect(() => new L.Conv2D({ filters: 4, kernelSize: -1 })).toThrow(/`kernelSize` must be a positive integer or 2 of them, got -1/);
  expect(() => new L.Conv2D({ filters: 4, kernelSize: 3 }).apply(k.Input({ shape: [28, 28] }))).toThrow(/expected input of rank 4 .* help: add a channel axis/);
  expect(() => new L.Conv2D({ filters: 4, kernelSize: 3, dataFormat: 'channels_first' })).toThrow(/'channels_first' is not supported.*help: transpose/);
  expect(() => new L.MaxPooling2D({ poolSize: 4 }).apply(k.Input({ shape: [3, 3, 2] }))).toThrow(/pool window 4×4 is larger than the input/);
  expect(() => new L.Add().apply([k.Input({ shape: [3] }), k.Input({ shape: [4] })])).toThrow(/inputs must have the same shape .* got \(None, 3\), \(None, 4\)/);
  expect(() => new L.Concatenate().apply([k.Input({ shape: [2, 3] }), k.Input({ shape: [3, 3] })])).toThrow(/cannot be joined on axis -1/);
  expect(() => new L.Reshape({ targetShape: [5, 5] }).apply(k.Input({ shape: [28, 28] }))).toThrow(
    /cannot reshape input \(None, 28, 28\) \(784 values per sample\) to \[5,5\] \(25 values\)/,
  );
  expect(() => new L.Subtract().apply([k.Input({ shape: [2] }), k.Input({ shape: [2] }), k.Input({ shape: [2] })])).toThrow(/needs exactly 2 inputs, got 3/);
  // maskZero is supported now (masking): index 0 is masked.
  expect(Array.from((new L.Embedding({ inputDim: 10, outputDim: 4, maskZero: true }).computeMask(tfc.tensor2d([[0, 3]])) as tfc.Tensor).dataSync())).toEqual([0, 1]);
  expect(() => new L.Cropping2D({ cropping: 3 }).apply(k.Input({ shape: [5, 5, 1] }))).toThrow(/removes all of input/);
});

test('a residual block with Add and a two-branch Concatenate model train end to end', async () => {
  k.utils.setRandomSeed(4);
  const inputs = k.Input({ shape: [8, 8, 1] });
  const stem = new L.Conv2D({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(inputs);
  const branch = new L.Conv2D({ filters: 4, kernelSize: 3, padding: 'same' }).apply(stem);
  const residual = new L.Activation({ activation: 'relu' }).apply(new L.Add().apply([stem, branch]));
  const pooled = new L.GlobalAveragePooling2D().apply(residual);
  const side = new L.Dense({ units: 4, activation: 'relu' }).apply(new L.Flatten().apply(inputs));
  const joined = new L.Concatenate().apply([pooled, side]);
  const model = new k.Model({ inputs, outputs: new L.Dense({ units: 1, activation: 'sigmoid' }).apply(joined) });
  model.compile({ optimizer: new k.optimizers.Adam({ learningRate: 0.01 }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
  // label: whether the image's mean is above 0.5
  const x = tfc.randomUniform([64, 8, 8, 1], 0, 1, 'float32', 9);
  const bright = tfc.tidy(() => tfc.add(x, tfc.tile(tfc.reshape(tfc.tensor1d(Array.from({ length: 64 }, (_, i) => (i % 2 ? 0.3 : -0.3))), [64, 1, 1, 1]), [1, 8, 8, 1])));
  const y = tfc.tidy(() => tfc.reshape(tfc.cast(tfc.greater(tfc.mean(bright, [1, 2, 3]), 0.5), 'float32'), [64, 1]));
  const h = await model.fit(bright, y, { epochs: 15, batchSize: 16, verbose: 0 });
  expect(h.history.loss[14]).toBeLessThan(h.history.loss[0]);
  expect(h.history.accuracy[14]).toBeGreaterThan(0.8);
  tfc.dispose([x, bright, y]);
  model.dispose();
});
