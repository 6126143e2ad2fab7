/**
 * AlphaDropout: dropout that keeps the mean and variance of its inputs, for self-normalizing
 * networks (SELU): dropped units are set to -λα (SELU's negative saturation), then everything is
 * scaled by a and shifted by b so that a unit-Gaussian input stays unit-Gaussian. Active only in
 * training; the formulas are Keras 3's (Klambauer et al., 2017).
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { CallContext, LAYER_KEYS, LayerArgs, LayerConfig } from '../engine/layer';
import { optionKeys } from '../engine/options';
import { layerArgs } from '../engine/positional';
import { ShapePreservingLayer } from '../engine/shape_preserving_layer';
import { SeedGenerator } from '../utils/random';

export interface AlphaDropoutArgs extends LayerArgs {
  /** Fraction of the inputs to drop, in [0, 1]. Keras: `rate` */
  rate: number;
  /**
   * Shape of the keep/drop mask, broadcast over the input; null entries take the input's size. Keras:
   * `noise_shape` @default undefined (the input's shape)
   */
  noiseShape?: Array<number | null>;
  /**
   * Seed of the random draws, for reproducible runs. Keras: `seed` @default undefined (drawn from
   * k.utils.setRandomSeed's generator)
   */
  seed?: number;
}

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

export class AlphaDropout extends ShapePreservingLayer {
  static override readonly optionKeys = optionKeys<AlphaDropoutArgs>()(...LAYER_KEYS, 'rate', 'noiseShape', 'seed');
  readonly className = 'AlphaDropout';
  override supportsMasking = true;
  readonly rate: number;
  readonly noiseShape: Array<number | null> | undefined;
  readonly seed: number | undefined;
  private readonly seeds: SeedGenerator;

  static override readonly positional = ['rate'];

  constructor(rate: number, options?: Omit<AlphaDropoutArgs, 'rate'>);
  constructor(args: AlphaDropoutArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<AlphaDropoutArgs>(new.target, given);
    super(args);
    if (typeof args?.rate !== 'number' || !(args.rate >= 0 && args.rate <= 1)) {
      throw new ValueError(`AlphaDropout '${this.name}': \`rate\` must be a number in [0, 1], got ${String(args?.rate)}. help: pass e.g. {rate: 0.1}.`);
    }
    this.rate = args.rate;
    this.noiseShape = args.noiseShape;
    this.seed = args.seed;
    this.seeds = new SeedGenerator(args.seed);
  }

  call(x: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    if (!ctx.training || this.rate === 0) return tfc.clone(x);
    const shape = this.noiseShape ? this.noiseShape.map((d, i) => d ?? x.shape[i]) : x.shape;
    const kept = tfc.cast(tfc.greaterEqual(tfc.randomUniform(shape, 0, 1, 'float32', this.seeds.next()), this.rate), 'float32');
    const alphaP = -SELU_ALPHA * SELU_SCALE;
    const a = ((1 - this.rate) * (1 + this.rate * alphaP ** 2)) ** -0.5;
    const b = -a * alphaP * this.rate;
    const dropped = tfc.add(tfc.mul(x, kept), tfc.mul(tfc.sub(1, kept), alphaP));
    return tfc.add(tfc.mul(dropped, a), b);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), rate: this.rate, noiseShape: this.noiseShape ?? null, seed: this.seed ?? null };
  }
}
