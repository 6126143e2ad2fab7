/**
 * Keras's `keras.applications.efficientnet`: `EfficientNetB0` ... `EfficientNetB7` (MBConv blocks
 * with squeeze-and-excitation, scaled in width, depth and resolution), with Keras's layer names
 * ('stem_conv', 'block6d_se_excite', 'top_activation', ...). The preprocessing is part of the model
 * as Keras's: Rescaling(1/255), Normalization, and with 'imagenet' weights a per-channel Rescaling;
 * so the module's `preprocessInput` is the identity.
 */
import type { SymbolicTensor } from '../engine/symbolic_tensor';
import { Model } from '../models/model';
import { Activation } from '../layers/activation';
import { BatchNormalization } from '../layers/normalization';
import { Conv2D } from '../layers/conv';
import { DepthwiseConv2D } from '../layers/depthwise_conv';
import { Dropout } from '../layers/dropout';
import { Add, Multiply } from '../layers/merge';
import { GlobalAveragePooling2D, GlobalMaxPooling2D } from '../layers/pooling';
import { Dense } from '../layers/dense';
import { Normalization } from '../layers/preprocessing/normalization';
import { Rescaling } from '../layers/preprocessing/rescaling';
import { Reshape } from '../layers/reshaping';
import { ZeroPadding2D } from '../layers/spatial';
import { VarianceScaling } from '../initializers/random';
import type { ActivationName } from '../activations/activations';
import * as imagenetUtils from './imagenet_utils';
import { applicationInput, correctPad, obtainInputShape, sym, validateOptions } from './common';
import type { ApplicationOptions } from './common';
import { loadApplicationWeights } from './weights';

/** The options of EfficientNetB0 ... B7 (Keras's: the common ones only). */
export type EfficientNetOptions = ApplicationOptions;

const ORIGIN = 'https://storage.googleapis.com/keras-applications/';
const IMAGENET_STDDEV_RGB = [0.229, 0.224, 0.225];

/** One stage of MBConv blocks, before width and depth scaling (Keras's DEFAULT_BLOCKS_ARGS). */
interface StageArgs {
  kernelSize: number;
  repeats: number;
  filtersIn: number;
  filtersOut: number;
  expandRatio: number;
  strides: number;
}
const STAGES: StageArgs[] = [
  { kernelSize: 3, repeats: 1, filtersIn: 32, filtersOut: 16, expandRatio: 1, strides: 1 },
  { kernelSize: 3, repeats: 2, filtersIn: 16, filtersOut: 24, expandRatio: 6, strides: 2 },
  { kernelSize: 5, repeats: 2, filtersIn: 24, filtersOut: 40, expandRatio: 6, strides: 2 },
  { kernelSize: 3, repeats: 3, filtersIn: 40, filtersOut: 80, expandRatio: 6, strides: 2 },
  { kernelSize: 5, repeats: 3, filtersIn: 80, filtersOut: 112, expandRatio: 6, strides: 1 },
  { kernelSize: 5, repeats: 4, filtersIn: 112, filtersOut: 192, expandRatio: 6, strides: 2 },
  { kernelSize: 3, repeats: 1, filtersIn: 192, filtersOut: 320, expandRatio: 6, strides: 1 },
];

/** [width, depth, default size, dropout, weight file hashes (top, no top)] of B0..B7, from Keras's source. */
const VARIANTS: Array<[number, number, number, number, string, string]> = [
  [1.0, 1.0, 224, 0.2, '902e53a9f72be733fc0bcb005b3ebbac', '50bc09e76180e00e4465e1a485ddc09d'],
  [1.0, 1.1, 240, 0.2, '1d254153d4ab51201f1646940f018540', '74c4e6b3e1f6a1eea24c589628592432'],
  [1.1, 1.2, 260, 0.3, 'b15cce36ff4dcbd00b6dd88e7857a6ad', '111f8e2ac8aa800a7a99e3239f7bfb39'],
  [1.2, 1.4, 300, 0.3, 'ffd1fdc53d0ce67064dc6a9c7960ede0', 'af6d107764bb5b1abb91932881670226'],
  [1.4, 1.8, 380, 0.4, '18c95ad55216b8f92d7e70b3a046e2fc', 'ebc24e6d6c33eaebbd558eafbeedf1ba'],
  [1.6, 2.2, 456, 0.4, 'ace28f2a6363774853a83a0b21b9421a', '38879255a25d3c92d5e44e04ae6cec6f'],
  [1.8, 2.6, 528, 0.5, '165f6e37dce68623721b423839de8be5', '9ecce42647a20130c1f39a5d4cb75743'],
  [2.0, 3.1, 600, 0.5, '8c03f828fec3ef71311cd463b6759d99', 'cbcfe4450ddf6f3ad90b1b398090fe4a'],
];

const convInit = () => new VarianceScaling({ scale: 2.0, mode: 'fan_out', distribution: 'truncated_normal' });
const denseInit = () => new VarianceScaling({ scale: 1 / 3, mode: 'fan_out', distribution: 'uniform' });

/** Keras's `round_filters`: filters times the width coefficient, to a multiple of 8, at most 10% down. */
function roundFilters(filters: number, width: number, divisor = 8): number {
  const f = filters * width;
  let next = Math.max(divisor, Math.floor(Math.trunc(f + divisor / 2) / divisor) * divisor);
  if (next < 0.9 * f) next += divisor;
  return next;
}

async function efficientNet(variant: number, options: EfficientNetOptions): Promise<Model> {
  const [width, depth, defaultSize, dropoutRate, topHash, notopHash] = VARIANTS[variant];
  const defaultName = `efficientnetb${variant}`;
  const what = `EfficientNetB${variant}`;
  validateOptions(options, what);
  const { includeTop = true, classes = 1000, pooling = null, name = defaultName } = options;
  const weights = options.weights === undefined ? 'imagenet' : options.weights;
  const shape = obtainInputShape(options.inputShape, { defaultSize, minSize: 32, requireFlatten: includeTop, weights, name: what });
  const { imgInput, modelInputs } = applicationInput(options, shape);
  let x = sym(new Rescaling({ scale: 1 / 255 }), imgInput);
  x = sym(new Normalization({ axis: 3 }), x);
  if (weights === 'imagenet') x = sym(new Rescaling({ scale: IMAGENET_STDDEV_RGB.map((s) => 1 / Math.sqrt(s)) }), x);
  x = sym(new ZeroPadding2D({ padding: correctPad(x, 3), name: 'stem_conv_pad' }), x);
  x = sym(new Conv2D({ filters: roundFilters(32, width), kernelSize: 3, strides: 2, padding: 'valid', useBias: false, kernelInitializer: convInit(), name: 'stem_conv' }), x);
  x = sym(new BatchNormalization({ axis: 3, name: 'stem_bn' }), x);
  x = sym(new Activation({ activation: 'swish', name: 'stem_activation' }), x);
  const roundRepeats = (r: number) => Math.ceil(depth * r);
  const total = STAGES.reduce((a, s) => a + roundRepeats(s.repeats), 0);
  let b = 0;
  STAGES.forEach((stage, i) => {
    const filtersOut = roundFilters(stage.filtersOut, width);
    let filtersIn = roundFilters(stage.filtersIn, width);
    let strides = stage.strides;
    for (let j = 0; j < roundRepeats(stage.repeats); j++) {
      if (j > 0) {
        strides = 1;
        filtersIn = filtersOut;
      }
      const blockName = `block${i + 1}${String.fromCharCode(97 + j)}_`;
      x = mbConvBlock(x, { dropRate: (0.2 * b) / total, name: blockName, filtersIn, filtersOut, kernelSize: stage.kernelSize, strides, expandRatio: stage.expandRatio });
      b += 1;
    }
  });
  x = sym(new Conv2D({ filters: roundFilters(1280, width), kernelSize: 1, padding: 'same', useBias: false, kernelInitializer: convInit(), name: 'top_conv' }), x);
  x = sym(new BatchNormalization({ axis: 3, name: 'top_bn' }), x);
  x = sym(new Activation({ activation: 'swish', name: 'top_activation' }), x);
  if (includeTop) {
    x = sym(new GlobalAveragePooling2D({ name: 'avg_pool' }), x);
    if (dropoutRate > 0) x = sym(new Dropout({ rate: dropoutRate, name: 'top_dropout' }), x);
    const activation = (options.classifierActivation === undefined ? 'softmax' : options.classifierActivation ?? 'linear') as ActivationName;
    x = sym(new Dense({ units: classes, activation, kernelInitializer: denseInit(), name: 'predictions' }), x);
  } else if (pooling === 'avg') {
    x = sym(new GlobalAveragePooling2D({ name: 'avg_pool' }), x);
  } else if (pooling === 'max') {
    x = sym(new GlobalMaxPooling2D({ name: 'max_pool' }), x);
  }
  const model = new Model({ inputs: modelInputs, outputs: x, name });
  await loadApplicationWeights(model, weights, includeTop, { origin: ORIGIN, top: [`${defaultName}.h5`, topHash], notop: [`${defaultName}_notop.h5`, notopHash] });
  return model;
}

interface BlockArgs {
  dropRate: number;
  name: string;
  filtersIn: number;
  filtersOut: number;
  kernelSize: number;
  strides: number;
  expandRatio: number;
}

/** Keras's EfficientNet `block`: expansion, depthwise, squeeze-and-excitation (ratio 0.25), projection, stochastic-depth skip. */
function mbConvBlock(inputs: SymbolicTensor, o: BlockArgs): SymbolicTensor {
  const name = o.name;
  const filters = o.filtersIn * o.expandRatio;
  let x = inputs;
  if (o.expandRatio !== 1) {
    x = sym(new Conv2D({ filters, kernelSize: 1, padding: 'same', useBias: false, kernelInitializer: convInit(), name: `${name}expand_conv` }), x);
    x = sym(new BatchNormalization({ axis: 3, name: `${name}expand_bn` }), x);
    x = sym(new Activation({ activation: 'swish', name: `${name}expand_activation` }), x);
  }
  if (o.strides === 2) x = sym(new ZeroPadding2D({ padding: correctPad(x, o.kernelSize), name: `${name}dwconv_pad` }), x);
  x = sym(
    new DepthwiseConv2D({
      kernelSize: o.kernelSize, strides: o.strides, padding: o.strides === 2 ? 'valid' : 'same', useBias: false, depthwiseInitializer: convInit(), name: `${name}dwconv`,
    }),
    x,
  );
  x = sym(new BatchNormalization({ axis: 3, name: `${name}bn` }), x);
  x = sym(new Activation({ activation: 'swish', name: `${name}activation` }), x);
  const filtersSe = Math.max(1, Math.trunc(o.filtersIn * 0.25));
  let se = sym(new GlobalAveragePooling2D({ name: `${name}se_squeeze` }), x);
  se = sym(new Reshape({ targetShape: [1, 1, filters], name: `${name}se_reshape` }), se);
  se = sym(new Conv2D({ filters: filtersSe, kernelSize: 1, padding: 'same', activation: 'swish', kernelInitializer: convInit(), name: `${name}se_reduce` }), se);
  se = sym(new Conv2D({ filters, kernelSize: 1, padding: 'same', activation: 'sigmoid', kernelInitializer: convInit(), name: `${name}se_expand` }), se);
  x = sym(new Multiply({ name: `${name}se_excite` }), [x, se]);
  x = sym(new Conv2D({ filters: o.filtersOut, kernelSize: 1, padding: 'same', useBias: false, kernelInitializer: convInit(), name: `${name}project_conv` }), x);
  x = sym(new BatchNormalization({ axis: 3, name: `${name}project_bn` }), x);
  if (o.strides === 1 && o.filtersIn === o.filtersOut) {
    if (o.dropRate > 0) x = sym(new Dropout({ rate: o.dropRate, noiseShape: [null, 1, 1, 1] as unknown as number[], name: `${name}drop` }), x);
    x = sym(new Add({ name: `${name}add` }), [x, inputs]);
  }
  return x;
}

/** Instantiates EfficientNetB0 (Keras's `keras.applications.EfficientNetB0`; default input 224). */
export const EfficientNetB0 = (options: EfficientNetOptions = {}): Promise<Model> => efficientNet(0, options);
/** Instantiates EfficientNetB1 (default input 240). */
export const EfficientNetB1 = (options: EfficientNetOptions = {}): Promise<Model> => efficientNet(1, options);
/** Instantiates EfficientNetB2 (default input 260). */
export const EfficientNetB2 = (options: EfficientNetOptions = {}): Promise<Model> => efficientNet(2, options);
/** Instantiates EfficientNetB3 (default input 300). */
export const EfficientNetB3 = (options: EfficientNetOptions = {}): Promise<Model> => efficientNet(3, options);
/** Instantiates EfficientNetB4 (default input 380). */
export const EfficientNetB4 = (options: EfficientNetOptions = {}): Promise<Model> => efficientNet(4, options);
/** Instantiates EfficientNetB5 (default input 456). */
export const EfficientNetB5 = (options: EfficientNetOptions = {}): Promise<Model> => efficientNet(5, options);
/** Instantiates EfficientNetB6 (default input 528). */
export const EfficientNetB6 = (options: EfficientNetOptions = {}): Promise<Model> => efficientNet(6, options);
/** Instantiates EfficientNetB7 (default input 600). */
export const EfficientNetB7 = (options: EfficientNetOptions = {}): Promise<Model> => efficientNet(7, options);

/** The identity: EfficientNet rescales and normalises its input itself (Keras's `efficientnet.preprocess_input`). */
export function preprocessInput<T>(x: T): T {
  return x;
}

/** The top ImageNet classes of each prediction row (Keras's `decode_predictions`). */
export const decodePredictions = imagenetUtils.decodePredictions;

