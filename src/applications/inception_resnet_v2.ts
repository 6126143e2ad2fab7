/**
 * InceptionResNetV2 (Keras's keras/src/applications/inception_resnet_v2.py): an Inception stem
 * (`mixed_5b`), then 10 block35, `mixed_6a`, 20 block17, `mixed_7a`, 10 block8 residual inception
 * blocks (each a scaled sum through CustomScaleLayer), and `conv_7b`.
 *
 *   const model = await k.applications.InceptionResNetV2({ weights: null });   // 299x299 by default
 *   k.applications.inceptionResnetV2.preprocessInput(images)  // 'tf': pixels scaled to -1..1
 *
 * Layer names are Keras's (`block35_1_mixed`, `block35_1_conv`, `block35_1_ac`, ..., `conv_7b_ac`);
 * the branch convolutions are unnamed in Keras, and here.
 */
import type { SymbolicTensor } from '../engine/symbolic_tensor';
import { Activation, AveragePooling2D, BatchNormalization, Concatenate, Conv2D, CustomScaleLayer, MaxPooling2D } from '../layers';
import { Model } from '../models/model';
import { ApplicationOptions, applicationInput, classifierHead, obtainInputShape, validateOptions } from './common';
import { decodePredictions as decodeImagenet } from './imagenet_utils';
import { preprocessWithMode } from './preprocess_mode';
import { loadApplicationWeights, WeightFiles } from './weights';

/** Keras's inception_resnet_v2.py weight files. */
const INCEPTION_RESNET_V2_WEIGHTS: WeightFiles = {
  origin: 'https://storage.googleapis.com/tensorflow/keras-applications/inception_resnet_v2/',
  top: ['inception_resnet_v2_weights_tf_dim_ordering_tf_kernels.h5', 'e693bd0210a403b3192acc6073ad2e96'],
  notop: ['inception_resnet_v2_weights_tf_dim_ordering_tf_kernels_notop.h5', 'd19885ff4a710c122648d3b5c3b684e4'],
};

type T = SymbolicTensor;

interface ConvBnOptions {
  strides?: number;
  padding?: 'same' | 'valid';
  /** null: no activation (and, with useBias, no BN either), as Keras's conv2d_bn. */
  activation?: 'relu' | null;
  useBias?: boolean;
  name?: string;
}

/** Keras's conv2d_bn of this file: Conv2D -> BatchNormalization(scale=false) unless useBias -> activation. */
function convBn(x: T, filters: number, kernel: number | [number, number], o: ConvBnOptions = {}): T {
  const { strides = 1, padding = 'same', activation = 'relu', useBias = false, name } = o;
  x = new Conv2D(filters, kernel, { strides, padding, useBias, name }).apply(x);
  if (!useBias) x = new BatchNormalization({ axis: 3, scale: false, name: name && `${name}_bn` }).apply(x);
  if (activation !== null) x = new Activation(activation, { name: name && `${name}_ac` }).apply(x);
  return x;
}

const valid2 = { strides: 2, padding: 'valid' } as const;
const concat = (xs: T[], name: string): T => new Concatenate({ axis: 3, name }).apply(xs);

type BlockType = 'block35' | 'block17' | 'block8';

/** The branches of one residual inception block. */
function branches(x: T, type: BlockType): T[] {
  if (type === 'block35') {
    return [convBn(x, 32, 1), convBn(convBn(x, 32, 1), 32, 3), convBn(convBn(convBn(x, 32, 1), 48, 3), 64, 3)];
  }
  const [mid, a, b, k1, k2]: [number, number, number, [number, number], [number, number]] =
    type === 'block17' ? [128, 160, 192, [1, 7], [7, 1]] : [192, 224, 256, [1, 3], [3, 1]];
  return [convBn(x, 192, 1), convBn(convBn(convBn(x, mid, 1), a, k1), b, k2)];
}

/** Keras's inception_resnet_block: x + scale * conv1x1(concat(branches)), then ReLU unless `activation` is null. */
function residualBlock(x: T, scale: number, type: BlockType, idx: number, activation: 'relu' | null = 'relu'): T {
  const name = `${type}_${idx}`;
  const mixed = concat(branches(x, type), `${name}_mixed`);
  const channels = x.shape[3] as number;
  const up = convBn(mixed, channels, 1, { activation: null, useBias: true, name: `${name}_conv` });
  x = new CustomScaleLayer({ scale }).apply([x, up]);
  return activation === null ? x : new Activation(activation, { name: `${name}_ac` }).apply(x);
}

function stem(x: T): T {
  x = convBn(x, 32, 3, valid2);
  x = convBn(x, 32, 3, { padding: 'valid' });
  x = convBn(x, 64, 3);
  x = new MaxPooling2D({ poolSize: 3, strides: 2 }).apply(x);
  x = convBn(x, 80, 1, { padding: 'valid' });
  x = convBn(x, 192, 3, { padding: 'valid' });
  x = new MaxPooling2D({ poolSize: 3, strides: 2 }).apply(x);
  const b0 = convBn(x, 96, 1);
  const b1 = convBn(convBn(x, 48, 1), 64, 5);
  const b2 = convBn(convBn(convBn(x, 64, 1), 96, 3), 96, 3);
  const bp = convBn(new AveragePooling2D({ poolSize: 3, strides: 1, padding: 'same' }).apply(x), 64, 1);
  return concat([b0, b1, b2, bp], 'mixed_5b');
}

function body(x: T): T {
  x = stem(x);
  for (let i = 1; i <= 10; i++) x = residualBlock(x, 0.17, 'block35', i);
  const maxPool = (t: T): T => new MaxPooling2D({ poolSize: 3, strides: 2, padding: 'valid' }).apply(t);
  x = concat([convBn(x, 384, 3, valid2), convBn(convBn(convBn(x, 256, 1), 256, 3), 384, 3, valid2), maxPool(x)], 'mixed_6a');
  for (let i = 1; i <= 20; i++) x = residualBlock(x, 0.1, 'block17', i);
  const b0 = convBn(convBn(x, 256, 1), 384, 3, valid2);
  const b1 = convBn(convBn(x, 256, 1), 288, 3, valid2);
  const b2 = convBn(convBn(convBn(x, 256, 1), 288, 3), 320, 3, valid2);
  x = concat([b0, b1, b2, maxPool(x)], 'mixed_7a');
  for (let i = 1; i <= 9; i++) x = residualBlock(x, 0.2, 'block8', i);
  x = residualBlock(x, 1.0, 'block8', 10, null);
  return convBn(x, 1536, 1, { name: 'conv_7b' });
}

/** InceptionResNetV2 (Keras: `keras.applications.InceptionResNetV2`): 55,873,736 parameters at 299x299 with the top. */
export async function InceptionResNetV2(opts: ApplicationOptions = {}): Promise<Model> {
  validateOptions(opts, 'InceptionResNetV2');
  const includeTop = opts.includeTop ?? true;
  const weights = opts.weights === undefined ? 'imagenet' : opts.weights;
  const shape = obtainInputShape(opts.inputShape, { defaultSize: 299, minSize: 75, requireFlatten: includeTop, weights, name: 'InceptionResNetV2' });
  const { imgInput, modelInputs } = applicationInput(opts, shape);
  const x = classifierHead(body(imgInput), opts, { topPool: 'avg_pool' });
  const model = new Model({ inputs: modelInputs, outputs: x, name: opts.name ?? 'inception_resnet_v2' });
  await loadApplicationWeights(model, weights, includeTop, INCEPTION_RESNET_V2_WEIGHTS);
  return model;
}

/** Keras's inception_resnet_v2.preprocess_input: mode 'tf'. */
export const preprocessInput = preprocessWithMode('tf');

/** Keras's inception_resnet_v2.decode_predictions. */
export const decodePredictions = decodeImagenet;
