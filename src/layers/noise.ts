/** Regularizing layers active only in training: SpatialDropout1D/2D/3D, GaussianNoise, GaussianDropout. */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { CallContext, LAYER_KEYS, LayerArgs, LayerConfig } from '../engine/layer';
import { optionKeys } from '../engine/options';
import { layerArgs } from '../engine/positional';
import { ShapePreservingLayer } from '../engine/shape_preserving_layer';
import { formatShape, Shape } from '../engine/symbolic_tensor';
import { SeedGenerator } from '../utils/random';
import { channelsLast, DataFormat } from './args';

function rate(value: unknown, owner: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw new ValueError(`${owner}: \`rate\` must be a number in [0, 1), got ${String(value)}. help: pass e.g. {rate: 0.2}.`);
  }
  return value;
}

export interface SpatialDropout2DArgs extends LayerArgs {
  /** Fraction of the channels to drop (whole feature maps), in [0, 1). Keras: `rate` */
  rate: number;
  /**
   * Seed of the random draws, for reproducible runs. Keras: `seed` @default undefined (drawn from
   * k.utils.setRandomSeed's generator)
   */
  seed?: number;
  /** Where the channels are; only 'channels_last' is supported. Keras: `data_format` @default 'channels_last' */
  dataFormat?: DataFormat;
}

/** Drops whole feature maps (channels) at once, scaling the rest by 1 / (1 - rate). */
abstract class SpatialDropout extends ShapePreservingLayer {
  readonly rate: number;
  readonly seed: number | undefined;
  private readonly seeds: SeedGenerator;

  constructor(
    private readonly rank: 1 | 2 | 3,
    args: SpatialDropout2DArgs,
  ) {
    super(args);
    const owner = `${new.target.name} '${this.name}'`;
    this.rate = rate(args?.rate, owner);
    this.seed = args.seed;
    this.seeds = new SeedGenerator(args.seed);
    channelsLast(args.dataFormat, owner);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    if (shape.length !== this.rank + 2) {
      const example = ['(batch, steps, channels)', '(batch, height, width, channels)', '(batch, depth, height, width, channels)'][this.rank - 1];
      throw new ValueError(`${this.name} (${this.className}): expected input of rank ${this.rank + 2} ${example}, got ${formatShape(shape)}.`);
    }
    return shape;
  }

  call(x: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    this.computeOutputShape(x.shape);
    if (!ctx.training || this.rate === 0) return tfc.clone(x);
    const noiseShape = x.shape.map((d, i) => (i === 0 || i === x.rank - 1 ? d : 1));
    return tfc.dropout(x, this.rate, noiseShape, this.seeds.next());
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed ?? null };
  }
}

/** Drops whole channels of an image (batch, height, width, channels). */
export class SpatialDropout2D extends SpatialDropout {
  static override readonly optionKeys = optionKeys<SpatialDropout2DArgs>()(...LAYER_KEYS, 'rate', 'seed', 'dataFormat');
  readonly className = 'SpatialDropout2D';
  static override readonly positional = ['rate'];

  constructor(rate: number, options?: Omit<SpatialDropout2DArgs, 'rate'>);
  constructor(args: SpatialDropout2DArgs);
  constructor(...given: unknown[]) {
    super(2, layerArgs<SpatialDropout2DArgs>(new.target, given));
  }
}

/** Drops whole channels of a volume (batch, depth, height, width, channels). */
export class SpatialDropout3D extends SpatialDropout {
  static override readonly optionKeys = optionKeys<SpatialDropout2DArgs>()(...LAYER_KEYS, 'rate', 'seed', 'dataFormat');
  readonly className = 'SpatialDropout3D';
  static override readonly positional = ['rate'];

  constructor(rate: number, options?: Omit<SpatialDropout2DArgs, 'rate'>);
  constructor(args: SpatialDropout2DArgs);
  constructor(...given: unknown[]) {
    super(3, layerArgs<SpatialDropout2DArgs>(new.target, given));
  }
}

export type SpatialDropout1DArgs = Omit<SpatialDropout2DArgs, 'dataFormat'>;

/** Drops whole channels of a sequence (batch, steps, channels). Keras's SpatialDropout1D takes no dataFormat. */
export class SpatialDropout1D extends SpatialDropout {
  static override readonly optionKeys = optionKeys<SpatialDropout1DArgs>()(...LAYER_KEYS, 'rate', 'seed');
  readonly className = 'SpatialDropout1D';
  static override readonly positional = ['rate'];

  constructor(rate: number, options?: Omit<SpatialDropout1DArgs, 'rate'>);
  constructor(args: SpatialDropout1DArgs);
  constructor(...given: unknown[]) {
    super(1, layerArgs<SpatialDropout1DArgs>(new.target, given));
  }
}

export interface GaussianNoiseArgs extends LayerArgs {
  /** Standard deviation of the added noise. Keras: `stddev` */
  stddev: number;
  /**
   * Seed of the random draws, for reproducible runs. Keras: `seed` @default undefined (drawn from
   * k.utils.setRandomSeed's generator)
   */
  seed?: number;
}

/** Adds zero-mean Gaussian noise in training. */
export class GaussianNoise extends ShapePreservingLayer {
  static override readonly optionKeys = optionKeys<GaussianNoiseArgs>()(...LAYER_KEYS, 'stddev', 'seed');
  readonly className = 'GaussianNoise';
  override supportsMasking = true;
  readonly stddev: number;
  readonly seed: number | undefined;
  private readonly seeds: SeedGenerator;

  static override readonly positional = ['stddev'];

  constructor(stddev: number, options?: Omit<GaussianNoiseArgs, 'stddev'>);
  constructor(args: GaussianNoiseArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<GaussianNoiseArgs>(new.target, given);
    super(args);
    if (typeof args?.stddev !== 'number' || !(args.stddev >= 0)) {
      throw new ValueError(`GaussianNoise '${this.name}': \`stddev\` must be a non-negative number, got ${String(args?.stddev)}. help: e.g. {stddev: 0.1}.`);
    }
    this.stddev = args.stddev;
    this.seed = args.seed;
    this.seeds = new SeedGenerator(args.seed);
  }

  call(x: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    if (!ctx.training || this.stddev === 0) return tfc.clone(x);
    return tfc.add(x, tfc.randomNormal(x.shape, 0, this.stddev, 'float32', this.seeds.next()));
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), stddev: this.stddev, seed: this.seed ?? null };
  }
}

export interface GaussianDropoutArgs extends LayerArgs {
  /** Drop probability: the inputs are multiplied by noise of mean 1 and variance rate / (1 - rate). Keras: `rate` */
  rate: number;
  /**
   * Seed of the random draws, for reproducible runs. Keras: `seed` @default undefined (drawn from
   * k.utils.setRandomSeed's generator)
   */
  seed?: number;
}

/** Multiplies by Gaussian noise of mean 1 and standard deviation sqrt(rate / (1 - rate)) in training. */
export class GaussianDropout extends ShapePreservingLayer {
  static override readonly optionKeys = optionKeys<GaussianDropoutArgs>()(...LAYER_KEYS, 'rate', 'seed');
  readonly className = 'GaussianDropout';
  override supportsMasking = true;
  readonly rate: number;
  readonly seed: number | undefined;
  private readonly seeds: SeedGenerator;

  static override readonly positional = ['rate'];

  constructor(rate: number, options?: Omit<GaussianDropoutArgs, 'rate'>);
  constructor(args: GaussianDropoutArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<GaussianDropoutArgs>(new.target, given);
    super(args);
    this.rate = rate(args?.rate, `GaussianDropout '${this.name}'`);
    this.seed = args.seed;
    this.seeds = new SeedGenerator(args.seed);
  }

  call(x: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    if (!ctx.training || this.rate === 0) return tfc.clone(x);
    const stddev = Math.sqrt(this.rate / (1 - this.rate));
    return tfc.mul(x, tfc.randomNormal(x.shape, 1, stddev, 'float32', this.seeds.next()));
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed ?? null };
  }
}
