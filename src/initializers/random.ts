/**
 * Random initializers, with Keras 3's definitions and defaults. Seeds come from utils/random, so
 * `setRandomSeed` makes them reproducible on every backend.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { nextSeed } from '../utils/random';
import { computeFans, Initializer, Shape } from './initializer';

export interface RandomNormalArgs {
  /** Mean of the normal distribution. Keras: `mean` @default 0 */
  mean?: number;
  /** Standard deviation of the normal distribution. Keras: `stddev` @default 0.05 */
  stddev?: number;
  /**
   * Seed of the random draw, for reproducible weights. Keras: `seed` @default undefined (a fresh draw each call, from
   * k.utils.setRandomSeed's generator)
   */
  seed?: number;
}

export class RandomNormal extends Initializer {
  static override readonly optionKeys: readonly string[] = ['mean', 'stddev', 'seed'];
  readonly className: string = 'RandomNormal';
  constructor(readonly args: RandomNormalArgs = {}) {
    super(args);
  }
  call(shape: Shape, dtype: tfc.DataType): tfc.Tensor {
    const { mean = 0, stddev = 0.05, seed = nextSeed() } = this.args;
    return tfc.randomNormal(shape, mean, stddev, dtype as 'float32', seed);
  }
  override getConfig(): Record<string, unknown> {
    return { mean: this.args.mean ?? 0, stddev: this.args.stddev ?? 0.05, seed: this.args.seed ?? null };
  }
}

/** Normal values redrawn when more than two standard deviations from the mean. */
export class TruncatedNormal extends RandomNormal {
  static override readonly optionKeys = RandomNormal.optionKeys;
  override readonly className = 'TruncatedNormal';
  override call(shape: Shape, dtype: tfc.DataType): tfc.Tensor {
    const { mean = 0, stddev = 0.05, seed = nextSeed() } = this.args;
    return tfc.truncatedNormal(shape, mean, stddev, dtype as 'float32', seed);
  }
}

export interface RandomUniformArgs {
  /** Lower bound of the uniform distribution. Keras: `minval` @default -0.05 */
  minval?: number;
  /** Upper bound (exclusive) of the uniform distribution. Keras: `maxval` @default 0.05 */
  maxval?: number;
  /**
   * Seed of the random draw, for reproducible weights. Keras: `seed` @default undefined (a fresh draw each call, from
   * k.utils.setRandomSeed's generator)
   */
  seed?: number;
}

export class RandomUniform extends Initializer {
  static override readonly optionKeys: readonly string[] = ['minval', 'maxval', 'seed'];
  readonly className = 'RandomUniform';
  constructor(readonly args: RandomUniformArgs = {}) {
    super(args);
  }
  call(shape: Shape, dtype: tfc.DataType): tfc.Tensor {
    const { minval = -0.05, maxval = 0.05, seed = nextSeed() } = this.args;
    return tfc.randomUniform(shape, minval, maxval, dtype, seed);
  }
  override getConfig(): Record<string, unknown> {
    return { minval: this.args.minval ?? -0.05, maxval: this.args.maxval ?? 0.05, seed: this.args.seed ?? null };
  }
}

export type FanMode = 'fan_in' | 'fan_out' | 'fan_avg';
export type Distribution = 'truncated_normal' | 'untruncated_normal' | 'uniform';

export interface VarianceScalingArgs {
  /** The variance is scale / n, n chosen by mode. Keras: `scale` @default 1 */
  scale?: number;
  /** n is the fan in, the fan out, or their mean: 'fan_in', 'fan_out', 'fan_avg'. Keras: `mode` @default 'fan_in' */
  mode?: FanMode;
  /** 'truncated_normal', 'untruncated_normal' or 'uniform'. Keras: `distribution` @default 'truncated_normal' */
  distribution?: Distribution;
  /**
   * Seed of the random draw, for reproducible weights. Keras: `seed` @default undefined (a fresh draw each call, from
   * k.utils.setRandomSeed's generator)
   */
  seed?: number;
}

/** Keras's VarianceScaling: the family behind Glorot, He and LeCun initializers. */
export class VarianceScaling extends Initializer {
  static override readonly optionKeys: readonly string[] = ['scale', 'mode', 'distribution', 'seed'];
  readonly className: string = 'VarianceScaling';
  constructor(
    readonly args: VarianceScalingArgs = {},
    given: unknown = args,
  ) {
    super(args, given);
    const { scale = 1, mode = 'fan_in', distribution = 'truncated_normal' } = args;
    if (!(scale > 0)) throw new ValueError(`VarianceScaling: \`scale\` must be positive, got ${scale}. help: pass e.g. {scale: 1}.`);
    if (!['fan_in', 'fan_out', 'fan_avg'].includes(mode)) {
      throw new ValueError(`VarianceScaling: unknown \`mode\` '${mode}'. help: use 'fan_in', 'fan_out' or 'fan_avg'.`);
    }
    if (!['truncated_normal', 'untruncated_normal', 'uniform'].includes(distribution)) {
      throw new ValueError(
        `VarianceScaling: unknown \`distribution\` '${distribution}'. help: use 'truncated_normal', 'untruncated_normal' or 'uniform'.`,
      );
    }
  }

  call(shape: Shape, dtype: tfc.DataType): tfc.Tensor {
    const { scale = 1, mode = 'fan_in', distribution = 'truncated_normal', seed = nextSeed() } = this.args;
    const { fanIn, fanOut } = computeFans(shape);
    const n = mode === 'fan_in' ? fanIn : mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2;
    const variance = scale / Math.max(1, n);
    if (distribution === 'uniform') {
      const limit = Math.sqrt(3 * variance);
      return tfc.randomUniform(shape, -limit, limit, dtype, seed);
    }
    if (distribution === 'untruncated_normal') return tfc.randomNormal(shape, 0, Math.sqrt(variance), dtype as 'float32', seed);
    // Standard deviation of a unit normal truncated to (-2, 2), as Keras corrects for it.
    const stddev = Math.sqrt(variance) / 0.8796256610342398;
    return tfc.truncatedNormal(shape, 0, stddev, dtype as 'float32', seed);
  }

  override getConfig(): Record<string, unknown> {
    const { scale = 1, mode = 'fan_in', distribution = 'truncated_normal', seed = null } = this.args;
    return { scale, mode, distribution, seed };
  }
}

type SeedArgs = {
  /**
   * Seed of the random draw, for reproducible weights. Keras: `seed` @default undefined (a fresh draw each call, from
   * k.utils.setRandomSeed's generator)
   */
  seed?: number;
};

/** A VarianceScaling with fixed scale, mode and distribution (Glorot, He, LeCun): configured by its seed alone, as in Keras. */
abstract class VarianceScalingPreset extends VarianceScaling {
  static override readonly optionKeys: readonly string[] = ['seed'];
  override getConfig(): Record<string, unknown> {
    return { seed: this.args.seed ?? null };
  }
}

export class GlorotUniform extends VarianceScalingPreset {
  static override readonly optionKeys = VarianceScalingPreset.optionKeys;
  override readonly className = 'GlorotUniform';
  constructor(args: SeedArgs = {}) {
    super({ scale: 1, mode: 'fan_avg', distribution: 'uniform', seed: args?.seed }, args);
  }
}
export class GlorotNormal extends VarianceScalingPreset {
  static override readonly optionKeys = VarianceScalingPreset.optionKeys;
  override readonly className = 'GlorotNormal';
  constructor(args: SeedArgs = {}) {
    super({ scale: 1, mode: 'fan_avg', distribution: 'truncated_normal', seed: args?.seed }, args);
  }
}
export class HeNormal extends VarianceScalingPreset {
  static override readonly optionKeys = VarianceScalingPreset.optionKeys;
  override readonly className = 'HeNormal';
  constructor(args: SeedArgs = {}) {
    super({ scale: 2, mode: 'fan_in', distribution: 'truncated_normal', seed: args?.seed }, args);
  }
}
export class HeUniform extends VarianceScalingPreset {
  static override readonly optionKeys = VarianceScalingPreset.optionKeys;
  override readonly className = 'HeUniform';
  constructor(args: SeedArgs = {}) {
    super({ scale: 2, mode: 'fan_in', distribution: 'uniform', seed: args?.seed }, args);
  }
}
export class LecunNormal extends VarianceScalingPreset {
  static override readonly optionKeys = VarianceScalingPreset.optionKeys;
  override readonly className = 'LecunNormal';
  constructor(args: SeedArgs = {}) {
    super({ scale: 1, mode: 'fan_in', distribution: 'truncated_normal', seed: args?.seed }, args);
  }
}
export class LecunUniform extends VarianceScalingPreset {
  static override readonly optionKeys = VarianceScalingPreset.optionKeys;
  override readonly className = 'LecunUniform';
  constructor(args: SeedArgs = {}) {
    super({ scale: 1, mode: 'fan_in', distribution: 'uniform', seed: args?.seed }, args);
  }
}
