/**
 * RandomContrast: in training, moves each image's pixels away from (or toward) the image's mean of
 * each channel by a random factor in [1 - lower, 1 + upper] (as Keras 3: factor f gives [0, f] from
 * the bounds [0, 1], so [1, 1 + f]), then clips to `valueRange`. Inference: the identity.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { LayerConfig } from '../../../engine/layer';
import { optionKeys } from '../../../engine/options';
import { layerArgs } from '../../../engine/positional';
import { Factor, factorRange, valueRangeOf } from './factors';
import { Draw, RANDOM_IMAGE_KEYS, RandomImageLayer, RandomImageLayerArgs, uniforms } from './random_image_layer';

export interface RandomContrastArgs extends RandomImageLayerArgs {
  /** f or [lower, upper] within [0, 1]: the contrast factor is drawn from [1 - lower, 1 + upper]. Keras: `factor` */
  factor: Factor;
  /** The range of the pixel values; outputs are clipped to it. Keras: `value_range` @default [0, 255] */
  valueRange?: [number, number];
}

export class RandomContrast extends RandomImageLayer {
  static override readonly optionKeys = optionKeys<RandomContrastArgs>()(...RANDOM_IMAGE_KEYS, 'factor', 'valueRange');
  static override readonly positional = ['factor'];
  readonly className = 'RandomContrast';
  /** [lower, upper], as Keras keeps it. */
  readonly factor: [number, number];
  readonly valueRange: [number, number];

  constructor(factor: Factor, options?: Omit<RandomContrastArgs, 'factor'>);
  constructor(args: RandomContrastArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<RandomContrastArgs>(new.target, given);
    super(args);
    const owner = `RandomContrast '${this.name}'`;
    this.factor = factorRange(args?.factor, [0, 1], 'factor', owner);
    this.valueRange = valueRangeOf(args.valueRange, owner);
  }

  protected augment(images: tfc.Tensor4D, draw: Draw): tfc.Tensor {
    const n = images.shape[0];
    const factors = uniforms(draw, n, 1 - this.factor[0], 1 + this.factor[1]);
    const mean = tfc.mean(images, [1, 2], true);
    const out = tfc.add(tfc.mul(tfc.sub(images, mean), tfc.tensor4d(factors, [n, 1, 1, 1])), mean);
    return tfc.clipByValue(out, ...this.valueRange);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), factor: this.factor, valueRange: this.valueRange };
  }
}
