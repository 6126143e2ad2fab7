/**
 * Keras's `keras.applications.mobilenet_v3`: `MobileNetV3Small` and `MobileNetV3Large` (inverted
 * residual blocks with squeeze-and-excitation and hard-swish; `minimalistic` drops both), with
 * Keras's layer names ('conv', 'expanded_conv_3_squeeze_excite_conv', 'logits', ...). The input
 * rescaling to -1..1 is part of the model (`includePreprocessing`), so the module's
 * `preprocessInput` is the identity, as Keras's.
 */
import { ValueError } from '../engine/errors';
import type { SymbolicTensor } from '../engine/symbolic_tensor';
import { Model } from '../models/model';
import { getLogger } from '../utils/logger';
import { Activation } from '../layers/activation';
import { ReLU } from '../layers/activation_layers';
import { BatchNormalization } from '../layers/normalization';
import { Conv2D } from '../layers/conv';
import { DepthwiseConv2D } from '../layers/depthwise_conv';
import { Dropout } from '../layers/dropout';
import { Flatten } from '../layers/flatten';
import { Add, Multiply } from '../layers/merge';
import { GlobalAveragePooling2D, GlobalMaxPooling2D } from '../layers/pooling';
import { Rescaling } from '../layers/preprocessing/rescaling';
import { ZeroPadding2D } from '../layers/spatial';
import type { ActivationName } from '../activations/activations';
import * as imagenetUtils from './imagenet_utils';
import { applicationInput, correctPad, makeDivisible, pyFloat, sym, validateOptions } from './common';
import type { ApplicationOptions } from './common';
import { loadApplicationWeights } from './weights';

/** The options of MobileNetV3Small and MobileNetV3Large. */
export interface MobileNetV3Options extends ApplicationOptions {
  /**
   * The width multiplier ('imagenet' weights: 0.75 or 1.0; 1.0 when minimalistic).
   * Keras: `alpha` @default 1.0
   */
  alpha?: number;
  /**
   * Without squeeze-and-excitation, hard-swish and 5x5 kernels (ReLU and 3x3 only).
   * Keras: `minimalistic` @default false
   */
  minimalistic?: boolean;
  /**
   * The dropout rate before the logits. Keras: `dropout_rate` @default 0.2
   */
  dropoutRate?: number;
  /**
   * Whether the model starts with Rescaling(1/127.5, -1), taking pixels in 0..255.
   * Keras: `include_preprocessing` @default true
   */
  includePreprocessing?: boolean;
}

const ORIGIN = 'https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v3/';
const HASHES: Record<string, [string, string]> = {
  'large_224_0.75_float': ['765b44a33ad4005b3ac83185abf1d0eb', '40af19a13ebea4e2ee0c676887f69a2e'],
  'large_224_1.0_float': ['59e551e166be033d707958cf9e29a6a7', '07fb09a5933dd0c8eaafa16978110389'],
  'large_minimalistic_224_1.0_float': ['675e7b876c45c57e9e63e6d90a36599c', 'ec5221f64a2f6d1ef965a614bdae7973'],
  'small_224_0.75_float': ['cb65d4e5be93758266aa0a7f2c6708b7', 'ebdb5cc8e0b497cd13a7c275d475c819'],
  'small_224_1.0_float': ['8768d4c2e7dee89b9d02b2d03d65d862', 'd3e8ec802a04aa4fc771ee12a9a9b836'],
  'small_minimalistic_224_1.0_float': ['99cd97fb2fcdad2bf028eb838de69e37', 'cde8136e733e811080d9fcd8a252f7e4'],
};
const KEYS = ['alpha', 'minimalistic', 'dropoutRate', 'includePreprocessing'];

type Act = (x: SymbolicTensor) => SymbolicTensor;
/** A block: [expansion, filters (before alpha), kernel ('k' = the model's kernel), stride, squeeze-excite, activation ('a' = the model's)]. */
type BlockSpec = [number, number, 3 | 'k', 1 | 2, boolean, 'relu' | 'a'];

const SMALL: BlockSpec[] = [
  [1, 16, 3, 2, true, 'relu'], [72 / 16, 24, 3, 2, false, 'relu'], [88 / 24, 24, 3, 1, false, 'relu'],
  [4, 40, 'k', 2, true, 'a'], [6, 40, 'k', 1, true, 'a'], [6, 40, 'k', 1, true, 'a'], [3, 48, 'k', 1, true, 'a'],
  [3, 48, 'k', 1, true, 'a'], [6, 96, 'k', 2, true, 'a'], [6, 96, 'k', 1, true, 'a'], [6, 96, 'k', 1, true, 'a'],
];
const LARGE: BlockSpec[] = [
  [1, 16, 3, 1, false, 'relu'], [4, 24, 3, 2, false, 'relu'], [3, 24, 3, 1, false, 'relu'], [3, 40, 'k', 2, true, 'relu'],
  [3, 40, 'k', 1, true, 'relu'], [3, 40, 'k', 1, true, 'relu'], [6, 80, 3, 2, false, 'a'], [2.5, 80, 3, 1, false, 'a'],
  [2.3, 80, 3, 1, false, 'a'], [2.3, 80, 3, 1, false, 'a'], [6, 112, 3, 1, true, 'a'], [6, 112, 3, 1, true, 'a'],
  [6, 160, 'k', 2, true, 'a'], [6, 160, 'k', 1, true, 'a'], [6, 160, 'k', 1, true, 'a'],
];

/** Instantiates MobileNetV3Small (Keras's `keras.applications.MobileNetV3Small`). */
export function MobileNetV3Small(options: MobileNetV3Options = {}): Promise<Model> {
  return mobileNetV3('small', SMALL, 1024, { name: 'MobileNetV3Small', ...options });
}

/** Instantiates MobileNetV3Large (Keras's `keras.applications.MobileNetV3Large`). */
export function MobileNetV3Large(options: MobileNetV3Options = {}): Promise<Model> {
  return mobileNetV3('large', LARGE, 1280, { name: 'MobileNetV3Large', ...options });
}

async function mobileNetV3(modelType: 'small' | 'large', blocks: BlockSpec[], lastPointCh: number, options: MobileNetV3Options): Promise<Model> {
  const what = modelType === 'small' ? 'MobileNetV3Small' : 'MobileNetV3Large';
  validateOptions(options, what, KEYS);
  const { alpha = 1.0, minimalistic = false, includeTop = true, classes = 1000, pooling = null, dropoutRate = 0.2, includePreprocessing = true } = options;
  const weights = options.weights === undefined ? 'imagenet' : options.weights;
  if (!(typeof alpha === 'number' && alpha > 0)) throw new ValueError(`${what}: alpha must be a positive number, got ${JSON.stringify(alpha)}. help: e.g. {alpha: 0.75}.`);
  const shape = inputShapeOf(options, what);
  const [rows, cols] = shape;
  if (weights === 'imagenet') {
    if ((!minimalistic && alpha !== 0.75 && alpha !== 1.0) || (minimalistic && alpha !== 1.0)) {
      throw new ValueError(`${what}: with 'imagenet' weights alpha must be 0.75 or 1.0 (1.0 when minimalistic), got ${alpha}. help: pick one of those, or weights: null.`);
    }
    if (rows !== cols || rows !== 224) {
      getLogger().warn(`${what}: \`inputShape\` is undefined or non-square, or its rows are not 224; the weights for input shape (224, 224) are loaded.\n`);
    }
  }
  const { imgInput, modelInputs } = applicationInput(options, shape as number[]);
  const kernel = minimalistic ? 3 : 5;
  const activation: Act = minimalistic ? relu : hardSwish;
  const seRatio = minimalistic ? null : 0.25;
  let x = imgInput;
  if (includePreprocessing) x = sym(new Rescaling({ scale: 1 / 127.5, offset: -1 }), x);
  x = sym(new Conv2D({ filters: 16, kernelSize: 3, strides: 2, padding: 'same', useBias: false, name: 'conv' }), x);
  x = activation(sym(batchNorm('conv_bn'), x));
  blocks.forEach(([expansion, filters, k, stride, se, act], blockId) => {
    x = invertedResBlock(x, {
      expansion, filters: makeDivisible(filters * alpha, 8), kernelSize: k === 'k' ? kernel : k, stride,
      seRatio: se ? seRatio : null, activation: act === 'relu' ? relu : activation, blockId,
    });
  });
  const lastConvCh = makeDivisible((x.shape[3] as number) * 6, 8);
  const lastPoint = alpha > 1.0 ? makeDivisible(lastPointCh * alpha, 8) : lastPointCh;
  x = sym(new Conv2D({ filters: lastConvCh, kernelSize: 1, padding: 'same', useBias: false, name: 'conv_1' }), x);
  x = activation(sym(batchNorm('conv_1_bn'), x));
  if (includeTop) {
    x = sym(new GlobalAveragePooling2D({ keepdims: true }), x);
    x = activation(sym(new Conv2D({ filters: lastPoint, kernelSize: 1, padding: 'same', useBias: true, name: 'conv_2' }), x));
    if (dropoutRate > 0) x = sym(new Dropout({ rate: dropoutRate }), x);
    x = sym(new Conv2D({ filters: classes, kernelSize: 1, padding: 'same', name: 'logits' }), x);
    x = sym(new Flatten(), x);
    const classifier = (options.classifierActivation === undefined ? 'softmax' : options.classifierActivation ?? 'linear') as ActivationName;
    x = sym(new Activation({ activation: classifier, name: 'predictions' }), x);
  } else if (pooling === 'avg') {
    x = sym(new GlobalAveragePooling2D({ name: 'avg_pool' }), x);
  } else if (pooling === 'max') {
    x = sym(new GlobalMaxPooling2D({ name: 'max_pool' }), x);
  }
  const model = new Model({ inputs: modelInputs, outputs: x, name: options.name });
  const key = `${modelType}${minimalistic ? '_minimalistic' : ''}_224_${pyFloat(alpha)}_float`;
  const hashes = HASHES[key] ?? ['', ''];
  await loadApplicationWeights(model, weights, includeTop, {
    origin: ORIGIN, top: [`weights_mobilenet_v3_${key}.h5`, hashes[0]], notop: [`weights_mobilenet_v3_${key}_no_top_v2.h5`, hashes[1]],
  });
  return model;
}

/** Keras's MobileNetV3 input shape: any size of at least 32 (null sides allowed), 3 channels unless given. */
function inputShapeOf(options: MobileNetV3Options, what: string): Array<number | null> {
  let shape: Array<number | null>;
  if (options.inputShape !== undefined) shape = [...options.inputShape];
  else if (options.inputTensor !== undefined) shape = [options.inputTensor.shape[2], options.inputTensor.shape[1], 3];
  else shape = [null, null, 3];
  if (shape.length !== 3) throw new ValueError(`${what}: inputShape must be three numbers [height, width, channels], got ${JSON.stringify(shape)}. help: e.g. [224, 224, 3].`);
  const [rows, cols] = shape;
  if (rows !== null && cols !== null && (rows < 32 || cols < 32)) {
    throw new ValueError(`${what}: the input must be at least 32x32, got inputShape ${JSON.stringify(shape)}. help: resize the images to at least 32 pixels a side.`);
  }
  return shape;
}

function batchNorm(name: string): BatchNormalization {
  return new BatchNormalization({ axis: -1, epsilon: 1e-3, momentum: 0.999, name });
}

function relu(x: SymbolicTensor): SymbolicTensor {
  return sym(new ReLU(), x);
}

function hardSwish(x: SymbolicTensor): SymbolicTensor {
  return sym(new Activation({ activation: 'hard_swish' }), x);
}

/** Keras's `_se_block`: global pooling, 1x1 squeeze (ReLU), 1x1 excite (hard sigmoid), scaled input. */
function seBlock(inputs: SymbolicTensor, filters: number, seRatio: number, prefix: string): SymbolicTensor {
  let x = sym(new GlobalAveragePooling2D({ keepdims: true, name: `${prefix}squeeze_excite_avg_pool` }), inputs);
  x = sym(new Conv2D({ filters: makeDivisible(filters * seRatio, 8), kernelSize: 1, padding: 'same', name: `${prefix}squeeze_excite_conv` }), x);
  x = sym(new ReLU({ name: `${prefix}squeeze_excite_relu` }), x);
  x = sym(new Conv2D({ filters, kernelSize: 1, padding: 'same', name: `${prefix}squeeze_excite_conv_1` }), x);
  x = sym(new Activation({ activation: 'hard_sigmoid' }), x); // Keras: ReLU(6.0)(x + 3.0) * (1.0 / 6.0)
  return sym(new Multiply({ name: `${prefix}squeeze_excite_mul` }), [inputs, x]);
}

interface BlockArgs {
  expansion: number;
  filters: number;
  kernelSize: number;
  stride: number;
  seRatio: number | null;
  activation: Act;
  blockId: number;
}

/** Keras's MobileNetV3 `_inverted_res_block`. */
function invertedResBlock(x: SymbolicTensor, o: BlockArgs): SymbolicTensor {
  const shortcut = x;
  const inFilters = x.shape[3] as number;
  let prefix = 'expanded_conv_';
  if (o.blockId) {
    prefix = `expanded_conv_${o.blockId}_`;
    x = sym(new Conv2D({ filters: makeDivisible(inFilters * o.expansion, 8), kernelSize: 1, padding: 'same', useBias: false, name: `${prefix}expand` }), x);
    x = o.activation(sym(batchNorm(`${prefix}expand_bn`), x));
  }
  if (o.stride === 2) x = sym(new ZeroPadding2D({ padding: correctPad(x, o.kernelSize), name: `${prefix}depthwise_pad` }), x);
  x = sym(
    new DepthwiseConv2D({ kernelSize: o.kernelSize, strides: o.stride, padding: o.stride === 1 ? 'same' : 'valid', useBias: false, name: `${prefix}depthwise` }),
    x,
  );
  x = o.activation(sym(batchNorm(`${prefix}depthwise_bn`), x));
  if (o.seRatio) x = seBlock(x, makeDivisible(inFilters * o.expansion, 8), o.seRatio, prefix);
  x = sym(new Conv2D({ filters: o.filters, kernelSize: 1, padding: 'same', useBias: false, name: `${prefix}project` }), x);
  x = sym(batchNorm(`${prefix}project_bn`), x);
  if (o.stride === 1 && inFilters === o.filters) x = sym(new Add({ name: `${prefix}add` }), [shortcut, x]);
  return x;
}

/** The identity: MobileNetV3 rescales its input itself (Keras's `mobilenet_v3.preprocess_input`). */
export function preprocessInput<T>(x: T): T {
  return x;
}

/** The top ImageNet classes of each prediction row (Keras's `decode_predictions`). */
export const decodePredictions = imagenetUtils.decodePredictions;
