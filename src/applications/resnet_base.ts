/**
 * What ResNet (resnet.ts) and ResNetV2 (resnet_v2.ts) share, as Keras's resnet.py has it: the
 * builder `buildResNet` (stem, a stack function of residual blocks, the head, the weights), the v1
 * residual block, and Keras's weight file names and hashes of all six. DenseNet reuses the head.
 *
 * Layer names are Keras's (`conv1_conv`, `conv2_block1_0_conv`, ..., `conv5_block3_out`, `avg_pool`,
 * `predictions`), so Keras's weight files load by name.
 */
import type { SymbolicTensor } from '../engine/symbolic_tensor';
import { Activation, Add, BatchNormalization, Conv2D, MaxPooling2D, ZeroPadding2D } from '../layers';
import { Model } from '../models/model';
import { ApplicationOptions, applicationInput, classifierHead, obtainInputShape, validateOptions } from './common';
import { loadApplicationWeights, WeightFiles } from './weights';

const ORIGIN = 'https://storage.googleapis.com/tensorflow/keras-applications/resnet/';

/** Keras's WEIGHTS_HASHES of resnet.py: [with top, without top] md5 per weights name. */
const HASHES: Record<string, [string, string]> = {
  resnet50: ['2cb95161c43110f7111970584f804107', '4d473c1dd8becc155b73f8504c6f6626'],
  resnet101: ['f1aeb4b969a6efcfb50fad2f0c20cfc5', '88cf7a10940856eca736dc7b7e228a21'],
  resnet152: ['100835be76be38e30d865e96f2aaae62', 'ee4c566cf9a93f14d82f913c2dc6dd0c'],
  resnet50v2: ['3ef43a0b657b3be2300d5770ece849e0', 'fac2f116257151a9d068a22e544a4917'],
  resnet101v2: ['6343647c601c52e1368623803854d971', 'c0ed64b8031c3730f411d2eb4eea35b5'],
  resnet152v2: ['a49b44d1979771252814e80f8ec446f9', 'ed17cf2e0169df9d443503ef94b23b33'],
};

/** Keras's file names for one weights name: `<name>_weights_tf_dim_ordering_tf_kernels[_notop].h5`. */
function resnetWeightFiles(weightsName: string): WeightFiles {
  const [top, notop] = HASHES[weightsName];
  const file = `${weightsName}_weights_tf_dim_ordering_tf_kernels`;
  return { origin: ORIGIN, top: [`${file}.h5`, top], notop: [`${file}_notop.h5`, notop] };
}

type T = SymbolicTensor;
const bn = (name: string): BatchNormalization => new BatchNormalization({ axis: 3, epsilon: 1.001e-5, name });
const relu = (name: string): Activation => new Activation('relu', { name });

/** What differs between ResNet (v1) and ResNetV2 (pre-activation). */
export interface ResNetSpec {
  /** The default model name ('resnet50'), and Keras's weights name. */
  name: string;
  /** The residual stages after the stem. */
  stack: (x: T) => T;
  /** Pre-activation (v2): no BN/ReLU after conv1, a final `post_bn`/`post_relu`. */
  preact: boolean;
}

/** Keras's ResNet(): stem, stack, head, weights. */
export async function buildResNet(opts: ApplicationOptions, spec: ResNetSpec, title: string): Promise<Model> {
  validateOptions(opts, title);
  const includeTop = opts.includeTop ?? true;
  const weights = opts.weights === undefined ? 'imagenet' : opts.weights;
  const shape = obtainInputShape(opts.inputShape, { defaultSize: 224, minSize: 32, requireFlatten: includeTop, weights, name: title });
  const { imgInput, modelInputs } = applicationInput(opts, shape);
  let x = new ZeroPadding2D({ padding: [[3, 3], [3, 3]], name: 'conv1_pad' }).apply(imgInput);
  x = new Conv2D(64, 7, { strides: 2, useBias: true, name: 'conv1_conv' }).apply(x);
  if (!spec.preact) x = relu('conv1_relu').apply(bn('conv1_bn').apply(x));
  x = new ZeroPadding2D({ padding: [[1, 1], [1, 1]], name: 'pool1_pad' }).apply(x);
  x = new MaxPooling2D({ poolSize: 3, strides: 2, name: 'pool1_pool' }).apply(x);
  x = spec.stack(x);
  if (spec.preact) x = relu('post_relu').apply(bn('post_bn').apply(x));
  x = namedPoolingHead(x, opts);
  const model = new Model({ inputs: modelInputs, outputs: x, name: opts.name ?? spec.name });
  await loadApplicationWeights(model, weights, includeTop, resnetWeightFiles(spec.name));
  return model;
}

/** ResNet's and DenseNet's head: Keras names their poolings, with the top and without (`avg_pool`, `max_pool`). */
export function namedPoolingHead(x: T, opts: ApplicationOptions): T {
  return classifierHead(x, opts, { topPool: 'avg_pool', pool: opts.pooling === 'max' ? 'max_pool' : 'avg_pool' });
}

/** Keras's residual_block_v1: 1x1 -> 3x3 -> 1x1 (4 * filters), plus the shortcut, then ReLU. */
function blockV1(x: T, filters: number, stride: number, convShortcut: boolean, name: string): T {
  let shortcut = x;
  if (convShortcut) {
    shortcut = new Conv2D(4 * filters, 1, { strides: stride, name: `${name}_0_conv` }).apply(x);
    shortcut = bn(`${name}_0_bn`).apply(shortcut);
  }
  x = new Conv2D(filters, 1, { strides: stride, name: `${name}_1_conv` }).apply(x);
  x = relu(`${name}_1_relu`).apply(bn(`${name}_1_bn`).apply(x));
  x = new Conv2D(filters, 3, { padding: 'same', name: `${name}_2_conv` }).apply(x);
  x = relu(`${name}_2_relu`).apply(bn(`${name}_2_bn`).apply(x));
  x = bn(`${name}_3_bn`).apply(new Conv2D(4 * filters, 1, { name: `${name}_3_conv` }).apply(x));
  x = new Add({ name: `${name}_add` }).apply([shortcut, x]);
  return relu(`${name}_out`).apply(x);
}

/** Keras's stack_residual_blocks_v1: the first block projects (and strides), the rest are identity. */
export function stackV1(x: T, filters: number, blocks: number, name: string, stride1 = 2): T {
  x = blockV1(x, filters, stride1, true, `${name}_block1`);
  for (let i = 2; i <= blocks; i++) x = blockV1(x, filters, 1, false, `${name}_block${i}`);
  return x;
}
