/**
 * The generic Layer.fromConfig (`new this(config)`), for every exported layer class: getConfig ->
 * fromConfig -> getConfig gives the same config, through the static each class inherits (or the
 * few overrides: layers whose config holds other layers, Lambda, InputLayer). A class exported
 * without a case here fails the test, so a new layer gets its round trip checked.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import type { LayerConfig } from '../../src/engine/layer';

const L = k.layers;

beforeAll(async () => {
  await k.setBackend('cpu');
});

/** One instance per exported layer class, with options that differ from the defaults where it has any. */
const make: Record<string, () => k.Layer> = {
  Dense: () => new L.Dense({ units: 3, activation: 'relu', useBias: false, kernelRegularizer: 'l2', activityRegularizer: 'l1' }),
  Activation: () => new L.Activation({ activation: 'gelu' }),
  LeakyReLU: () => new L.LeakyReLU({ negativeSlope: 0.2 }),
  ReLU: () => new L.ReLU({ maxValue: 0.5, negativeSlope: 0.1, threshold: 0.1 }),
  ELU: () => new L.ELU({ alpha: 0.5 }),
  Softmax: () => new L.Softmax({ axis: 1 }),
  Dropout: () => new L.Dropout({ rate: 0.25 }), // seed and noiseShape unset: null in the config
  Flatten: () => new L.Flatten(),
  Conv1D: () => new L.Conv1D({ filters: 2, kernelSize: 3, padding: 'causal', dilationRate: 2 }),
  Conv2D: () => new L.Conv2D({ filters: 2, kernelSize: [3, 2], strides: 2, padding: 'same' }),
  Conv2DTranspose: () => new L.Conv2DTranspose({ filters: 2, kernelSize: 3, strides: 2 }),
  DepthwiseConv2D: () => new L.DepthwiseConv2D({ kernelSize: 3, depthMultiplier: 2 }),
  SeparableConv2D: () => new L.SeparableConv2D({ filters: 3, kernelSize: 3, padding: 'same' }),
  MaxPooling1D: () => new L.MaxPooling1D({ poolSize: 2 }),
  MaxPooling2D: () => new L.MaxPooling2D({ poolSize: 2, strides: 1 }),
  AveragePooling1D: () => new L.AveragePooling1D({ poolSize: 3, padding: 'same' }),
  AveragePooling2D: () => new L.AveragePooling2D({ poolSize: 2 }),
  GlobalMaxPooling1D: () => new L.GlobalMaxPooling1D(),
  GlobalMaxPooling2D: () => new L.GlobalMaxPooling2D({ keepdims: true }),
  GlobalAveragePooling1D: () => new L.GlobalAveragePooling1D(),
  GlobalAveragePooling2D: () => new L.GlobalAveragePooling2D(),
  BatchNormalization: () => new L.BatchNormalization({ momentum: 0.9, center: false }),
  LayerNormalization: () => new L.LayerNormalization({ epsilon: 1e-5 }),
  Embedding: () => new L.Embedding({ inputDim: 10, outputDim: 3, maskZero: true }),
  Reshape: () => new L.Reshape({ targetShape: [2, -1] }),
  Permute: () => new L.Permute({ dims: [2, 1] }),
  RepeatVector: () => new L.RepeatVector({ n: 3 }),
  ZeroPadding2D: () => new L.ZeroPadding2D({ padding: [[1, 0], [2, 1]] }),
  Cropping2D: () => new L.Cropping2D({ cropping: 1 }),
  UpSampling2D: () => new L.UpSampling2D({ size: 2, interpolation: 'bilinear' }),
  Add: () => new L.Add(),
  Subtract: () => new L.Subtract(),
  Multiply: () => new L.Multiply(),
  Average: () => new L.Average(),
  Maximum: () => new L.Maximum(),
  Minimum: () => new L.Minimum(),
  Concatenate: () => new L.Concatenate({ axis: 1 }),
  CustomScaleLayer: () => new L.CustomScaleLayer({ scale: 0.17 }),
  Dot: () => new L.Dot({ axes: [2, 2], normalize: true }),
  SpatialDropout2D: () => new L.SpatialDropout2D({ rate: 0.3 }),
  GaussianNoise: () => new L.GaussianNoise({ stddev: 0.1 }),
  GaussianDropout: () => new L.GaussianDropout({ rate: 0.2, seed: 3 }),
  LayerScale: () => new L.LayerScale({ initValues: 1e-6, projectionDim: 8 }),
  StochasticDepth: () => new L.StochasticDepth({ dropPathRate: 0.1 }),
  InputLayer: () => new L.InputLayer({ shape: [4, 2], name: 'from_config_input' }),
  Masking: () => new L.Masking({ maskValue: 2 }),
  SimpleRNNCell: () => new L.SimpleRNNCell({ units: 2, activation: 'relu' }),
  LSTMCell: () => new L.LSTMCell({ units: 2, unitForgetBias: false }),
  GRUCell: () => new L.GRUCell({ units: 2, resetAfter: false }),
  StackedRNNCells: () => new L.StackedRNNCells({ cells: [new L.SimpleRNNCell({ units: 2 }), new L.GRUCell({ units: 3 })] }),
  RNN: () => new L.RNN({ cell: new L.LSTMCell({ units: 2 }), returnSequences: true }),
  SimpleRNN: () => new L.SimpleRNN({ units: 2, goBackwards: true }),
  LSTM: () => new L.LSTM({ units: 2, returnState: true }),
  GRU: () => new L.GRU({ units: 2, resetAfter: false }),
  TimeDistributed: () => new L.TimeDistributed({ layer: new L.Dense({ units: 2 }) }),
  Bidirectional: () => new L.Bidirectional({ layer: new L.GRU({ units: 2, returnSequences: true }), mergeMode: 'sum' }),
  MultiHeadAttention: () => new L.MultiHeadAttention({ numHeads: 2, keyDim: 3, dropout: 0.1 }),
  Attention: () => new L.Attention({ useScale: true, scoreMode: 'concat' }),
  AdditiveAttention: () => new L.AdditiveAttention({ useScale: false }),
  Lambda: () => {
    L.registerLambdaFunction('from_config_double', (x) => tfc.mul(x as tfc.Tensor, 2));
    return new L.Lambda({ function: 'from_config_double' });
  },
  Normalization: () => new L.Normalization({ axis: -1 }), // mean and variance unset: null in the config
  Rescaling: () => new L.Rescaling({ scale: 1 / 255, offset: -1 }),
  Resizing: () => new L.Resizing(4, 5, { interpolation: 'nearest', padToAspectRatio: true, fillValue: 1 }),
  CenterCrop: () => new L.CenterCrop(3, 4),
  RandomCrop: () => new L.RandomCrop(3, 4, { seed: 2 }),
  RandomFlip: () => new L.RandomFlip('vertical', { seed: 1 }),
  RandomTranslation: () => new L.RandomTranslation([-0.1, 0.2], 0.3, { fillMode: 'constant', fillValue: 2, seed: 3 }),
  RandomRotation: () => new L.RandomRotation(0.1, { interpolation: 'nearest', fillMode: 'wrap' }), // seed unset: null
  RandomZoom: () => new L.RandomZoom(0.2, { widthFactor: [-0.1, 0.3], fillMode: 'nearest' }),
  RandomContrast: () => new L.RandomContrast([0.1, 0.4], { valueRange: [0, 1], seed: 4 }),
  RandomBrightness: () => new L.RandomBrightness(0.2, { valueRange: [-1, 1] }),
  RandomInvert: () => new L.RandomInvert(0.5, { valueRange: [0, 1], seed: 5 }),
  RandomGrayscale: () => new L.RandomGrayscale(0.3, { seed: 6 }),
  Solarization: () => new L.Solarization([0.1, 0.2], { thresholdFactor: 0.5, valueRange: [0, 1] }),
  AutoContrast: () => new L.AutoContrast([0, 1]),
  RandomPosterization: () => new L.RandomPosterization([2, 6], { seed: 7 }),
  RandomHue: () => new L.RandomHue([0.1, 0.4], { valueRange: [0, 1], seed: 8 }),
  RandomSaturation: () => new L.RandomSaturation(0.3, { seed: 9 }),
  RandomSharpness: () => new L.RandomSharpness([0.2, 0.7], { valueRange: [0, 1] }),
  RandomColorDegeneration: () => new L.RandomColorDegeneration(0.4, { seed: 10 }),
  RandomColorJitter: () => new L.RandomColorJitter([0, 1], { brightnessFactor: 0.2, hueFactor: [0.1, 0.2], seed: 11 }),
  Equalization: () => new L.Equalization([0, 1], { bins: 64 }),
  MixUp: () => new L.MixUp(0.4, { seed: 12 }),
  CutMix: () => new L.CutMix([0.2, 0.8], { seed: 13 }),
  AugMix: () => new L.AugMix([0, 1], { numChains: 2, chainDepth: 1, factor: [0.1, 0.2], alpha: 0.5, allOps: false, interpolation: 'nearest', seed: 14 }),
  RandAugment: () => new L.RandAugment([0, 1], { numOps: 3, factor: 0.4, seed: 15 }),
  RandomShear: () => new L.RandomShear(0.2, { yFactor: [0.1, 0.3], fillMode: 'constant', fillValue: 1, seed: 8 }),
  RandomPerspective: () => new L.RandomPerspective([0.2, 0.6], { scale: 0.4, interpolation: 'nearest', fillValue: 2 }),
  RandomElasticTransform: () => new L.RandomElasticTransform(0.5, { scale: [0.1, 0.2], fillMode: 'wrap', valueRange: [0, 1], seed: 9 }),
  RandomErasing: () => new L.RandomErasing(0.7, { scale: [0.1, 0.2], fillValue: [1, 2, 3], valueRange: [-1, 1] }),
  RandomGaussianBlur: () => new L.RandomGaussianBlur(0.4, { kernelSize: [3, 5], sigma: [0.2, 0.9], valueRange: [0, 1], seed: 10 }),
  CategoryEncoding: () => new L.CategoryEncoding({ numTokens: 4, outputMode: 'count' }),
  StringLookup: () => new L.StringLookup({ vocabulary: ['a', 'b'] }),
  IntegerLookup: () => new L.IntegerLookup({ vocabulary: [3, 5] }),
  TextVectorization: () => new L.TextVectorization({ vocabulary: ['the', 'cat'], outputSequenceLength: 4 }),
  Identity: () => new L.Identity(),
  SpectralNormalization: () => new L.SpectralNormalization({ layer: new L.Dense({ units: 2 }), powerIterations: 3 }),
  Conv3D: () => new L.Conv3D({ filters: 2, kernelSize: [1, 2, 3], strides: 2, padding: 'same', dilationRate: 1 }),
  Conv1DTranspose: () => new L.Conv1DTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' }),
  Conv3DTranspose: () => new L.Conv3DTranspose({ filters: 2, kernelSize: 2, strides: [1, 2, 2], useBias: false }),
  DepthwiseConv1D: () => new L.DepthwiseConv1D({ kernelSize: 3, depthMultiplier: 2, depthwiseRegularizer: 'l2' }),
  SeparableConv1D: () => new L.SeparableConv1D({ filters: 3, kernelSize: 3, padding: 'same', pointwiseInitializer: 'he_normal' }),
  MaxPooling3D: () => new L.MaxPooling3D({ poolSize: [1, 2, 2], strides: 1 }),
  AveragePooling3D: () => new L.AveragePooling3D({ poolSize: 2, padding: 'same' }),
  GlobalMaxPooling3D: () => new L.GlobalMaxPooling3D({ keepdims: true }),
  GlobalAveragePooling3D: () => new L.GlobalAveragePooling3D(),
  AdaptiveAveragePooling1D: () => new L.AdaptiveAveragePooling1D({ outputSize: 3 }),
  AdaptiveAveragePooling2D: () => new L.AdaptiveAveragePooling2D({ outputSize: [2, 3] }),
  AdaptiveAveragePooling3D: () => new L.AdaptiveAveragePooling3D({ outputSize: 2 }),
  AdaptiveMaxPooling1D: () => new L.AdaptiveMaxPooling1D({ outputSize: 5 }),
  AdaptiveMaxPooling2D: () => new L.AdaptiveMaxPooling2D({ outputSize: 4 }),
  AdaptiveMaxPooling3D: () => new L.AdaptiveMaxPooling3D({ outputSize: [1, 2, 3] }),
  GroupNormalization: () => new L.GroupNormalization({ groups: -1, epsilon: 1e-5, center: false }),
  RMSNormalization: () => new L.RMSNormalization({ axis: [1, 2], epsilon: 1e-4 }),
  UnitNormalization: () => new L.UnitNormalization({ axis: [1, 2] }),
  SpatialDropout1D: () => new L.SpatialDropout1D({ rate: 0.3, seed: 4 }),
  SpatialDropout3D: () => new L.SpatialDropout3D({ rate: 0.3 }),
  AlphaDropout: () => new L.AlphaDropout({ rate: 0.2, noiseShape: [null, 1], seed: 5 }),
  ActivityRegularization: () => new L.ActivityRegularization({ l1: 0.1, l2: 0.01 }),
  Cropping1D: () => new L.Cropping1D({ cropping: [2, 0] }),
  Cropping3D: () => new L.Cropping3D({ cropping: [[1, 0], [0, 2], [1, 1]] }),
  UpSampling1D: () => new L.UpSampling1D({ size: 3 }),
  UpSampling3D: () => new L.UpSampling3D({ size: [1, 2, 3] }),
  ZeroPadding1D: () => new L.ZeroPadding1D({ padding: [0, 2] }),
  ZeroPadding3D: () => new L.ZeroPadding3D({ padding: [1, 2, 3] }),
  PReLU: () => new L.PReLU({ alphaInitializer: 'ones', alphaRegularizer: 'l2', alphaConstraint: 'non_neg', sharedAxes: [1, 2] }),
  EinsumDense: () => new L.EinsumDense({ equation: 'abc,cde->abde', outputShape: [null, 2, 3], biasAxes: 'de', activation: 'tanh' }),
  ConvLSTMCell: () => new L.ConvLSTMCell({ rank: 2, filters: 3, kernelSize: [3, 2], padding: 'same', unitForgetBias: false }),
  ConvLSTM1D: () => new L.ConvLSTM1D({ filters: 2, kernelSize: 3, strides: 2, returnSequences: true }),
  ConvLSTM2D: () => new L.ConvLSTM2D({ filters: 4, kernelSize: [3, 3], dilationRate: 2, recurrentActivation: 'hard_sigmoid', dropout: 0.1 }),
  ConvLSTM3D: () => new L.ConvLSTM3D({ filters: 1, kernelSize: 2, padding: 'same', returnState: true, goBackwards: true }),
  GroupQueryAttention: () => new L.GroupQueryAttention({ headDim: 4, numQueryHeads: 4, numKeyValueHeads: 2, useGate: true, slidingWindow: 8, dropout: 0.1 }),
  Discretization: () => new L.Discretization({ binBoundaries: [0, 1.5, 3], outputMode: 'count' }),
  Hashing: () => new L.Hashing({ numBins: 8, salt: [1, 2], maskValue: '', outputMode: 'multi_hot' }),
  HashedCrossing: () => new L.HashedCrossing({ numBins: 16, outputMode: 'one_hot' }),
  STFTSpectrogram: () => new L.STFTSpectrogram({ mode: 'psd', frameLength: 64, frameStep: 16, fftLength: 128, window: 'hamming', scaling: 'spectrum', expandDims: true }),
  MelSpectrogram: () => new L.MelSpectrogram({ fftLength: 512, sequenceStride: 128, numMelBins: 40, maxFreq: 6000, powerToDb: false }),
  Pipeline: () => new L.Pipeline({ layers: [new L.Dense({ units: 2 }), new L.Dropout({ rate: 0.5 })] }),
  ReversibleEmbedding: () => new L.ReversibleEmbedding({ inputDim: 10, outputDim: 4, tieWeights: false, logitSoftCap: 30, maskZero: true }),
  ContrastLimitedAdaptiveHistogramEqualization: () => new L.ContrastLimitedAdaptiveHistogramEqualization({ valueRange: [0, 1], clipLimit: 2, tileGridSize: [4, 4] }),
};

/** Classes that keep a fromConfig of their own: their config holds more than their options (Discretization: the boundaries adapt learned). */
const OVERRIDES = ['InputLayer', 'StackedRNNCells', 'RNN', 'Bidirectional', 'Lambda', 'SpectralNormalization', 'Wrapper', 'Pipeline', 'Discretization'];

const BASES = ['Layer', 'MultiInputLayer', 'BaseConv', 'RNNCell', 'Wrapper'];

const exported = Object.entries(k.layers).filter(([, v]) => typeof v === 'function' && (v === k.Layer || (v as { prototype?: unknown }).prototype instanceof k.Layer));

test('every exported layer class has a case here (bases aside)', () => {
  const missing = exported.map(([name]) => name).filter((name) => !(name in make) && !BASES.includes(name));
  expect(missing).toEqual([]);
  expect(Object.keys(make).length).toBeGreaterThan(60);
});

test.each(Object.keys(make))('%s: getConfig -> fromConfig -> getConfig is the same config', (name) => {
  const layer = make[name]();
  expect(layer.className).toBe(name);
  const cls = layer.constructor as unknown as { fromConfig(c: LayerConfig): k.Layer };
  // Through JSON, as a file holds it: undefined options become absent, unset ones null.
  const config = JSON.parse(JSON.stringify(layer.getConfig())) as LayerConfig;
  const again = cls.fromConfig({ ...config, name: `${config.name}_again` });
  expect(again).toBeInstanceOf(layer.constructor);
  expect(again.getConfig()).toEqual({ ...layer.getConfig(), name: `${config.name}_again` });
  layer.dispose();
  again.dispose();
});

test('only the layers whose config holds more than their options write a fromConfig of their own', () => {
  const own = exported.filter(([, cls]) => Object.prototype.hasOwnProperty.call(cls, 'fromConfig')).map(([name]) => name);
  expect(own.sort()).toEqual([...OVERRIDES, 'Layer'].sort());
});
