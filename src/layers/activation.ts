import type * as tfc from '@tensorflow/tfjs-core';
import { ActivationName, canonicalActivation, getActivation } from '../activations/activations';
import { CallContext, LAYER_KEYS, LayerArgs, LayerConfig } from '../engine/layer';
import { optionKeys } from '../engine/options';
import { layerArgs } from '../engine/positional';
import { ShapePreservingLayer } from '../engine/shape_preserving_layer';

export interface ActivationArgs extends LayerArgs {
  /** The activation to apply: a name ('relu', 'softmax', ...). Keras: `activation` */
  activation: ActivationName;
}

/** Applies an activation function to its input. */
export class Activation extends ShapePreservingLayer {
  static override readonly optionKeys = optionKeys<ActivationArgs>()(...LAYER_KEYS, 'activation');
  readonly className = 'Activation';
  override supportsMasking = true;
  readonly activation: string;

  static override readonly positional = ['activation'];

  constructor(activation: ActivationName, options?: Omit<ActivationArgs, 'activation'>);
  constructor(args: ActivationArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<ActivationArgs>(new.target, given);
    super(args);
    this.activation = canonicalActivation(args?.activation, `Activation '${this.name}'`);
  }

  call(x: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    void ctx;
    return getActivation(this.activation, this.name)(x);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), activation: this.activation };
  }
}
