/**
 * NASNetMobile and NASNetLarge (Keras's keras/src/applications/nasnet.py): NASNet-A normal and
 * reduction cells, each taking the previous two cell outputs (x and p), `p` adjusted to x's size by
 * `_adjust_block`.
 *
 *   const model = await k.applications.NASNetMobile({ weights: null });   // 224x224 (Large: 331x331)
 *   k.applications.nasnet.preprocessInput(images)  // 'tf': pixels scaled to -1..1
 *
 * Layer names are Keras's (`stem_conv1`, `normal_conv_1_0`, `separable_conv_1_normal_left1_0`,
 * `reduction_concat_stem_1`, `normal_concat_12`, ...); the ReLUs, the `adjust` padding/cropping and
 * the top pooling are unnamed in Keras, and here.
 */
import type { SymbolicTensor } from '../engine/symbolic_tensor';
import {
  Activation, Add, AveragePooling2D, BatchNormalization, Concatenate, Conv2D, Cropping2D, Layer, MaxPooling2D, SeparableConv2D, ZeroPadding2D,
} from '../layers';
import { Model } from '../models/model';
import { ApplicationOptions, applicationInput, classifierHead, correctPad, obtainInputShape, validateOptions } from './common';
import { decodePredictions as decodeImagenet } from './imagenet_utils';
import { preprocessWithMode } from './preprocess_mode';
import { loadApplicationWeights, WeightFiles } from './weights';

const ORIGIN = 'https://storage.googleapis.com/tensorflow/keras-applications/nasnet/';

/**
 * Keras's nasnet.py weight files: Keras caches them under other names than the URL's
 * (`NASNet-mobile.h5` is cached as `nasnet_mobile.h5`), the third element of each entry.
 */
const NASNET_WEIGHTS: Record<'mobile' | 'large', WeightFiles> = {
  mobile: {
    origin: ORIGIN,
    top: ['nasnet_mobile.h5', '020fb642bf7360b370c678b08e0adf61', 'NASNet-mobile.h5'],
    notop: ['nasnet_mobile_no_top.h5', '1ed92395b5b598bdda52abe5c0dbfd63', 'NASNet-mobile-no-top.h5'],
  },
  large: {
    origin: ORIGIN,
    top: ['nasnet_large.h5', '11577c9a518f0070763c2b964a382f17', 'NASNet-large.h5'],
    notop: ['nasnet_large_no_top.h5', 'd81d89dc07e6e56530c4e77faddd61b5', 'NASNet-large-no-top.h5'],
  },
};

type T = SymbolicTensor;

const bn = (name: string): BatchNormalization => new BatchNormalization({ axis: -1, momentum: 0.9997, epsilon: 1e-3, name });
const relu = (name?: string): Activation => new Activation('relu', { name });
const conv1x1 = (filters: number, name: string): Conv2D =>
  new Conv2D(filters, 1, { strides: 1, padding: 'same', useBias: false, name, kernelInitializer: 'heNormal' });
const avgPool = (strides: number, padding: 'same' | 'valid', name: string, size = 3): Layer =>
  new AveragePooling2D({ poolSize: size, strides, padding, name });
const maxPool = (name: string): Layer => new MaxPooling2D({ poolSize: 3, strides: 2, padding: 'valid', name });
const add = (xs: T[], name?: string): T => new Add({ name }).apply(xs);

/** Keras's _separable_conv_block: ReLU, SeparableConv2D, BN, ReLU, SeparableConv2D, BN. */
function sepBlock(x: T, filters: number, kernel: number, id: string, strides = 1): T {
  x = relu().apply(x);
  if (strides === 2) x = new ZeroPadding2D({ padding: correctPad(x, kernel), name: `separable_conv_1_pad_${id}` }).apply(x);
  const padding = strides === 2 ? 'valid' : 'same';
  x = new SeparableConv2D(filters, kernel, { strides, padding, useBias: false, name: `separable_conv_1_${id}` }).apply(x);
  x = relu().apply(bn(`separable_conv_1_bn_${id}`).apply(x));
  x = new SeparableConv2D(filters, kernel, { padding: 'same', useBias: false, name: `separable_conv_2_${id}` }).apply(x);
  return bn(`separable_conv_2_bn_${id}`).apply(x);
}

/** Keras's _adjust_block: brings the previous cell's output `p` to the size and width of `ip`. */
function adjustBlock(p: T | null, ip: T, filters: number, id: string): T {
  if (p === null) return ip;
  if (p.shape[2] !== ip.shape[2]) {
    p = relu(`adjust_relu_1_${id}`).apply(p);
    let p1 = avgPool(2, 'valid', `adjust_avg_pool_1_${id}`, 1).apply(p);
    p1 = conv1x1(Math.floor(filters / 2), `adjust_conv_1_${id}`).apply(p1);
    let p2 = new ZeroPadding2D({ padding: [[0, 1], [0, 1]] }).apply(p);
    p2 = new Cropping2D({ cropping: [[1, 0], [1, 0]] }).apply(p2);
    p2 = avgPool(2, 'valid', `adjust_avg_pool_2_${id}`, 1).apply(p2);
    p2 = conv1x1(Math.floor(filters / 2), `adjust_conv_2_${id}`).apply(p2);
    return bn(`adjust_bn_${id}`).apply(new Concatenate({ axis: -1 }).apply([p1, p2]));
  }
  if (p.shape[3] !== filters) {
    p = conv1x1(filters, `adjust_conv_projection_${id}`).apply(relu().apply(p));
    return bn(`adjust_bn_${id}`).apply(p);
  }
  return p;
}

type Cell = [x: T, p: T];

/** The cell's own input after ReLU, 1x1 conv and BN (`h`), and the adjusted `p`. */
function cellInputs(ip: T, p: T | null, filters: number, kind: 'normal' | 'reduction', id: string): [T, T] {
  const adjusted = adjustBlock(p, ip, filters, id);
  const h = bn(`${kind}_bn_1_${id}`).apply(conv1x1(filters, `${kind}_conv_1_${id}`).apply(relu().apply(ip)));
  return [h, adjusted];
}

/** Keras's _normal_a_cell: five pairwise sums of separable convolutions and poolings, concatenated with p. */
function normalCell(ip: T, prev: T | null, filters: number, id: string): Cell {
  const [h, p] = cellInputs(ip, prev, filters, 'normal', id);
  const x1 = add([sepBlock(h, filters, 5, `normal_left1_${id}`), sepBlock(p, filters, 3, `normal_right1_${id}`)], `normal_add_1_${id}`);
  const x2 = add([sepBlock(p, filters, 5, `normal_left2_${id}`), sepBlock(p, filters, 3, `normal_right2_${id}`)], `normal_add_2_${id}`);
  const x3 = add([avgPool(1, 'same', `normal_left3_${id}`).apply(h), p], `normal_add_3_${id}`);
  const x4 = add([avgPool(1, 'same', `normal_left4_${id}`).apply(p), avgPool(1, 'same', `normal_right4_${id}`).apply(p)], `normal_add_4_${id}`);
  const x5 = add([sepBlock(h, filters, 3, `normal_left5_${id}`), h], `normal_add_5_${id}`);
  return [new Concatenate({ axis: -1, name: `normal_concat_${id}` }).apply([p, x1, x2, x3, x4, x5]), ip];
}

/** Keras's _reduction_a_cell: strided separable convolutions and poolings, halving the resolution. */
function reductionCell(ip: T, prev: T | null, filters: number, id: string): Cell {
  const [h, p] = cellInputs(ip, prev, filters, 'reduction', id);
  const h3 = new ZeroPadding2D({ padding: correctPad(h, 3), name: `reduction_pad_1_${id}` }).apply(h);
  const x1 = add([sepBlock(h, filters, 5, `reduction_left1_${id}`, 2), sepBlock(p, filters, 7, `reduction_right1_${id}`, 2)], `reduction_add_1_${id}`);
  const x2 = add([maxPool(`reduction_left2_${id}`).apply(h3), sepBlock(p, filters, 7, `reduction_right2_${id}`, 2)], `reduction_add_2_${id}`);
  const x3 = add([avgPool(2, 'valid', `reduction_left3_${id}`).apply(h3), sepBlock(p, filters, 5, `reduction_right3_${id}`, 2)], `reduction_add3_${id}`);
  const x4 = add([x2, avgPool(1, 'same', `reduction_left4_${id}`).apply(x1)]);
  const x5 = add([sepBlock(x1, filters, 3, `reduction_left4_${id}`), maxPool(`reduction_right5_${id}`).apply(h3)], `reduction_add4_${id}`);
  return [new Concatenate({ axis: -1, name: `reduction_concat_${id}` }).apply([x2, x3, x4, x5]), ip];
}

/** What differs between NASNetMobile and NASNetLarge (Keras's NASNet() arguments). */
interface NASNetSpec {
  penultimateFilters: number;
  numBlocks: number;
  stemFilters: number;
  skipReduction: boolean;
  defaultSize: 224 | 331;
}

function body(img: T, s: NASNetSpec): T {
  const multiplier = 2;
  const filters = Math.floor(s.penultimateFilters / 24);
  let x = new Conv2D(s.stemFilters, 3, { strides: 2, padding: 'valid', useBias: false, name: 'stem_conv1', kernelInitializer: 'heNormal' }).apply(img);
  x = bn('stem_bn1').apply(x);
  let p: T | null = null;
  [x, p] = reductionCell(x, p, Math.floor(filters / multiplier ** 2), 'stem_1');
  [x, p] = reductionCell(x, p, Math.floor(filters / multiplier), 'stem_2');
  for (let stage = 0; stage < 3; stage++) {
    const width = filters * multiplier ** stage;
    if (stage > 0) {
      let p0: T;
      [x, p0] = reductionCell(x, p, width, `reduce_${stage * s.numBlocks}`);
      if (!s.skipReduction) p = p0;
    }
    for (let i = 0; i < s.numBlocks; i++) [x, p] = normalCell(x, p, width, `${stage * s.numBlocks + i + (stage > 0 ? 1 : 0)}`);
  }
  return relu().apply(x);
}

async function buildNASNet(opts: ApplicationOptions, s: NASNetSpec, name: string, title: string): Promise<Model> {
  validateOptions(opts, title);
  const includeTop = opts.includeTop ?? true;
  const weights = opts.weights === undefined ? 'imagenet' : opts.weights;
  const given = opts.inputShape ?? (!includeTop && s.defaultSize === 224 ? [224, 224, 3] : undefined);
  const shape = obtainInputShape(given, { defaultSize: s.defaultSize, minSize: 32, requireFlatten: includeTop, weights, name: title });
  const { imgInput, modelInputs } = applicationInput(opts, shape);
  const x = classifierHead(body(imgInput, s), opts);
  const model = new Model({ inputs: modelInputs, outputs: x, name: opts.name ?? name });
  await loadApplicationWeights(model, weights, includeTop, NASNET_WEIGHTS[s.defaultSize === 224 ? 'mobile' : 'large']);
  return model;
}

/** NASNetMobile (Keras: `keras.applications.NASNetMobile`): 5,326,716 parameters at 224x224 with the top. */
export function NASNetMobile(opts: ApplicationOptions = {}): Promise<Model> {
  const spec = { penultimateFilters: 1056, numBlocks: 4, stemFilters: 32, skipReduction: false, defaultSize: 224 } as const;
  return buildNASNet(opts, spec, 'nasnet_mobile', 'NASNetMobile');
}

/** NASNetLarge (Keras: `keras.applications.NASNetLarge`): 88,949,818 parameters at 331x331 with the top. */
export function NASNetLarge(opts: ApplicationOptions = {}): Promise<Model> {
  const spec = { penultimateFilters: 4032, numBlocks: 6, stemFilters: 96, skipReduction: true, defaultSize: 331 } as const;
  return buildNASNet(opts, spec, 'nasnet_large', 'NASNetLarge');
}

/** Keras's nasnet.preprocess_input: mode 'tf'. */
export const preprocessInput = preprocessWithMode('tf');

/** Keras's nasnet.decode_predictions. */
export const decodePredictions = decodeImagenet;
