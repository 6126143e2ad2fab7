/**
 * AugMix: in training, `numChains` chains of up to `chainDepth` augmentations each (every link picks one
 * of the augmentations, or none, uniformly), mixed with Dirichlet(alpha) weights, then blended with the
 * original by a Beta(alpha, alpha) weight and clipped to `valueRange`, as Keras 3 (one draw of the chains
 * and weights per call, for the whole batch). The augmentations are Keras's, built from `factor`
 * ([lower, upper]) as Keras builds them: with `allOps` shear, translation, rotation, posterization,
 * solarization, auto contrast, equalization, brightness, colour degeneration, contrast and sharpness;
 * without, the first seven. Inference: the identity.
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
import { beta, dirichlet } from './sampling';

export interface AugMixArgs extends RandomImageLayerArgs {
  /** The range of the pixel values. Keras: `value_range` @default [0, 255] */
  valueRange?: [number, number];
  /** How many augmentation chains are mixed. Keras: `num_chains` @default 3 */
  numChains?: number;
  /** The most augmentations in one chain. Keras: `chain_depth` @default 3 */
  chainDepth?: number;
  /** The strength of each augmentation: f for [0, f] or [lower, upper], within [0, 1]. Keras: `factor` @default 0.3 */
  factor?: Factor;
  /** The Dirichlet and Beta shape of the mixing weights, positive. Keras: `alpha` @default 1 */
  alpha?: number;
  /** Whether the colour augmentations (brightness, colour degeneration, contrast, sharpness) are among the choices. Keras: `all_ops` @default true */
  allOps?: boolean;
  /** 'bilinear' or 'nearest', for translation and rotation. Keras: `interpolation` @default 'bilinear' */
  interpolation?: AffineInterpolation;
}

/** Keras's AUGMENT_LAYERS (allOps false) and AUGMENT_LAYERS_ALL. */
const OPS = ['random_shear', 'random_translation', 'random_rotation', 'random_posterization', 'solarization', 'auto_contrast', 'equalization'];
const OPS_ALL = [...OPS, 'random_brightness', 'random_color_degeneration', 'random_contrast', 'random_sharpness'];

function positiveInteger(value: number | undefined, fallback: number, field: string, owner: string): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 1) throw new ValueError(`${owner}: \`${field}\` must be a positive integer, got ${value}. help: e.g. {${field}: ${fallback}}.`);
  return v;
}

export class AugMix extends RandomImageLayer {
  static override readonly optionKeys = optionKeys<AugMixArgs>()(
    ...RANDOM_IMAGE_KEYS, 'valueRange', 'numChains', 'chainDepth', 'factor', 'alpha', 'allOps', 'interpolation',
  );
  static override readonly positional = ['valueRange'];
  readonly className = 'AugMix';
  readonly valueRange: [number, number];
  readonly numChains: number;
  readonly chainDepth: number;
  /** [lower, upper], as Keras keeps it. */
  readonly factor: [number, number];
  readonly alpha: number;
  readonly allOps: boolean;
  readonly interpolation: AffineInterpolation;
  private readonly steps: AugmentStep[];

  constructor(valueRange?: [number, number], options?: Omit<AugMixArgs, 'valueRange'>);
  constructor(args?: AugMixArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<AugMixArgs | undefined>(new.target, given);
    super(args);
    const owner = `AugMix '${this.name}'`;
    this.valueRange = valueRangeOf(args?.valueRange, owner);
    this.numChains = positiveInteger(args?.numChains, 3, 'numChains', owner);
    this.chainDepth = positiveInteger(args?.chainDepth, 3, 'chainDepth', owner);
    this.factor = factorRange(args?.factor ?? 0.3, [0, 1], 'factor', owner);
    this.alpha = args?.alpha ?? 1;
    if (!(this.alpha > 0) || !Number.isFinite(this.alpha)) throw new ValueError(`${owner}: \`alpha\` must be a positive number, got ${args?.alpha}. help: e.g. {alpha: 1}.`);
    this.allOps = args?.allOps ?? true;
    this.interpolation = oneOf(args?.interpolation, AFFINE_INTERPOLATIONS, 'bilinear', 'interpolation', owner);
    const settings = { factor: this.factor, valueRange: this.valueRange, interpolation: this.interpolation, owner: this.name };
    this.steps = augmentSteps(this.allOps ? OPS_ALL : OPS, settings).map(([, step]) => step);
  }

  protected augment(images: tfc.Tensor4D, draw: Draw): tfc.Tensor {
    const chainWeights = dirichlet(draw, this.alpha, this.numChains);
    const keep = beta(draw, this.alpha, this.alpha);
    let mixed = tfc.zerosLike(images) as tfc.Tensor;
    for (const weight of chainWeights) {
      let x = images as tfc.Tensor;
      for (let depth = 0; depth < this.chainDepth; depth++) {
        const pick = Math.floor(draw() * (this.steps.length + 1)); // the last choice: no augmentation
        if (pick < this.steps.length) x = this.steps[pick](x as tfc.Tensor4D, draw);
      }
      mixed = tfc.add(mixed, tfc.mul(x, weight));
    }
    return tfc.clipByValue(tfc.add(tfc.mul(images, keep), tfc.mul(mixed, 1 - keep)), ...this.valueRange);
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(), valueRange: this.valueRange, numChains: this.numChains, chainDepth: this.chainDepth,
      factor: this.factor, alpha: this.alpha, allOps: this.allOps, interpolation: this.interpolation,
    };
  }
}
