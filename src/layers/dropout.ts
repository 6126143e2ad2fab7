import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { CallContext, LAYER_KEYS, LayerArgs, LayerConfig } from '../engine/layer';
import { optionKeys } from '../engine/options';
import { layerArgs } from '../engine/positional';
import { ShapePreservingLayer } from '../engine/shape_preserving_layer';
import { dropoutFused } from '../ops/dropout';
import { SeedGenerator } from '../utils/random';

export interface DropoutArgs extends LayerArgs {
  /** Fraction of the inputs to drop, in [0, 1). Keras: `rate` */
  rate: number;
  /**
   * Shape of the keep/drop mask, broadcast over the input (e.g. [batch, 1, features]). Keras: `noise_shape`
   * @default undefined (the input's shape)
   */
  noiseShape?: number[];
  /**
   * Seed of the random draws, for reproducible runs. Keras: `seed` @default undefined (drawn from
   * k.utils.setRandomSeed's generator)
   */
  seed?: number;
}

/**
 * During training, sets a random fraction `rate` of its inputs to zero and scales the rest by
 * 1 / (1 - rate); at inference it passes inputs through unchanged.
 */
export class Dropout extends ShapePreservingLayer {
  static override readonly optionKeys = optionKeys<DropoutArgs>()(...LAYER_KEYS, 'rate', 'noiseShape', 'seed');
  readonly className = 'Dropout';
  override supportsMasking = true;
  readonly rate: number;
  readonly noiseShape: number[] | undefined;
  readonly seed: number | undefined;
  private readonly seeds: SeedGenerator;

  static override readonly positional = ['rate'];

  constructor(rate: number, options?: Omit<DropoutArgs, 'rate'>);
  constructor(args: DropoutArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<DropoutArgs>(new.target, given);
    super(args);
    if (args === undefined || typeof args.rate !== 'number' || !(args.rate >= 0 && args.rate < 1)) {
      throw new ValueError(`Dropout: \`rate\` must be a number in [0, 1), got ${args?.rate}. help: pass e.g. {rate: 0.5}.`);
    }
    this.rate = args.rate;
    this.noiseShape = args.noiseShape;
    this.seed = args.seed;
    this.seeds = new SeedGenerator(args.seed);
  }

  call(x: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    if (!ctx.training || this.rate === 0) return tfc.clone(x);
    const whole = this.noiseShape === undefined || tfc.util.arraysEqual(this.noiseShape, x.shape);
    // one kernel each way where the backend has it (it draws the seed then), the same draws as tfjs's
    return (whole ? dropoutFused(x, this.rate, this.seeds) : null) ?? tfc.dropout(x, this.rate, this.noiseShape, this.seeds.next());
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), rate: this.rate, noiseShape: this.noiseShape ?? null, seed: this.seed ?? null };
  }
}
