import * as tfc from '@tensorflow/tfjs-core';
import { CallContext, Layer, LAYER_KEYS } from '../engine/layer';
import { Shape } from '../engine/symbolic_tensor';

/** Flattens each sample to one dimension: (batch, d1, d2, ...) -> (batch, d1 * d2 * ...). */
export class Flatten extends Layer {
  static override readonly optionKeys = LAYER_KEYS;
  readonly className = 'Flatten';

  call(x: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    void ctx;
    return tfc.reshape(x, [x.shape[0], -1]);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const rest = (inputShape as Shape).slice(1);
    const known = rest.every((d) => d !== null);
    return [(inputShape as Shape)[0], known ? (rest as number[]).reduce((a, b) => a * b, 1) : null];
  }
}
