/**
 * Keras's `keras.applications.mobilenet_v2`: `MobileNetV2` (inverted residual blocks with linear
 * bottlenecks; `alpha` scales the widths) with Keras's layer names ('Conv1', 'block_16_project_BN',
 * 'out_relu', ...) so Keras's weight files load by name, and the module's `preprocessInput`
 * (mode 'tf': -1..1) and `decodePredictions`.
 */
import { ValueError } from '../engine/errors';
import type { SymbolicTensor } from '../engine/symbolic_tensor';
import { Model } from '../models/model';
import { getLogger } from '../utils/logger';
import { Add } from '../layers/merge';
import { BatchNormalization } from '../layers/normalization';
import { Conv2D } from '../layers/conv';
import { DepthwiseConv2D } from '../layers/depthwise_conv';
import { ReLU } from '../layers/activation_layers';
import { ZeroPadding2D } from '../layers/spatial';
import * as imagenetUtils from './imagenet_utils';
import type { ImageBatch, PreprocessOptions } from './imagenet_utils';
import {
  applicationInput, classifierHead, correctPad, givenRowsCols, makeDivisible, obtainInputShape, pyDim, pyFloat, sym, validateOptions,
} from './common';
import type { ApplicationOptions } from './common';
import { loadApplicationWeights } from './weights';

/** MobileNetV2's options: the common ones and the width multiplier. */
export interface MobileNetV2Options extends ApplicationOptions {
  /**
   * The width multiplier: < 1 narrows, > 1 widens every layer ('imagenet' weights: 0.35, 0.5, 0.75, 1.0, 1.3, 1.4).
   * Keras: `alpha` @default 1.0
   */
  alpha?: number;
}

const ORIGIN = 'https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v2/';
const IMAGENET_SIZES = [96, 128, 160, 192, 224];
const IMAGENET_ALPHAS = [0.35, 0.5, 0.75, 1.0, 1.3, 1.4];

/** [filters, stride, expansion] of blocks 0..16, as Keras's MobileNetV2 lists them. */
const BLOCKS: Array<[number, number, number]> = [
  [16, 1, 1], [24, 2, 6], [24, 1, 6], [32, 2, 6], [32, 1, 6], [32, 1, 6], [64, 2, 6], [64, 1, 6], [64, 1, 6],
  [64, 1, 6], [96, 1, 6], [96, 1, 6], [96, 1, 6], [160, 2, 6], [160, 1, 6], [160, 1, 6], [320, 1, 6],
];

/**
 * Instantiates MobileNetV2 (Keras's `keras.applications.MobileNetV2`):
 * `const model = await k.applications.MobileNetV2({weights: null})`.
 */
export async function MobileNetV2(options: MobileNetV2Options = {}): Promise<Model> {
  validateOptions(options, 'MobileNetV2', ['alpha']);
  const { alpha = 1.0, includeTop = true } = options;
  const weights = options.weights === undefined ? 'imagenet' : options.weights;
  if (!(typeof alpha === 'number' && alpha > 0)) {
    throw new ValueError(`MobileNetV2: alpha must be a positive number, got ${JSON.stringify(alpha)}. help: e.g. {alpha: 0.35}.`);
  }
  const given = givenRowsCols(options);
  const square = given !== undefined && given[0] === given[1] && given[0] !== null && IMAGENET_SIZES.includes(given[0]);
  const defaultSize = square ? (given[0] as number) : 224;
  const shape = obtainInputShape(options.inputShape, { defaultSize, minSize: 32, requireFlatten: includeTop, weights, name: 'MobileNetV2' });
  let rows: number | null = shape[0];
  if (weights === 'imagenet') {
    if (!IMAGENET_ALPHAS.includes(alpha)) {
      throw new ValueError(`MobileNetV2: with 'imagenet' weights alpha must be one of ${IMAGENET_ALPHAS.join(', ')}, got ${alpha}. help: pick one of those, or weights: null.`);
    }
    if (rows !== shape[1] || rows === null || !IMAGENET_SIZES.includes(rows)) {
      rows = 224;
      getLogger().warn('MobileNetV2: `inputShape` is undefined or non-square, or its rows are not in [96, 128, 160, 192, 224]; the weights for input shape (224, 224) are loaded.\n');
    }
  }
  const { imgInput, modelInputs } = applicationInput(options, shape);
  let x = sym(new Conv2D({ filters: makeDivisible(32 * alpha, 8), kernelSize: 3, strides: 2, padding: 'same', useBias: false, name: 'Conv1' }), imgInput);
  x = sym(batchNorm('bn_Conv1'), x);
  x = sym(new ReLU({ maxValue: 6, name: 'Conv1_relu' }), x);
  BLOCKS.forEach(([filters, stride, expansion], blockId) => {
    x = invertedResBlock(x, { expansion, stride, alpha, filters, blockId });
  });
  const lastFilters = alpha > 1.0 ? makeDivisible(1280 * alpha, 8) : 1280;
  x = sym(new Conv2D({ filters: lastFilters, kernelSize: 1, useBias: false, name: 'Conv_1' }), x);
  x = sym(batchNorm('Conv_1_bn'), x);
  x = sym(new ReLU({ maxValue: 6, name: 'out_relu' }), x);
  x = classifierHead(x, options);
  const model = new Model({ inputs: modelInputs, outputs: x, name: options.name ?? `mobilenetv2_${alpha.toFixed(2)}_${pyDim(rows)}` });
  const file = `mobilenet_v2_weights_tf_dim_ordering_tf_kernels_${pyFloat(alpha)}_${pyDim(rows)}`;
  await loadApplicationWeights(model, weights, includeTop, { origin: ORIGIN, top: [`${file}.h5`, ''], notop: [`${file}_no_top.h5`, ''] });
  return model;
}

function batchNorm(name: string): BatchNormalization {
  return new BatchNormalization({ axis: -1, epsilon: 1e-3, momentum: 0.999, name });
}

/** Keras's `_inverted_res_block`: 1x1 expansion, 3x3 depthwise, 1x1 linear projection, residual when shapes match. */
function invertedResBlock(
  inputs: SymbolicTensor,
  o: { expansion: number; stride: number; alpha: number; filters: number; blockId: number },
): SymbolicTensor {
  const inChannels = inputs.shape[inputs.shape.length - 1] as number;
  const pointwiseFilters = makeDivisible(Math.trunc(o.filters * o.alpha), 8);
  let x = inputs;
  let prefix = `block_${o.blockId}_`;
  if (o.blockId) {
    x = sym(new Conv2D({ filters: o.expansion * inChannels, kernelSize: 1, padding: 'same', useBias: false, name: `${prefix}expand` }), x);
    x = sym(batchNorm(`${prefix}expand_BN`), x);
    x = sym(new ReLU({ maxValue: 6, name: `${prefix}expand_relu` }), x);
  } else {
    prefix = 'expanded_conv_';
  }
  if (o.stride === 2) x = sym(new ZeroPadding2D({ padding: correctPad(x, 3), name: `${prefix}pad` }), x);
  x = sym(
    new DepthwiseConv2D({ kernelSize: 3, strides: o.stride, useBias: false, padding: o.stride === 1 ? 'same' : 'valid', name: `${prefix}depthwise` }),
    x,
  );
  x = sym(batchNorm(`${prefix}depthwise_BN`), x);
  x = sym(new ReLU({ maxValue: 6, name: `${prefix}depthwise_relu` }), x);
  x = sym(new Conv2D({ filters: pointwiseFilters, kernelSize: 1, padding: 'same', useBias: false, name: `${prefix}project` }), x);
  x = sym(batchNorm(`${prefix}project_BN`), x);
  if (inChannels === pointwiseFilters && o.stride === 1) return sym(new Add({ name: `${prefix}add` }), [inputs, x]);
  return x;
}

/** Scales pixels in 0..255 to -1..1 (Keras's `mobilenet_v2.preprocess_input`, mode 'tf'). */
export function preprocessInput<T extends ImageBatch>(x: T, options: Omit<PreprocessOptions, 'mode'> = {}): ReturnType<typeof imagenetUtils.preprocessInput<T>> {
  return imagenetUtils.preprocessInput(x, { ...options, mode: 'tf' });
}

/** The top ImageNet classes of each prediction row (Keras's `decode_predictions`). */
export const decodePredictions = imagenetUtils.decodePredictions;
