/**
 * The augmentations AugMix and RandAugment choose from, by Keras 3's names, each built as Keras builds
 * it from the composite's `factor` ([lower, upper]), `valueRange` and `interpolation`, and each a step
 * (images, draw) -> images that draws from the composite's source.
 */
import type * as tfc from '@tensorflow/tfjs-core';
import type { Layer } from '../../../engine/layer';
import type { AffineInterpolation } from '../../../ops/affine_transform';
import { AutoContrast } from './auto_contrast';
import { Equalization } from './equalization';
import { RandomBrightness } from './random_brightness';
import { RandomColorDegeneration } from './random_color_degeneration';
import { RandomContrast } from './random_contrast';
import { Draw, RandomImageLayer } from './random_image_layer';
import { RandomPosterization } from './random_posterization';
import { RandomRotation } from './random_rotation';
import { RandomSharpness } from './random_sharpness';
import { RandomShear } from './random_shear';
import { RandomTranslation } from './random_translation';
import { Solarization } from './solarization';

export type AugmentStep = (images: tfc.Tensor4D, draw: Draw) => tfc.Tensor;

export interface StepSettings {
  factor: [number, number];
  valueRange: [number, number];
  interpolation: AffineInterpolation;
  /** The composite's name: the steps are named after it. */
  owner: string;
}

const BUILD: Record<string, (s: StepSettings, name: string) => Layer> = {
  random_shear: (s, name) => new RandomShear({ xFactor: s.factor, yFactor: s.factor, interpolation: s.interpolation, name }),
  random_translation: (s, name) => new RandomTranslation(s.factor, s.factor, { interpolation: s.interpolation, name }),
  random_rotation: (s, name) => new RandomRotation(s.factor, { interpolation: s.interpolation, name }),
  random_posterization: (s, name) => new RandomPosterization(Math.max(1, Math.trunc(8 * s.factor[1])), { valueRange: s.valueRange, name }),
  solarization: (s, name) => new Solarization(s.factor, { thresholdFactor: s.factor, valueRange: s.valueRange, name }),
  auto_contrast: (s, name) => new AutoContrast(s.valueRange, { name }),
  equalization: (s, name) => new Equalization(s.valueRange, { name }),
  random_brightness: (s, name) => new RandomBrightness(s.factor, { valueRange: s.valueRange, name }),
  random_color_degeneration: (s, name) => new RandomColorDegeneration(s.factor, { valueRange: s.valueRange, name }),
  random_contrast: (s, name) => new RandomContrast(s.factor, { valueRange: s.valueRange, name }),
  random_sharpness: (s, name) => new RandomSharpness(s.factor, { valueRange: s.valueRange, name }),
};

/** The steps of `names` (Keras's names, in that order), each with the training behaviour of its layer. */
export function augmentSteps(names: readonly string[], settings: StepSettings): Array<[string, AugmentStep]> {
  return names.map((n) => {
    const layer = BUILD[n](settings, `${settings.owner}_${n}`);
    const step: AugmentStep = layer instanceof RandomImageLayer
      ? (images, draw) => layer.augmentWith(images, draw)
      : (images) => layer.apply(images, { training: true }) as tfc.Tensor;
    return [n, step];
  });
}
