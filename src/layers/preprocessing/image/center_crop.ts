/**
 * CenterCrop: the centred height x width window of each image, in training and inference alike; an
 * image smaller than that is first cropped to the target's aspect ratio and resized (Keras's smart_resize).
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { CallContext, LayerConfig } from '../../../engine/layer';
import { optionKeys } from '../../../engine/options';
import { layerArgs } from '../../../engine/positional';
import type { Shape } from '../../../engine/symbolic_tensor';
import { smartResize } from '../../../utils/image/smart_resize';
import { positiveInt } from '../../args';
import { IMAGE_LAYER_KEYS, ImageLayer, ImageLayerArgs, withImageSize } from './image_layer';

export interface CenterCropArgs extends ImageLayerArgs {
  /** Output height. Keras: `height` */
  height: number;
  /** Output width. Keras: `width` */
  width: number;
}

export class CenterCrop extends ImageLayer {
  static override readonly optionKeys = optionKeys<CenterCropArgs>()(...IMAGE_LAYER_KEYS, 'height', 'width');
  static override readonly positional = ['height', 'width'];
  readonly className = 'CenterCrop';
  readonly height: number;
  readonly width: number;

  constructor(height: number, width: number, options?: Omit<CenterCropArgs, 'height' | 'width'>);
  constructor(args: CenterCropArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<CenterCropArgs>(new.target, given);
    super(args);
    const owner = `CenterCrop '${this.name}'`;
    this.height = positiveInt(args?.height, 'height', owner, 224);
    this.width = positiveInt(args.width, 'width', owner, 224);
  }

  protected transform(images: tfc.Tensor4D, ctx: CallContext): tfc.Tensor {
    void ctx;
    const [, h, w, c] = images.shape;
    if (h < this.height || w < this.width) return smartResize(images, [this.height, this.width]);
    const top = Math.floor((h - this.height) / 2);
    const left = Math.floor((w - this.width) / 2);
    return tfc.slice(images, [0, top, left, 0], [-1, this.height, this.width, c]);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return withImageSize(inputShape as Shape, this.height, this.width);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), height: this.height, width: this.width };
  }
}
