import * as tfc from '@tensorflow/tfjs-core';
import { getActivation } from '../activations/activations';
import { ValueError } from '../engine/errors';
import { CallContext, LayerConfig } from '../engine/layer';
import { Shape } from '../engine/symbolic_tensor';
import { Weight } from '../engine/weight';
import { optionKeys } from '../engine/options';
import { layerArgs } from '../engine/positional';
import { KERNEL_LAYER_KEYS, KernelLayer, KernelLayerArgs } from './kernel_layer';

export interface DenseArgs extends KernelLayerArgs {
  /** Number of output units (the last dimension of the output). Keras: `units` */
  units: number;
}

/**
 * A fully connected layer: `activation(inputs · kernel + bias)`, on the last axis. Inside a model the
 * three ops run as one fused kernel (models/fusion.ts).
 */
export class Dense extends KernelLayer {
  static override readonly optionKeys = optionKeys<DenseArgs>()(...KERNEL_LAYER_KEYS, 'units');
  static override readonly positional = ['units'];
  readonly className = 'Dense';
  override supportsMasking = true;
  readonly units: number;

  constructor(units: number, options?: Omit<DenseArgs, 'units'>);
  constructor(args: DenseArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<DenseArgs>(new.target, given);
    super(args);
    if (args === undefined || !Number.isInteger(args.units) || args.units <= 0) {
      throw new ValueError(`Dense: \`units\` must be a positive integer, got ${args?.units}. help: pass e.g. {units: 32}.`);
    }
    this.units = args.units;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    const inDim = shape[shape.length - 1];
    if (shape.length < 2 || inDim === null) {
      throw new ValueError(
        `${this.name} (Dense): the last input dimension must be known, got input shape ${JSON.stringify(shape)}. ` +
          'help: give the Input a full sample shape, e.g. Input({shape: [784]}).',
      );
    }
    this.addKernelAndBias([inDim, this.units], this.units);
  }

  call(x: tfc.Tensor, _ctx?: CallContext): tfc.Tensor {
    const flat = x.rank === 2 ? x : tfc.reshape(x, [-1, x.shape[x.rank - 1]]);
    let y = tfc.matMul(flat, (this.kernel as Weight).value);
    if (this.bias) y = tfc.add(y, this.bias.value);
    y = getActivation(this.activation, this.name)(y);
    return x.rank === 2 ? y : tfc.reshape(y, [...x.shape.slice(0, -1), this.units]);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    return [...shape.slice(0, -1), this.units];
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), units: this.units };
  }
}
