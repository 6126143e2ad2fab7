/**
 * DenseNet121, DenseNet169 and DenseNet201 (Keras's keras/src/applications/densenet.py): a stem, then
 * four dense blocks (each conv block concatenates 32 new channels) joined by transition blocks that
 * halve the channels and the resolution.
 *
 *   const model = await k.applications.DenseNet121({ weights: null });
 *   k.applications.densenet.preprocessInput(images)  // 'torch': 0..1, ImageNet mean/std
 *
 * Layer names are Keras's (`conv1_conv`, `conv2_block1_0_bn`, ..., `pool4_pool`, `bn`, `relu`).
 */
import type { SymbolicTensor } from '../engine/symbolic_tensor';
import { Activation, AveragePooling2D, BatchNormalization, Concatenate, Conv2D, MaxPooling2D, ZeroPadding2D } from '../layers';
import { Model } from '../models/model';
import { ApplicationOptions, applicationInput, obtainInputShape, validateOptions } from './common';
import { decodePredictions as decodeImagenet } from './imagenet_utils';
import { preprocessWithMode } from './preprocess_mode';
import { namedPoolingHead } from './resnet_base';
import { loadApplicationWeights, WeightFiles } from './weights';

const ORIGIN = 'https://storage.googleapis.com/tensorflow/keras-applications/densenet/';

/** Keras's densenet.py weight files (names and md5 hashes), by model. */
const HASHES: Record<'densenet121' | 'densenet169' | 'densenet201', [string, string]> = {
  densenet121: ['9d60b8095a5708f2dcce2bca79d332c7', '30ee3e1110167f948a6b9946edeeb738'],
  densenet169: ['d699b8f76981ab1b30698df4c175e90b', 'b8c4d4c20dd625c148057b9ff1c1176b'],
  densenet201: ['1ceb130c1ea1b78c3bf6114dbdfd8807', 'c13680b51ded0fb44dff2d8f86ac8bb1'],
};

function densenetWeightFiles(name: keyof typeof HASHES): WeightFiles {
  const file = `${name}_weights_tf_dim_ordering_tf_kernels`;
  return { origin: ORIGIN, top: [`${file}.h5`, HASHES[name][0]], notop: [`${file}_notop.h5`, HASHES[name][1]] };
}

type T = SymbolicTensor;
const bn = (name: string): BatchNormalization => new BatchNormalization({ axis: 3, epsilon: 1.001e-5, name });
const relu = (name: string): Activation => new Activation('relu', { name });

/** Keras's conv_block: BN-ReLU-1x1(4 * growth)-BN-ReLU-3x3(growth), concatenated to the input. */
function convBlock(x: T, growth: number, name: string): T {
  let y = relu(`${name}_0_relu`).apply(bn(`${name}_0_bn`).apply(x));
  y = new Conv2D(4 * growth, 1, { useBias: false, name: `${name}_1_conv` }).apply(y);
  y = relu(`${name}_1_relu`).apply(bn(`${name}_1_bn`).apply(y));
  y = new Conv2D(growth, 3, { padding: 'same', useBias: false, name: `${name}_2_conv` }).apply(y);
  return new Concatenate({ axis: 3, name: `${name}_concat` }).apply([x, y]);
}

function denseBlock(x: T, blocks: number, name: string): T {
  for (let i = 0; i < blocks; i++) x = convBlock(x, 32, `${name}_block${i + 1}`);
  return x;
}

/** Keras's transition_block: BN-ReLU-1x1 (channels * reduction)-2x2 average pooling. */
function transitionBlock(x: T, reduction: number, name: string): T {
  x = relu(`${name}_relu`).apply(bn(`${name}_bn`).apply(x));
  const channels = Math.floor((x.shape[3] as number) * reduction);
  x = new Conv2D(channels, 1, { useBias: false, name: `${name}_conv` }).apply(x);
  return new AveragePooling2D({ poolSize: 2, strides: 2, name: `${name}_pool` }).apply(x);
}

/** Keras's DenseNet(): `blocks` conv blocks per dense block, e.g. [6, 12, 24, 16] for DenseNet121. */
async function buildDenseNet(opts: ApplicationOptions, blocks: number[], name: keyof typeof HASHES, title: string): Promise<Model> {
  validateOptions(opts, title);
  const includeTop = opts.includeTop ?? true;
  const weights = opts.weights === undefined ? 'imagenet' : opts.weights;
  const shape = obtainInputShape(opts.inputShape, { defaultSize: 224, minSize: 32, requireFlatten: includeTop, weights, name: title });
  const { imgInput, modelInputs } = applicationInput(opts, shape);
  let x = new ZeroPadding2D({ padding: [[3, 3], [3, 3]] }).apply(imgInput);
  x = new Conv2D(64, 7, { strides: 2, useBias: false, name: 'conv1_conv' }).apply(x);
  x = relu('conv1_relu').apply(bn('conv1_bn').apply(x));
  x = new ZeroPadding2D({ padding: [[1, 1], [1, 1]] }).apply(x);
  x = new MaxPooling2D({ poolSize: 3, strides: 2, name: 'pool1' }).apply(x);
  for (let i = 0; i < 4; i++) {
    x = denseBlock(x, blocks[i], `conv${i + 2}`);
    if (i < 3) x = transitionBlock(x, 0.5, `pool${i + 2}`);
  }
  x = relu('relu').apply(bn('bn').apply(x));
  x = namedPoolingHead(x, opts);
  const model = new Model({ inputs: modelInputs, outputs: x, name: opts.name ?? name });
  await loadApplicationWeights(model, weights, includeTop, densenetWeightFiles(name));
  return model;
}

/** DenseNet121 (Keras: `keras.applications.DenseNet121`): 8,062,504 parameters at 224x224 with the top. */
export function DenseNet121(opts: ApplicationOptions = {}): Promise<Model> {
  return buildDenseNet(opts, [6, 12, 24, 16], 'densenet121', 'DenseNet121');
}

/** DenseNet169 (Keras: `keras.applications.DenseNet169`). */
export function DenseNet169(opts: ApplicationOptions = {}): Promise<Model> {
  return buildDenseNet(opts, [6, 12, 32, 32], 'densenet169', 'DenseNet169');
}

/** DenseNet201 (Keras: `keras.applications.DenseNet201`). */
export function DenseNet201(opts: ApplicationOptions = {}): Promise<Model> {
  return buildDenseNet(opts, [6, 12, 48, 32], 'densenet201', 'DenseNet201');
}

/** Keras's densenet.preprocess_input: mode 'torch' (0..1, then ImageNet mean and std per channel). */
export const preprocessInput = preprocessWithMode('torch');

/** Keras's densenet.decode_predictions. */
export const decodePredictions = decodeImagenet;
