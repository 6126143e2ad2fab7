/**
 * RandomInvert: in training, each image is inverted (valueRange[1] - x, as Keras 3 computes it) with a
 * probability drawn per image from [lower, upper] of `factor` (default 1: a probability in [0, 1]).
 * Inference: the identity.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { LayerConfig } from '../../../engine/layer';
import { optionKeys } from '../../../engine/options';
import { layerArgs } from '../../../engine/positional';
import { Factor, factorRange, valueRangeOf } from './factors';
import { Draw, RANDOM_IMAGE_KEYS, RandomImageLayer, RandomImageLayerArgs } from './random_image_layer';

export interface RandomInvertArgs extends RandomImageLayerArgs {
  /** The probability of inverting, drawn per image from [0, f] or [lower, upper], within [0, 1]. Keras: `factor` @default 1 */
  factor?: Factor;
  /** The range of the pixel values; an inverted pixel is valueRange[1] - x. Keras: `value_range` @default [0, 255] */
  valueRange?: [number, number];
}

export class RandomInvert extends RandomImageLayer {
  static override readonly optionKeys = optionKeys<RandomInvertArgs>()(...RANDOM_IMAGE_KEYS, 'factor', 'valueRange');
  static override readonly positional = ['factor'];
  readonly className = 'RandomInvert';
  /** [lower, upper], as Keras keeps it. */
  readonly factor: [number, number];
  readonly valueRange: [number, number];

  constructor(factor?: Factor, options?: Omit<RandomInvertArgs, 'factor'>);
  constructor(args?: RandomInvertArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<RandomInvertArgs | undefined>(new.target, given);
    super(args);
    const owner = `RandomInvert '${this.name}'`;
    this.factor = factorRange(args?.factor ?? 1, [0, 1], 'factor', owner);
    this.valueRange = valueRangeOf(args?.valueRange, owner);
  }

  protected augment(images: tfc.Tensor4D, draw: Draw): tfc.Tensor {
    const n = images.shape[0];
    const [lower, upper] = this.factor;
    const invert = Array.from({ length: n }, () => {
      const p = lower + (upper - lower) * draw();
      return draw() < p ? 1 : 0;
    });
    const mask = tfc.cast(tfc.tensor4d(invert, [n, 1, 1, 1]), 'bool');
    return tfc.where(mask, tfc.sub(this.valueRange[1], images), images);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), factor: this.factor, valueRange: this.valueRange };
  }
}
