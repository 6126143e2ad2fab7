/**
 * VGG16 (Keras's keras/src/applications/vgg16.py): vgg_base.ts's builder with 2, 2, 3, 3, 3
 * convolutions per block.
 *
 *   const model = await k.applications.VGG16({ weights: null });
 *   k.applications.vgg16.preprocessInput(images)  // 'caffe': RGB -> BGR, ImageNet means subtracted
 */
import type { Model } from '../models/model';
import type { ApplicationOptions } from './common';
import { decodePredictions as decodeImagenet } from './imagenet_utils';
import { preprocessWithMode } from './preprocess_mode';
import { buildVGG } from './vgg_base';

/** VGG16 (Keras: `keras.applications.VGG16`): 138,357,544 parameters at 224x224 with the top. */
export function VGG16(opts: ApplicationOptions = {}): Promise<Model> {
  return buildVGG(opts, [2, 2, 3, 3, 3], 'vgg16', 'VGG16');
}

/** Keras's vgg16.preprocess_input: mode 'caffe'. */
export const preprocessInput = preprocessWithMode('caffe');

/** Keras's vgg16.decode_predictions. */
export const decodePredictions = decodeImagenet;
