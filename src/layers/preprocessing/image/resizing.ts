/** Resizing: images to height x width with TensorFlow's resize rule (half-pixel centres), in training and inference alike. */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../../engine/errors';
import type { CallContext, LayerConfig } from '../../../engine/layer';
import { optionKeys } from '../../../engine/options';
import { layerArgs } from '../../../engine/positional';
import type { Shape } from '../../../engine/symbolic_tensor';
import { padResize, RESIZE_INTERPOLATIONS, ResizeInterpolation, resizeImages } from '../../../ops/image_resize';
import { smartResize } from '../../../utils/image/smart_resize';
import { oneOf, positiveInt } from '../../args';
import { IMAGE_LAYER_KEYS, ImageLayer, ImageLayerArgs, withImageSize } from './image_layer';

export interface ResizingArgs extends ImageLayerArgs {
  /** Output height. Keras: `height` */
  height: number;
  /** Output width. Keras: `width` */
  width: number;
  /** 'bilinear' or 'nearest'. Keras: `interpolation` @default 'bilinear' */
  interpolation?: ResizeInterpolation;
  /** Crop the largest centred window of the target's aspect ratio first (no distortion). Keras: `crop_to_aspect_ratio` @default false */
  cropToAspectRatio?: boolean;
  /** Pad with `fillValue` to the target's aspect ratio first (no distortion). Keras: `pad_to_aspect_ratio` @default false */
  padToAspectRatio?: boolean;
  /** How padToAspectRatio fills: 'constant' only. Keras: `fill_mode` @default 'constant' */
  fillMode?: 'constant';
  /** The padding value of padToAspectRatio. Keras: `fill_value` @default 0 */
  fillValue?: number;
  /** Antialiasing when shrinking: not supported (false only). Keras: `antialias` @default false */
  antialias?: boolean;
}

/** Resizes images to [height, width]; one image [h, w, c] or a batch [n, h, w, c]. */
export class Resizing extends ImageLayer {
  static override readonly optionKeys = optionKeys<ResizingArgs>()(
    ...IMAGE_LAYER_KEYS, 'height', 'width', 'interpolation', 'cropToAspectRatio', 'padToAspectRatio', 'fillMode', 'fillValue', 'antialias',
  );
  static override readonly positional = ['height', 'width'];
  readonly className = 'Resizing';
  readonly height: number;
  readonly width: number;
  readonly interpolation: ResizeInterpolation;
  readonly cropToAspectRatio: boolean;
  readonly padToAspectRatio: boolean;
  readonly fillValue: number;

  constructor(height: number, width: number, options?: Omit<ResizingArgs, 'height' | 'width'>);
  constructor(args: ResizingArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<ResizingArgs>(new.target, given);
    super(args);
    const owner = `Resizing '${this.name}'`;
    this.height = positiveInt(args?.height, 'height', owner, 224);
    this.width = positiveInt(args.width, 'width', owner, 224);
    this.interpolation = oneOf(args.interpolation, RESIZE_INTERPOLATIONS, 'bilinear', 'interpolation', owner);
    oneOf(args.fillMode, ['constant'], 'constant', 'fillMode', owner);
    this.cropToAspectRatio = args.cropToAspectRatio ?? false;
    this.padToAspectRatio = args.padToAspectRatio ?? false;
    this.fillValue = args.fillValue ?? 0;
    if (this.cropToAspectRatio && this.padToAspectRatio) {
      throw new ValueError(`${owner}: only one of \`cropToAspectRatio\` and \`padToAspectRatio\` can be true. help: pick one.`);
    }
    if (args.antialias) {
      throw new ValueError(`${owner}: \`antialias\` true is not supported. help: leave it out (false), or resize with a Resizing to an intermediate size first.`);
    }
  }

  protected transform(images: tfc.Tensor4D, ctx: CallContext): tfc.Tensor {
    void ctx;
    if (this.cropToAspectRatio) return smartResize(images, [this.height, this.width], { interpolation: this.interpolation });
    if (this.padToAspectRatio) return padResize(images, this.height, this.width, this.interpolation, this.fillValue);
    return resizeImages(images, this.height, this.width, this.interpolation);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return withImageSize(inputShape as Shape, this.height, this.width);
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      height: this.height,
      width: this.width,
      interpolation: this.interpolation,
      cropToAspectRatio: this.cropToAspectRatio,
      padToAspectRatio: this.padToAspectRatio,
      fillMode: 'constant',
      fillValue: this.fillValue,
      antialias: false,
    };
  }
}
