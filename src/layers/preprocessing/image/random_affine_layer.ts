/**
 * The base of the geometric augmentations (RandomTranslation, RandomRotation, RandomZoom, RandomShear):
 * a subclass gives one affine matrix per image (`matrices`), the base applies them with the shared op
 * (ops/affine_transform.ts) and holds Keras's `fillMode`, `interpolation` and `fillValue`, checked
 * by `samplingArgs` (which RandomElasticTransform and RandomPerspective use as well).
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { LayerConfig } from '../../../engine/layer';
import { AFFINE_INTERPOLATIONS, AffineInterpolation, affineTransform, FILL_MODES, FillMode } from '../../../ops/affine_transform';
import { oneOf } from '../../args';
import { ValueError } from '../../../engine/errors';
import { Draw, RANDOM_IMAGE_KEYS, RandomImageLayer, RandomImageLayerArgs } from './random_image_layer';

export interface RandomAffineLayerArgs extends RandomImageLayerArgs {
  /**
   * How points outside the input are filled: 'reflect' (d c b a | a b c d | d c b a), 'wrap'
   * (a b c d | a b c d), 'constant' (k k | a b c d | k k, k = fillValue) or 'nearest' (a a | a b c d | d d).
   * Keras: `fill_mode` @default 'reflect'
   */
  fillMode?: FillMode;
  /** 'bilinear' or 'nearest'. Keras: `interpolation` @default 'bilinear' */
  interpolation?: AffineInterpolation;
  /** The value outside the image for fillMode 'constant'. Keras: `fill_value` @default 0 */
  fillValue?: number;
}

export const RANDOM_AFFINE_KEYS = [...RANDOM_IMAGE_KEYS, 'fillMode', 'interpolation', 'fillValue'] as const;

/** Keras's `fill_mode`, `interpolation` and `fill_value`, checked (defaults 'reflect', 'bilinear', 0). */
export function samplingArgs(args: RandomAffineLayerArgs | undefined, owner: string): Required<Pick<RandomAffineLayerArgs, 'fillMode' | 'interpolation' | 'fillValue'>> {
  const fillMode = oneOf(args?.fillMode, FILL_MODES, 'reflect', 'fillMode', owner);
  const interpolation = oneOf(args?.interpolation, AFFINE_INTERPOLATIONS, 'bilinear', 'interpolation', owner);
  const fillValue = args?.fillValue ?? 0;
  if (!Number.isFinite(fillValue)) {
    throw new ValueError(`${owner}: \`fillValue\` must be a finite number, got ${args?.fillValue}. help: e.g. {fillValue: 0}.`);
  }
  return { fillMode, interpolation, fillValue };
}

export abstract class RandomAffineLayer extends RandomImageLayer {
  readonly fillMode: FillMode;
  readonly interpolation: AffineInterpolation;
  readonly fillValue: number;

  constructor(args: RandomAffineLayerArgs | undefined) {
    super(args);
    const sampling = samplingArgs(args, `${new.target.name} '${this.name}'`);
    this.fillMode = sampling.fillMode;
    this.interpolation = sampling.interpolation;
    this.fillValue = sampling.fillValue;
  }

  /** n rows of 8 numbers [a0, a1, a2, b0, b1, b2, c0, c1] mapping output pixels to input points, one per image. */
  protected abstract matrices(n: number, height: number, width: number, draw: Draw): number[];

  protected augment(images: tfc.Tensor4D, draw: Draw): tfc.Tensor {
    const [n, h, w] = images.shape;
    const options = { fillMode: this.fillMode, interpolation: this.interpolation, fillValue: this.fillValue };
    return affineTransform(images, this.matrices(n, h, w, draw), options);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), fillMode: this.fillMode, interpolation: this.interpolation, fillValue: this.fillValue };
  }
}
