/**
 * Equalization: in training, histogram equalization of each channel, as Keras 3 computes it: the
 * values (on the [0, 255] scale) are put in `bins` bins, one histogram per channel over the whole
 * batch, and each value is replaced by round(255 (cdf - cdf_min) / (cdf_last - cdf_min)) of its bin, cdf_min
 * being the first non-zero count of the cumulative histogram; a channel whose values fill at most
 * one bin is left as it is. Inference: the identity (Keras equalizes in training only).
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../../engine/errors';
import type { CallContext, LayerConfig } from '../../../engine/layer';
import { optionKeys } from '../../../engine/options';
import { layerArgs } from '../../../engine/positional';
import { valueRangeOf } from './factors';
import { IMAGE_LAYER_KEYS, ImageLayer, ImageLayerArgs } from './image_layer';

export interface EqualizationArgs extends ImageLayerArgs {
  /** The range of the pixel values. Keras: `value_range` @default [0, 255] */
  valueRange?: [number, number];
  /** The number of histogram bins over [0, 255]. Keras: `bins` @default 256 */
  bins?: number;
}

/** x · scale + offset mapping `from` onto `to`, Keras's `_scale_values` (in this order, for the same float32 bins). */
function scaleValues(x: tfc.Tensor, from: [number, number], to: [number, number]): tfc.Tensor {
  const scale = (to[1] - to[0]) / (from[1] - from[0]);
  return tfc.add(tfc.mul(x, scale), to[0] - from[0] * scale);
}

export class Equalization extends ImageLayer {
  static override readonly optionKeys = optionKeys<EqualizationArgs>()(...IMAGE_LAYER_KEYS, 'valueRange', 'bins');
  static override readonly positional = ['valueRange'];
  readonly className = 'Equalization';
  readonly valueRange: [number, number];
  readonly bins: number;

  constructor(valueRange?: [number, number], options?: Omit<EqualizationArgs, 'valueRange'>);
  constructor(args?: EqualizationArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<EqualizationArgs | undefined>(new.target, given);
    super(args);
    const owner = `Equalization '${this.name}'`;
    this.valueRange = valueRangeOf(args?.valueRange, owner);
    this.bins = args?.bins ?? 256;
    if (!Number.isInteger(this.bins) || this.bins < 2) {
      throw new ValueError(`${owner}: \`bins\` must be an integer of at least 2, got ${args?.bins}. help: e.g. {bins: 256}.`);
    }
  }

  protected transform(images: tfc.Tensor4D, ctx: CallContext): tfc.Tensor {
    if (!ctx.training) return tfc.clone(images);
    const [n, h, w, c] = images.shape;
    const bins = this.bins;
    const x = scaleValues(images, this.valueRange, [0, 255]);
    // One histogram per channel: bin indices offset by channel · bins, counted at once.
    const offsets = tfc.mul(tfc.range(0, c, 1, 'int32'), tfc.scalar(bins, 'int32'));
    const binOf = (scaled: tfc.Tensor): tfc.Tensor => tfc.add(tfc.cast(tfc.clipByValue(tfc.floor(scaled), 0, bins - 1), 'int32'), offsets);
    const counted = binOf(tfc.div(tfc.mul(x, bins - 1), 255));
    const hist = tfc.reshape(tfc.bincount(tfc.reshape(counted, [-1]) as tfc.Tensor1D, tfc.tensor1d([], 'float32'), c * bins), [c, bins]);
    const cdf = tfc.cumsum(hist, 1);
    const cdfMin = tfc.min(tfc.where(tfc.greater(cdf, 0), cdf, tfc.fill(cdf.shape, Infinity)), 1, true);
    const last = tfc.slice(cdf, [0, bins - 1], [c, 1]);
    const spread = tfc.sub(last, cdfMin);
    const denominator = tfc.where(tfc.equal(spread, 0), tfc.onesLike(spread), spread);
    const table = tfc.clipByValue(tfc.round(tfc.div(tfc.mul(tfc.sub(cdf, cdfMin), 255), denominator)), 0, 255);
    const looked = binOf(tfc.mul(tfc.div(x, 255), bins - 1));
    const equalized = tfc.reshape(tfc.gather(tfc.reshape(table, [-1]), tfc.reshape(looked, [-1])), [n, h, w, c]);
    const varied = tfc.greater(tfc.sum(tfc.cast(tfc.greater(hist, 0), 'float32'), 1), 1);
    const out = tfc.where(tfc.broadcastTo(varied, [n, h, w, c]), equalized, x);
    return scaleValues(out, [0, 255], this.valueRange);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), valueRange: this.valueRange, bins: this.bins };
  }
}
