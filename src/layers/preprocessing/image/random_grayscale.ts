/**
 * RandomGrayscale: in training, each image turns grey with probability `factor`: every channel becomes
 * the luma 0.2989 R + 0.5870 G + 0.1140 B (TensorFlow's rgb_to_grayscale weights), so the output keeps
 * its 3 channels. Images have 3 channels (RGB) or 1 (left as they are). Inference: the identity.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../../engine/errors';
import type { LayerConfig } from '../../../engine/layer';
import { optionKeys } from '../../../engine/options';
import { layerArgs } from '../../../engine/positional';
import { Draw, RANDOM_IMAGE_KEYS, RandomImageLayer, RandomImageLayerArgs } from './random_image_layer';

export interface RandomGrayscaleArgs extends RandomImageLayerArgs {
  /** The probability that an image turns grey, in [0, 1]. Keras: `factor` @default 0.5 */
  factor?: number;
}

const LUMA = [0.2989, 0.587, 0.114];

export class RandomGrayscale extends RandomImageLayer {
  static override readonly optionKeys = optionKeys<RandomGrayscaleArgs>()(...RANDOM_IMAGE_KEYS, 'factor');
  static override readonly positional = ['factor'];
  readonly className = 'RandomGrayscale';
  readonly factor: number;

  constructor(factor?: number, options?: Omit<RandomGrayscaleArgs, 'factor'>);
  constructor(args?: RandomGrayscaleArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<RandomGrayscaleArgs | undefined>(new.target, given);
    super(args);
    this.factor = args?.factor ?? 0.5;
    if (typeof this.factor !== 'number' || !(this.factor >= 0 && this.factor <= 1)) {
      throw new ValueError(`RandomGrayscale '${this.name}': \`factor\` must be a probability in [0, 1], got ${args?.factor}. help: e.g. {factor: 0.2}.`);
    }
  }

  protected augment(images: tfc.Tensor4D, draw: Draw): tfc.Tensor {
    const [n, , , c] = images.shape;
    if (c !== 1 && c !== 3) {
      throw new ValueError(`RandomGrayscale '${this.name}': expected 3 channels (RGB) or 1, got ${c}. help: pass RGB images.`);
    }
    const grey = Array.from({ length: n }, () => (draw() < this.factor ? 1 : 0));
    if (c === 1) return tfc.clone(images);
    const luma = tfc.sum(tfc.mul(images, tfc.tensor1d(LUMA)), -1, true);
    return tfc.where(tfc.cast(tfc.tensor4d(grey, [n, 1, 1, 1]), 'bool'), tfc.broadcastTo(luma, images.shape), images);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), factor: this.factor };
  }
}
