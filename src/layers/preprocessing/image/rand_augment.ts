/**
 * RandAugment: in training, `numOps` augmentations applied one after another, each picked uniformly (the
 * same pick for the whole batch, as Keras 3) from Keras's list: shear, translation, rotation, brightness,
 * colour degeneration, contrast, sharpness, posterization, solarization, auto contrast and equalization,
 * each built from `factor` ([lower, upper]) as Keras builds it. Inference: the identity.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../../engine/errors';
import type { LayerConfig } from '../../../engine/layer';
import { optionKeys } from '../../../engine/options';
import { layerArgs } from '../../../engine/positional';
import { AFFINE_INTERPOLATIONS, AffineInterpolation } from '../../../ops/affine_transform';
import { oneOf } from '../../args';
import { AugmentStep, augmentSteps } from './augment_steps';
import { Factor, factorRange, valueRangeOf } from './factors';
import { Draw, RANDOM_IMAGE_KEYS, RandomImageLayer, RandomImageLayerArgs } from './random_image_layer';

export interface RandAugmentArgs extends RandomImageLayerArgs {
  /** The range of the pixel values. Keras: `value_range` @default [0, 255] */
  valueRange?: [number, number];
  /** How many augmentations are applied in a row. Keras: `num_ops` @default 2 */
  numOps?: number;
  /** The strength of each augmentation: f for [0, f] or [lower, upper], within [0, 1]. Keras: `factor` @default 0.5 */
  factor?: Factor;
  /** 'bilinear' or 'nearest', for translation and rotation. Keras: `interpolation` @default 'bilinear' */
  interpolation?: AffineInterpolation;
}

/** Keras's _AUGMENT_LAYERS, in its order. */
const OPS = [
  'random_shear', 'random_translation', 'random_rotation', 'random_brightness', 'random_color_degeneration', 'random_contrast',
  'random_sharpness', 'random_posterization', 'solarization', 'auto_contrast', 'equalization',
];

export class RandAugment extends RandomImageLayer {
  static override readonly optionKeys = optionKeys<RandAugmentArgs>()(...RANDOM_IMAGE_KEYS, 'valueRange', 'numOps', 'factor', 'interpolation');
  static override readonly positional = ['valueRange'];
  readonly className = 'RandAugment';
  readonly valueRange: [number, number];
  readonly numOps: number;
  /** [lower, upper], as Keras keeps it. */
  readonly factor: [number, number];
  readonly interpolation: AffineInterpolation;
  private readonly steps: AugmentStep[];

  constructor(valueRange?: [number, number], options?: Omit<RandAugmentArgs, 'valueRange'>);
  constructor(args?: RandAugmentArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<RandAugmentArgs | undefined>(new.target, given);
    super(args);
    const owner = `RandAugment '${this.name}'`;
    this.valueRange = valueRangeOf(args?.valueRange, owner);
    this.numOps = args?.numOps ?? 2;
    if (!Number.isInteger(this.numOps) || this.numOps < 0) {
      throw new ValueError(`${owner}: \`numOps\` must be a non-negative integer, got ${args?.numOps}. help: e.g. {numOps: 2}.`);
    }
    this.factor = factorRange(args?.factor ?? 0.5, [0, 1], 'factor', owner);
    this.interpolation = oneOf(args?.interpolation, AFFINE_INTERPOLATIONS, 'bilinear', 'interpolation', owner);
    const settings = { factor: this.factor, valueRange: this.valueRange, interpolation: this.interpolation, owner: this.name };
    this.steps = augmentSteps(OPS, settings).map(([, step]) => step);
  }

  protected augment(images: tfc.Tensor4D, draw: Draw): tfc.Tensor {
    let x = images as tfc.Tensor;
    for (let i = 0; i < this.numOps; i++) x = this.steps[Math.floor(draw() * this.steps.length)](x as tfc.Tensor4D, draw);
    return x === images ? tfc.clone(images) : x;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), valueRange: this.valueRange, numOps: this.numOps, factor: this.factor, interpolation: this.interpolation };
  }
}
