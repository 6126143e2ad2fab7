/**
 * InceptionV3 (Keras's keras/src/applications/inception_v3.py): a stem of convolutions, then the
 * mixed0..mixed10 inception blocks; every convolution is Keras's conv2d_bn (Conv2D without bias,
 * BatchNormalization without scale, ReLU).
 *
 *   const model = await k.applications.InceptionV3({ weights: null });   // 299x299 by default
 *   k.applications.inceptionV3.preprocessInput(images)  // 'tf': pixels scaled to -1..1
 *
 * As in Keras the convolutions are unnamed (conv2d, conv2d_1, ...); the blocks are named
 * `mixed0`..`mixed10` (and `mixed9_0`, `mixed9_1`), the top `avg_pool` and `predictions`.
 */
import type { SymbolicTensor } from '../engine/symbolic_tensor';
import { Activation, AveragePooling2D, BatchNormalization, Concatenate, Conv2D, MaxPooling2D } from '../layers';
import { Model } from '../models/model';
import { ApplicationOptions, applicationInput, classifierHead, obtainInputShape, validateOptions } from './common';
import { decodePredictions as decodeImagenet } from './imagenet_utils';
import { preprocessWithMode } from './preprocess_mode';
import { loadApplicationWeights, WeightFiles } from './weights';

/** Keras's inception_v3.py weight files. */
const INCEPTION_V3_WEIGHTS: WeightFiles = {
  origin: 'https://storage.googleapis.com/tensorflow/keras-applications/inception_v3/',
  top: ['inception_v3_weights_tf_dim_ordering_tf_kernels.h5', '9a0d58056eeedaa3f26cb7ebd46da564'],
  notop: ['inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5', 'bcbd6486424b2319ff4ef7d526e38f63'],
};

type T = SymbolicTensor;

/** Keras's conv2d_bn: Conv2D(no bias) -> BatchNormalization(scale=false) -> ReLU. */
function convBn(x: T, filters: number, rows: number, cols: number, padding: 'same' | 'valid' = 'same', strides = 1): T {
  x = new Conv2D(filters, [rows, cols], { strides, padding, useBias: false }).apply(x);
  x = new BatchNormalization({ axis: 3, scale: false }).apply(x);
  return new Activation('relu').apply(x);
}

const avgPool3 = (x: T): T => new AveragePooling2D({ poolSize: 3, strides: 1, padding: 'same' }).apply(x);
const maxPool3 = (x: T): T => new MaxPooling2D({ poolSize: 3, strides: 2 }).apply(x);
const concat = (xs: T[], name?: string): T => new Concatenate({ axis: 3, name }).apply(xs);

/** mixed0..mixed2: 35x35 blocks (1x1, 5x5, double 3x3, pooled 1x1 of `poolFilters`). */
function block35(x: T, poolFilters: number, name: string): T {
  const b1 = convBn(x, 64, 1, 1);
  const b5 = convBn(convBn(x, 48, 1, 1), 64, 5, 5);
  const b3 = convBn(convBn(convBn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3);
  const bp = convBn(avgPool3(x), poolFilters, 1, 1);
  return concat([b1, b5, b3, bp], name);
}

/** mixed4..mixed7: 17x17 blocks with factorized 7x7 convolutions of width `c`. */
function block17(x: T, c: number, name: string): T {
  const b1 = convBn(x, 192, 1, 1);
  let b7 = convBn(x, c, 1, 1);
  b7 = convBn(convBn(b7, c, 1, 7), 192, 7, 1);
  let bd = convBn(x, c, 1, 1);
  bd = convBn(convBn(convBn(convBn(bd, c, 7, 1), c, 1, 7), c, 7, 1), 192, 1, 7);
  const bp = convBn(avgPool3(x), 192, 1, 1);
  return concat([b1, b7, bd, bp], name);
}

/** mixed9, mixed10: 8x8 blocks with split 1x3 / 3x1 branches. */
function block8(x: T, i: number): T {
  const b1 = convBn(x, 320, 1, 1);
  const b3 = convBn(x, 384, 1, 1);
  const b3s = concat([convBn(b3, 384, 1, 3), convBn(b3, 384, 3, 1)], `mixed9_${i}`);
  const bd = convBn(convBn(x, 448, 1, 1), 384, 3, 3);
  const bds = concat([convBn(bd, 384, 1, 3), convBn(bd, 384, 3, 1)]);
  const bp = convBn(avgPool3(x), 192, 1, 1);
  return concat([b1, b3s, bds, bp], `mixed${9 + i}`);
}

function body(x: T): T {
  x = convBn(x, 32, 3, 3, 'valid', 2);
  x = convBn(x, 32, 3, 3, 'valid');
  x = maxPool3(convBn(x, 64, 3, 3));
  x = convBn(x, 80, 1, 1, 'valid');
  x = maxPool3(convBn(x, 192, 3, 3, 'valid'));
  x = block35(x, 32, 'mixed0');
  x = block35(x, 64, 'mixed1');
  x = block35(x, 64, 'mixed2');
  const r3 = convBn(x, 384, 3, 3, 'valid', 2);
  const r3d = convBn(convBn(convBn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3, 'valid', 2);
  x = concat([r3, r3d, maxPool3(x)], 'mixed3');
  x = block17(x, 128, 'mixed4');
  x = block17(x, 160, 'mixed5');
  x = block17(x, 160, 'mixed6');
  x = block17(x, 192, 'mixed7');
  const r8 = convBn(convBn(x, 192, 1, 1), 320, 3, 3, 'valid', 2);
  let r8x = convBn(convBn(convBn(x, 192, 1, 1), 192, 1, 7), 192, 7, 1);
  r8x = convBn(r8x, 192, 3, 3, 'valid', 2);
  x = concat([r8, r8x, maxPool3(x)], 'mixed8');
  return block8(block8(x, 0), 1);
}

/** InceptionV3 (Keras: `keras.applications.InceptionV3`): 23,851,784 parameters at 299x299 with the top. */
export async function InceptionV3(opts: ApplicationOptions = {}): Promise<Model> {
  validateOptions(opts, 'InceptionV3');
  const includeTop = opts.includeTop ?? true;
  const weights = opts.weights === undefined ? 'imagenet' : opts.weights;
  const shape = obtainInputShape(opts.inputShape, { defaultSize: 299, minSize: 75, requireFlatten: includeTop, weights, name: 'InceptionV3' });
  const { imgInput, modelInputs } = applicationInput(opts, shape);
  const x = classifierHead(body(imgInput), opts, { topPool: 'avg_pool' });
  const model = new Model({ inputs: modelInputs, outputs: x, name: opts.name ?? 'inception_v3' });
  await loadApplicationWeights(model, weights, includeTop, INCEPTION_V3_WEIGHTS);
  return model;
}

/** Keras's inception_v3.preprocess_input: mode 'tf'. */
export const preprocessInput = preprocessWithMode('tf');

/** Keras's inception_v3.decode_predictions. */
export const decodePredictions = decodeImagenet;
