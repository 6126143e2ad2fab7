/**
 * VGG19 (Keras's vgg19.py): vgg16.ts's builder with four convolutions in blocks 3 to 5.
 *
 *   const model = await k.applications.VGG19({ weights: null });
 *   k.applications.vgg19.preprocessInput(images)  // 'caffe'
 */
import type { Model } from '../models/model';
import type { ApplicationOptions } from './common';
import { decodePredictions as decodeImagenet } from './imagenet_utils';
import { preprocessWithMode } from './preprocess_mode';
import { buildVGG } from './vgg_base';

/** VGG19 (Keras: `keras.applications.VGG19`): 143,667,240 parameters at 224x224 with the top. */
export function VGG19(opts: ApplicationOptions = {}): Promise<Model> {
  return buildVGG(opts, [2, 2, 4, 4, 4], 'vgg19', 'VGG19');
}

/** Keras's vgg19.preprocess_input: mode 'caffe'. */
export const preprocessInput = preprocessWithMode('caffe');

/** Keras's vgg19.decode_predictions. */
export const decodePredictions = decodeImagenet;
