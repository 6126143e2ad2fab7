/**
 * Solarization: in training, each image (on the [0, 255] scale) gets a random addition, is clipped to
 * [0, 255], and its pixels at or above a random threshold are inverted (255 - x). The additions and
 * thresholds are drawn per image from [lower, upper · 255] of `additionFactor` / `thresholdFactor`,
 * as Keras 3 draws them (so the default thresholdFactor 0 inverts every pixel). Inference: the identity.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../../engine/errors';
import type { LayerConfig } from '../../../engine/layer';
import { optionKeys } from '../../../engine/options';
import { layerArgs } from '../../../engine/positional';
import { Factor, mapRange, valueRangeOf } from './factors';
import { Draw, RANDOM_IMAGE_KEYS, RandomImageLayer, RandomImageLayerArgs, uniforms } from './random_image_layer';

export interface SolarizationArgs extends RandomImageLayerArgs {
  /** The addition, as f for [0, f] or [lower, upper] within [0, 1], times 255 at the top. Keras: `addition_factor` @default 0 */
  additionFactor?: Factor;
  /** The threshold, as f for [0, f] or [lower, upper] within [0, 1], times 255 at the top. Keras: `threshold_factor` @default 0 */
  thresholdFactor?: Factor;
  /** The range of the pixel values. Keras: `value_range` @default [0, 255] */
  valueRange?: [number, number];
}

/** Solarization's factors: f gives [0, f]; a pair is sorted; every value in [0, 1]. */
function unitRange(factor: Factor, field: string, owner: string): [number, number] {
  const inside = (v: unknown): boolean => typeof v === 'number' && v >= 0 && v <= 1;
  if (!(Array.isArray(factor) ? factor.length === 2 && factor.every(inside) : inside(factor))) {
    throw new ValueError(`${owner}: \`${field}\` must be a number or two numbers in [0, 1], got ${JSON.stringify(factor)}. help: e.g. {${field}: 0.5}.`);
  }
  return Array.isArray(factor) ? [Math.min(...factor), Math.max(...factor)] : [0, factor];
}

export class Solarization extends RandomImageLayer {
  static override readonly optionKeys = optionKeys<SolarizationArgs>()(...RANDOM_IMAGE_KEYS, 'additionFactor', 'thresholdFactor', 'valueRange');
  static override readonly positional = ['additionFactor'];
  readonly className = 'Solarization';
  /** [lower, upper], as Keras keeps them. */
  readonly additionFactor: [number, number];
  readonly thresholdFactor: [number, number];
  readonly valueRange: [number, number];

  constructor(additionFactor?: Factor, options?: Omit<SolarizationArgs, 'additionFactor'>);
  constructor(args?: SolarizationArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<SolarizationArgs | undefined>(new.target, given);
    super(args);
    const owner = `Solarization '${this.name}'`;
    this.additionFactor = unitRange(args?.additionFactor ?? 0, 'additionFactor', owner);
    this.thresholdFactor = unitRange(args?.thresholdFactor ?? 0, 'thresholdFactor', owner);
    this.valueRange = valueRangeOf(args?.valueRange, owner);
  }

  protected augment(images: tfc.Tensor4D, draw: Draw): tfc.Tensor {
    const n = images.shape[0];
    const add = uniforms(draw, n, this.additionFactor[0], this.additionFactor[1] * 255);
    const threshold = uniforms(draw, n, this.thresholdFactor[0], this.thresholdFactor[1] * 255);
    const x = tfc.clipByValue(tfc.add(mapRange(images, this.valueRange, [0, 255]), tfc.tensor4d(add, [n, 1, 1, 1])), 0, 255);
    const solarized = tfc.where(tfc.less(x, tfc.tensor4d(threshold, [n, 1, 1, 1])), x, tfc.sub(255, x));
    return mapRange(solarized, [0, 255], this.valueRange);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), additionFactor: this.additionFactor, thresholdFactor: this.thresholdFactor, valueRange: this.valueRange };
  }
}
