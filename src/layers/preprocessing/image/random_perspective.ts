/**
 * RandomPerspective: in training, each image chosen with a probability drawn from `factor` has its
 * corners moved, (x, y) -> (x, y) + (x, y) · u with u uniform in [-scale/2, scale/2] per coordinate
 * (so the top-left corner stays, as in Keras 3), and is warped by the projective transform from the
 * four correspondences (ops/homography.ts, applied with ops/affine_transform.ts); the uncovered part
 * is `fillValue`. Inference: the identity.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../../engine/errors';
import type { LayerConfig } from '../../../engine/layer';
import { optionKeys } from '../../../engine/options';
import { layerArgs } from '../../../engine/positional';
import { AffineInterpolation, affineTransform } from '../../../ops/affine_transform';
import { homography, Quad } from '../../../ops/homography';
import { Factor, factorRange } from './factors';
import { samplingArgs } from './random_affine_layer';
import { chosen, Draw, RANDOM_IMAGE_KEYS, RandomImageLayer, RandomImageLayerArgs, uniforms } from './random_image_layer';

export interface RandomPerspectiveArgs extends RandomImageLayerArgs {
  /** The probability of warping an image, drawn per image from [0, f] or [lower, upper], within [0, 1]. Keras: `factor` @default 1 */
  factor?: Factor;
  /** How far the corners move, a fraction of their coordinates: each moves by up to ±scale/2 of them. Keras: `scale` @default 1 */
  scale?: number;
  /** 'bilinear' or 'nearest'. Keras: `interpolation` @default 'bilinear' */
  interpolation?: AffineInterpolation;
  /** The value of the uncovered part. Keras: `fill_value` @default 0 */
  fillValue?: number;
}

const IDENTITY = [1, 0, 0, 0, 1, 0, 0, 0];

export class RandomPerspective extends RandomImageLayer {
  static override readonly optionKeys = optionKeys<RandomPerspectiveArgs>()(...RANDOM_IMAGE_KEYS, 'factor', 'scale', 'interpolation', 'fillValue');
  static override readonly positional = ['factor'];
  readonly className = 'RandomPerspective';
  /** [lower, upper], as Keras keeps it. */
  readonly factor: [number, number];
  readonly scale: number;
  readonly interpolation: AffineInterpolation;
  readonly fillValue: number;

  constructor(factor?: Factor, options?: Omit<RandomPerspectiveArgs, 'factor'>);
  constructor(args?: RandomPerspectiveArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<RandomPerspectiveArgs | undefined>(new.target, given);
    super(args);
    const owner = `RandomPerspective '${this.name}'`;
    this.factor = factorRange(args?.factor ?? 1, [0, 1], 'factor', owner);
    this.scale = args?.scale ?? 1;
    if (typeof this.scale !== 'number' || !(this.scale >= 0 && this.scale <= 1)) {
      throw new ValueError(`${owner}: \`scale\` must be a number in [0, 1], got ${JSON.stringify(args?.scale)}. help: e.g. {scale: 0.5}.`);
    }
    const sampling = samplingArgs({ interpolation: args?.interpolation, fillValue: args?.fillValue }, owner);
    this.interpolation = sampling.interpolation;
    this.fillValue = sampling.fillValue;
  }

  protected augment(images: tfc.Tensor4D, draw: Draw): tfc.Tensor {
    const [n, h, w] = images.shape;
    const apply = chosen(draw, n, this.factor);
    const start: Quad = [[0, 0], [w - 1, 0], [0, h - 1], [w - 1, h - 1]];
    const matrices = apply.flatMap((yes) => {
      const u = uniforms(draw, 8, -0.5 * this.scale, 0.5 * this.scale);
      if (!yes || h < 2 || w < 2) return IDENTITY;
      const end = start.map(([x, y], i) => [x + x * u[2 * i], y + y * u[2 * i + 1]]) as Quad;
      return homography(start, end);
    });
    return affineTransform(images, matrices, { fillMode: 'constant', interpolation: this.interpolation, fillValue: this.fillValue });
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), factor: this.factor, scale: this.scale, interpolation: this.interpolation, fillValue: this.fillValue };
  }
}
