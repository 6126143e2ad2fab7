/**
 * Keras 3's `keras.random`, camelCased: each function takes Keras's required arguments in Keras's
 * order and the rest as an options object, and returns a new tensor the caller owns. `seed` is an
 * integer (the same numbers at every call, as Keras's integer seed), a SeedGenerator (a new draw at
 * every call, fixed by the generator's own seed), or left out (the global generator, so
 * `setRandomSeed(n)` makes the draws reproducible). tfjs-core's random ops compute in JavaScript from
 * an integer seed, so a seed gives the same numbers on every backend.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ensureRegistered } from '../backend/backend';
import { ValueError } from '../engine/errors';
import { mulberry32, nextSeed, seededPermutation, SeedGenerator } from '../utils/random';

/** A seed as Keras takes it: an integer, a SeedGenerator, or none (the global generator). */
export type RandomSeed = number | SeedGenerator;

/** Options of the float draws (`normal`, `uniform`, `truncatedNormal`, `gamma`, `beta`, `binomial`). */
export interface RandomOptions {
  /** Keras: `dtype`. The dtype of the result. @default 'float32' */
  dtype?: 'float32' | 'int32';
  /** Keras: `seed`. An integer, a SeedGenerator, or none for the global generator. @default undefined */
  seed?: RandomSeed;
}

/** Options of `normal` and `truncatedNormal`. */
export interface NormalOptions extends RandomOptions {
  /** Keras: `mean`. @default 0 */
  mean?: number;
  /** Keras: `stddev`. @default 1 */
  stddev?: number;
}

/** Options of `uniform`. */
export interface UniformOptions extends RandomOptions {
  /** Keras: `minval`. The lower bound (included). @default 0 */
  minval?: number;
  /** Keras: `maxval`. The upper bound (excluded). @default 1 */
  maxval?: number;
}

/** Options of `categorical`, `randint`, `shuffle`. */
export interface SeedOptions {
  /** Keras: `seed`. An integer, a SeedGenerator, or none for the global generator. @default undefined */
  seed?: RandomSeed;
}

/** Options of `categorical` and `randint`. */
export interface IntOptions extends SeedOptions {
  /** Keras: `dtype`. @default 'int32' */
  dtype?: 'int32' | 'float32';
}

/** Options of `shuffle`. */
export interface ShuffleOptions extends SeedOptions {
  /** Keras: `axis`. The axis whose slices are permuted. @default 0 */
  axis?: number;
}

/** Options of `dropout`. */
export interface DropoutOptions extends SeedOptions {
  /** Keras: `noise_shape`. The mask's shape, broadcast over the input (1 where the mask is shared). @default the input's shape */
  noiseShape?: number[];
}

/** The integer seed of one draw: the integer itself, the generator's next seed, or the global generator's. */
export function drawSeed(seed: RandomSeed | undefined, who: string): number {
  if (seed === undefined) return nextSeed();
  if (seed instanceof SeedGenerator) return seed.next();
  if (!Number.isInteger(seed)) {
    throw new ValueError(`random.${who}: seed must be an integer or a SeedGenerator, got ${String(seed)}. help: pass e.g. seed: 42, or seed: new k.random.SeedGenerator(42).`);
  }
  return seed;
}

function checkShape(shape: number[], who: string): void {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ValueError(`random.${who}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}. help: pass e.g. [2, 3].`);
  }
}

function checkPositive(value: number, name: string, who: string): void {
  if (!(value > 0)) throw new ValueError(`random.${who}: ${name} must be positive, got ${value}. help: pass a number > 0.`);
}

/** Draws from a normal distribution (Keras's `random.normal`). */
export function normal(shape: number[], options: NormalOptions = {}): tfc.Tensor {
  checkShape(shape, 'normal');
  const seed = drawSeed(options.seed, 'normal');
  ensureRegistered();
  return tfc.randomNormal(shape, options.mean ?? 0, options.stddev ?? 1, options.dtype ?? 'float32', seed);
}

/** Draws from a uniform distribution on [minval, maxval) (Keras's `random.uniform`). */
export function uniform(shape: number[], options: UniformOptions = {}): tfc.Tensor {
  checkShape(shape, 'uniform');
  const minval = options.minval ?? 0;
  const maxval = options.maxval ?? 1;
  if (!(maxval > minval)) throw new ValueError(`random.uniform: maxval (${maxval}) must exceed minval (${minval}). help: pass minval < maxval.`);
  const seed = drawSeed(options.seed, 'uniform');
  ensureRegistered();
  return tfc.randomUniform(shape, minval, maxval, options.dtype ?? 'float32', seed);
}

/** Draws from a normal distribution with the values beyond two standard deviations redrawn (Keras's `random.truncated_normal`). */
export function truncatedNormal(shape: number[], options: NormalOptions = {}): tfc.Tensor {
  checkShape(shape, 'truncatedNormal');
  const seed = drawSeed(options.seed, 'truncatedNormal');
  ensureRegistered();
  return tfc.truncatedNormal(shape, options.mean ?? 0, options.stddev ?? 1, options.dtype ?? 'float32', seed);
}

/** Draws `numSamples` class indices per row of a [batch, classes] tensor of unnormalized log-probabilities (Keras's `random.categorical`). */
export function categorical(logits: tfc.Tensor, numSamples: number, options: IntOptions = {}): tfc.Tensor2D {
  if (!(logits instanceof tfc.Tensor) || logits.rank !== 2) {
    throw new ValueError(`random.categorical: logits must be a 2-D tensor [batch, classes], got ${logits instanceof tfc.Tensor ? `shape [${logits.shape}]` : String(logits)}. help: reshape one row to [1, classes].`);
  }
  if (!(Number.isInteger(numSamples) && numSamples > 0)) throw new ValueError(`random.categorical: numSamples must be a positive integer, got ${numSamples}. help: pass e.g. 10.`);
  const seed = drawSeed(options.seed, 'categorical');
  return tfc.tidy(() => {
    const drawn = tfc.multinomial(logits.toFloat() as tfc.Tensor2D, numSamples, seed, false);
    return (options.dtype === 'float32' ? drawn.toFloat() : drawn) as tfc.Tensor2D;
  });
}

/** Draws integers uniformly from [minval, maxval) (Keras's `random.randint`). */
export function randint(shape: number[], minval: number, maxval: number, options: IntOptions = {}): tfc.Tensor {
  checkShape(shape, 'randint');
  if (!(Number.isInteger(minval) && Number.isInteger(maxval) && maxval > minval)) {
    throw new ValueError(`random.randint: minval and maxval must be integers with minval < maxval, got ${minval} and ${maxval}. help: pass e.g. randint([3], 0, 10).`);
  }
  const seed = drawSeed(options.seed, 'randint');
  const draw = mulberry32(seed);
  const out = new Int32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < out.length; i++) out[i] = minval + Math.floor(draw() * (maxval - minval));
  ensureRegistered();
  return tfc.tensor(out, shape, options.dtype ?? 'int32');
}

/** A copy of `x` with its slices along `axis` in a random order (Keras's `random.shuffle`). */
export function shuffle(x: tfc.Tensor, options: ShuffleOptions = {}): tfc.Tensor {
  const axis = options.axis ?? 0;
  if (!(Number.isInteger(axis) && axis >= -x.rank && axis < x.rank)) {
    throw new ValueError(`random.shuffle: axis ${axis} is out of range for a tensor of rank ${x.rank}. help: pass an axis in [-${x.rank}, ${x.rank}).`);
  }
  const a = axis < 0 ? axis + x.rank : axis;
  const order = seededPermutation(x.shape[a], drawSeed(options.seed, 'shuffle'));
  return tfc.tidy(() => tfc.gather(x, tfc.tensor1d(order, 'int32'), a));
}

/** Zeroes each entry with probability `rate` and scales the rest by 1 / (1 - rate) (Keras's `random.dropout`). */
export function dropout(inputs: tfc.Tensor, rate: number, options: DropoutOptions = {}): tfc.Tensor {
  if (!(rate >= 0 && rate < 1)) throw new ValueError(`random.dropout: rate must be in [0, 1), got ${rate}. help: pass the fraction of entries to drop, e.g. 0.5.`);
  const noiseShape = options.noiseShape ?? inputs.shape;
  checkShape(noiseShape, 'dropout');
  const seed = drawSeed(options.seed, 'dropout');
  const keep = 1 - rate;
  return tfc.tidy(() => {
    const mask = tfc.randomUniform(noiseShape, 0, 1, 'float32', seed).less(keep).toFloat();
    return inputs.mul(mask).div(keep);
  });
}

/** Draws from a gamma distribution of shape `alpha` and scale 1 (Keras's `random.gamma`). */
export function gamma(shape: number[], alpha: number, options: RandomOptions = {}): tfc.Tensor {
  checkShape(shape, 'gamma');
  checkPositive(alpha, 'alpha', 'gamma');
  const seed = drawSeed(options.seed, 'gamma');
  ensureRegistered();
  return tfc.tidy(() => {
    const g = tfc.randomGamma(shape, alpha, 1, 'float32', seed);
    return options.dtype === 'int32' ? g.toInt() : g;
  });
}

/** Draws from a beta distribution: X / (X + Y) with X ~ Gamma(alpha), Y ~ Gamma(beta) (Keras's `random.beta`). */
export function beta(shape: number[], alpha: number, betaParam: number, options: RandomOptions = {}): tfc.Tensor {
  checkShape(shape, 'beta');
  checkPositive(alpha, 'alpha', 'beta');
  checkPositive(betaParam, 'beta', 'beta');
  const seed = drawSeed(options.seed, 'beta');
  ensureRegistered();
  return tfc.tidy(() => {
    const x = tfc.randomGamma(shape, alpha, 1, 'float32', seed);
    const y = tfc.randomGamma(shape, betaParam, 1, 'float32', (seed + 1) % 2147483647);
    return x.div(x.add(y));
  });
}

/** Draws the number of successes in `counts` trials of probability `probabilities` (Keras's `random.binomial`). */
export function binomial(shape: number[], counts: number, probabilities: number, options: RandomOptions = {}): tfc.Tensor {
  checkShape(shape, 'binomial');
  if (!(Number.isInteger(counts) && counts >= 0)) throw new ValueError(`random.binomial: counts must be a non-negative integer, got ${counts}. help: pass the number of trials, e.g. 10.`);
  if (!(probabilities >= 0 && probabilities <= 1)) throw new ValueError(`random.binomial: probabilities must be in [0, 1], got ${probabilities}. help: pass a success probability, e.g. 0.3.`);
  const draw = mulberry32(drawSeed(options.seed, 'binomial'));
  const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < out.length; i++) {
    let successes = 0;
    for (let t = 0; t < counts; t++) if (draw() < probabilities) successes++;
    out[i] = successes;
  }
  ensureRegistered();
  return tfc.tensor(out, shape, options.dtype ?? 'float32');
}
