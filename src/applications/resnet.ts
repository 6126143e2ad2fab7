/**
 * ResNet50, ResNet101 and ResNet152 (Keras's keras/src/applications/resnet.py, the module
 * `keras.applications.resnet`): resnet_base.ts's builder with v1 residual stacks.
 *
 *   const model = await k.applications.ResNet50({ weights: null });
 *   k.applications.resnet.preprocessInput(images)  // 'caffe': RGB -> BGR, ImageNet means subtracted
 */
import type { SymbolicTensor } from '../engine/symbolic_tensor';
import type { Model } from '../models/model';
import type { ApplicationOptions } from './common';
import { decodePredictions as decodeImagenet } from './imagenet_utils';
import { preprocessWithMode } from './preprocess_mode';
import { buildResNet, stackV1 } from './resnet_base';

type T = SymbolicTensor;

/** The three v1 stacks after conv2: blocks per stage, as ResNet50 [3, 4, 6, 3]. */
function v1Stack(blocks: [number, number, number, number]): (x: T) => T {
  return (x) => {
    x = stackV1(x, 64, blocks[0], 'conv2', 1);
    x = stackV1(x, 128, blocks[1], 'conv3');
    x = stackV1(x, 256, blocks[2], 'conv4');
    return stackV1(x, 512, blocks[3], 'conv5');
  };
}

/** ResNet50 (Keras: `keras.applications.ResNet50`): 25,636,712 parameters at 224x224 with the top. */
export function ResNet50(opts: ApplicationOptions = {}): Promise<Model> {
  return buildResNet(opts, { name: 'resnet50', stack: v1Stack([3, 4, 6, 3]), preact: false }, 'ResNet50');
}

/** ResNet101 (Keras: `keras.applications.ResNet101`). */
export function ResNet101(opts: ApplicationOptions = {}): Promise<Model> {
  return buildResNet(opts, { name: 'resnet101', stack: v1Stack([3, 4, 23, 3]), preact: false }, 'ResNet101');
}

/** ResNet152 (Keras: `keras.applications.ResNet152`). */
export function ResNet152(opts: ApplicationOptions = {}): Promise<Model> {
  return buildResNet(opts, { name: 'resnet152', stack: v1Stack([3, 8, 36, 3]), preact: false }, 'ResNet152');
}

/** Keras's resnet.preprocess_input: mode 'caffe' (RGB -> BGR, ImageNet channel means subtracted, no scaling). */
export const preprocessInput = preprocessWithMode('caffe');

/** Keras's resnet.decode_predictions: the top classes of each row of ImageNet predictions. */
export const decodePredictions = decodeImagenet;
