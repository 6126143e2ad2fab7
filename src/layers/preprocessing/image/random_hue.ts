/**
 * RandomHue: in training, turns each image's hue by a random amount (in HSV, then back to RGB), as Keras 3:
 * per image a magnitude m is drawn from [lower, upper] of `factor` (f gives [0, f]) and a sign with odds
 * one half, and the hue (a turn being 1) moves by ±m/2, wrapped into [0, 1]. The images are mapped from
 * `valueRange` to [0, 1] and back, and clipped. Images have 3 channels (RGB). Inference: the identity.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { LayerConfig } from '../../../engine/layer';
import { optionKeys } from '../../../engine/options';
import { layerArgs } from '../../../engine/positional';
import { hsvToRgb, rgbToHsv } from '../../../ops/color';
import { Factor, factorRange, mapRange, valueRangeOf } from './factors';
import { Draw, RANDOM_IMAGE_KEYS, RandomImageLayer, RandomImageLayerArgs } from './random_image_layer';

export interface RandomHueArgs extends RandomImageLayerArgs {
  /** The size of the turn: f for [0, f] or [lower, upper], within [0, 1]; 0 leaves the hue, 1 turns it up to half a turn either way. Keras: `factor` */
  factor: Factor;
  /** The range of the pixel values. Keras: `value_range` @default [0, 255] */
  valueRange?: [number, number];
}

export class RandomHue extends RandomImageLayer {
  static override readonly optionKeys = optionKeys<RandomHueArgs>()(...RANDOM_IMAGE_KEYS, 'factor', 'valueRange');
  static override readonly positional = ['factor'];
  readonly className = 'RandomHue';
  /** [lower, upper], as Keras keeps it. */
  readonly factor: [number, number];
  readonly valueRange: [number, number];

  constructor(factor: Factor, options?: Omit<RandomHueArgs, 'factor'>);
  constructor(args: RandomHueArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<RandomHueArgs>(new.target, given);
    super(args);
    const owner = `RandomHue '${this.name}'`;
    this.factor = factorRange(args?.factor, [0, 1], 'factor', owner);
    this.valueRange = valueRangeOf(args.valueRange, owner);
  }

  protected augment(images: tfc.Tensor4D, draw: Draw): tfc.Tensor {
    const n = images.shape[0];
    const [lower, upper] = this.factor;
    const turns = Array.from({ length: n }, () => {
      const sign = draw() > 0.5 ? -1 : 1;
      return sign * (lower + (upper - lower) * draw()) * 0.5;
    });
    const [h, s, v] = tfc.split(rgbToHsv(mapRange(images, this.valueRange, [0, 1])), 3, -1);
    const moved = tfc.add(h, tfc.tensor4d(turns, [n, 1, 1, 1]));
    const above = tfc.where(tfc.greater(moved, 1), tfc.sub(moved, 1), moved);
    const hue = tfc.where(tfc.less(above, 0), tfc.add(above, 1), above);
    const rgb = tfc.clipByValue(hsvToRgb(tfc.concat([hue, s, v], -1)), 0, 1);
    return mapRange(rgb, [0, 1], this.valueRange);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), factor: this.factor, valueRange: this.valueRange };
  }
}
