import * as tfc from '@tensorflow/tfjs-core';
import { Constraint, ConstraintIdentifier, getConstraint, serializeConstraint } from '../constraints';
import { CallContext, Layer, LAYER_KEYS, LayerArgs, LayerConfig } from '../engine/layer';
import { optionKeys } from '../engine/options';
import { layerArgs } from '../engine/positional';
import type { MaskArg } from '../engine/masking';
import { Shape } from '../engine/symbolic_tensor';
import { Weight } from '../engine/weight';
import { getInitializer, Initializer, InitializerIdentifier, serializeInitializer } from '../initializers';
import { getRegularizer, Regularizer, RegularizerIdentifier, serializeRegularizer } from '../regularizers';
import { positiveInt } from './args';

export interface EmbeddingArgs extends LayerArgs {
  /** Vocabulary size: indices are in [0, inputDim). Keras: `input_dim` */
  inputDim: number;
  /** Size of each vector. Keras: `output_dim` */
  outputDim: number;
  /**
   * Initializer of the embedding matrix. Keras: `embeddings_initializer` @default 'uniform' (random
   * uniform in [-0.05, 0.05])
   */
  embeddingsInitializer?: InitializerIdentifier;
  /**
   * A penalty on the embedding matrix, added to the loss in fit. Keras: `embeddings_regularizer`
   * @default undefined (none)
   */
  embeddingsRegularizer?: RegularizerIdentifier;
  /**
   * A projection of the embedding matrix after each update. Keras: `embeddings_constraint`
   * @default undefined (none)
   */
  embeddingsConstraint?: ConstraintIdentifier;
  /**
   * Index 0 is padding: the output carries a mask that is false there (so inputDim counts it). Keras: `mask_zero`
   * @default false
   */
  maskZero?: boolean;
}

export const EMBEDDING_KEYS = optionKeys<EmbeddingArgs>()(
  ...LAYER_KEYS, 'inputDim', 'outputDim', 'embeddingsInitializer', 'embeddingsRegularizer', 'embeddingsConstraint', 'maskZero',
);

/** Maps integer indices to learned vectors: (batch, ...) -> (batch, ..., outputDim). */
export class Embedding extends Layer {
  static override readonly optionKeys: readonly string[] = EMBEDDING_KEYS;
  readonly className: string = 'Embedding';
  readonly inputDim: number;
  readonly outputDim: number;
  readonly maskZero: boolean;
  protected readonly initializer: Initializer;
  private readonly regularizer: Regularizer | undefined;
  private readonly constraint: Constraint | undefined;
  embeddings: Weight | null = null;

  static override readonly positional = ['inputDim', 'outputDim'];

  constructor(inputDim: number, outputDim: number, options?: Omit<EmbeddingArgs, 'inputDim' | 'outputDim'>);
  constructor(args: EmbeddingArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<EmbeddingArgs>(new.target, given);
    super(args);
    const owner = `Embedding '${this.name}'`;
    this.inputDim = positiveInt(args?.inputDim, 'inputDim', owner, 1000);
    this.outputDim = positiveInt(args?.outputDim, 'outputDim', owner, 64);
    this.maskZero = args.maskZero ?? false;
    this.supportsMasking = this.maskZero;
    this.initializer = getInitializer(args.embeddingsInitializer ?? 'uniform', owner);
    this.regularizer = getRegularizer(args.embeddingsRegularizer, owner);
    this.constraint = getConstraint(args.embeddingsConstraint, owner);
  }

  /** Any sequence length, any rank. */
  protected override get fixedAxes(): null {
    return null;
  }

  override build(): void {
    this.embeddings = this.addWeight({
      name: 'embeddings', shape: [this.inputDim, this.outputDim], initializer: this.initializer, regularizer: this.regularizer, constraint: this.constraint,
    });
  }

  call(x: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    void ctx;
    return tfc.gather((this.embeddings as Weight).value, tfc.cast(x, 'int32'));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...(inputShape as Shape), this.outputDim];
  }

  /** With maskZero, the mask is false where the index is 0. */
  override computeMask(x: tfc.Tensor): MaskArg {
    if (!this.maskZero) return null;
    return tfc.notEqual(x, 0);
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(), inputDim: this.inputDim, outputDim: this.outputDim, maskZero: this.maskZero,
      embeddingsInitializer: serializeInitializer(this.initializer),
      embeddingsRegularizer: serializeRegularizer(this.regularizer),
      embeddingsConstraint: serializeConstraint(this.constraint),
    };
  }
}
