/**
 * The base of MixUp and CutMix, which mix each image of a batch with another image of the same batch
 * (a random permutation). Applied to images alone they return the mixed images; applied to the pair
 * [images, labels] (labels one-hot or soft, [n, classes]; for one image [h, w, c] labels [classes])
 * they return [images, labels], the labels mixed with the weights of the images, as Keras 3 does for
 * {"images": ..., "labels": ...}. In inference both pass through (images as float32).
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../../engine/errors';
import type { CallContext } from '../../../engine/layer';
import { Draw, RandomImageLayer } from './random_image_layer';

/** One call's mixing: the images mixed, and for the labels the weight of each image's own label and the permutation. */
export interface BatchMix {
  images: tfc.Tensor;
  weights: number[];
  order: number[];
}

export abstract class BatchMixLayer extends RandomImageLayer {
  /** The batch [n, h, w, c] (float32) mixed, with what the labels need. */
  protected abstract mix(images: tfc.Tensor4D, draw: Draw): BatchMix;

  protected augment(images: tfc.Tensor4D, draw: Draw): tfc.Tensor {
    return this.mix(images, draw).images;
  }

  protected override callInputs(inputs: tfc.Tensor[]): tfc.Tensor | tfc.Tensor[] {
    if (inputs.length === 1) return inputs[0];
    if (inputs.length === 2) return inputs;
    throw new ValueError(
      `${this.className} '${this.name}': takes images or the pair [images, labels], got ${inputs.length} inputs. help: apply it to images, or to [images, oneHotLabels].`,
    );
  }

  override call(inputs: tfc.Tensor | tfc.Tensor[], ctx: CallContext): tfc.Tensor | tfc.Tensor[] {
    if (!Array.isArray(inputs)) return super.call(inputs, ctx);
    const [images, labels] = inputs;
    const batched = images.rank === 4;
    if ((images.rank !== 3 && !batched) || labels.rank !== images.rank - 2 || (batched && labels.shape[0] !== images.shape[0])) {
      throw new ValueError(
        `${this.className} '${this.name}': expected [images [n, h, w, c], labels [n, classes]] (or one image [h, w, c] with labels [classes]), got shapes [${images.shape}] and [${labels.shape}]. help: one-hot the labels (k.utils.toCategorical).`,
      );
    }
    const x = (batched ? tfc.cast(images, 'float32') : tfc.expandDims(tfc.cast(images, 'float32'), 0)) as tfc.Tensor4D;
    const y = batched ? tfc.cast(labels, 'float32') : tfc.expandDims(tfc.cast(labels, 'float32'), 0);
    if (!ctx.training) return [tfc.clone(images.dtype === 'float32' ? images : tfc.cast(images, 'float32')), tfc.cast(labels, 'float32')];
    const { images: mixed, weights, order } = this.mix(x, this.nextDraw());
    const w = tfc.tensor2d(weights, [weights.length, 1]);
    const mixedLabels = tfc.add(tfc.mul(w, y), tfc.mul(tfc.sub(1, w), tfc.gather(y, order)));
    return batched ? [mixed, mixedLabels] : [tfc.squeeze(mixed, [0]), tfc.squeeze(mixedLabels, [0])];
  }
}
