/**
 * MultiHeadAttention as Keras's (the Transformer's): queries, keys and values projected per head
 * (kernels [dim, heads, keyDim] and biases [heads, keyDim], in Keras's order and shapes, so Keras
 * weights load), scaled dot-product attention with masks, and the heads projected back.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ConstraintIdentifier } from '../../constraints';
import { CallArgs } from '../../engine/call_args';
import { ValueError } from '../../engine/errors';
import { ApplyOptions, CallContext, LAYER_KEYS, LayerArgs, LayerConfig } from '../../engine/layer';
import { MaskArg } from '../../engine/masking';
import { MultiInputLayer } from '../../engine/multi_input_layer';
import { optionKeys } from '../../engine/options';
import { layerArgs } from '../../engine/positional';
import { Shape, SymbolicTensor } from '../../engine/symbolic_tensor';
import { Weight } from '../../engine/weight';
import { InitializerIdentifier } from '../../initializers';
import { RegularizerIdentifier } from '../../regularizers';
import { positiveInt } from '../args';
import { attendSteps, attentionInputs, callMask, checkDropout, checkSameSteps, kerasProjectionGroups, Projection, projectHeads, ProjectionWeights, projectOutput } from './head_projection';

export interface MultiHeadAttentionArgs extends LayerArgs {
  /** Number of attention heads. Keras: `num_heads` */
  numHeads: number;
  /** Size of each head for query and key. Keras: `key_dim` */
  keyDim: number;
  /** Size of each head for value. Keras: `value_dim` @default keyDim */
  valueDim?: number;
  /** Dropout on the attention probabilities in training. Keras: `dropout` @default 0 */
  dropout?: number;
  /** Whether the dense projections add biases. Keras: `use_bias` @default true */
  useBias?: boolean;
  /** Size of the output's last axis. Keras: `output_shape` @default the query's last axis */
  outputShape?: number | number[];
  /**
   * Only the steps axis (Keras's default for rank-3 inputs) is supported. Keras: `attention_axes`
   * @default null (the steps axis)
   */
  attentionAxes?: number | number[] | null;
  /** Initializer of the projections' kernels. Keras: `kernel_initializer` @default 'glorot_uniform' */
  kernelInitializer?: InitializerIdentifier;
  /** Initializer of the projections' biases. Keras: `bias_initializer` @default 'zeros' */
  biasInitializer?: InitializerIdentifier;
  /** A penalty on the kernels, added to the loss in fit. Keras: `kernel_regularizer` @default undefined (none) */
  kernelRegularizer?: RegularizerIdentifier;
  /** A penalty on the biases, added to the loss in fit. Keras: `bias_regularizer` @default undefined (none) */
  biasRegularizer?: RegularizerIdentifier;
  /** A projection of the kernels after each update. Keras: `kernel_constraint` @default undefined (none) */
  kernelConstraint?: ConstraintIdentifier;
  /** A projection of the biases after each update. Keras: `bias_constraint` @default undefined (none) */
  biasConstraint?: ConstraintIdentifier;
  /**
   * Seed of the dropout draws, for reproducible runs. Keras: `seed` @default undefined (drawn from
   * k.utils.setRandomSeed's generator)
   */
  seed?: number;
}

/** The options of one call: apply([query, value, key?], options). */
export interface MultiHeadAttentionCallOptions extends ApplyOptions {
  /**
   * [batch, T, S] boolean: which key steps each query step may attend to. Keras: `attention_mask`
   * @default undefined (all, besides the inputs' masks)
   */
  attentionMask?: tfc.Tensor | SymbolicTensor | null;
  /**
   * Also return the attention probabilities [batch, heads, T, S]: apply returns [output, scores].
   * Keras: `return_attention_scores` @default false
   */
  returnAttentionScores?: boolean;
  /**
   * Each query step attends only to key steps up to its own (a decoder's self-attention). Keras:
   * `use_causal_mask` @default false
   */
  useCausalMask?: boolean;
}

export class MultiHeadAttention extends MultiInputLayer {
  static override readonly optionKeys: readonly string[] = optionKeys<MultiHeadAttentionArgs>()(
    ...LAYER_KEYS, 'numHeads', 'keyDim', 'valueDim', 'dropout', 'useBias', 'outputShape', 'attentionAxes', 'kernelInitializer', 'biasInitializer',
    'kernelRegularizer', 'biasRegularizer', 'kernelConstraint', 'biasConstraint', 'seed',
  );
  readonly className = 'MultiHeadAttention';
  readonly numHeads: number;
  readonly keyDim: number;
  readonly valueDim: number;
  readonly dropout: number;
  readonly useBias: boolean;
  readonly outputDim: number | null;
  readonly seed: number | undefined;
  private readonly weightOptions: ProjectionWeights;
  override supportsMasking = true;
  private projections: Record<'query' | 'key' | 'value' | 'output', Projection> | null = null;

  static override readonly positional = ['numHeads', 'keyDim'];

  constructor(numHeads: number, keyDim: number, options?: Omit<MultiHeadAttentionArgs, 'numHeads' | 'keyDim'>);
  constructor(args: MultiHeadAttentionArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<MultiHeadAttentionArgs>(new.target, given);
    super(args);
    const owner = `MultiHeadAttention '${this.name}'`;
    this.numHeads = positiveInt(args?.numHeads, 'numHeads', owner, 4);
    this.keyDim = positiveInt(args.keyDim, 'keyDim', owner, 64);
    this.valueDim = args.valueDim === undefined || args.valueDim === null ? this.keyDim : positiveInt(args.valueDim, 'valueDim', owner, 64);
    this.dropout = checkDropout(args.dropout, owner);
    this.useBias = args.useBias ?? true;
    const out = args.outputShape;
    const outDims = out === undefined || out === null ? [] : Array.isArray(out) ? out : [out];
    if (outDims.length > 1 || !outDims.every((d) => Number.isInteger(d) && d > 0)) {
      throw new ValueError(`${owner}: \`outputShape\` must be a positive integer (the output's last axis), got ${JSON.stringify(out)}. help: e.g. {outputShape: 64}.`);
    }
    this.outputDim = outDims[0] ?? null;
    const axes = args.attentionAxes;
    if (axes !== undefined && axes !== null && !(axes === 1 || (Array.isArray(axes) && axes.length === 1 && axes[0] === 1))) {
      throw new ValueError(`${owner}: attention over axes ${JSON.stringify(axes)} is not supported; keras-ts attends over the steps axis of (batch, steps, features) inputs. help: leave attentionAxes out.`);
    }
    this.seed = args.seed;
    this.weightOptions = new ProjectionWeights(args, owner);
  }

  protected override get callOptionKeys(): readonly string[] {
    return ['attentionMask', 'returnAttentionScores', 'useCausalMask'];
  }

  /** apply([query, value, key?]); with returnAttentionScores it returns [output, scores]. */
  override apply(inputs: SymbolicTensor[], options: MultiHeadAttentionCallOptions & { returnAttentionScores: true }): SymbolicTensor[];
  override apply(inputs: tfc.Tensor[], options: MultiHeadAttentionCallOptions & { returnAttentionScores: true }): tfc.Tensor[];
  override apply(inputs: SymbolicTensor | SymbolicTensor[], options?: MultiHeadAttentionCallOptions): SymbolicTensor;
  override apply(inputs: tfc.Tensor | tfc.Tensor[], options?: MultiHeadAttentionCallOptions): tfc.Tensor;
  override apply(
    inputs: SymbolicTensor | SymbolicTensor[] | tfc.Tensor | tfc.Tensor[],
    options: MultiHeadAttentionCallOptions = {},
  ): SymbolicTensor | tfc.Tensor | SymbolicTensor[] | tfc.Tensor[] {
    return super.apply(inputs as tfc.Tensor[], options);
  }

  /** Any sequence lengths; the feature axes are fixed. */
  protected override get fixedAxes(): number[] {
    return [-1];
  }

  private shapes(inputShape: Shape | Shape[]): { query: Shape; value: Shape; key: Shape } {
    const shapes = attentionInputs(inputShape, `${this.name} (MultiHeadAttention)`, 'mha');
    checkSameSteps(shapes.value, shapes.key, `${this.name} (MultiHeadAttention)`);
    return shapes;
  }

  override build(inputShape: Shape | Shape[]): void {
    const { query, value, key } = this.shapes(inputShape);
    const [h, kd, vd] = [this.numHeads, this.keyDim, this.valueDim];
    const dim = (s: Shape): number => s[2] as number;
    const make = (name: string, kernel: number[], bias: number[]): Projection => this.weightOptions.make((a) => this.addWeight(a), name, kernel, bias);
    const out = this.outputDim ?? dim(query);
    this.projections = {
      query: make('query', [dim(query), h, kd], [h, kd]),
      key: make('key', [dim(key), h, kd], [h, kd]),
      value: make('value', [dim(value), h, vd], [h, vd]),
      output: make('attention_output', [h, vd, out], [out]),
    };
  }

  /** Where Keras 3 keeps these weights in .keras / .weights.h5 files (head_projection.ts). */
  kerasVariableGroups(): Array<[string, Weight[]]> {
    return kerasProjectionGroups(this.projections);
  }


  override computeOutputShape(inputShape: Shape | Shape[], args?: CallArgs): Shape | Shape[] {
    const { query, key } = this.shapes(inputShape);
    const out: Shape = [query[0], query[1], this.outputDim ?? query[2]];
    return args?.returnAttentionScores ? [out, [query[0], this.numHeads, query[1], key[1]]] : out;
  }

  /** The output carries the query's mask. */
  override computeMask(inputs: tfc.Tensor[], mask: MaskArg | undefined): MaskArg {
    void inputs;
    const q = Array.isArray(mask) ? mask[0] : null;
    return q ?? null;
  }

  call(inputs: tfc.Tensor[], ctx: CallContext): tfc.Tensor | tfc.Tensor[] {
    this.shapes(inputs.map((t) => t.shape));
    const [query, value, key = value] = inputs;
    const p = this.projections as NonNullable<MultiHeadAttention['projections']>;
    const mask = callMask(inputs, ctx, `${this.name} (MultiHeadAttention)`);
    const [q, k, v] = [projectHeads(query, p.query), projectHeads(key, p.key), projectHeads(value, p.value)]; // [B, steps, H, size]
    const dropout = { rate: this.dropout, seed: this.seed, training: ctx.training };
    const { scores, heads } = attendSteps(q, k, v, mask, 1 / Math.sqrt(this.keyDim), dropout); // heads [B, T, H, V]
    const output = projectOutput(heads, p.output);
    return ctx.args?.returnAttentionScores ? [output, scores] : output;
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(), numHeads: this.numHeads, keyDim: this.keyDim, valueDim: this.valueDim, dropout: this.dropout, useBias: this.useBias,
      outputShape: this.outputDim, attentionAxes: null, seed: this.seed ?? null, ...this.weightOptions.config(),
    };
  }
}
