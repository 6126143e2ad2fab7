/**
 * The VGG builder of VGG16 (vgg16.ts) and VGG19 (vgg19.ts), as Keras's vgg16.py and vgg19.py have
 * it: blocks of 3x3 'same' convolutions with ReLU, each ended by a 2x2 max pooling; the top is
 * Flatten and two Dense(4096) before the classifier; Keras's weight files of both.
 *
 * Layer names are Keras's (`block1_conv1`, ..., `block5_pool`, `flatten`, `fc1`, `fc2`,
 * `predictions`); Keras leaves the notop pooling unnamed, and so do we.
 */
import type { SymbolicTensor } from '../engine/symbolic_tensor';
import { Conv2D, Dense, Flatten, MaxPooling2D } from '../layers';
import type { ActivationName } from '../activations/activations';
import { Model } from '../models/model';
import { ApplicationOptions, applicationInput, classifierHead, obtainInputShape, validateOptions } from './common';
import { loadApplicationWeights, WeightFiles } from './weights';

const ORIGIN = 'https://storage.googleapis.com/tensorflow/keras-applications/';

/** Keras's vgg16.py and vgg19.py weight files (origin folder, names and md5 hashes). */
const VGG_WEIGHTS: Record<'vgg16' | 'vgg19', WeightFiles> = {
  vgg16: {
    origin: `${ORIGIN}vgg16/`,
    top: ['vgg16_weights_tf_dim_ordering_tf_kernels.h5', '64373286793e3c8b2b4e3219cbf3544b'],
    notop: ['vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5', '6d6bbae143d832006294945121d1f1fc'],
  },
  vgg19: {
    origin: `${ORIGIN}vgg19/`,
    top: ['vgg19_weights_tf_dim_ordering_tf_kernels.h5', 'cbe5617147190e668d6c5d5026f83318'],
    notop: ['vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5', '253f8cb515780f3b799900260a226db6'],
  },
};

const BLOCK_FILTERS = [64, 128, 256, 512, 512];

/** The VGG body, head and weights; `convs` is the number of convolutions per block ([2, 2, 3, 3, 3] for VGG16). */
export async function buildVGG(opts: ApplicationOptions, convs: number[], name: 'vgg16' | 'vgg19', title: string): Promise<Model> {
  validateOptions(opts, title);
  const includeTop = opts.includeTop ?? true;
  const weights = opts.weights === undefined ? 'imagenet' : opts.weights;
  const shape = obtainInputShape(opts.inputShape, { defaultSize: 224, minSize: 32, requireFlatten: includeTop, weights, name: title });
  const { imgInput, modelInputs } = applicationInput(opts, shape);
  let x: SymbolicTensor = imgInput;
  convs.forEach((count, b) => {
    for (let i = 1; i <= count; i++) {
      x = new Conv2D(BLOCK_FILTERS[b], 3, { activation: 'relu', padding: 'same', name: `block${b + 1}_conv${i}` }).apply(x);
    }
    x = new MaxPooling2D({ poolSize: 2, strides: 2, name: `block${b + 1}_pool` }).apply(x);
  });
  if (includeTop) {
    x = new Flatten({ name: 'flatten' }).apply(x);
    x = new Dense(4096, { activation: 'relu', name: 'fc1' }).apply(x);
    x = new Dense(4096, { activation: 'relu', name: 'fc2' }).apply(x);
    const activation = (opts.classifierActivation === undefined ? 'softmax' : opts.classifierActivation) ?? 'linear';
    x = new Dense(opts.classes ?? 1000, { activation: activation as ActivationName, name: 'predictions' }).apply(x);
  } else {
    x = classifierHead(x, opts);
  }
  const model = new Model({ inputs: modelInputs, outputs: x, name: opts.name ?? name });
  await loadApplicationWeights(model, weights, includeTop, VGG_WEIGHTS[name]);
  return model;
}
