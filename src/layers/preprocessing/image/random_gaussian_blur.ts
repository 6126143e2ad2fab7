/**
 * RandomGaussianBlur: in training, each image chosen with a probability drawn from `factor` is
 * blurred by a Gaussian of `kernelSize` taps whose two standard deviations (x, y) are drawn once
 * per call from `sigma` (plus 1e-6), zeros beyond the edges (ops/gaussian_blur.ts, as Keras 3); then
 * every image is clipped to `valueRange`. Inference: the identity.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../../engine/errors';
import type { LayerConfig } from '../../../engine/layer';
import { optionKeys } from '../../../engine/options';
import { layerArgs } from '../../../engine/positional';
import { gaussianBlur } from '../../../ops/gaussian_blur';
import { Factor, factorRange, valueRangeOf } from './factors';
import { chosen, Draw, RANDOM_IMAGE_KEYS, RandomImageLayer, RandomImageLayerArgs, uniforms } from './random_image_layer';

export interface RandomGaussianBlurArgs extends RandomImageLayerArgs {
  /** The probability of blurring, drawn per image from [0, f] or [lower, upper], within [0, 1]. Keras: `factor` @default 1 */
  factor?: Factor;
  /** The kernel's taps, odd: k for k x k, or [along x, along y]. Keras: `kernel_size` @default 3 */
  kernelSize?: number | [number, number];
  /** The standard deviations, drawn from [0, s] or [lower, upper], within [0, 1]. Keras: `sigma` @default 1 */
  sigma?: Factor;
  /** The range of the pixel values; the output is clipped to it. Keras: `value_range` @default [0, 255] */
  valueRange?: [number, number];
}

export class RandomGaussianBlur extends RandomImageLayer {
  static override readonly optionKeys = optionKeys<RandomGaussianBlurArgs>()(...RANDOM_IMAGE_KEYS, 'factor', 'kernelSize', 'sigma', 'valueRange');
  static override readonly positional = ['factor'];
  readonly className = 'RandomGaussianBlur';
  /** [lower, upper], as Keras keeps them. */
  readonly factor: [number, number];
  /** [along x, along y], as Keras keeps it. */
  readonly kernelSize: [number, number];
  readonly sigma: [number, number];
  readonly valueRange: [number, number];

  constructor(factor?: Factor, options?: Omit<RandomGaussianBlurArgs, 'factor'>);
  constructor(args?: RandomGaussianBlurArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<RandomGaussianBlurArgs | undefined>(new.target, given);
    super(args);
    const owner = `RandomGaussianBlur '${this.name}'`;
    this.factor = factorRange(args?.factor ?? 1, [0, 1], 'factor', owner);
    const size = args?.kernelSize ?? 3;
    const sizes = Array.isArray(size) ? size : [size, size];
    if (sizes.length !== 2 || !sizes.every((s) => Number.isInteger(s) && s > 0 && s % 2 === 1)) {
      throw new ValueError(`${owner}: \`kernelSize\` must be an odd positive integer or two of them, got ${JSON.stringify(size)}. help: e.g. {kernelSize: 3} or [3, 5].`);
    }
    this.kernelSize = [sizes[0], sizes[1]];
    this.sigma = factorRange(args?.sigma ?? 1, [0, 1], 'sigma', owner);
    this.valueRange = valueRangeOf(args?.valueRange, owner);
  }

  protected augment(images: tfc.Tensor4D, draw: Draw): tfc.Tensor {
    const n = images.shape[0];
    const apply = chosen(draw, n, this.factor);
    const [sx, sy] = uniforms(draw, 2, ...this.sigma).map((s) => s + 1e-6);
    return tfc.tidy(() => {
      const blurred = gaussianBlur(images, this.kernelSize, [sx, sy]);
      // blurred · m + images · (1 - m), m = 1 for the chosen images: exact, and faster than `where` on native.
      const m = tfc.tensor4d(apply.map(Number), [n, 1, 1, 1]);
      const mixed = tfc.add(tfc.mul(blurred, m), tfc.mul(images, tfc.sub(1, m)));
      return tfc.clipByValue(mixed, ...this.valueRange);
    });
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), factor: this.factor, kernelSize: this.kernelSize, sigma: this.sigma, valueRange: this.valueRange };
  }
}
