/** Identity: returns its input unchanged (a placeholder, as Keras's `keras.layers.Identity`); keeps masks. */
import * as tfc from '@tensorflow/tfjs-core';
import { LAYER_KEYS } from '../engine/layer';
import { ShapePreservingLayer } from '../engine/shape_preserving_layer';

export class Identity extends ShapePreservingLayer {
  static override readonly optionKeys = LAYER_KEYS;
  readonly className = 'Identity';
  override supportsMasking = true;

  call(x: tfc.Tensor): tfc.Tensor {
    return tfc.clone(x);
  }
}
