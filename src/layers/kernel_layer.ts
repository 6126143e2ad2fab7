/**
 * What Dense and the convolutions share: an activation, a kernel and an optional bias, each with
 * its initializer, regularizer and constraint, resolved from the options and serialized back.
 */
import { ActivationName, canonicalActivation } from '../activations/activations';
import { Constraint, ConstraintIdentifier, getConstraint, serializeConstraint } from '../constraints';
import { Layer, LAYER_KEYS, LayerArgs, LayerConfig } from '../engine/layer';
import { optionKeys } from '../engine/options';
import { Weight } from '../engine/weight';
import { getInitializer, Initializer, InitializerIdentifier, serializeInitializer } from '../initializers';
import { getRegularizer, Regularizer, RegularizerIdentifier, serializeRegularizer } from '../regularizers';

export interface KernelLayerArgs extends LayerArgs {
  /**
   * Applied to the output: a name ('relu', 'softmax', ...). Keras: `activation` (None there) @default 'linear' (none)
   */
  activation?: ActivationName;
  /** Whether the layer adds a bias vector. Keras: `use_bias` @default true */
  useBias?: boolean;
  /** Initializer of the kernel (weight matrix). Keras: `kernel_initializer` @default 'glorot_uniform' */
  kernelInitializer?: InitializerIdentifier;
  /** Initializer of the bias. Keras: `bias_initializer` @default 'zeros' */
  biasInitializer?: InitializerIdentifier;
  /** A penalty on the kernel, added to the loss in fit. Keras: `kernel_regularizer` @default undefined (none) */
  kernelRegularizer?: RegularizerIdentifier;
  /** A penalty on the bias, added to the loss in fit. Keras: `bias_regularizer` @default undefined (none) */
  biasRegularizer?: RegularizerIdentifier;
  /** A projection of the kernel after each optimizer update. Keras: `kernel_constraint` @default undefined (none) */
  kernelConstraint?: ConstraintIdentifier;
  /** A projection of the bias after each optimizer update. Keras: `bias_constraint` @default undefined (none) */
  biasConstraint?: ConstraintIdentifier;
}

export const KERNEL_LAYER_KEYS = optionKeys<KernelLayerArgs>()(
  ...LAYER_KEYS, 'activation', 'useBias', 'kernelInitializer', 'biasInitializer', 'kernelRegularizer', 'biasRegularizer', 'kernelConstraint',
  'biasConstraint',
);

export abstract class KernelLayer extends Layer {
  readonly activation: string;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | undefined;
  readonly biasRegularizer: Regularizer | undefined;
  readonly kernelConstraint: Constraint | undefined;
  readonly biasConstraint: Constraint | undefined;
  kernel: Weight | null = null;
  bias: Weight | null = null;

  constructor(args: KernelLayerArgs = {}, given: unknown = args) {
    super(args, given);
    const a = args ?? {};
    const owner = `${new.target.name} '${this.name}'`;
    this.activation = canonicalActivation(a.activation ?? 'linear', owner);
    this.useBias = a.useBias ?? true;
    this.kernelInitializer = getInitializer(a.kernelInitializer ?? 'glorot_uniform', owner);
    this.biasInitializer = getInitializer(a.biasInitializer ?? 'zeros', owner);
    this.kernelRegularizer = getRegularizer(a.kernelRegularizer, owner);
    this.biasRegularizer = getRegularizer(a.biasRegularizer, owner);
    this.kernelConstraint = getConstraint(a.kernelConstraint, owner);
    this.biasConstraint = getConstraint(a.biasConstraint, owner);
  }

  /** Creates the kernel (named `kernelName`) and, with useBias, a bias of `biasSize`. */
  protected addKernelAndBias(kernelShape: number[], biasSize: number, kernelName = 'kernel'): void {
    this.kernel = this.addWeight({
      name: kernelName, shape: kernelShape, initializer: this.kernelInitializer, regularizer: this.kernelRegularizer, constraint: this.kernelConstraint,
    });
    if (this.useBias) {
      this.bias = this.addWeight({
        name: 'bias', shape: [biasSize], initializer: this.biasInitializer, regularizer: this.biasRegularizer, constraint: this.biasConstraint,
      });
    }
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      activation: this.activation,
      useBias: this.useBias,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
      kernelRegularizer: serializeRegularizer(this.kernelRegularizer),
      biasRegularizer: serializeRegularizer(this.biasRegularizer),
      kernelConstraint: serializeConstraint(this.kernelConstraint),
      biasConstraint: serializeConstraint(this.biasConstraint),
    };
  }
}
