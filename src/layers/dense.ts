import * as tfc from '@tensorflow/tfjs-core';
import { getActivation } from '../activations/activations';
import { ValueError } from '../engine/errors';
import { CallContext, LayerConfig } from '../engine/layer';
import { Shape } from '../engine/symbolic_tensor';
import { Weight } from '../engine/weight';
import { dense, DenseActivation } from '../ops/dense';
import { optionKeys } from '../engine/options';
import { KERNEL_LAYER_KEYS, KernelLayer, KernelLayerArgs } from './kernel_layer';

export interface DenseArgs extends KernelLayerArgs {
  /** Number of output units. */
  units: number;
}

/** Activations tfjs-core fuses into its matmul kernel (its fused names equal our canonical ones). */
const FUSED = new Set(['linear', 'relu', 'relu6', 'elu', 'sigmoid']);

/** A fully connected layer: `activation(inputs · kernel + bias)`, on the last axis. */
export class Dense extends KernelLayer {
  static override readonly optionKeys = optionKeys<DenseArgs>()(...KERNEL_LAYER_KEYS, 'units');
  readonly className = 'Dense';
  override supportsMasking = true;
  readonly units: number;

  constructor(args: DenseArgs) {
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

  call(x: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    const kernel = (this.kernel as Weight).value as tfc.Tensor2D;
    const flat = (x.rank === 2 ? x : tfc.reshape(x, [-1, x.shape[x.rank - 1]])) as tfc.Tensor2D;
    // In training a sigmoid is applied after the op, like softmax, so that its output keeps its
    // logits: binary cross-entropy then takes its gradient with respect to them directly. A hidden
    // layer's output meets no loss, and keeps the fused activation.
    const fused = FUSED.has(this.activation) && !(ctx.training && this.activation === 'sigmoid' && !ctx.hidden);
    const activation = (fused ? this.activation : 'linear') as DenseActivation;
    // One fused matmul + bias + activation kernel; in training, with the backward pass written
    // out (ops/dense.ts), skipping the gradient for the batch's own input data.
    let y: tfc.Tensor = ctx.training
      ? dense(flat, kernel, this.bias?.value, activation, !ctx.dataInputs?.has(x))
      : tfc.fused.matMul({ a: flat, b: kernel, bias: this.bias?.value, activation: activation === 'linear' ? undefined : activation });
    if (!fused) y = getActivation(this.activation, this.name)(y);
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
