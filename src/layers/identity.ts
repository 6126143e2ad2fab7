/** Identity: returns its input unchanged (a placeholder, as Keras's `keras.layers.Identity`); keeps masks. */
import * as tfc from '@tensorflow/tfjs-core';
import { ShapePreservingLayer } from '../engine/shape_preserving_layer';

export class Identity extends ShapePreservingLayer {
  readonly className = 'Identity';
  override supportsMasking = true;

  call(x: tfc.Tensor): tfc.Tensor {
    return tfc.clone(x);
  }
}
