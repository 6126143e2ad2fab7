/**
 * RandomSaturation: in training, scales each image's HSV saturation by f / (1 - f), f drawn per image from
 * [lower, upper] of `factor`, as Keras 3: f = 0.5 leaves the image, 0 makes it grey, 1 fully saturated.
 * A single number f gives [-f, f], as Keras 3's code does (its docstring says [0, f]); a negative draw
 * greys the image: pass [0, f] for the documented range. Keras clips the scaled saturation to
 * `valueRange`; keras-ts clips it to [0, 1] (the same for valueRange [0, 1]; for [0, 255] Keras lets it
 * exceed 1 and the colours leave the value range), and works on the images mapped to [0, 1] (the same
 * as Keras for ranges starting at 0). Images have 3 channels (RGB). Inference: the identity.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { LayerConfig } from '../../../engine/layer';
import { optionKeys } from '../../../engine/options';
import { layerArgs } from '../../../engine/positional';
import { hsvToRgb, rgbToHsv } from '../../../ops/color';
import { Factor, factorRange, mapRange, valueRangeOf } from './factors';
import { Draw, RANDOM_IMAGE_KEYS, RandomImageLayer, RandomImageLayerArgs, uniforms } from './random_image_layer';

export interface RandomSaturationArgs extends RandomImageLayerArgs {
  /** f or [lower, upper] within [-1, 1] (f gives [-f, f], as Keras 3's code): 0.5 keeps the saturation, 0 greys, 1 saturates. Keras: `factor` */
  factor: Factor;
  /** The range of the pixel values. Keras: `value_range` @default [0, 255] */
  valueRange?: [number, number];
}

/** Keras's backend epsilon, in f / (1 - f + epsilon). */
const EPSILON = 1e-7;

export class RandomSaturation extends RandomImageLayer {
  static override readonly optionKeys = optionKeys<RandomSaturationArgs>()(...RANDOM_IMAGE_KEYS, 'factor', 'valueRange');
  static override readonly positional = ['factor'];
  readonly className = 'RandomSaturation';
  /** [lower, upper], as Keras keeps it. */
  readonly factor: [number, number];
  readonly valueRange: [number, number];

  constructor(factor: Factor, options?: Omit<RandomSaturationArgs, 'factor'>);
  constructor(args: RandomSaturationArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<RandomSaturationArgs>(new.target, given);
    super(args);
    const owner = `RandomSaturation '${this.name}'`;
    this.factor = factorRange(args?.factor, [-1, 1], 'factor', owner);
    this.valueRange = valueRangeOf(args.valueRange, owner);
  }

  protected augment(images: tfc.Tensor4D, draw: Draw): tfc.Tensor {
    const n = images.shape[0];
    const scales = uniforms(draw, n, ...this.factor).map((f) => f / (1 - f + EPSILON));
    const [h, s, v] = tfc.split(rgbToHsv(mapRange(images, this.valueRange, [0, 1])), 3, -1);
    const saturation = tfc.clipByValue(tfc.mul(s, tfc.tensor4d(scales, [n, 1, 1, 1])), 0, 1);
    return mapRange(hsvToRgb(tfc.concat([h, saturation, v], -1)), [0, 1], this.valueRange);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), factor: this.factor, valueRange: this.valueRange };
  }
}
