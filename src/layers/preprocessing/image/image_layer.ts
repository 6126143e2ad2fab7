/**
 * The base of the image preprocessing layers (Resizing, the crops, the augmentations): images are
 * [h, w, c] (one) or [n, h, w, c] (a batch), channels last, any numeric dtype; the output is float32,
 * as Keras's compute dtype. A subclass writes `transform(batch [n, h, w, c], ctx)`; the base adds
 * and removes the batch axis for one image, so each layer is written once, for batches.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../../engine/errors';
import { CallContext, Layer, LAYER_KEYS, LayerArgs, LayerConfig } from '../../../engine/layer';
import type { Shape } from '../../../engine/symbolic_tensor';
import { channelsLast, DataFormat } from '../../args';

export interface ImageLayerArgs extends LayerArgs {
  /**
   * The axis order; keras-ts computes channels last only ('channels_first' is refused with the fix).
   * Keras: `data_format` @default 'channels_last'
   */
  dataFormat?: DataFormat;
}

export const IMAGE_LAYER_KEYS = [...LAYER_KEYS, 'dataFormat'] as const;

export abstract class ImageLayer extends Layer {
  constructor(args: ImageLayerArgs | undefined) {
    super(args);
    channelsLast(args?.dataFormat, `${new.target.name} '${this.name}'`);
  }

  /** The batch [n, h, w, c] (float32) transformed. */
  protected abstract transform(images: tfc.Tensor4D, ctx: CallContext): tfc.Tensor;

  /** One image or a batch may come in any call: the rank is not fixed at build. */
  protected override get fixedAxes(): null {
    return null;
  }

  /** Typed wide for MixUp and CutMix, which also take the pair [images, labels]; the others return one tensor. */
  call(x: tfc.Tensor, ctx: CallContext): tfc.Tensor | tfc.Tensor[] {
    if (x.rank !== 3 && x.rank !== 4) {
      throw new ValueError(
        `${this.className} '${this.name}': expected one image [height, width, channels] or a batch [n, height, width, channels], got shape [${x.shape}]. help: add a channels axis (e.g. [28, 28, 1]).`,
      );
    }
    const float = x.dtype === 'float32' ? x : tfc.cast(x, 'float32');
    const batch = (x.rank === 4 ? float : tfc.expandDims(float, 0)) as tfc.Tensor4D;
    const out = this.transform(batch, ctx);
    return x.rank === 4 ? out : tfc.squeeze(out, [0]);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), dataFormat: 'channels_last' };
  }
}

/** `shape` (one image or a batch) with its height and width replaced. */
export function withImageSize(shape: Shape, height: number, width: number): Shape {
  const out = [...shape];
  out[out.length - 3] = height;
  out[out.length - 2] = width;
  return out;
}
