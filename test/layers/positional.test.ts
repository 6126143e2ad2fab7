/**
 * Keras's positional first arguments (`new Dense(10)`, `new Conv2D(32, 3, {strides: 2})`): each
 * form builds the same config as the options form, type-checked without casts (tsc compiles this
 * file against the constructor overloads); mistakes are refused naming the layer and its
 * signature; a model written in positional style trains.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import type { Layer, LayerConfig } from '../../src/layers';
import { expectNoLeak } from '../helpers';

const L = k.layers;

beforeAll(async () => {
  await k.setBackend('cpu');
});

L.registerLambdaFunction('positional_double', (x) => tfc.mul(x as tfc.Tensor, 2));

/** The config without layer names (each instance gets its own), at every depth. */
function withoutNames(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNames);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'name').map(([key, v]) => [key, withoutNames(v)]));
}

function config(layer: Layer): unknown {
  return withoutNames(JSON.parse(JSON.stringify(layer.getConfig())) as LayerConfig);
}

const forms: Array<[string, () => Layer, () => Layer]> = [
  ['Dense(10)', () => new L.Dense(10), () => new L.Dense({ units: 10 })],
  ["Dense(10, {activation: 'relu'})", () => new L.Dense(10, { activation: 'relu' }), () => new L.Dense({ units: 10, activation: 'relu' })],
  ['Conv2D(32, 3)', () => new L.Conv2D(32, 3), () => new L.Conv2D({ filters: 32, kernelSize: 3 })],
  ['Conv2D(32, [3, 3], {strides: 2})', () => new L.Conv2D(32, [3, 3], { strides: 2 }), () => new L.Conv2D({ filters: 32, kernelSize: [3, 3], strides: 2 })],
  ['Conv1D(16, 5)', () => new L.Conv1D(16, 5), () => new L.Conv1D({ filters: 16, kernelSize: 5 })],
  ['Conv2DTranspose(8, 3)', () => new L.Conv2DTranspose(8, 3), () => new L.Conv2DTranspose({ filters: 8, kernelSize: 3 })],
  ['DepthwiseConv2D(3)', () => new L.DepthwiseConv2D(3), () => new L.DepthwiseConv2D({ kernelSize: 3 })],
  ['SeparableConv2D(8, 3)', () => new L.SeparableConv2D(8, 3), () => new L.SeparableConv2D({ filters: 8, kernelSize: 3 })],
  ['Dropout(0.5)', () => new L.Dropout(0.5), () => new L.Dropout({ rate: 0.5 })],
  ['SpatialDropout2D(0.2)', () => new L.SpatialDropout2D(0.2), () => new L.SpatialDropout2D({ rate: 0.2 })],
  ['GaussianNoise(0.1)', () => new L.GaussianNoise(0.1), () => new L.GaussianNoise({ stddev: 0.1 })],
  ['GaussianDropout(0.3)', () => new L.GaussianDropout(0.3), () => new L.GaussianDropout({ rate: 0.3 })],
  ['LSTM(64)', () => new L.LSTM(64), () => new L.LSTM({ units: 64 })],
  ['LSTM(4, {returnSequences: true})', () => new L.LSTM(4, { returnSequences: true }), () => new L.LSTM({ units: 4, returnSequences: true })],
  ['GRU(32)', () => new L.GRU(32), () => new L.GRU({ units: 32 })],
  ['SimpleRNN(8)', () => new L.SimpleRNN(8), () => new L.SimpleRNN({ units: 8 })],
  ['SimpleRNNCell(4)', () => new L.SimpleRNNCell(4), () => new L.SimpleRNNCell({ units: 4 })],
  ['LSTMCell(4)', () => new L.LSTMCell(4), () => new L.LSTMCell({ units: 4 })],
  ['GRUCell(4)', () => new L.GRUCell(4), () => new L.GRUCell({ units: 4 })],
  ['RNN(new LSTMCell(4))', () => new L.RNN(new L.LSTMCell(4)), () => new L.RNN({ cell: new L.LSTMCell({ units: 4 }) })],
  ['StackedRNNCells([...])', () => new L.StackedRNNCells([new L.GRUCell(3), new L.GRUCell(2)]), () => new L.StackedRNNCells({ cells: [new L.GRUCell({ units: 3 }), new L.GRUCell({ units: 2 })] })],
  ['Embedding(1000, 64)', () => new L.Embedding(1000, 64), () => new L.Embedding({ inputDim: 1000, outputDim: 64 })],
  ['MaxPooling2D([2, 2])', () => new L.MaxPooling2D([2, 2]), () => new L.MaxPooling2D({ poolSize: [2, 2] })],
  ['MaxPooling1D(3)', () => new L.MaxPooling1D(3), () => new L.MaxPooling1D({ poolSize: 3 })],
  ['AveragePooling2D(2, {strides: 1})', () => new L.AveragePooling2D(2, { strides: 1 }), () => new L.AveragePooling2D({ poolSize: 2, strides: 1 })],
  ["Activation('relu')", () => new L.Activation('relu'), () => new L.Activation({ activation: 'relu' })],
  ['LeakyReLU(0.2)', () => new L.LeakyReLU(0.2), () => new L.LeakyReLU({ negativeSlope: 0.2 })],
  ['ReLU(6)', () => new L.ReLU(6), () => new L.ReLU({ maxValue: 6 })],
  ['ELU(0.5)', () => new L.ELU(0.5), () => new L.ELU({ alpha: 0.5 })],
  ['Softmax(1)', () => new L.Softmax(1), () => new L.Softmax({ axis: 1 })],
  ['Reshape([7, 7, 64])', () => new L.Reshape([7, 7, 64]), () => new L.Reshape({ targetShape: [7, 7, 64] })],
  ['RepeatVector(3)', () => new L.RepeatVector(3), () => new L.RepeatVector({ n: 3 })],
  ['Permute([2, 1])', () => new L.Permute([2, 1]), () => new L.Permute({ dims: [2, 1] })],
  ['ZeroPadding2D(2)', () => new L.ZeroPadding2D(2), () => new L.ZeroPadding2D({ padding: 2 })],
  ['Cropping2D([1, 2])', () => new L.Cropping2D([1, 2]), () => new L.Cropping2D({ cropping: [1, 2] })],
  ['UpSampling2D(2)', () => new L.UpSampling2D(2), () => new L.UpSampling2D({ size: 2 })],
  ['Concatenate(1)', () => new L.Concatenate(1), () => new L.Concatenate({ axis: 1 })],
  ['Dot(1)', () => new L.Dot(1), () => new L.Dot({ axes: 1 })],
  ['Masking(-1)', () => new L.Masking(-1), () => new L.Masking({ maskValue: -1 })],
  ['BatchNormalization(1)', () => new L.BatchNormalization(1), () => new L.BatchNormalization({ axis: 1 })],
  ['LayerNormalization(1)', () => new L.LayerNormalization(1), () => new L.LayerNormalization({ axis: 1 })],
  ['TimeDistributed(new Dense(3))', () => new L.TimeDistributed(new L.Dense(3)), () => new L.TimeDistributed({ layer: new L.Dense({ units: 3 }) })],
  ['Bidirectional(new LSTM(4))', () => new L.Bidirectional(new L.LSTM(4)), () => new L.Bidirectional({ layer: new L.LSTM({ units: 4 }) })],
  ['MultiHeadAttention(2, 8)', () => new L.MultiHeadAttention(2, 8), () => new L.MultiHeadAttention({ numHeads: 2, keyDim: 8 })],
  ["Lambda('positional_double')", () => new L.Lambda('positional_double'), () => new L.Lambda({ function: 'positional_double' })],
  ['Rescaling(1 / 255)', () => new L.Rescaling(1 / 255), () => new L.Rescaling({ scale: 1 / 255 })],
  ['Rescaling(1 / 127.5, {offset: -1})', () => new L.Rescaling(1 / 127.5, { offset: -1 }), () => new L.Rescaling({ scale: 1 / 127.5, offset: -1 })],
  ['Normalization(-1)', () => new L.Normalization(-1), () => new L.Normalization({ axis: -1 })],
  ['CategoryEncoding(5)', () => new L.CategoryEncoding(5), () => new L.CategoryEncoding({ numTokens: 5 })],
  ['StringLookup(10)', () => new L.StringLookup(10), () => new L.StringLookup({ maxTokens: 10 })],
  ['IntegerLookup(10)', () => new L.IntegerLookup(10), () => new L.IntegerLookup({ maxTokens: 10 })],
  ['InputLayer([4, 2])', () => new L.InputLayer([4, 2]), () => new L.InputLayer({ shape: [4, 2] })],
  ['Resizing(64, 48)', () => new L.Resizing(64, 48), () => new L.Resizing({ height: 64, width: 48 })],
  ["RandomFlip('horizontal')", () => new L.RandomFlip('horizontal'), () => new L.RandomFlip({ mode: 'horizontal' })],
  ['RandomTranslation(0.1, 0.2)', () => new L.RandomTranslation(0.1, 0.2), () => new L.RandomTranslation({ heightFactor: 0.1, widthFactor: 0.2 })],
  ['RandomZoom(0.2, {widthFactor: 0.1})', () => new L.RandomZoom(0.2, { widthFactor: 0.1 }), () => new L.RandomZoom({ heightFactor: 0.2, widthFactor: 0.1 })],
  ['TextVectorization(100)', () => new L.TextVectorization(100), () => new L.TextVectorization({ maxTokens: 100 })],
  ['Conv3D(8, 3)', () => new L.Conv3D(8, 3), () => new L.Conv3D({ filters: 8, kernelSize: 3 })],
  ['Conv1DTranspose(4, 3, {strides: 2})', () => new L.Conv1DTranspose(4, 3, { strides: 2 }), () => new L.Conv1DTranspose({ filters: 4, kernelSize: 3, strides: 2 })],
  ['Conv3DTranspose(4, [1, 2, 3])', () => new L.Conv3DTranspose(4, [1, 2, 3]), () => new L.Conv3DTranspose({ filters: 4, kernelSize: [1, 2, 3] })],
  ['DepthwiseConv1D(3)', () => new L.DepthwiseConv1D(3), () => new L.DepthwiseConv1D({ kernelSize: 3 })],
  ['SeparableConv1D(8, 3)', () => new L.SeparableConv1D(8, 3), () => new L.SeparableConv1D({ filters: 8, kernelSize: 3 })],
  ['MaxPooling3D(3)', () => new L.MaxPooling3D(3), () => new L.MaxPooling3D({ poolSize: 3 })],
  ['AveragePooling3D([1, 2, 2])', () => new L.AveragePooling3D([1, 2, 2]), () => new L.AveragePooling3D({ poolSize: [1, 2, 2] })],
  ['AdaptiveAveragePooling1D(4)', () => new L.AdaptiveAveragePooling1D(4), () => new L.AdaptiveAveragePooling1D({ outputSize: 4 })],
  ['AdaptiveMaxPooling2D([2, 3])', () => new L.AdaptiveMaxPooling2D([2, 3]), () => new L.AdaptiveMaxPooling2D({ outputSize: [2, 3] })],
  ['AdaptiveAveragePooling3D(2)', () => new L.AdaptiveAveragePooling3D(2), () => new L.AdaptiveAveragePooling3D({ outputSize: 2 })],
  ['GroupNormalization(8)', () => new L.GroupNormalization(8), () => new L.GroupNormalization({ groups: 8 })],
  ['RMSNormalization(-1, {epsilon: 1e-5})', () => new L.RMSNormalization(-1, { epsilon: 1e-5 }), () => new L.RMSNormalization({ axis: -1, epsilon: 1e-5 })],
  ['UnitNormalization([1, 2])', () => new L.UnitNormalization([1, 2]), () => new L.UnitNormalization({ axis: [1, 2] })],
  ['SpatialDropout1D(0.2)', () => new L.SpatialDropout1D(0.2), () => new L.SpatialDropout1D({ rate: 0.2 })],
  ['SpatialDropout3D(0.2)', () => new L.SpatialDropout3D(0.2), () => new L.SpatialDropout3D({ rate: 0.2 })],
  ['AlphaDropout(0.1)', () => new L.AlphaDropout(0.1), () => new L.AlphaDropout({ rate: 0.1 })],
  ['ActivityRegularization(0.01)', () => new L.ActivityRegularization(0.01), () => new L.ActivityRegularization({ l1: 0.01 })],
  ['Cropping1D([1, 2])', () => new L.Cropping1D([1, 2]), () => new L.Cropping1D({ cropping: [1, 2] })],
  ['Cropping3D(1)', () => new L.Cropping3D(1), () => new L.Cropping3D({ cropping: 1 })],
  ['UpSampling1D(3)', () => new L.UpSampling1D(3), () => new L.UpSampling1D({ size: 3 })],
  ['UpSampling3D([1, 2, 2])', () => new L.UpSampling3D([1, 2, 2]), () => new L.UpSampling3D({ size: [1, 2, 2] })],
  ['ZeroPadding1D(2)', () => new L.ZeroPadding1D(2), () => new L.ZeroPadding1D({ padding: 2 })],
  ['ZeroPadding3D([1, 2, 3])', () => new L.ZeroPadding3D([1, 2, 3]), () => new L.ZeroPadding3D({ padding: [1, 2, 3] })],
  ['SpectralNormalization(new Dense(3))', () => new L.SpectralNormalization(new L.Dense(3)), () => new L.SpectralNormalization({ layer: new L.Dense({ units: 3 }) })],
  ["PReLU('ones')", () => new L.PReLU('ones'), () => new L.PReLU({ alphaInitializer: 'ones' })],
  ["EinsumDense('ab,bc->ac', 4)", () => new L.EinsumDense('ab,bc->ac', 4), () => new L.EinsumDense({ equation: 'ab,bc->ac', outputShape: 4 })],
];

/**
 * Keras 3's first parameters of each __init__ (keras/src/layers), by hand: the required ones, or
 * the first where all have defaults; none where that is a data_format, a boolean flag or *args.
 */
const KERAS_POSITIONAL: Record<string, string[]> = {
  Dense: ['units'], Activation: ['activation'], LeakyReLU: ['negativeSlope'], ReLU: ['maxValue'], ELU: ['alpha'], Softmax: ['axis'],
  Dropout: ['rate'], Flatten: [], Conv1D: ['filters', 'kernelSize'], Conv2D: ['filters', 'kernelSize'],
  Conv2DTranspose: ['filters', 'kernelSize'], DepthwiseConv2D: ['kernelSize'], SeparableConv2D: ['filters', 'kernelSize'],
  MaxPooling1D: ['poolSize'], MaxPooling2D: ['poolSize'], AveragePooling1D: ['poolSize'], AveragePooling2D: ['poolSize'],
  GlobalMaxPooling1D: [], GlobalMaxPooling2D: [], GlobalAveragePooling1D: [], GlobalAveragePooling2D: [],
  BatchNormalization: ['axis'], LayerNormalization: ['axis'], Embedding: ['inputDim', 'outputDim'],
  Reshape: ['targetShape'], Permute: ['dims'], RepeatVector: ['n'], ZeroPadding2D: ['padding'], Cropping2D: ['cropping'], UpSampling2D: ['size'],
  Add: [], Subtract: [], Multiply: [], Average: [], Maximum: [], Minimum: [], Concatenate: ['axis'], Dot: ['axes'],
  SpatialDropout2D: ['rate'], GaussianNoise: ['stddev'], GaussianDropout: ['rate'], InputLayer: ['shape'], Masking: ['maskValue'],
  SimpleRNNCell: ['units'], LSTMCell: ['units'], GRUCell: ['units'], StackedRNNCells: ['cells'], RNN: ['cell'],
  SimpleRNN: ['units'], LSTM: ['units'], GRU: ['units'], TimeDistributed: ['layer'], Bidirectional: ['layer'],
  MultiHeadAttention: ['numHeads', 'keyDim'], Attention: [], AdditiveAttention: [], Lambda: ['function'],
  Normalization: ['axis'], Rescaling: ['scale'], CategoryEncoding: ['numTokens'], StringLookup: ['maxTokens'],
  IntegerLookup: ['maxTokens'], TextVectorization: ['maxTokens'],
  Resizing: ['height', 'width'], CenterCrop: ['height', 'width'], RandomCrop: ['height', 'width'], RandomFlip: ['mode'],
  RandomTranslation: ['heightFactor', 'widthFactor'], RandomRotation: ['factor'], RandomZoom: ['heightFactor'],
  RandomContrast: ['factor'], RandomBrightness: ['factor'], RandomInvert: ['factor'], RandomGrayscale: ['factor'],
  Solarization: ['additionFactor'], AutoContrast: ['valueRange'], RandomPosterization: ['factor'],
  RandomHue: ['factor'], RandomSaturation: ['factor'], RandomSharpness: ['factor'], RandomColorDegeneration: ['factor'],
  RandomColorJitter: ['valueRange'], Equalization: ['valueRange'], MixUp: ['alpha'], CutMix: ['factor'],
  AugMix: ['valueRange'], RandAugment: ['valueRange'],
  RandomShear: ['xFactor'], RandomPerspective: ['factor'], RandomElasticTransform: ['factor'], RandomErasing: ['factor'], RandomGaussianBlur: ['factor'],
  Identity: [], Conv3D: ['filters', 'kernelSize'], Conv1DTranspose: ['filters', 'kernelSize'], Conv3DTranspose: ['filters', 'kernelSize'],
  DepthwiseConv1D: ['kernelSize'], SeparableConv1D: ['filters', 'kernelSize'], MaxPooling3D: ['poolSize'], AveragePooling3D: ['poolSize'],
  GlobalMaxPooling3D: [], GlobalAveragePooling3D: [],
  AdaptiveAveragePooling1D: ['outputSize'], AdaptiveAveragePooling2D: ['outputSize'], AdaptiveAveragePooling3D: ['outputSize'],
  AdaptiveMaxPooling1D: ['outputSize'], AdaptiveMaxPooling2D: ['outputSize'], AdaptiveMaxPooling3D: ['outputSize'],
  GroupNormalization: ['groups'], RMSNormalization: ['axis'], UnitNormalization: ['axis'],
  SpatialDropout1D: ['rate'], SpatialDropout3D: ['rate'], AlphaDropout: ['rate'], ActivityRegularization: ['l1'],
  Cropping1D: ['cropping'], Cropping3D: ['cropping'], UpSampling1D: ['size'], UpSampling3D: ['size'], ZeroPadding1D: ['padding'], ZeroPadding3D: ['padding'],
  PReLU: ['alphaInitializer'], EinsumDense: ['equation', 'outputShape'], SpectralNormalization: ['layer'],
  ConvLSTMCell: ['rank', 'filters', 'kernelSize'], ConvLSTM1D: ['filters', 'kernelSize'], ConvLSTM2D: ['filters', 'kernelSize'], ConvLSTM3D: ['filters', 'kernelSize'],
  GroupQueryAttention: ['headDim', 'numQueryHeads', 'numKeyValueHeads'], Discretization: ['binBoundaries'], Hashing: ['numBins'], HashedCrossing: ['numBins'],
  STFTSpectrogram: ['mode'], MelSpectrogram: ['fftLength'], Wrapper: ['layer'], Pipeline: ['layers'], ReversibleEmbedding: ['inputDim', 'outputDim'],
  ContrastLimitedAdaptiveHistogramEqualization: ['valueRange'],
  // keras.src.applications' own layers (the applications helpers' classes)
  CustomScaleLayer: ['scale'], LayerScale: ['initValues', 'projectionDim'], StochasticDepth: ['dropPathRate'],
};

const BASES = ['Layer', 'MultiInputLayer', 'BaseConv', 'RNNCell'];
const exported = Object.entries(L).filter(([name, v]) => !BASES.includes(name) && typeof v === 'function' && (v as { prototype?: unknown }).prototype instanceof k.Layer);

test('every exported layer takes Keras 3\'s first parameters positionally', () => {
  const listed = Object.fromEntries(exported.map(([name, cls]) => [name, [...(cls as unknown as { positional: string[] }).positional]]));
  expect(listed).toEqual(KERAS_POSITIONAL);
});

test.each(forms)('new %s builds the config of the options form', (_form, positional, options) => {
  const a = positional();
  const b = options();
  expect(a.className).toBe(b.className);
  expect(config(a)).toEqual(config(b));
});

test('Input([3], {batchSize: 2}) is Input({shape: [3], batchSize: 2})', () => {
  const a = k.Input([3], { batchSize: 2 });
  const b = k.Input({ shape: [3], batchSize: 2 });
  expect(a.shape).toEqual([2, 3]);
  expect(a.shape).toEqual(b.shape);
  expect(() => (k.Input as unknown as (...a: unknown[]) => unknown)([3], 2)).toThrow(/Input: takes at most 1 argument \(shape\) before its options, got 2/);
});

test('the configs differ when the positional value differs (the comparison can fail)', () => {
  expect(config(new L.Dense(10))).not.toEqual(config(new L.Dense({ units: 11 })));
  expect(config(new L.Conv2D(32, 3))).not.toEqual(config(new L.Conv2D({ filters: 32, kernelSize: 5 })));
});

test('fromConfig (new this(config)) still takes the options object', () => {
  const dense = new L.Dense(10, { activation: 'relu' });
  const again = L.Dense.fromConfig(dense.getConfig());
  expect(config(again)).toEqual(config(dense));
  const pool = new L.MaxPooling2D([3, 3]);
  expect(config(L.MaxPooling2D.fromConfig(pool.getConfig()))).toEqual(config(pool));
});

test.each<[string, () => unknown, RegExp]>([
  ['a bad positional value keeps the option check', () => new L.Dense(-3), /Dense: `units` must be a positive integer, got -3\. help: pass e\.g\. \{units: 32\}/],
  ['a bad dropout rate', () => new L.Dropout(1.5), /Dropout: `rate` must be a number in \[0, 1\), got 1\.5/],
  ['one value too many', () => new (L.Dense as unknown as new (...a: unknown[]) => Layer)(10, 20), /Dense: takes at most 1 argument \(units\) before its options, got 2: 10, 20\. help: write new Dense\(units, options\?\) or new Dense\(\{units, \.\.\.options\}\)/],
  ['three values for Conv2D', () => new (L.Conv2D as unknown as new (...a: unknown[]) => Layer)(32, 3, 2), /Conv2D: takes at most 2 arguments \(filters, kernelSize\) before its options, got 3: 32, 3, 2\. help: write new Conv2D\(filters, kernelSize, options\?\)/],
  ['a value for a layer that takes none', () => new (L.Flatten as unknown as new (...a: unknown[]) => Layer)(5), /Flatten: takes no arguments before its options, got 1: 5\. help: pass the options object: new Flatten\(\{\.\.\.options\}\)/],
  ['an option given twice', () => new L.Dense(10, { units: 20 } as never), /Dense: `units` is given twice, 10 as an argument and 20 in the options\. help: give it once/],
  ['something after the options', () => new (L.Dense as unknown as new (...a: unknown[]) => Layer)({ units: 10 }, 'relu'), /Dense: the options object must come last, got "relu" after it\. help: write new Dense\(units, options\?\)/],
  ['a misspelt option after a positional value', () => new L.Dense(10, { activaton: 'relu' } as never), /unknown option 'activaton'\. Did you mean 'activation'\?/],
])('%s is refused with the layer and its signature', (_name, make, message) => {
  expect(make).toThrow(message);
});

function imageData(): { x: tfc.Tensor; y: tfc.Tensor } {
  // Three classes of 8x8 images: a bright top, left or diagonal band; fixed, so the loss must fall.
  const images: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < 24; i++) {
    const c = i % 3;
    for (let r = 0; r < 8; r++) for (let q = 0; q < 8; q++) images.push((c === 0 ? r < 3 : c === 1 ? q < 3 : Math.abs(r - q) < 2) ? 1 : 0);
    labels.push(c);
  }
  return { x: tfc.tensor4d(images, [24, 8, 8, 1]), y: tfc.tensor1d(labels) };
}

test('a model written entirely in positional style trains, and predict leaves no tensor behind', async () => {
  k.utils.setRandomSeed(3); // weights, dropout and shuffling drawn from a fixed sequence: the run is the same every time
  const model = new k.Sequential([
    new L.Rescaling(1, { inputShape: [8, 8, 1] }),
    new L.Conv2D(4, 3, { activation: 'relu', padding: 'same' }),
    new L.MaxPooling2D([2, 2]),
    new L.Dropout(0.1),
    new L.Reshape([16, 4]),
    new L.LSTM(8, { returnSequences: true }),
    new L.GRU(6),
    new L.RepeatVector(2),
    new L.SimpleRNN(6),
    new L.Dense(8, { activation: 'relu' }),
    new L.Dense(3, { activation: 'softmax' }),
  ]);
  model.compile({ optimizer: new k.optimizers.Adam({ learningRate: 0.02 }), loss: 'sparse_categorical_crossentropy' });
  const { x, y } = imageData();
  const history = await model.fit(x, y, { epochs: 30, batchSize: 8, verbose: 0 });
  const loss = history.history.loss as number[];
  expect(loss).toHaveLength(30);
  expect(loss[29]).toBeLessThan(loss[0] * 0.8);
  await expectNoLeak(() => tfc.dispose(model.predict(x) as tfc.Tensor));
  tfc.dispose([x, y]);
  model.dispose();
});

test('an Embedding model in positional style trains', async () => {
  const model = new k.Sequential([new L.Embedding(10, 4, { inputShape: [5] }), new L.Flatten(), new L.Dense(1)]);
  model.compile({ optimizer: new k.optimizers.SGD({ learningRate: 0.1 }), loss: 'mse' });
  const x = [[1, 2, 3, 4, 5], [5, 4, 3, 2, 1], [9, 9, 1, 1, 0], [0, 0, 0, 3, 3]];
  const y = [1, 0, 1, 0];
  const history = await model.fit(x, y, { epochs: 20, verbose: 0 });
  const loss = history.history.loss as number[];
  expect(loss[19]).toBeLessThan(loss[0] * 0.5);
  model.dispose();
});
