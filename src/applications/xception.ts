/**
 * Xception (Keras's keras/src/applications/xception.py): an entry flow of strided separable blocks
 * with 1x1 convolution shortcuts, a middle flow of 8 identity blocks (728 channels), an exit flow.
 *
 *   const model = await k.applications.Xception({ weights: null });   // 299x299 by default
 *   k.applications.xception.preprocessInput(images)  // 'tf': pixels scaled to -1..1
 *
 * Layer names are Keras's (`block1_conv1`, `block2_sepconv1_bn`, ..., `block14_sepconv2_act`); the
 * shortcut convolutions, their BNs and the adds are unnamed in Keras, and here.
 */
import type { SymbolicTensor } from '../engine/symbolic_tensor';
import { Activation, Add, BatchNormalization, Conv2D, MaxPooling2D, SeparableConv2D } from '../layers';
import { Model } from '../models/model';
import { ApplicationOptions, applicationInput, classifierHead, obtainInputShape, validateOptions } from './common';
import { decodePredictions as decodeImagenet } from './imagenet_utils';
import { preprocessWithMode } from './preprocess_mode';
import { loadApplicationWeights, WeightFiles } from './weights';

/** Keras's xception.py weight files. */
const XCEPTION_WEIGHTS: WeightFiles = {
  origin: 'https://storage.googleapis.com/tensorflow/keras-applications/xception/',
  top: ['xception_weights_tf_dim_ordering_tf_kernels.h5', '0a58e3b7378bc2990ea3b43d5981f1f6'],
  notop: ['xception_weights_tf_dim_ordering_tf_kernels_notop.h5', 'b0042744bf5b25fce3cb969f33bebb97'],
};

type T = SymbolicTensor;
const bn = (name?: string): BatchNormalization => new BatchNormalization({ axis: -1, name });
const relu = (name: string): Activation => new Activation('relu', { name });
const sep = (filters: number, name: string): SeparableConv2D => new SeparableConv2D(filters, 3, { padding: 'same', useBias: false, name });

/** The strided 1x1 convolution shortcut of the entry and exit blocks. */
function shortcut(x: T, filters: number): T {
  return bn().apply(new Conv2D(filters, 1, { strides: 2, padding: 'same', useBias: false }).apply(x));
}

/**
 * One strided block: [ReLU] sepconv1 BN ReLU sepconv2 BN, max pooling, plus the shortcut. Block 2
 * starts without the ReLU (it follows block1_conv2_act) and names its second ReLU `block2_sepconv2_act`.
 */
function stridedBlock(x: T, block: number, filters: [number, number], firstRelu: boolean): T {
  const residual = shortcut(x, filters[1]);
  const p = `block${block}`;
  if (firstRelu) x = relu(`${p}_sepconv1_act`).apply(x);
  x = bn(`${p}_sepconv1_bn`).apply(sep(filters[0], `${p}_sepconv1`).apply(x));
  x = relu(`${p}_sepconv2_act`).apply(x);
  x = bn(`${p}_sepconv2_bn`).apply(sep(filters[1], `${p}_sepconv2`).apply(x));
  x = new MaxPooling2D({ poolSize: 3, strides: 2, padding: 'same', name: `${p}_pool` }).apply(x);
  return new Add().apply([x, residual]);
}

/** The middle flow's identity block: three times ReLU -> sepconv(728) -> BN, plus the input. */
function middleBlock(x: T, block: number): T {
  const residual = x;
  const p = `block${block}`;
  for (let i = 1; i <= 3; i++) {
    x = relu(`${p}_sepconv${i}_act`).apply(x);
    x = bn(`${p}_sepconv${i}_bn`).apply(sep(728, `${p}_sepconv${i}`).apply(x));
  }
  return new Add().apply([x, residual]);
}

function body(x: T): T {
  x = new Conv2D(32, 3, { strides: 2, useBias: false, name: 'block1_conv1' }).apply(x);
  x = relu('block1_conv1_act').apply(bn('block1_conv1_bn').apply(x));
  x = new Conv2D(64, 3, { useBias: false, name: 'block1_conv2' }).apply(x);
  x = relu('block1_conv2_act').apply(bn('block1_conv2_bn').apply(x));
  x = stridedBlock(x, 2, [128, 128], false);
  x = stridedBlock(x, 3, [256, 256], true);
  x = stridedBlock(x, 4, [728, 728], true);
  for (let i = 0; i < 8; i++) x = middleBlock(x, i + 5);
  x = stridedBlock(x, 13, [728, 1024], true);
  x = bn('block14_sepconv1_bn').apply(sep(1536, 'block14_sepconv1').apply(x));
  x = relu('block14_sepconv1_act').apply(x);
  x = bn('block14_sepconv2_bn').apply(sep(2048, 'block14_sepconv2').apply(x));
  return relu('block14_sepconv2_act').apply(x);
}

/** Xception (Keras: `keras.applications.Xception`): 22,910,480 parameters at 299x299 with the top. */
export async function Xception(opts: ApplicationOptions = {}): Promise<Model> {
  validateOptions(opts, 'Xception');
  const includeTop = opts.includeTop ?? true;
  const weights = opts.weights === undefined ? 'imagenet' : opts.weights;
  const shape = obtainInputShape(opts.inputShape, { defaultSize: 299, minSize: 71, requireFlatten: includeTop, weights, name: 'Xception' });
  const { imgInput, modelInputs } = applicationInput(opts, shape);
  const x = classifierHead(body(imgInput), opts, { topPool: 'avg_pool' });
  const model = new Model({ inputs: modelInputs, outputs: x, name: opts.name ?? 'xception' });
  await loadApplicationWeights(model, weights, includeTop, XCEPTION_WEIGHTS);
  return model;
}

/** Keras's xception.preprocess_input: mode 'tf'. */
export const preprocessInput = preprocessWithMode('tf');

/** Keras's xception.decode_predictions. */
export const decodePredictions = decodeImagenet;
