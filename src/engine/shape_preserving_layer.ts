import { Layer } from './layer';
import type { Shape } from './symbolic_tensor';

/** A layer whose output has its input's shape (activations, dropout, noise, normalization). */
export abstract class ShapePreservingLayer extends Layer {
  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }
}
