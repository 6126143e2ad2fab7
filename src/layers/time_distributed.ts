import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { CallContext, Layer } from '../engine/layer';
import { checkMaskShape, firstMask, MaskArg } from '../engine/masking';
import { layerArgs } from '../engine/positional';
import { formatShape, Shape } from '../engine/symbolic_tensor';
import { Wrapper, WRAPPER_KEYS, WrapperArgs } from './wrapper';

export interface TimeDistributedArgs extends WrapperArgs {
  /** The layer applied to every time step (it sees inputs of shape (batch, ...features)). Keras: `layer` */
  layer: Layer;
}

/**
 * Applies a layer to every step of a sequence (the second axis) with the same weights: the batch
 * and time axes are merged, the layer runs once on (batch × steps, ...), and the axes are split
 * again. A mask passes through (and reaches the layer when it supports masking). The Wrapper
 * base owns the inner layer: its weights, freezing, disposal and the `layer` config.
 */
export class TimeDistributed extends Wrapper {
  static override readonly optionKeys: readonly string[] = WRAPPER_KEYS;
  readonly className = 'TimeDistributed';
  override supportsMasking = true;

  static override readonly positional = ['layer'];

  constructor(layer: Layer, options?: Omit<TimeDistributedArgs, 'layer'>);
  constructor(args: TimeDistributedArgs);
  constructor(...given: unknown[]) {
    super(layerArgs<TimeDistributedArgs>(new.target, given));
  }

  private stepShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    if (Array.isArray(shape[0]) || shape.length < 3) {
      throw new ValueError(
        `${this.name} (TimeDistributed): expected one input of rank 3 or more (batch, timesteps, ...), got ${JSON.stringify(inputShape)}. ` +
          'help: give each sample a time axis first.',
      );
    }
    return [shape[0] === null || shape[1] === null ? null : shape[0] * (shape[1] as number), ...shape.slice(2)];
  }

  override build(inputShape: Shape | Shape[]): void {
    this.layer.ensureBuilt([null, ...this.stepShape(inputShape).slice(1)]);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    const inner = this.layer.computeOutputShape([null, ...this.stepShape(shape).slice(1)]);
    if (Array.isArray(inner[0])) throw new ValueError(`${this.name} (TimeDistributed): the wrapped layer must have one output, got ${(inner as Shape[]).map(formatShape).join(', ')}.`);
    return [shape[0], shape[1], ...(inner as Shape).slice(1)];
  }

  call(x: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    const [batch, steps, ...rest] = x.shape;
    const mask = firstMask(ctx.mask);
    if (mask) checkMaskShape(`${this.name} (TimeDistributed)`, x, mask);
    const flatMask = mask && this.layer.supportsMasking ? tfc.reshape(mask, [batch * steps]) : null;
    const [y] = this.layer.callOnTensors(tfc.reshape(x, [batch * steps, ...rest]), { ...ctx, mask: flatMask, args: {} });
    return tfc.reshape(y, [batch, steps, ...y.shape.slice(1)]);
  }

  override computeMask(x: tfc.Tensor, mask: MaskArg | undefined): MaskArg {
    void x;
    return firstMask(mask);
  }
}
