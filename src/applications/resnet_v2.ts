/**
 * ResNet50V2, ResNet101V2 and ResNet152V2 (Keras's resnet_v2.py): pre-activation residual blocks on
 * resnet.ts's builder (stem without BN, a final `post_bn`/`post_relu`).
 *
 *   const model = await k.applications.ResNet50V2({ weights: null });
 *   k.applications.resnetV2.preprocessInput(images)  // 'tf': pixels scaled to -1..1
 *
 * Layer names are Keras's (`conv2_block1_preact_bn`, ..., `conv5_block3_out`, `post_relu`); the
 * block's identity shortcut with a stride is Keras's unnamed MaxPooling2D(1, strides).
 */
import type { SymbolicTensor } from '../engine/symbolic_tensor';
import { Activation, Add, BatchNormalization, Conv2D, MaxPooling2D, ZeroPadding2D } from '../layers';
import type { Model } from '../models/model';
import type { ApplicationOptions } from './common';
import { decodePredictions as decodeImagenet } from './imagenet_utils';
import { preprocessWithMode } from './preprocess_mode';
import { buildResNet } from './resnet_base';

type T = SymbolicTensor;
const bn = (name: string): BatchNormalization => new BatchNormalization({ axis: 3, epsilon: 1.001e-5, name });
const relu = (name: string): Activation => new Activation('relu', { name });

/** Keras's residual_block_v2: BN-ReLU first, then 1x1 -> 3x3 (strided) -> 1x1 (4 * filters), plus the shortcut. */
function blockV2(x: T, filters: number, stride: number, convShortcut: boolean, name: string): T {
  const preact = relu(`${name}_preact_relu`).apply(bn(`${name}_preact_bn`).apply(x));
  let shortcut = x;
  if (convShortcut) shortcut = new Conv2D(4 * filters, 1, { strides: stride, name: `${name}_0_conv` }).apply(preact);
  else if (stride > 1) shortcut = new MaxPooling2D({ poolSize: 1, strides: stride }).apply(x);
  x = new Conv2D(filters, 1, { strides: 1, useBias: false, name: `${name}_1_conv` }).apply(preact);
  x = relu(`${name}_1_relu`).apply(bn(`${name}_1_bn`).apply(x));
  x = new ZeroPadding2D({ padding: [[1, 1], [1, 1]], name: `${name}_2_pad` }).apply(x);
  x = new Conv2D(filters, 3, { strides: stride, useBias: false, name: `${name}_2_conv` }).apply(x);
  x = relu(`${name}_2_relu`).apply(bn(`${name}_2_bn`).apply(x));
  x = new Conv2D(4 * filters, 1, { name: `${name}_3_conv` }).apply(x);
  return new Add({ name: `${name}_out` }).apply([shortcut, x]);
}

/** Keras's stack_residual_blocks_v2: the first block projects, the last one strides. */
function stackV2(x: T, filters: number, blocks: number, name: string, stride1 = 2): T {
  x = blockV2(x, filters, 1, true, `${name}_block1`);
  for (let i = 2; i < blocks; i++) x = blockV2(x, filters, 1, false, `${name}_block${i}`);
  return blockV2(x, filters, stride1, false, `${name}_block${blocks}`);
}

function v2Stack(blocks: [number, number, number, number]): (x: T) => T {
  return (x) => {
    x = stackV2(x, 64, blocks[0], 'conv2');
    x = stackV2(x, 128, blocks[1], 'conv3');
    x = stackV2(x, 256, blocks[2], 'conv4');
    return stackV2(x, 512, blocks[3], 'conv5', 1);
  };
}

/** ResNet50V2 (Keras: `keras.applications.ResNet50V2`). */
export function ResNet50V2(opts: ApplicationOptions = {}): Promise<Model> {
  return buildResNet(opts, { name: 'resnet50v2', stack: v2Stack([3, 4, 6, 3]), preact: true }, 'ResNet50V2');
}

/** ResNet101V2 (Keras: `keras.applications.ResNet101V2`). */
export function ResNet101V2(opts: ApplicationOptions = {}): Promise<Model> {
  return buildResNet(opts, { name: 'resnet101v2', stack: v2Stack([3, 4, 23, 3]), preact: true }, 'ResNet101V2');
}

/** ResNet152V2 (Keras: `keras.applications.ResNet152V2`). */
export function ResNet152V2(opts: ApplicationOptions = {}): Promise<Model> {
  return buildResNet(opts, { name: 'resnet152v2', stack: v2Stack([3, 8, 36, 3]), preact: true }, 'ResNet152V2');
}

/** Keras's resnet_v2.preprocess_input: mode 'tf' (pixels 0..255 scaled to -1..1). */
export const preprocessInput = preprocessWithMode('tf');

/** Keras's resnet_v2.decode_predictions. */
export const decodePredictions = decodeImagenet;
