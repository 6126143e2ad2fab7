/**
 * RandomBrightness: in training, adds to each image one random delta, a fraction of the value range
 * (factor 0.2 with [0, 255]: within ±51), and clips to `valueRange`. Inference: the identity.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { LayerConfig } from '../../../engine/layer';
import { optionKeys } from '../../../engine/options';
import { layerArgs } from '../../../engine/positional';
import { Factor, factorRange, valueRangeOf } from './factors';
import { Draw, RANDOM_IMAGE_KEYS, RandomImageLayer, RandomImageLayerArgs, uniforms } from './random_image_layer';

export interface RandomBrightnessArgs extends RandomImageLayerArgs {
  /** The delta as a fraction of the value range: f for [-f, f], or [lower, upper], within [-1, 1]. Keras: `factor` */
  factor: Factor;
  /** The range of the pixel values; outputs are clipped to it. Keras: `value_range` @default [0, 255] */
  valueRange?: [number, number];
}

export class RandomBrightness extends RandomImageLayer {
  static override readonly optionKeys = optionKeys<RandomBrightnessArgs>()(...RANDOM_IMAGE_KEYS, 'factor', 'valueRange');
  static override readonly positional = ['factor'];
  readonly className = 'RandomBrightness';
  /** [lower, upper], as Keras keeps it. */
  readonly factor: [number, number];
  readonly valueRange: [number, number];

  constructor(factor: Factor, options?: Omit<RandomBrightnessArgs, 'factor'>);
  constructor(args: RandomBrightnessArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<RandomBrightnessArgs>(new.target, given);
    super(args);
    const owner = `RandomBrightness '${this.name}'`;
    this.factor = factorRange(args?.factor, [-1, 1], 'factor', owner);
    this.valueRange = valueRangeOf(args.valueRange, owner);
  }

  protected augment(images: tfc.Tensor4D, draw: Draw): tfc.Tensor {
    const n = images.shape[0];
    const [low, high] = this.valueRange;
    const delta = uniforms(draw, n, ...this.factor).map((d) => d * (high - low));
    return tfc.clipByValue(tfc.add(images, tfc.tensor4d(delta, [n, 1, 1, 1])), low, high);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), factor: this.factor, valueRange: this.valueRange };
  }
}
