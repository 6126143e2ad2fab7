/**
 * RandomCrop: in training, a random height x width window of the batch (one window for the whole
 * batch, as Keras 3 draws it) when the images are larger than that on both axes; otherwise, and in
 * inference, the largest centred window of the target's aspect ratio, resized bilinearly to
 * height x width (Keras's smart_resize), so the output size is the same in training and inference.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { CallContext, LayerConfig } from '../../../engine/layer';
import { optionKeys } from '../../../engine/options';
import { layerArgs } from '../../../engine/positional';
import type { Shape } from '../../../engine/symbolic_tensor';
import { smartResize } from '../../../utils/image/smart_resize';
import { positiveInt } from '../../args';
import { withImageSize } from './image_layer';
import { Draw, RANDOM_IMAGE_KEYS, RandomImageLayer, RandomImageLayerArgs } from './random_image_layer';

export interface RandomCropArgs extends RandomImageLayerArgs {
  /** Output height. Keras: `height` */
  height: number;
  /** Output width. Keras: `width` */
  width: number;
}

export class RandomCrop extends RandomImageLayer {
  static override readonly optionKeys = optionKeys<RandomCropArgs>()(...RANDOM_IMAGE_KEYS, 'height', 'width');
  static override readonly positional = ['height', 'width'];
  readonly className = 'RandomCrop';
  readonly height: number;
  readonly width: number;

  constructor(height: number, width: number, options?: Omit<RandomCropArgs, 'height' | 'width'>);
  constructor(args: RandomCropArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<RandomCropArgs>(new.target, given);
    super(args);
    const owner = `RandomCrop '${this.name}'`;
    this.height = positiveInt(args?.height, 'height', owner, 224);
    this.width = positiveInt(args.width, 'width', owner, 224);
  }

  protected override transform(images: tfc.Tensor4D, ctx: CallContext): tfc.Tensor {
    const [, h, w] = images.shape;
    if (ctx.training && h > this.height && w > this.width) return super.transform(images, ctx);
    return smartResize(images, [this.height, this.width]);
  }

  protected augment(images: tfc.Tensor4D, draw: Draw): tfc.Tensor {
    const [, h, w, c] = images.shape;
    const top = Math.floor(draw() * (h - this.height + 1));
    const left = Math.floor(draw() * (w - this.width + 1));
    return tfc.slice(images, [0, top, left, 0], [-1, this.height, this.width, c]);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return withImageSize(inputShape as Shape, this.height, this.width);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), height: this.height, width: this.width };
  }
}
