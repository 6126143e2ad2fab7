/**
 * RandomColorDegeneration: in training, moves each image toward its grey version (the luma,
 * 0.2989 R + 0.5870 G + 0.1140 B) as x + f (grey - x), f drawn per image from [lower, upper] of `factor`,
 * and clips to `valueRange`, as Keras 3: f = 0 leaves the image, 1 makes it grey, a negative f adds
 * colour. A single number f gives [-f, f], as Keras 3's code does (its docstring says [0, f]): pass
 * [0, f] for only greying. Images have 3 channels (RGB). Inference: the identity.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { LayerConfig } from '../../../engine/layer';
import { optionKeys } from '../../../engine/options';
import { layerArgs } from '../../../engine/positional';
import { rgbToGrayscale } from '../../../ops/color';
import { Factor, factorRange, valueRangeOf } from './factors';
import { Draw, RANDOM_IMAGE_KEYS, RandomImageLayer, RandomImageLayerArgs, uniforms } from './random_image_layer';

export interface RandomColorDegenerationArgs extends RandomImageLayerArgs {
  /** f or [lower, upper] within [-1, 1] (f gives [-f, f], as Keras 3's code): 0 leaves the image, 1 makes it grey. Keras: `factor` */
  factor: Factor;
  /** The range of the pixel values; outputs are clipped to it. Keras: `value_range` @default [0, 255] */
  valueRange?: [number, number];
}

export class RandomColorDegeneration extends RandomImageLayer {
  static override readonly optionKeys = optionKeys<RandomColorDegenerationArgs>()(...RANDOM_IMAGE_KEYS, 'factor', 'valueRange');
  static override readonly positional = ['factor'];
  readonly className = 'RandomColorDegeneration';
  /** [lower, upper], as Keras keeps it. */
  readonly factor: [number, number];
  readonly valueRange: [number, number];

  constructor(factor: Factor, options?: Omit<RandomColorDegenerationArgs, 'factor'>);
  constructor(args: RandomColorDegenerationArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<RandomColorDegenerationArgs>(new.target, given);
    super(args);
    const owner = `RandomColorDegeneration '${this.name}'`;
    this.factor = factorRange(args?.factor, [-1, 1], 'factor', owner);
    this.valueRange = valueRangeOf(args.valueRange, owner);
  }

  protected augment(images: tfc.Tensor4D, draw: Draw): tfc.Tensor {
    const n = images.shape[0];
    const f = tfc.tensor4d(uniforms(draw, n, ...this.factor), [n, 1, 1, 1]);
    const out = tfc.add(images, tfc.mul(f, tfc.sub(rgbToGrayscale(images), images)));
    return tfc.clipByValue(out, ...this.valueRange);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), factor: this.factor, valueRange: this.valueRange };
  }
}
