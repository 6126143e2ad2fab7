/**
 * RandomSharpness: in training, blends each image with its smoothed copy (Keras's 3x3 kernel, 5/13 at
 * the centre and 1/13 around, zero-padded at the edges, per channel) as x + (1 - 2f)(smoothed - x), f
 * drawn per image from [lower, upper] of `factor` (f gives [0, f]): f = 0.5 leaves the image, 0 smooths,
 * 1 sharpens. Clipped to `valueRange`, as Keras 3. Inference: the identity.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { LayerConfig } from '../../../engine/layer';
import { optionKeys } from '../../../engine/options';
import { layerArgs } from '../../../engine/positional';
import { Factor, factorRange, valueRangeOf } from './factors';
import { Draw, RANDOM_IMAGE_KEYS, RandomImageLayer, RandomImageLayerArgs, uniforms } from './random_image_layer';

export interface RandomSharpnessArgs extends RandomImageLayerArgs {
  /** f for [0, f] or [lower, upper], within [0, 1]: 0.5 leaves the image, 0 smooths it, 1 sharpens it. Keras: `factor` */
  factor: Factor;
  /** The range of the pixel values; outputs are clipped to it. Keras: `value_range` @default [0, 255] */
  valueRange?: [number, number];
}

const [EDGE, CENTRE] = [1 / 13, 5 / 13];

export class RandomSharpness extends RandomImageLayer {
  static override readonly optionKeys = optionKeys<RandomSharpnessArgs>()(...RANDOM_IMAGE_KEYS, 'factor', 'valueRange');
  static override readonly positional = ['factor'];
  readonly className = 'RandomSharpness';
  /** [lower, upper], as Keras keeps it. */
  readonly factor: [number, number];
  readonly valueRange: [number, number];

  constructor(factor: Factor, options?: Omit<RandomSharpnessArgs, 'factor'>);
  constructor(args: RandomSharpnessArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<RandomSharpnessArgs>(new.target, given);
    super(args);
    const owner = `RandomSharpness '${this.name}'`;
    this.factor = factorRange(args?.factor, [0, 1], 'factor', owner);
    this.valueRange = valueRangeOf(args.valueRange, owner);
  }

  protected augment(images: tfc.Tensor4D, draw: Draw): tfc.Tensor {
    const [n, , , c] = images.shape;
    const blend = uniforms(draw, n, ...this.factor).map((f) => 1 - 2 * f);
    const taps = [EDGE, EDGE, EDGE, EDGE, CENTRE, EDGE, EDGE, EDGE, EDGE].flatMap((t) => new Array<number>(c).fill(t));
    const smoothed = tfc.depthwiseConv2d(images, tfc.tensor4d(taps, [3, 3, c, 1]), 1, 'same');
    const out = tfc.add(images, tfc.mul(tfc.tensor4d(blend, [n, 1, 1, 1]), tfc.sub(smoothed, images)));
    return tfc.clipByValue(out, ...this.valueRange);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), factor: this.factor, valueRange: this.valueRange };
  }
}
