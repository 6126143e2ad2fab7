/**
 * RandomElasticTransform: in training, each image chosen with a probability drawn from `factor` is
 * resampled through a smooth random displacement field, as Keras 3: a distortion d drawn from `scale`
 * (one per call) gives σ = 0.05 · d · min(h, w) and α = 0.1 · d · max(h, w); the field is normal noise
 * times σ, Gaussian-blurred (kernel int(6σ) | 1, ops/gaussian_blur.ts), times α, and pixel (x, y)
 * reads the input at (x, y) + field (ops/displacement_transform.ts, Keras's fill modes). Then every
 * image is clipped to `valueRange`. Inference: the identity.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { LayerConfig } from '../../../engine/layer';
import { optionKeys } from '../../../engine/options';
import { layerArgs } from '../../../engine/positional';
import { AffineInterpolation, FillMode } from '../../../ops/affine_transform';
import { displacementTransform } from '../../../ops/displacement_transform';
import { gaussianBlur } from '../../../ops/gaussian_blur';
import { Factor, factorRange, valueRangeOf } from './factors';
import { RandomAffineLayerArgs, samplingArgs } from './random_affine_layer';
import { chosen, Draw, normals, RANDOM_IMAGE_KEYS, RandomImageLayer, uniforms } from './random_image_layer';

export interface RandomElasticTransformArgs extends RandomAffineLayerArgs {
  /** The probability of distorting an image, drawn per image from [0, f] or [lower, upper], within [0, 1]. Keras: `factor` @default 1 */
  factor?: Factor;
  /** The distortion d, drawn per call from [0, s] or [lower, upper], within [0, 1]. Keras: `scale` @default 1 */
  scale?: Factor;
  /** The range of the pixel values; the output is clipped to it. Keras: `value_range` @default [0, 255] */
  valueRange?: [number, number];
}

export class RandomElasticTransform extends RandomImageLayer {
  static override readonly optionKeys = optionKeys<RandomElasticTransformArgs>()(
    ...RANDOM_IMAGE_KEYS, 'factor', 'scale', 'interpolation', 'fillMode', 'fillValue', 'valueRange',
  );
  static override readonly positional = ['factor'];
  readonly className = 'RandomElasticTransform';
  /** [lower, upper], as Keras keeps them. */
  readonly factor: [number, number];
  readonly scale: [number, number];
  readonly fillMode: FillMode;
  readonly interpolation: AffineInterpolation;
  readonly fillValue: number;
  readonly valueRange: [number, number];

  constructor(factor?: Factor, options?: Omit<RandomElasticTransformArgs, 'factor'>);
  constructor(args?: RandomElasticTransformArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<RandomElasticTransformArgs | undefined>(new.target, given);
    super(args);
    const owner = `RandomElasticTransform '${this.name}'`;
    this.factor = factorRange(args?.factor ?? 1, [0, 1], 'factor', owner);
    this.scale = factorRange(args?.scale ?? 1, [0, 1], 'scale', owner);
    const sampling = samplingArgs(args, owner);
    this.fillMode = sampling.fillMode;
    this.interpolation = sampling.interpolation;
    this.fillValue = sampling.fillValue;
    this.valueRange = valueRangeOf(args?.valueRange, owner);
  }

  protected augment(images: tfc.Tensor4D, draw: Draw): tfc.Tensor {
    if (this.scale[1] === 0 || this.factor[1] === 0) return tfc.clone(images);
    const [n, h, w] = images.shape;
    const apply = chosen(draw, n, this.factor);
    const [d] = uniforms(draw, 1, ...this.scale);
    const [dx, dy] = this.field([n, h, w], d, draw);
    for (let i = 0; i < n * h * w; i++) {
      if (apply[Math.floor(i / (h * w))]) continue;
      dx[i] = 0;
      dy[i] = 0;
    }
    const options = { fillMode: this.fillMode, interpolation: this.interpolation, fillValue: this.fillValue };
    return tfc.tidy(() => tfc.clipByValue(displacementTransform(images, dx, dy, options), ...this.valueRange));
  }

  /** Keras's displacement field (dx, dy) for distortion d, n·h·w numbers each. */
  private field([n, h, w]: [number, number, number], d: number, draw: Draw): [Float32Array, Float32Array] {
    const sigma = 0.05 * d * Math.min(h, w);
    const alpha = 0.1 * d * Math.max(h, w);
    const count = n * h * w;
    if (sigma <= 0) return [new Float32Array(count), new Float32Array(count)];
    const size = Math.floor(6 * sigma) | 1;
    const noise = normals(draw, 2 * count).map((v) => v * sigma);
    const field = tfc.tidy(() => {
      const planes = tfc.tensor4d(noise, [2 * n, h, w, 1]); // dx's n planes, then dy's
      return tfc.mul(gaussianBlur(planes, [size, size], [sigma, sigma]), alpha);
    });
    // Read outside tidy: tidy would walk a returned array's millions of numbers looking for tensors.
    const values = field.dataSync() as Float32Array;
    field.dispose();
    return [values.slice(0, count), values.slice(count)];
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(), factor: this.factor, scale: this.scale, interpolation: this.interpolation,
      fillMode: this.fillMode, fillValue: this.fillValue, valueRange: this.valueRange,
    };
  }
}
