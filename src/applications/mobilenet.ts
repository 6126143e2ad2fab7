/**
 * Keras's `keras.applications.mobilenet`: `MobileNet` (depthwise separable convolutions; `alpha`
 * scales the widths, `depthMultiplier` the depthwise outputs), with Keras's layer names ('conv1',
 * 'conv_dw_13_bn', 'conv_preds', ...), and the module's `preprocessInput` (mode 'tf') and
 * `decodePredictions`.
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
import { GlobalAveragePooling2D } from '../layers/pooling';
import { Reshape } from '../layers/reshaping';
import { ZeroPadding2D } from '../layers/spatial';
import type { ActivationName } from '../activations/activations';
import * as imagenetUtils from './imagenet_utils';
import type { ImageBatch, PreprocessOptions } from './imagenet_utils';
import { applicationInput, classifierHead, givenRowsCols, obtainInputShape, pyDim, sym, validateOptions } from './common';
import type { ApplicationOptions } from './common';
import { loadApplicationWeights } from './weights';

/** MobileNet's options: the common ones, the width multiplier, the depth multiplier and the dropout. */
export interface MobileNetOptions extends ApplicationOptions {
  /**
   * The width multiplier ('imagenet' weights: 0.25, 0.5, 0.75, 1.0).
   * Keras: `alpha` @default 1.0
   */
  alpha?: number;
  /**
   * The depthwise convolutions' output channels per input channel ('imagenet' weights: 1).
   * Keras: `depth_multiplier` @default 1
   */
  depthMultiplier?: number;
  /**
   * The dropout rate before the classifier. Keras: `dropout` @default 0.001
   */
  dropout?: number;
}

const ORIGIN = 'https://storage.googleapis.com/tensorflow/keras-applications/mobilenet/';
const IMAGENET_SIZES = [128, 160, 192, 224];
const ALPHA_TEXT = new Map([[1.0, '1_0'], [0.75, '7_5'], [0.5, '5_0'], [0.25, '2_5']]);

/** [pointwise filters, stride] of depthwise blocks 1..13. */
const BLOCKS: Array<[number, number]> = [
  [64, 1], [128, 2], [128, 1], [256, 2], [256, 1], [512, 2], [512, 1], [512, 1], [512, 1], [512, 1], [512, 1], [1024, 2], [1024, 1],
];

/** Instantiates MobileNet (Keras's `keras.applications.MobileNet`): `await k.applications.MobileNet({weights: null})`. */
export async function MobileNet(options: MobileNetOptions = {}): Promise<Model> {
  validateOptions(options, 'MobileNet', ['alpha', 'depthMultiplier', 'dropout']);
  const { alpha = 1.0, depthMultiplier = 1, dropout = 1e-3, includeTop = true, classes = 1000 } = options;
  const weights = options.weights === undefined ? 'imagenet' : options.weights;
  if (!(typeof alpha === 'number' && alpha > 0)) throw new ValueError(`MobileNet: alpha must be a positive number, got ${JSON.stringify(alpha)}. help: e.g. {alpha: 0.5}.`);
  if (!(Number.isInteger(depthMultiplier) && depthMultiplier > 0)) {
    throw new ValueError(`MobileNet: depthMultiplier must be a positive integer, got ${JSON.stringify(depthMultiplier)}. help: e.g. {depthMultiplier: 1}.`);
  }
  const given = options.inputShape === undefined ? undefined : givenRowsCols(options);
  const defaultSize = given !== undefined && given[0] === given[1] && given[0] !== null && IMAGENET_SIZES.includes(given[0]) ? given[0] : 224;
  const shape = obtainInputShape(options.inputShape, { defaultSize, minSize: 32, requireFlatten: includeTop, weights, name: 'MobileNet' });
  let rows: number | null = shape[0];
  if (weights === 'imagenet') {
    if (depthMultiplier !== 1) throw new ValueError(`MobileNet: with 'imagenet' weights depthMultiplier must be 1, got ${depthMultiplier}. help: drop it, or weights: null.`);
    if (!ALPHA_TEXT.has(alpha)) throw new ValueError(`MobileNet: with 'imagenet' weights alpha must be one of 0.25, 0.5, 0.75, 1.0, got ${alpha}. help: pick one of those, or weights: null.`);
    if (rows !== shape[1] || rows === null || !IMAGENET_SIZES.includes(rows)) {
      rows = 224;
      getLogger().warn('MobileNet: `inputShape` is undefined or non-square, or its rows are not in [128, 160, 192, 224]; the weights for input shape (224, 224) are loaded.\n');
    }
  }
  const { imgInput, modelInputs } = applicationInput(options, shape);
  let x = sym(new Conv2D({ filters: Math.trunc(32 * alpha), kernelSize: 3, padding: 'same', useBias: false, strides: 2, name: 'conv1' }), imgInput);
  x = sym(new BatchNormalization({ axis: -1, name: 'conv1_bn' }), x);
  x = sym(new ReLU({ maxValue: 6, name: 'conv1_relu' }), x);
  BLOCKS.forEach(([filters, stride], i) => {
    x = depthwiseConvBlock(x, { filters: Math.trunc(filters * alpha), depthMultiplier, stride, blockId: i + 1 });
  });
  if (includeTop) {
    x = sym(new GlobalAveragePooling2D({ keepdims: true }), x);
    x = sym(new Dropout({ rate: dropout, name: 'dropout' }), x);
    x = sym(new Conv2D({ filters: classes, kernelSize: 1, padding: 'same', name: 'conv_preds' }), x);
    x = sym(new Reshape({ targetShape: [classes], name: 'reshape_2' }), x);
    const activation = (options.classifierActivation === undefined ? 'softmax' : options.classifierActivation ?? 'linear') as ActivationName;
    x = sym(new Activation({ activation, name: 'predictions' }), x);
  } else {
    x = classifierHead(x, options);
  }
  const model = new Model({ inputs: modelInputs, outputs: x, name: options.name ?? `mobilenet_${alpha.toFixed(2)}_${pyDim(rows)}` });
  const file = `mobilenet_${ALPHA_TEXT.get(alpha) ?? '2_5'}_${pyDim(rows)}_tf`;
  await loadApplicationWeights(model, weights, includeTop, { origin: ORIGIN, top: [`${file}.h5`, ''], notop: [`${file}_no_top.h5`, ''] });
  return model;
}

/** Keras's `_depthwise_conv_block`: 3x3 depthwise (zero-padded when strided), BN, ReLU6, 1x1 pointwise, BN, ReLU6. */
function depthwiseConvBlock(inputs: SymbolicTensor, o: { filters: number; depthMultiplier: number; stride: number; blockId: number }): SymbolicTensor {
  const id = o.blockId;
  let x = inputs;
  if (o.stride !== 1) x = sym(new ZeroPadding2D({ padding: [[0, 1], [0, 1]], name: `conv_pad_${id}` }), x);
  x = sym(
    new DepthwiseConv2D({
      kernelSize: 3, padding: o.stride === 1 ? 'same' : 'valid', depthMultiplier: o.depthMultiplier, strides: o.stride, useBias: false, name: `conv_dw_${id}`,
    }),
    x,
  );
  x = sym(new BatchNormalization({ axis: -1, name: `conv_dw_${id}_bn` }), x);
  x = sym(new ReLU({ maxValue: 6, name: `conv_dw_${id}_relu` }), x);
  x = sym(new Conv2D({ filters: o.filters, kernelSize: 1, padding: 'same', useBias: false, name: `conv_pw_${id}` }), x);
  x = sym(new BatchNormalization({ axis: -1, name: `conv_pw_${id}_bn` }), x);
  return sym(new ReLU({ maxValue: 6, name: `conv_pw_${id}_relu` }), x);
}

/** Scales pixels in 0..255 to -1..1 (Keras's `mobilenet.preprocess_input`, mode 'tf'). */
export function preprocessInput<T extends ImageBatch>(x: T, options: Omit<PreprocessOptions, 'mode'> = {}): ReturnType<typeof imagenetUtils.preprocessInput<T>> {
  return imagenetUtils.preprocessInput(x, { ...options, mode: 'tf' });
}

/** The top ImageNet classes of each prediction row (Keras's `decode_predictions`). */
export const decodePredictions = imagenetUtils.decodePredictions;
