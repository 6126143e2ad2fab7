/**
 * RandomColorJitter: in training, RandomBrightness, RandomContrast, RandomSaturation and RandomHue in
 * that order, each one whose factor is given, with Keras 3's semantics of each factor and one
 * `valueRange` for all; the draws come from this layer's seed. Inference: the identity.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { LayerConfig } from '../../../engine/layer';
import { optionKeys } from '../../../engine/options';
import { layerArgs } from '../../../engine/positional';
import { Factor, valueRangeOf } from './factors';
import { RandomBrightness } from './random_brightness';
import { RandomContrast } from './random_contrast';
import { RandomHue } from './random_hue';
import { Draw, RANDOM_IMAGE_KEYS, RandomImageLayer, RandomImageLayerArgs } from './random_image_layer';
import { RandomSaturation } from './random_saturation';

export interface RandomColorJitterArgs extends RandomImageLayerArgs {
  /** The range of the pixel values, for every step. Keras: `value_range` @default [0, 255] */
  valueRange?: [number, number];
  /** RandomBrightness's factor; none: no brightness step. Keras: `brightness_factor` @default undefined */
  brightnessFactor?: Factor | null;
  /** RandomContrast's factor; none: no contrast step. Keras: `contrast_factor` @default undefined */
  contrastFactor?: Factor | null;
  /** RandomSaturation's factor; none: no saturation step. Keras: `saturation_factor` @default undefined */
  saturationFactor?: Factor | null;
  /** RandomHue's factor; none: no hue step. Keras: `hue_factor` @default undefined */
  hueFactor?: Factor | null;
}

export class RandomColorJitter extends RandomImageLayer {
  static override readonly optionKeys = optionKeys<RandomColorJitterArgs>()(
    ...RANDOM_IMAGE_KEYS, 'valueRange', 'brightnessFactor', 'contrastFactor', 'saturationFactor', 'hueFactor',
  );
  static override readonly positional = ['valueRange'];
  readonly className = 'RandomColorJitter';
  readonly valueRange: [number, number];
  /** The factors as given (null: that step is skipped), as Keras keeps them. */
  readonly brightnessFactor: Factor | null;
  readonly contrastFactor: Factor | null;
  readonly saturationFactor: Factor | null;
  readonly hueFactor: Factor | null;
  private readonly steps: RandomImageLayer[];

  constructor(valueRange?: [number, number], options?: Omit<RandomColorJitterArgs, 'valueRange'>);
  constructor(args?: RandomColorJitterArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<RandomColorJitterArgs | undefined>(new.target, given);
    super(args);
    this.valueRange = valueRangeOf(args?.valueRange, `RandomColorJitter '${this.name}'`);
    this.brightnessFactor = args?.brightnessFactor ?? null;
    this.contrastFactor = args?.contrastFactor ?? null;
    this.saturationFactor = args?.saturationFactor ?? null;
    this.hueFactor = args?.hueFactor ?? null;
    const options = (step: string) => ({ valueRange: this.valueRange, name: `${this.name}_${step}` });
    const steps: Array<RandomImageLayer | null> = [
      this.brightnessFactor === null ? null : new RandomBrightness(this.brightnessFactor, options('brightness')),
      this.contrastFactor === null ? null : new RandomContrast(this.contrastFactor, options('contrast')),
      this.saturationFactor === null ? null : new RandomSaturation(this.saturationFactor, options('saturation')),
      this.hueFactor === null ? null : new RandomHue(this.hueFactor, options('hue')),
    ];
    this.steps = steps.filter((s): s is RandomImageLayer => s !== null);
  }

  protected augment(images: tfc.Tensor4D, draw: Draw): tfc.Tensor {
    return this.steps.reduce((x, step) => step.augmentWith(x as tfc.Tensor4D, draw), images as tfc.Tensor);
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(), valueRange: this.valueRange, brightnessFactor: this.brightnessFactor,
      contrastFactor: this.contrastFactor, saturationFactor: this.saturationFactor, hueFactor: this.hueFactor,
    };
  }
}
