/**
 * RandomPosterization: in training, each image (on the [0, 255] scale, as 8-bit integers) keeps only
 * its top `bits` bits, `bits` drawn per image from the integers in [lower, upper) of `factor` (a single
 * f: [1, f); lower = upper: that number), as Keras 3 draws it. Inference: the identity.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { LayerConfig } from '../../../engine/layer';
import { optionKeys } from '../../../engine/options';
import { layerArgs } from '../../../engine/positional';
import { Factor, factorRange, mapRange, valueRangeOf } from './factors';
import { Draw, RANDOM_IMAGE_KEYS, RandomImageLayer, RandomImageLayerArgs } from './random_image_layer';

export interface RandomPosterizationArgs extends RandomImageLayerArgs {
  /** The bits kept per channel: f (the integers in [1, f)) or [lower, upper], within [1, 8]. Keras: `factor` */
  factor: Factor;
  /** The range of the pixel values. Keras: `value_range` @default [0, 255] */
  valueRange?: [number, number];
}

export class RandomPosterization extends RandomImageLayer {
  static override readonly optionKeys = optionKeys<RandomPosterizationArgs>()(...RANDOM_IMAGE_KEYS, 'factor', 'valueRange');
  static override readonly positional = ['factor'];
  readonly className = 'RandomPosterization';
  /** [lower, upper], as Keras keeps it. */
  readonly factor: [number, number];
  readonly valueRange: [number, number];

  constructor(factor: Factor, options?: Omit<RandomPosterizationArgs, 'factor'>);
  constructor(args: RandomPosterizationArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<RandomPosterizationArgs>(new.target, given);
    super(args);
    const owner = `RandomPosterization '${this.name}'`;
    this.factor = factorRange(args?.factor, [1, 8], 'factor', owner);
    this.valueRange = valueRangeOf(args.valueRange, owner);
  }

  protected augment(images: tfc.Tensor4D, draw: Draw): tfc.Tensor {
    const n = images.shape[0];
    const [lower, upper] = this.factor.map(Math.trunc);
    const bits = Array.from({ length: n }, () => (lower === upper ? lower : lower + Math.floor(draw() * (upper - lower))));
    const step = tfc.tensor4d(bits.map((b) => 2 ** (8 - b)), [n, 1, 1, 1]);
    const bytes = tfc.floor(tfc.clipByValue(mapRange(images, this.valueRange, [0, 255]), 0, 255));
    return mapRange(tfc.mul(tfc.floor(tfc.div(bytes, step)), step), [0, 255], this.valueRange);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), factor: this.factor, valueRange: this.valueRange };
  }
}
