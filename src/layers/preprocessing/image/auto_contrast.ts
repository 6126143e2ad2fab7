/**
 * AutoContrast: stretches each image's channels so that their lowest value maps to the bottom of
 * `valueRange` and their highest to the top, in training and inference alike; a flat channel (highest =
 * lowest) is left as it is.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { CallContext, LayerConfig } from '../../../engine/layer';
import { optionKeys } from '../../../engine/options';
import { layerArgs } from '../../../engine/positional';
import { mapRange, valueRangeOf } from './factors';
import { IMAGE_LAYER_KEYS, ImageLayer, ImageLayerArgs } from './image_layer';

export interface AutoContrastArgs extends ImageLayerArgs {
  /** The range of the pixel values. Keras: `value_range` @default [0, 255] */
  valueRange?: [number, number];
}

export class AutoContrast extends ImageLayer {
  static override readonly optionKeys = optionKeys<AutoContrastArgs>()(...IMAGE_LAYER_KEYS, 'valueRange');
  static override readonly positional = ['valueRange'];
  readonly className = 'AutoContrast';
  readonly valueRange: [number, number];

  constructor(valueRange?: [number, number], options?: Omit<AutoContrastArgs, 'valueRange'>);
  constructor(args?: AutoContrastArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<AutoContrastArgs | undefined>(new.target, given);
    super(args);
    this.valueRange = valueRangeOf(args?.valueRange, `AutoContrast '${this.name}'`);
  }

  protected transform(images: tfc.Tensor4D, ctx: CallContext): tfc.Tensor {
    void ctx;
    const x = mapRange(images, this.valueRange, [0, 255]);
    const low = tfc.min(x, [1, 2], true);
    const spread = tfc.sub(tfc.max(x, [1, 2], true), low);
    const stretched = tfc.clipByValue(tfc.mul(tfc.sub(x, low), tfc.div(255, spread)), 0, 255);
    return tfc.where(tfc.broadcastTo(tfc.greater(spread, 0), images.shape), mapRange(stretched, [0, 255], this.valueRange), images);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), valueRange: this.valueRange };
  }
}
