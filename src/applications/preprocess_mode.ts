/**
 * A family module's `preprocessInput`: Keras's `imagenet_utils.preprocess_input` with the mode the
 * family's weights were trained with ('caffe' for ResNet and VGG, 'tf' for Inception, Xception,
 * ResNetV2 and NASNet, 'torch' for DenseNet), as each Keras module binds it.
 *
 *   export const preprocessInput = preprocessWithMode('caffe');   // in resnet.ts
 */
import type * as tfc from '@tensorflow/tfjs-core';
import { ImageBatch, PreprocessMode, PreprocessOptions, preprocessInput } from './imagenet_utils';

/** What `preprocessInput` returns for an input of type T: a tensor, the same nested array type, or a Float32Array. */
export type Preprocessed<T> = T extends tfc.Tensor ? tfc.Tensor : T extends number[] | number[][] | number[][][] | number[][][][] ? T : Float32Array;

/** The options of a family's `preprocessInput` (its mode is fixed). */
export type FamilyPreprocessOptions = Omit<PreprocessOptions, 'mode'>;

/** `preprocessInput` of a family whose weights expect `mode`. */
export function preprocessWithMode(mode: PreprocessMode): <T extends ImageBatch>(x: T, options?: FamilyPreprocessOptions) => Preprocessed<T> {
  return <T extends ImageBatch>(x: T, options: FamilyPreprocessOptions = {}) => preprocessInput(x, { ...options, mode }) as Preprocessed<T>;
}
