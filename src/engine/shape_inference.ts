/**
 * The output shape of a layer that does not say what it is (a user's layer without
 * `computeOutputShape`), found by running its `call` on zeros: once with every unknown dimension
 * (the batch, a free sequence length) set to 2 and once set to 3. A dimension that differs between
 * the two runs depends on an unknown one and stays unknown (null).
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from './errors';
import type { CallContext } from './layer';
import { isShapeList } from './shape_utils';
import { formatShape, Shape } from './symbolic_tensor';

interface Callable {
  readonly name: string;
  readonly className: string;
  /** The layer's call on these inputs (in the form its call takes them). */
  callList(inputs: tfc.Tensor[], ctx: CallContext): tfc.Tensor | tfc.Tensor[];
}

export function inferOutputShape(layer: Callable, inputShape: Shape | Shape[]): Shape | Shape[] {
  const several = isShapeList(inputShape);
  const shapes = several ? inputShape : [inputShape];
  const [a, b] = [2, 3].map((fill) => outputShapes(layer, shapes.map((s) => s.map((d) => d ?? fill))));
  if (a.length !== b.length || a.some((s, i) => s.length !== b[i].length)) {
    throw new ValueError(
      `${layer.name} (${layer.className}): the rank of its output changes with the batch size, so its output shape cannot be inferred. ` +
        'help: define computeOutputShape(inputShape) in the layer.',
    );
  }
  const out: Shape[] = a.map((s, i) => s.map((d, j) => (d === b[i][j] ? d : null)));
  return out.length === 1 ? out[0] : out;
}

function outputShapes(layer: Callable, shapes: number[][]): number[][] {
  return tfc.tidy(() => {
    const inputs = shapes.map((s) => tfc.zeros(s));
    let out: tfc.Tensor | tfc.Tensor[];
    try {
      out = layer.callList(inputs, { training: false });
    } catch (e) {
      throw new ValueError(
        `${layer.name} (${layer.className}): its output shape was inferred by calling it on zeros of shape ` +
          `${shapes.map(formatShape).join(', ')}, and the call failed: ${(e as Error).message} ` +
          'help: define computeOutputShape(inputShape) in the layer.',
      );
    }
    return (Array.isArray(out) ? out : [out]).map((t) => t.shape);
  });
}
