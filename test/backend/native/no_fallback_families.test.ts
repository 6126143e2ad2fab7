/**
 * Issue 23's "zero fallbacks": one fit + evaluate + predict of a small model per layer family
 * (and with every loss and every optimizer family once) on 'native', asserting that
 * k.backendReport().fallbacks (kernels that ran on tfjs's JavaScript CPU kernel) is empty except
 * for the kernels ALLOWED names, each with the reason it stays on JavaScript.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../../src';
import { nativeBuilt } from '../../helpers';
import { ALLOWED } from './fallback_allowed';

const onNative = nativeBuilt() ? describe : describe.skip;
const L = k.layers;

interface Case {
  model: () => k.Sequential | k.Model;
  x: () => tfc.Tensor;
  y: () => tfc.Tensor;
  loss?: k.losses.LossIdentifier;
  optimizer?: k.optimizers.OptimizerIdentifier;
}

const rand = (shape: number[], seed: number): (() => tfc.Tensor) => () => tfc.randomUniform(shape, 0, 1, 'float32', seed);
const classes = (n: number, c: number): (() => tfc.Tensor) => () => tfc.tensor1d(Array.from({ length: n }, (_, i) => i % c));
const tokens = (n: number, t: number, vocab: number): (() => tfc.Tensor) => () =>
  tfc.tensor2d(Array.from({ length: n * t }, (_, i) => (i * 7 + 1) % vocab), [n, t]);
const seq = (layers: k.layers.Layer[]): k.Sequential => new k.Sequential(layers);
const head = (units = 3): k.layers.Layer => new L.Dense({ units, activation: 'softmax' });
const N = 8;
const oneHot = (): tfc.Tensor => tfc.tidy(() => tfc.oneHot(tfc.tensor1d(Array.from({ length: N }, (_, i) => i % 3), 'int32'), 3).toFloat());

const FAMILIES: Record<string, Case> = {
  'core: Dense, Activation, Dropout, PReLU, EinsumDense': {
    model: () => seq([new L.Dense({ units: 6, inputShape: [5] }), new L.PReLU(), new L.Dropout({ rate: 0.2 }), new L.LeakyReLU(),
      new L.ELU(), new L.EinsumDense({ equation: 'ab,bc->ac', outputShape: 4 }), new L.Activation({ activation: 'gelu' }), head()]),
    x: rand([N, 5], 1), y: classes(N, 3),
  },
  'conv 1D/2D/3D': {
    model: () => seq([new L.Conv2D({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [6, 6, 2] }),
      new L.Conv2D({ filters: 3, kernelSize: 2, strides: 2, dilationRate: 1 }), new L.Reshape({ targetShape: [9, 3] }),
      new L.Conv1D({ filters: 4, kernelSize: 3, padding: 'causal' }), new L.Reshape({ targetShape: [3, 3, 4, 1] }),
      new L.Conv3D({ filters: 2, kernelSize: 2 }), new L.Flatten(), head()]),
    x: rand([N, 6, 6, 2], 2), y: classes(N, 3),
  },
  'transposed conv 1D/2D/3D': {
    model: () => seq([new L.Conv2DTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', inputShape: [3, 3, 2] }),
      new L.Reshape({ targetShape: [18, 6] }), new L.Conv1DTranspose({ filters: 2, kernelSize: 2, strides: 2 }),
      new L.Reshape({ targetShape: [2, 3, 6, 2] }), new L.Conv3DTranspose({ filters: 2, kernelSize: 2, strides: 1 }),
      new L.Flatten(), head()]),
    x: rand([N, 3, 3, 2], 3), y: classes(N, 3),
  },
  'separable/depthwise 1D/2D': {
    model: () => seq([new L.SeparableConv2D({ filters: 4, kernelSize: 3, padding: 'same', inputShape: [6, 6, 2] }),
      new L.DepthwiseConv2D({ kernelSize: 3 }), new L.Reshape({ targetShape: [16, 4] }),
      new L.SeparableConv1D({ filters: 3, kernelSize: 3 }), new L.DepthwiseConv1D({ kernelSize: 2, depthMultiplier: 2 }),
      new L.Flatten(), head()]),
    x: rand([N, 6, 6, 2], 4), y: classes(N, 3),
  },
  'pooling 1D/2D/3D, global, adaptive': {
    model: () => {
      const input = k.Input({ shape: [8, 8, 2] });
      const a = new L.MaxPooling2D({ poolSize: 2 }).apply(input) as k.SymbolicTensor;
      const b = new L.AveragePooling2D({ poolSize: 2, strides: 1, padding: 'same' }).apply(a) as k.SymbolicTensor;
      const c = new L.AdaptiveAveragePooling2D({ outputSize: 2 }).apply(b) as k.SymbolicTensor;
      const d = new L.AdaptiveMaxPooling2D({ outputSize: 3 }).apply(b) as k.SymbolicTensor;
      const r1 = new L.Reshape({ targetShape: [16, 2] }).apply(a) as k.SymbolicTensor;
      const e = new L.MaxPooling1D({ poolSize: 2 }).apply(r1) as k.SymbolicTensor;
      const f = new L.AveragePooling1D({ poolSize: 2 }).apply(e) as k.SymbolicTensor;
      const r3 = new L.Reshape({ targetShape: [2, 4, 4, 2] }).apply(new L.Reshape({ targetShape: [32, 2] }).apply(new L.UpSampling1D({ size: 2 }).apply(r1))) as k.SymbolicTensor;
      const g = new L.MaxPooling3D({ poolSize: 2 }).apply(r3) as k.SymbolicTensor;
      const h = new L.AveragePooling3D({ poolSize: [1, 2, 2] }).apply(r3) as k.SymbolicTensor;
      const parts = [new L.GlobalAveragePooling2D().apply(c), new L.GlobalMaxPooling2D().apply(d), new L.GlobalAveragePooling1D().apply(f),
        new L.GlobalMaxPooling1D().apply(f), new L.GlobalMaxPooling3D().apply(g), new L.GlobalAveragePooling3D().apply(h)] as k.SymbolicTensor[];
      return new k.Model({ inputs: input, outputs: head().apply(new L.Concatenate().apply(parts)) as k.SymbolicTensor });
    },
    x: rand([N, 8, 8, 2], 5), y: classes(N, 3),
  },
  '3-D: Conv3D (strides, dilation), Conv3DTranspose, pooling, adaptive, SpatialDropout3D, UpSampling3D': {
    model: () => seq([new L.Conv3D({ filters: 3, kernelSize: 3, padding: 'same', dilationRate: [1, 2, 1], inputShape: [4, 5, 4, 2] }),
      new L.SpatialDropout3D({ rate: 0.2 }), new L.Conv3D({ filters: 2, kernelSize: [2, 3, 2], strides: [1, 2, 2] }),
      new L.Conv3DTranspose({ filters: 2, kernelSize: 2, strides: 2, padding: 'same' }), new L.MaxPooling3D({ poolSize: [2, 3, 2], strides: 1, padding: 'same' }),
      new L.AveragePooling3D({ poolSize: 2, strides: [1, 2, 1], padding: 'same' }), new L.UpSampling3D({ size: [1, 2, 1] }),
      new L.AdaptiveAveragePooling3D({ outputSize: 2 }), new L.Flatten(), head()]),
    x: rand([N, 4, 5, 4, 2], 13), y: classes(N, 3),
  },
  'recurrent: ConvLSTM3D': {
    model: () => seq([new L.ConvLSTM3D({ filters: 2, kernelSize: 2, padding: 'same', inputShape: [2, 3, 3, 3, 1] }), new L.GlobalMaxPooling3D(), head()]),
    x: rand([N, 2, 3, 3, 3, 1], 14), y: classes(N, 3),
  },
  'normalization: Batch, Layer, Group, RMS, Unit, Spectral': {
    model: () => seq([new L.Conv2D({ filters: 4, kernelSize: 3, inputShape: [6, 6, 2] }), new L.BatchNormalization(),
      new L.GroupNormalization({ groups: 2 }), new L.Flatten(), new L.Dense({ units: 8 }), new L.LayerNormalization(),
      new L.RMSNormalization(), new L.UnitNormalization(), new L.SpectralNormalization({ layer: new L.Dense({ units: 4 }) }), head()]),
    x: rand([N, 6, 6, 2], 6), y: classes(N, 3),
  },
  'recurrent: SimpleRNN, GRU, LSTM, masked, Bidirectional': {
    model: () => seq([new L.Embedding({ inputDim: 20, outputDim: 6, maskZero: true, inputShape: [7] }),
      new L.SimpleRNN({ units: 5, returnSequences: true }), new L.GRU({ units: 5, returnSequences: true }),
      new L.Bidirectional({ layer: new L.LSTM({ units: 4, returnSequences: true }) }), new L.GRU({ units: 4, goBackwards: true }), head()]),
    x: tokens(N, 7, 20), y: classes(N, 3),
  },
  'recurrent: ConvLSTM2D, ConvLSTM1D, TimeDistributed': {
    model: () => seq([new L.ConvLSTM2D({ filters: 3, kernelSize: 3, padding: 'same', returnSequences: true, inputShape: [3, 5, 5, 2] }),
      new L.TimeDistributed({ layer: new L.Flatten() }), new L.Reshape({ targetShape: [3, 25, 3] }),
      new L.ConvLSTM1D({ filters: 2, kernelSize: 3 }), new L.Flatten(), head()]),
    x: rand([N, 3, 5, 5, 2], 7), y: classes(N, 3),
  },
  'attention: MultiHeadAttention, GroupQueryAttention, Attention, AdditiveAttention': {
    model: () => {
      const input = k.Input({ shape: [6, 8] });
      const a = new L.MultiHeadAttention({ numHeads: 2, keyDim: 4 }).apply([input, input]) as k.SymbolicTensor;
      const b = new L.GroupQueryAttention({ headDim: 4, numQueryHeads: 4, numKeyValueHeads: 2 }).apply([a, a]) as k.SymbolicTensor;
      const c = new L.Attention().apply([b, b]) as k.SymbolicTensor;
      const d = new L.AdditiveAttention().apply([c, c]) as k.SymbolicTensor;
      return new k.Model({ inputs: input, outputs: head().apply(new L.GlobalAveragePooling1D().apply(d)) as k.SymbolicTensor });
    },
    x: rand([N, 6, 8], 8), y: classes(N, 3),
  },
  'embedding: Embedding, ReversibleEmbedding': {
    model: () => seq([new L.Embedding({ inputDim: 20, outputDim: 6, inputShape: [5] }), new L.Flatten(), head()]),
    x: tokens(N, 5, 20), y: classes(N, 3),
  },
  'merging: Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot': {
    model: () => {
      const input = k.Input({ shape: [4] });
      const p = new L.Dense({ units: 4 }).apply(input) as k.SymbolicTensor;
      const q = new L.Dense({ units: 4 }).apply(input) as k.SymbolicTensor;
      const merged = [new L.Add(), new L.Subtract(), new L.Multiply(), new L.Average(), new L.Maximum(), new L.Minimum(),
        new L.Dot({ axes: 1 })].map((l) => l.apply([p, q]) as k.SymbolicTensor);
      return new k.Model({ inputs: input, outputs: head().apply(new L.Concatenate().apply(merged)) as k.SymbolicTensor });
    },
    x: rand([N, 4], 9), y: classes(N, 3),
  },
  'reshaping: UpSampling, Cropping, ZeroPadding 1D/2D/3D, Permute, RepeatVector, Flatten': {
    model: () => seq([new L.UpSampling2D({ size: 2, inputShape: [3, 3, 2] }), new L.ZeroPadding2D({ padding: 1 }),
      new L.Cropping2D({ cropping: [[1, 0], [0, 1]] }), new L.UpSampling2D({ size: 2, interpolation: 'bilinear' }),
      new L.Permute({ dims: [2, 1, 3] }), new L.Reshape({ targetShape: [2, 7, 14, 2] }), new L.ZeroPadding3D({ padding: 1 }),
      new L.Cropping3D({ cropping: 1 }), new L.UpSampling3D({ size: [1, 1, 2] }), new L.Reshape({ targetShape: [196, 4] }),
      new L.ZeroPadding1D({ padding: 1 }), new L.Cropping1D({ cropping: [2, 0] }), new L.UpSampling1D({ size: 2 }),
      new L.Flatten(), new L.Dense({ units: 3 }), new L.RepeatVector({ n: 2 }), new L.Flatten(), head()]),
    x: rand([N, 3, 3, 2], 10), y: classes(N, 3),
  },
  'image preprocessing and augmentation in training': {
    model: () => seq([new L.Rescaling({ scale: 1 / 2, inputShape: [8, 8, 3] }), new L.Resizing({ height: 10, width: 10 }),
      new L.Resizing({ height: 9, width: 9, interpolation: 'nearest' }), new L.RandomFlip({ mode: 'horizontal_and_vertical' }),
      new L.RandomRotation({ factor: 0.1 }), new L.RandomZoom({ heightFactor: 0.2 }), new L.RandomTranslation({ heightFactor: 0.1, widthFactor: 0.1 }),
      new L.RandomContrast({ factor: 0.2 }), new L.RandomBrightness({ factor: 0.2 }), new L.RandomCrop({ height: 8, width: 8 }),
      new L.CenterCrop({ height: 6, width: 6 }), new L.Conv2D({ filters: 2, kernelSize: 3 }), new L.Flatten(), head()]),
    x: rand([N, 8, 8, 3], 11), y: classes(N, 3),
  },
  'regularization layers: GaussianNoise, GaussianDropout, AlphaDropout, SpatialDropout, ActivityRegularization': {
    model: () => seq([new L.Conv2D({ filters: 3, kernelSize: 3, inputShape: [5, 5, 2] }), new L.SpatialDropout2D({ rate: 0.2 }),
      new L.Flatten(), new L.GaussianNoise({ stddev: 0.1 }), new L.GaussianDropout({ rate: 0.2 }), new L.AlphaDropout({ rate: 0.2 }),
      new L.ActivityRegularization({ l2: 0.01 }), new L.Masking(), head()]),
    x: rand([N, 5, 5, 2], 12), y: classes(N, 3),
  },
};

const dense = (units: number, activation: 'sigmoid' | 'softmax'): (() => k.Sequential) => () =>
  seq([new L.Dense({ units: 5, activation: 'relu', inputShape: [4] }), new L.Dense({ units, activation })]);
const LOSSES: Record<string, Case> = {
  binary_crossentropy: { model: dense(3, 'sigmoid'), x: rand([N, 4], 20), y: () => tfc.tensor2d(Array.from({ length: N * 3 }, (_, i) => i % 2), [N, 3]) },
  binary_focal_crossentropy: { model: dense(3, 'sigmoid'), x: rand([N, 4], 20), y: () => tfc.tensor2d(Array.from({ length: N * 3 }, (_, i) => i % 2), [N, 3]) },
  categorical_crossentropy: { model: dense(3, 'softmax'), x: rand([N, 4], 21), y: oneHot },
  sparse_categorical_crossentropy: { model: dense(3, 'softmax'), x: rand([N, 4], 22), y: classes(N, 3) },
};
for (const name of ['mean_squared_error', 'mean_absolute_error', 'mean_absolute_percentage_error', 'mean_squared_logarithmic_error', 'huber', 'log_cosh',
  'poisson', 'cosine_similarity', 'hinge', 'squared_hinge', 'tversky', 'dice']) {
  LOSSES[name] = { model: dense(3, 'sigmoid'), x: rand([N, 4], 23), y: rand([N, 3], 24) };
}
for (const name of ['kl_divergence', 'categorical_hinge', 'categorical_focal_crossentropy', 'categorical_generalized_cross_entropy', 'circle']) {
  LOSSES[name] = { model: dense(3, 'softmax'), x: rand([N, 4], 25), y: oneHot };
}
for (const c of Object.entries(LOSSES)) c[1].loss = c[0] as k.losses.LossName;
// fit refuses class-index labels for these two (its label check wants the output's shape), so
// they are checked on their own: the loss and its gradient with respect to predictions.
delete LOSSES.circle;
delete LOSSES.categorical_generalized_cross_entropy;
const SPARSE_LOSSES: Array<[string, () => k.losses.Loss]> = [
  ['circle', () => new k.losses.Circle()],
  ['categorical_generalized_cross_entropy', () => new k.losses.CategoricalGeneralizedCrossEntropy()],
];

const OPTIMIZERS: Record<string, Case> = {};
for (const name of ['sgd', 'adam', 'adamw', 'rmsprop', 'adagrad', 'adadelta', 'adamax', 'nadam', 'lion', 'ftrl', 'lamb', 'adafactor']) {
  OPTIMIZERS[name] = { model: dense(3, 'softmax'), x: rand([N, 4], 26), y: classes(N, 3), optimizer: name as k.optimizers.OptimizerName };
}

/** One fit + evaluate + predict; the kernels that ran on tfjs's JavaScript CPU kernels, less ALLOWED. */
async function fallbacksOf(c: Case): Promise<Record<string, number>> {
  k.utils.setRandomSeed(7);
  const model = c.model();
  model.compile({ optimizer: c.optimizer ?? 'adam', loss: c.loss ?? 'sparse_categorical_crossentropy' });
  const [x, y] = [c.x(), c.y()];
  k.resetFallbackReport();
  await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
  await model.evaluate(x, y, { verbose: 0 });
  tfc.dispose(model.predict(x) as tfc.Tensor);
  const report = k.backendReport().fallbacks;
  tfc.dispose([x, y]);
  model.dispose();
  return omit(report);
}

/** The report less ALLOWED. */
function omit(report: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(report).filter(([name]) => !(name in ALLOWED)));
}

onNative('one fit/evaluate/predict per family on native runs no kernel on the CPU fallback', () => {
  beforeAll(async () => {
    await k.setBackend('native');
  });
  afterAll(async () => {
    await k.setBackend('cpu');
  });

  const all = [...Object.entries(FAMILIES).map(([n, c]) => [`layers ${n}`, c] as const),
    ...Object.entries(LOSSES).map(([n, c]) => [`loss ${n}`, c] as const), ...Object.entries(OPTIMIZERS).map(([n, c]) => [`optimizer ${n}`, c] as const)];
  test.each(all)('%s', async (_, c) => {
    const before = tfc.memory().numTensors;
    const fallbacks = await fallbacksOf(c);
    if (process.env.KERAS_FALLBACK_SURVEY === '1') console.log(`${_}: ${JSON.stringify(fallbacks)}`);
    expect(fallbacks).toEqual({});
    expect(tfc.memory().numTensors).toBe(before);
  });

  test.each(SPARSE_LOSSES)('loss %s (value and gradient, class-index labels)', (_, make) => {
    const before = tfc.memory().numTensors;
    k.resetFallbackReport();
    tfc.tidy(() => {
      const labels = tfc.tensor1d(Array.from({ length: N }, (_, i) => i % 3));
      const pred = tfc.softmax(tfc.randomUniform([N, 3], -1, 1, 'float32', 30));
      const loss = make();
      tfc.grad((p: tfc.Tensor) => loss.call(labels, p))(pred).dataSync();
    });
    expect(omit(k.backendReport().fallbacks)).toEqual({});
    expect(tfc.memory().numTensors).toBe(before);
  });
});
