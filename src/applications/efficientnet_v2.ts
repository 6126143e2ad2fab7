/**
 * Keras's `keras.applications.efficientnet_v2`: `EfficientNetV2B0` ... `B3`, `S`, `M`, `L` (fused and
 * plain MBConv blocks), with Keras's layer names ('stem_conv', 'block1a_project_conv',
 * 'block6h_se_excite', 'top_activation', ...). With `includePreprocessing` the model takes pixels
 * in 0..255 (B0-B3: Rescaling(1/255) + Normalization by ImageNet's mean and std; S/M/L: to -1..1),
 * so the module's `preprocessInput` is the identity, as Keras's.
 */
import type { SymbolicTensor } from '../engine/symbolic_tensor';
import { Model } from '../models/model';
import { Activation } from '../layers/activation';
import { BatchNormalization } from '../layers/normalization';
import { Conv2D } from '../layers/conv';
import { DepthwiseConv2D } from '../layers/depthwise_conv';
import { Dropout } from '../layers/dropout';
import { Dense } from '../layers/dense';
import { Add, Multiply } from '../layers/merge';
import { GlobalAveragePooling2D, GlobalMaxPooling2D } from '../layers/pooling';
import { Normalization } from '../layers/preprocessing/normalization';
import { Rescaling } from '../layers/preprocessing/rescaling';
import { Reshape } from '../layers/reshaping';
import { VarianceScaling } from '../initializers/random';
import type { ActivationName } from '../activations/activations';
import * as imagenetUtils from './imagenet_utils';
import { applicationInput, obtainInputShape, sym, validateOptions } from './common';
import type { ApplicationOptions } from './common';
import { loadApplicationWeights } from './weights';

/** The options of the EfficientNetV2 models: the common ones and the built-in preprocessing. */
export interface EfficientNetV2Options extends ApplicationOptions {
  /**
   * Whether the model starts with its own rescaling (and normalisation for B0-B3), taking pixels in 0..255.
   * Keras: `include_preprocessing` @default true
   */
  includePreprocessing?: boolean;
}

const ORIGIN = 'https://storage.googleapis.com/tensorflow/keras-applications/efficientnet_v2/';

/** [kernel, repeats, input filters, output filters, expand ratio, se ratio, strides, fused (1) or plain (0)]. */
type Stage = [number, number, number, number, number, number, number, 0 | 1];
const B_STAGES: Stage[] = [
  [3, 1, 32, 16, 1, 0, 1, 1], [3, 2, 16, 32, 4, 0, 2, 1], [3, 2, 32, 48, 4, 0, 2, 1], [3, 3, 48, 96, 4, 0.25, 2, 0],
  [3, 5, 96, 112, 6, 0.25, 1, 0], [3, 8, 112, 192, 6, 0.25, 2, 0],
];
const STAGES: Record<string, Stage[]> = {
  b0: B_STAGES, b1: B_STAGES, b2: B_STAGES, b3: B_STAGES,
  s: [
    [3, 2, 24, 24, 1, 0, 1, 1], [3, 4, 24, 48, 4, 0, 2, 1], [3, 4, 48, 64, 4, 0, 2, 1], [3, 6, 64, 128, 4, 0.25, 2, 0],
    [3, 9, 128, 160, 6, 0.25, 1, 0], [3, 15, 160, 256, 6, 0.25, 2, 0],
  ],
  m: [
    [3, 3, 24, 24, 1, 0, 1, 1], [3, 5, 24, 48, 4, 0, 2, 1], [3, 5, 48, 80, 4, 0, 2, 1], [3, 7, 80, 160, 4, 0.25, 2, 0],
    [3, 14, 160, 176, 6, 0.25, 1, 0], [3, 18, 176, 304, 6, 0.25, 2, 0], [3, 5, 304, 512, 6, 0.25, 1, 0],
  ],
  l: [
    [3, 4, 32, 32, 1, 0, 1, 1], [3, 7, 32, 64, 4, 0, 2, 1], [3, 7, 64, 96, 4, 0, 2, 1], [3, 10, 96, 192, 4, 0.25, 2, 0],
    [3, 19, 192, 224, 6, 0.25, 1, 0], [3, 25, 224, 384, 6, 0.25, 2, 0], [3, 7, 384, 640, 6, 0.25, 1, 0],
  ],
};

/** [width, depth, default size, weight file hashes (top, no top)] per variant, from Keras's source. */
const VARIANTS: Record<string, [number, number, number, string, string]> = {
  b0: [1.0, 1.0, 224, '21ecbf6da12460d5c40bb2f29ceb2188', '893217f2bb855e2983157299931e43ff'],
  b1: [1.0, 1.1, 240, '069f0534ff22adf035c89e2d9547a9dc', '0e80663031ca32d657f9caa404b6ec37'],
  b2: [1.1, 1.2, 260, '424e49f28180edbde1e94797771950a7', '1dfe2e7a5d45b6632553a8961ea609eb'],
  b3: [1.2, 1.4, 300, '1f1fc43bd98a6e4fd8fdfd551e02c7a0', 'f6abf7b5849ac99a89b50dd3fd532856'],
  s: [1.0, 1.0, 384, 'e1d88a8495beba45748fedd0cecbe016', 'af0682fb74e8c54910f2d4393339c070'],
  m: [1.0, 1.0, 480, 'a3bf6aa3276309f4fc6a34aa114c95cd', '1b8dc055df72dde80d614482840fe342'],
  l: [1.0, 1.0, 480, '27e6d408b53c7ebc868fefa357689935', 'b0b66b5c863aef5b46e8608fe1711615'],
};

const convInit = () => new VarianceScaling({ scale: 2.0, mode: 'fan_out', distribution: 'truncated_normal' });
const denseInit = () => new VarianceScaling({ scale: 1 / 3, mode: 'fan_out', distribution: 'uniform' });

/** Keras's EfficientNetV2 `round_filters` (no 10% rule, unlike V1's). */
function roundFilters(filters: number, width: number, divisor = 8): number {
  return Math.max(divisor, Math.floor(Math.trunc(filters * width + divisor / 2) / divisor) * divisor);
}

async function efficientNetV2(variant: string, what: string, options: EfficientNetV2Options): Promise<Model> {
  const [width, depth, defaultSize, topHash, notopHash] = VARIANTS[variant];
  const defaultName = `efficientnetv2-${variant}`;
  validateOptions(options, what, ['includePreprocessing']);
  const { includeTop = true, classes = 1000, pooling = null, name = defaultName, includePreprocessing = true } = options;
  const weights = options.weights === undefined ? 'imagenet' : options.weights;
  const shape = obtainInputShape(options.inputShape, { defaultSize, minSize: 32, requireFlatten: includeTop, weights, name: what });
  const { imgInput, modelInputs } = applicationInput(options, shape);
  let x = imgInput;
  if (includePreprocessing) {
    if (variant.startsWith('b') && shape[2] === 3) {
      x = sym(new Rescaling({ scale: 1 / 255 }), x);
      x = sym(new Normalization({ mean: [0.485, 0.456, 0.406], variance: [0.229 ** 2, 0.224 ** 2, 0.225 ** 2], axis: 3 }), x);
    } else {
      x = sym(new Rescaling({ scale: 1 / 128, offset: -1 }), x);
    }
  }
  const stages = STAGES[variant];
  x = sym(new Conv2D({ filters: roundFilters(stages[0][2], width), kernelSize: 3, strides: 2, kernelInitializer: convInit(), padding: 'same', useBias: false, name: 'stem_conv' }), x);
  x = sym(batchNorm('stem_bn'), x);
  x = sym(new Activation({ activation: 'swish', name: 'stem_activation' }), x);
  const total = stages.reduce((a, s) => a + s[1], 0);
  let b = 0;
  stages.forEach(([kernelSize, repeats, filtersIn0, filtersOut0, expandRatio, seRatio, strides0, fused], i) => {
    const filtersOut = roundFilters(filtersOut0, width);
    let filtersIn = roundFilters(filtersIn0, width);
    let strides = strides0;
    for (let j = 0; j < Math.ceil(depth * repeats); j++) {
      if (j > 0) {
        strides = 1;
        filtersIn = filtersOut;
      }
      const args = { filtersIn, filtersOut, expandRatio, kernelSize, strides, seRatio, dropRate: (0.2 * b) / total, name: `block${i + 1}${String.fromCharCode(97 + j)}_` };
      x = fused ? fusedMbConvBlock(x, args) : mbConvBlock(x, args);
      b += 1;
    }
  });
  x = sym(new Conv2D({ filters: roundFilters(1280, width), kernelSize: 1, strides: 1, kernelInitializer: convInit(), padding: 'same', useBias: false, name: 'top_conv' }), x);
  x = sym(batchNorm('top_bn'), x);
  x = sym(new Activation({ activation: 'swish', name: 'top_activation' }), x);
  if (includeTop) {
    x = sym(new GlobalAveragePooling2D({ name: 'avg_pool' }), x);
    x = sym(new Dropout({ rate: 0.2, name: 'top_dropout' }), x);
    const activation = (options.classifierActivation === undefined ? 'softmax' : options.classifierActivation ?? 'linear') as ActivationName;
    x = sym(new Dense({ units: classes, activation, kernelInitializer: denseInit(), biasInitializer: 'zeros', name: 'predictions' }), x);
  } else if (pooling === 'avg') {
    x = sym(new GlobalAveragePooling2D({ name: 'avg_pool' }), x);
  } else if (pooling === 'max') {
    x = sym(new GlobalMaxPooling2D({ name: 'max_pool' }), x);
  }
  const model = new Model({ inputs: modelInputs, outputs: x, name });
  await loadApplicationWeights(model, weights, includeTop, { origin: ORIGIN, top: [`${defaultName}.h5`, topHash], notop: [`${defaultName}_notop.h5`, notopHash] });
  return model;
}

function batchNorm(name: string): BatchNormalization {
  return new BatchNormalization({ axis: 3, momentum: 0.9, name });
}

interface BlockArgs {
  filtersIn: number;
  filtersOut: number;
  expandRatio: number;
  kernelSize: number;
  strides: number;
  seRatio: number;
  dropRate: number;
  name: string;
}

/** Squeeze-and-excitation as Keras's EfficientNetV2 blocks write it (skipped when the ratio is 0). */
function squeezeExcite(x: SymbolicTensor, filters: number, o: BlockArgs): SymbolicTensor {
  if (!(o.seRatio > 0 && o.seRatio <= 1)) return x;
  const name = o.name;
  let se = sym(new GlobalAveragePooling2D({ name: `${name}se_squeeze` }), x);
  se = sym(new Reshape({ targetShape: [1, 1, filters], name: `${name}se_reshape` }), se);
  const reduce = Math.max(1, Math.trunc(o.filtersIn * o.seRatio));
  se = sym(new Conv2D({ filters: reduce, kernelSize: 1, padding: 'same', activation: 'swish', kernelInitializer: convInit(), name: `${name}se_reduce` }), se);
  se = sym(new Conv2D({ filters, kernelSize: 1, padding: 'same', activation: 'sigmoid', kernelInitializer: convInit(), name: `${name}se_expand` }), se);
  return sym(new Multiply({ name: `${name}se_excite` }), [x, se]);
}

/** The residual of both blocks: Keras drops with rate = the block's drop-connect rate (none for the first block). */
function residual(x: SymbolicTensor, inputs: SymbolicTensor, o: BlockArgs): SymbolicTensor {
  if (o.strides !== 1 || o.filtersIn !== o.filtersOut) return x;
  if (o.dropRate) x = sym(new Dropout({ rate: o.dropRate, noiseShape: [null, 1, 1, 1] as unknown as number[], name: `${o.name}drop` }), x);
  return sym(new Add({ name: `${o.name}add` }), [x, inputs]);
}

/** Keras's `MBConvBlock`: 1x1 expansion, depthwise, squeeze-and-excitation, 1x1 projection. */
function mbConvBlock(inputs: SymbolicTensor, o: BlockArgs): SymbolicTensor {
  const name = o.name;
  const filters = o.filtersIn * o.expandRatio;
  let x = inputs;
  if (o.expandRatio !== 1) {
    x = sym(new Conv2D({ filters, kernelSize: 1, strides: 1, kernelInitializer: convInit(), padding: 'same', useBias: false, name: `${name}expand_conv` }), x);
    x = sym(batchNorm(`${name}expand_bn`), x);
    x = sym(new Activation({ activation: 'swish', name: `${name}expand_activation` }), x);
  }
  x = sym(new DepthwiseConv2D({ kernelSize: o.kernelSize, strides: o.strides, depthwiseInitializer: convInit(), padding: 'same', useBias: false, name: `${name}dwconv2` }), x);
  x = sym(batchNorm(`${name}bn`), x);
  x = sym(new Activation({ activation: 'swish', name: `${name}activation` }), x);
  x = squeezeExcite(x, filters, o);
  x = sym(new Conv2D({ filters: o.filtersOut, kernelSize: 1, strides: 1, kernelInitializer: convInit(), padding: 'same', useBias: false, name: `${name}project_conv` }), x);
  x = sym(batchNorm(`${name}project_bn`), x);
  return residual(x, inputs, o);
}

/** Keras's `FusedMBConvBlock`: one full convolution in place of expansion + depthwise. */
function fusedMbConvBlock(inputs: SymbolicTensor, o: BlockArgs): SymbolicTensor {
  const name = o.name;
  const filters = o.filtersIn * o.expandRatio;
  let x = inputs;
  const expands = o.expandRatio !== 1;
  if (expands) {
    x = sym(new Conv2D({ filters, kernelSize: o.kernelSize, strides: o.strides, kernelInitializer: convInit(), padding: 'same', useBias: false, name: `${name}expand_conv` }), x);
    x = sym(batchNorm(`${name}expand_bn`), x);
    x = sym(new Activation({ activation: 'swish', name: `${name}expand_activation` }), x);
  }
  x = squeezeExcite(x, filters, o);
  x = sym(
    new Conv2D({
      filters: o.filtersOut, kernelSize: expands ? 1 : o.kernelSize, strides: expands ? 1 : o.strides, kernelInitializer: convInit(), padding: 'same', useBias: false, name: `${name}project_conv`,
    }),
    x,
  );
  x = sym(batchNorm(`${name}project_bn`), x);
  if (!expands) x = sym(new Activation({ activation: 'swish', name: `${name}project_activation` }), x);
  return residual(x, inputs, o);
}

/** Instantiates EfficientNetV2B0 (Keras's `keras.applications.EfficientNetV2B0`; default input 224). */
export const EfficientNetV2B0 = (options: EfficientNetV2Options = {}): Promise<Model> => efficientNetV2('b0', 'EfficientNetV2B0', options);
/** Instantiates EfficientNetV2B1 (default input 240). */
export const EfficientNetV2B1 = (options: EfficientNetV2Options = {}): Promise<Model> => efficientNetV2('b1', 'EfficientNetV2B1', options);
/** Instantiates EfficientNetV2B2 (default input 260). */
export const EfficientNetV2B2 = (options: EfficientNetV2Options = {}): Promise<Model> => efficientNetV2('b2', 'EfficientNetV2B2', options);
/** Instantiates EfficientNetV2B3 (default input 300). */
export const EfficientNetV2B3 = (options: EfficientNetV2Options = {}): Promise<Model> => efficientNetV2('b3', 'EfficientNetV2B3', options);
/** Instantiates EfficientNetV2S (default input 384). */
export const EfficientNetV2S = (options: EfficientNetV2Options = {}): Promise<Model> => efficientNetV2('s', 'EfficientNetV2S', options);
/** Instantiates EfficientNetV2M (default input 480). */
export const EfficientNetV2M = (options: EfficientNetV2Options = {}): Promise<Model> => efficientNetV2('m', 'EfficientNetV2M', options);
/** Instantiates EfficientNetV2L (default input 480). */
export const EfficientNetV2L = (options: EfficientNetV2Options = {}): Promise<Model> => efficientNetV2('l', 'EfficientNetV2L', options);

/** The identity: EfficientNetV2 preprocesses its input itself (Keras's `efficientnet_v2.preprocess_input`). */
export function preprocessInput<T>(x: T): T {
  return x;
}

/** The top ImageNet classes of each prediction row (Keras's `decode_predictions`). */
export const decodePredictions = imagenetUtils.decodePredictions;
