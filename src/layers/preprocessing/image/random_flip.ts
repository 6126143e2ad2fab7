/**
 * RandomFlip: in training, each image is mirrored with probability 1/2 (one draw per image). With
 * 'horizontal_and_vertical' one draw flips both axes together, as Keras 3 does (an image comes out
 * as it is or turned by 180 degrees). Inference: the identity.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { LayerConfig } from '../../../engine/layer';
import { optionKeys } from '../../../engine/options';
import { layerArgs } from '../../../engine/positional';
import { oneOf } from '../../args';
import { Draw, RANDOM_IMAGE_KEYS, RandomImageLayer, RandomImageLayerArgs } from './random_image_layer';

export type FlipMode = 'horizontal' | 'vertical' | 'horizontal_and_vertical';
const FLIP_MODES: readonly FlipMode[] = ['horizontal', 'vertical', 'horizontal_and_vertical'];

export interface RandomFlipArgs extends RandomImageLayerArgs {
  /** Which axes may be flipped. Keras: `mode` @default 'horizontal_and_vertical' */
  mode?: FlipMode;
}

export class RandomFlip extends RandomImageLayer {
  static override readonly optionKeys = optionKeys<RandomFlipArgs>()(...RANDOM_IMAGE_KEYS, 'mode');
  static override readonly positional = ['mode'];
  readonly className = 'RandomFlip';
  readonly mode: FlipMode;

  constructor(mode?: FlipMode, options?: Omit<RandomFlipArgs, 'mode'>);
  constructor(args?: RandomFlipArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<RandomFlipArgs>(new.target, given);
    super(args);
    this.mode = oneOf(args?.mode, FLIP_MODES, 'horizontal_and_vertical', 'mode', `RandomFlip '${this.name}'`);
  }

  protected augment(images: tfc.Tensor4D, draw: Draw): tfc.Tensor {
    const n = images.shape[0];
    const flips = Array.from({ length: n }, () => (draw() <= 0.5 ? 1 : 0));
    const axes = this.mode === 'horizontal' ? [2] : this.mode === 'vertical' ? [1] : [1, 2];
    const mask = tfc.cast(tfc.tensor4d(flips, [n, 1, 1, 1]), 'bool');
    return tfc.where(mask, tfc.reverse(images, axes), images);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), mode: this.mode };
  }
}
