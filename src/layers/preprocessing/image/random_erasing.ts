/**
 * RandomErasing: in training, each image chosen with a probability drawn from `factor` gets one
 * rectangle replaced by `fillValue` (a number, one per channel, or, when unset, normal noise times
 * valueRange[1]), clipped to `valueRange`, as Keras 3: per image, a and b drawn from `scale`; the
 * rectangle spans √a of the width and √b of the height, at a uniform position, and covers the
 * pixels whose coordinates fall in [start, start + length). The noise is drawn for the erased pixels
 * only (Keras draws a whole image of it). Inference: the identity.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../../engine/errors';
import type { LayerConfig } from '../../../engine/layer';
import { optionKeys } from '../../../engine/options';
import { layerArgs } from '../../../engine/positional';
import { Factor, factorRange, valueRangeOf } from './factors';
import { chosen, Draw, normals, RANDOM_IMAGE_KEYS, RandomImageLayer, RandomImageLayerArgs, uniforms } from './random_image_layer';

export interface RandomErasingArgs extends RandomImageLayerArgs {
  /** The probability of erasing, drawn per image from [0, f] or [lower, upper], within [0, 1]. Keras: `factor` @default 1 */
  factor?: Factor;
  /** The erased area: the rectangle's sides are √a · width and √b · height, a and b drawn from [lower, upper] within [0, 1]. Keras: `scale` @default [0.02, 0.33] */
  scale?: Factor;
  /** The erased pixels' value: a number, or one per channel; null: normal noise times valueRange[1]. Keras: `fill_value` @default null */
  fillValue?: number | number[] | null;
  /** The range of the pixel values; the fill value is clipped to it. Keras: `value_range` @default [0, 255] */
  valueRange?: [number, number];
}

export class RandomErasing extends RandomImageLayer {
  static override readonly optionKeys = optionKeys<RandomErasingArgs>()(...RANDOM_IMAGE_KEYS, 'factor', 'scale', 'fillValue', 'valueRange');
  static override readonly positional = ['factor'];
  readonly className = 'RandomErasing';
  /** [lower, upper], as Keras keeps them. */
  readonly factor: [number, number];
  readonly scale: [number, number];
  readonly fillValue: number | number[] | null;
  readonly valueRange: [number, number];

  constructor(factor?: Factor, options?: Omit<RandomErasingArgs, 'factor'>);
  constructor(args?: RandomErasingArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<RandomErasingArgs | undefined>(new.target, given);
    super(args);
    const owner = `RandomErasing '${this.name}'`;
    this.factor = factorRange(args?.factor ?? 1, [0, 1], 'factor', owner);
    this.scale = factorRange(args?.scale ?? [0.02, 0.33], [0, 1], 'scale', owner);
    this.fillValue = args?.fillValue ?? null;
    const fills = this.fillValue === null ? [] : [this.fillValue].flat();
    if (!fills.every(Number.isFinite) || (Array.isArray(this.fillValue) && this.fillValue.length === 0)) {
      throw new ValueError(`${owner}: \`fillValue\` must be a number, one number per channel, or null (noise), got ${JSON.stringify(args?.fillValue)}. help: e.g. {fillValue: 0}.`);
    }
    this.valueRange = valueRangeOf(args?.valueRange, owner);
  }

  protected augment(images: tfc.Tensor4D, draw: Draw): tfc.Tensor {
    const [n, h, w, c] = images.shape;
    if (Array.isArray(this.fillValue) && this.fillValue.length !== c) {
      throw new ValueError(`RandomErasing '${this.name}': \`fillValue\` has ${this.fillValue.length} values for images of ${c} channels. help: one value per channel, or a single number.`);
    }
    const sides = uniforms(draw, 2 * n, ...this.scale).map(Math.sqrt);
    const [x0, x1] = bounds(draw, sides.filter((_, i) => i % 2 === 0), w);
    const [y0, y1] = bounds(draw, sides.filter((_, i) => i % 2 === 1), h);
    const apply = chosen(draw, n, this.factor);
    const keep = new Float32Array(n * h * w).fill(1);
    const fill = new Float32Array(n * h * w * c); // 0 where kept
    const [low, high] = this.valueRange;
    for (let b = 0; b < n; b++) {
      if (!apply[b]) continue;
      for (let y = Math.max(0, Math.ceil(y0[b])); y < Math.min(h, y1[b]); y++) {
        for (let x = Math.max(0, Math.ceil(x0[b])); x < Math.min(w, x1[b]); x++) {
          const p = (b * h + y) * w + x;
          keep[p] = 0;
          const values = this.fillValue === null ? Array.from(normals(draw, c), (v) => v * high) : [this.fillValue].flat();
          for (let ch = 0; ch < c; ch++) fill[p * c + ch] = Math.min(high, Math.max(low, values[values.length === 1 ? 0 : ch]));
        }
      }
    }
    // images · keep + fill: exact (x · 1 + 0, x · 0 + v) and 4x faster than `where` on native.
    return tfc.tidy(() => tfc.add(tfc.mul(images, tfc.tensor4d(keep, [n, h, w, 1])), tfc.tensor4d(fill, [n, h, w, c])));
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), factor: this.factor, scale: this.scale, fillValue: this.fillValue, valueRange: this.valueRange };
  }
}

/** Keras's `_compute_crop_bounds`: per image, [start, start + length) with length = side · size at a uniform start. */
function bounds(draw: Draw, sides: number[], size: number): [number[], number[]] {
  const starts = sides.map((s) => draw() * (size - s * size));
  return [starts, starts.map((start, i) => start + sides[i] * size)];
}
