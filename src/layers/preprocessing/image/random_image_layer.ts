/**
 * The base of the random augmentation layers: in training each call draws new parameters (one set
 * per image of the batch) and `augment`s; in inference the layer passes images through (as float32).
 * Draws come from a mulberry32 generator seeded per call by the layer's SeedGenerator, so a layer
 * given `seed` gives the same sequence in every run and a new draw at every step, on every backend;
 * without one it follows `k.utils.setRandomSeed`.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { CallContext, LayerConfig } from '../../../engine/layer';
import { mulberry32, SeedGenerator } from '../../../utils/random';
import { IMAGE_LAYER_KEYS, ImageLayer, ImageLayerArgs } from './image_layer';

export interface RandomImageLayerArgs extends ImageLayerArgs {
  /** Seed of the random draws, for reproducible runs. Keras: `seed` @default undefined (drawn from k.utils.setRandomSeed's generator) */
  seed?: number;
}

export const RANDOM_IMAGE_KEYS = [...IMAGE_LAYER_KEYS, 'seed'] as const;

/** Uniform draws in [0, 1) for one call. */
export type Draw = () => number;

/** `count` uniform draws in [lower, upper). */
export function uniforms(draw: Draw, count: number, lower: number, upper: number): number[] {
  return Array.from({ length: count }, () => lower + (upper - lower) * draw());
}

/**
 * For each of `count` images, whether it is augmented, as Keras's probability `factor`s: a probability
 * p drawn from [lower, upper], then augmented when a uniform draw falls below p.
 */
export function chosen(draw: Draw, count: number, [lower, upper]: [number, number]): boolean[] {
  const p = uniforms(draw, count, lower, upper);
  return uniforms(draw, count, 0, 1).map((t, i) => t < p[i]);
}

/** `count` standard normal draws (Box-Muller). */
export function normals(draw: Draw, count: number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - draw()));
    const t = 2 * Math.PI * draw();
    out[i] = r * Math.cos(t);
    if (i + 1 < count) out[i + 1] = r * Math.sin(t);
  }
  return out;
}

export abstract class RandomImageLayer extends ImageLayer {
  /** Called alone (`aug.apply(images)`, as in Keras's `dataset.map(augment)`), it augments, as Keras's `training=True` default. */
  protected override readonly trainingWhenAlone = true;
  readonly seed: number | undefined;
  private readonly seeds: SeedGenerator;

  constructor(args: RandomImageLayerArgs | undefined) {
    super(args);
    this.seed = args?.seed;
    this.seeds = new SeedGenerator(args?.seed);
  }

  /** The batch [n, h, w, c] (float32) augmented with parameters taken from `draw`. */
  protected abstract augment(images: tfc.Tensor4D, draw: Draw): tfc.Tensor;

  /**
   * The batch augmented as in training, with draws from `draw` instead of this layer's own sequence:
   * for the layers that compose others (RandomColorJitter, AugMix, RandAugment), whose seed then rules.
   */
  augmentWith(images: tfc.Tensor4D, draw: Draw): tfc.Tensor {
    return this.augment(images, draw);
  }

  /** The uniform source of one call: the next seed of this layer's sequence. */
  protected nextDraw(): Draw {
    return mulberry32(this.seeds.next());
  }

  protected transform(images: tfc.Tensor4D, ctx: CallContext): tfc.Tensor {
    if (!ctx.training) return tfc.clone(images);
    return this.augment(images, this.nextDraw());
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), seed: this.seed ?? null };
  }
}
