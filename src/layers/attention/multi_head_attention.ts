/**
 * MultiHeadAttention as Keras's (the Transformer's): queries, keys and values projected per head
 * (kernels [dim, heads, keyDim] and biases [heads, keyDim], in Keras's order and shapes, so Keras
 * weights load), scaled dot-product attention with masks, and the heads projected back.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { Constraint, ConstraintIdentifier, getConstraint, serializeConstraint } from '../../constraints';
import { CallArgs } from '../../engine/call_args';
import { ValueError } from '../../engine/errors';
import { ApplyOptions, CallContext, LAYER_KEYS, LayerArgs, LayerConfig } from '../../engine/layer';
import { MaskArg, maskList } from '../../engine/masking';
import { MultiInputLayer } from '../../engine/multi_input_layer';
import { optionKeys } from '../../engine/options';
import { layerArgs } from '../../engine/positional';
import { formatShape, Shape, SymbolicTensor } from '../../engine/symbolic_tensor';
import { Weight } from '../../engine/weight';
import { getInitializer, Initializer, InitializerIdentifier, serializeInitializer } from '../../initializers';
import { allOf, causalMask, maskedSoftmax } from '../../ops/attention';
import { product } from '../../ops/matmul';
import { getRegularizer, Regularizer, RegularizerIdentifier, serializeRegularizer } from '../../regularizers';
import { nextSeed } from '../../utils/random';
import { positiveInt } from '../args';

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

interface Projection {
  kernel: Weight;
  bias: Weight | null;
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
  private readonly kernelInitializer: Initializer;
  private readonly biasInitializer: Initializer;
  private readonly kernelRegularizer: Regularizer | undefined;
  private readonly biasRegularizer: Regularizer | undefined;
  private readonly kernelConstraint: Constraint | undefined;
  private readonly biasConstraint: Constraint | undefined;
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
    this.dropout = args.dropout ?? 0;
    if (!(this.dropout >= 0 && this.dropout < 1)) throw new ValueError(`${owner}: \`dropout\` must be in [0, 1), got ${args.dropout}. help: e.g. {dropout: 0.1}.`);
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
    this.kernelInitializer = getInitializer(args.kernelInitializer ?? 'glorot_uniform', owner);
    this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros', owner);
    this.kernelRegularizer = getRegularizer(args.kernelRegularizer, owner);
    this.biasRegularizer = getRegularizer(args.biasRegularizer, owner);
    this.kernelConstraint = getConstraint(args.kernelConstraint, owner);
    this.biasConstraint = getConstraint(args.biasConstraint, owner);
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
    const list = (Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as Shape[];
    if (list.length < 2 || list.length > 3) {
      throw new ValueError(
        `${this.name} (MultiHeadAttention): apply it to [query, value] or [query, value, key], got ${list.length} input(s). ` +
          'help: for self-attention pass the same tensor twice: mha.apply([x, x]).',
      );
    }
    const [query, value, key = value] = list;
    for (const [what, s] of [['query', query], ['value', value], ['key', key]] as const) {
      if (s.length !== 3 || s[2] === null) {
        throw new ValueError(`${this.name} (MultiHeadAttention): ${what} must be (batch, steps, features) with known features, got ${formatShape(s)}. help: reshape it to rank 3.`);
      }
    }
    if (value[1] !== null && key[1] !== null && value[1] !== key[1]) {
      throw new ValueError(`${this.name} (MultiHeadAttention): value and key must have the same number of steps, got ${formatShape(value)} and ${formatShape(key)}.`);
    }
    return { query, value, key };
  }

  override build(inputShape: Shape | Shape[]): void {
    const { query, value, key } = this.shapes(inputShape);
    const [h, kd, vd] = [this.numHeads, this.keyDim, this.valueDim];
    const dim = (s: Shape): number => s[2] as number;
    const make = (name: string, kernel: number[], bias: number[]): Projection => ({
      kernel: this.addWeight({ name: `${name}/kernel`, shape: kernel, initializer: this.kernelInitializer, regularizer: this.kernelRegularizer, constraint: this.kernelConstraint }),
      bias: this.useBias ? this.addWeight({ name: `${name}/bias`, shape: bias, initializer: this.biasInitializer, regularizer: this.biasRegularizer, constraint: this.biasConstraint }) : null,
    });
    const out = this.outputDim ?? dim(query);
    this.projections = {
      query: make('query', [dim(query), h, kd], [h, kd]),
      key: make('key', [dim(key), h, kd], [h, kd]),
      value: make('value', [dim(value), h, vd], [h, vd]),
      output: make('attention_output', [h, vd, out], [out]),
    };
  }

  /**
   * Where Keras 3 keeps these weights in .keras / .weights.h5 files: in its EinsumDense sublayers
   * `_query_dense`, `_key_dense`, `_value_dense`, `_output_dense` (kernel, then bias).
   */
  kerasVariableGroups(): Array<[string, Weight[]]> {
    const p = this.projections;
    if (p === null) return [];
    const own = (x: Projection): Weight[] => (x.bias === null ? [x.kernel] : [x.kernel, x.bias]);
    return [
      ['_query_dense', own(p.query)],
      ['_key_dense', own(p.key)],
      ['_value_dense', own(p.value)],
      ['_output_dense', own(p.output)],
    ];
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

  /** x [B, N, d] through a [d, heads, size] kernel and [heads, size] bias, as [B, heads, N, size]. */
  private project(x: tfc.Tensor, p: Projection): tfc.Tensor {
    const [b, n, d] = x.shape as number[];
    const [, heads, size] = p.kernel.shape;
    let y = tfc.matMul(tfc.reshape(x, [b * n, d]), tfc.reshape(p.kernel.value, [d, heads * size]));
    if (p.bias) y = tfc.add(y, tfc.reshape(p.bias.value, [heads * size]));
    return tfc.transpose(tfc.reshape(y, [b, n, heads, size]), [0, 2, 1, 3]);
  }

  call(inputs: tfc.Tensor[], ctx: CallContext): tfc.Tensor | tfc.Tensor[] {
    this.shapes(inputs.map((t) => t.shape));
    const [query, value, key = value] = inputs;
    const p = this.projections as NonNullable<MultiHeadAttention['projections']>;
    const args = ctx.args ?? {};
    const [b, t] = query.shape;
    const s = value.shape[1] as number;
    const [qMask, vMask, kMask] = maskList(ctx.mask, 3);
    const given = args.attentionMask as tfc.Tensor | undefined;
    if (given !== undefined && given !== null && !(given.rank === 3 && given.shape[0] === b && given.shape[1] === t && given.shape[2] === s)) {
      throw new ValueError(
        `${this.name} (MultiHeadAttention): attentionMask must be [batch, query steps, key steps] = [${b}, ${t}, ${s}], got [${given.shape}]. ` +
          'help: true where a query step may attend to a key step.',
      );
    }
    const mask = allOf([
      given ?? null,
      qMask ? tfc.expandDims(qMask, 2) : null,
      vMask ? tfc.expandDims(vMask, 1) : null,
      kMask && inputs.length > 2 ? tfc.expandDims(kMask, 1) : null,
      args.useCausalMask ? causalMask(t, s) : null,
    ]);
    const q = tfc.mul(this.project(query, p.query), 1 / Math.sqrt(this.keyDim));
    const k = this.project(key, p.key);
    const v = this.project(value, p.value);
    const scores = maskedSoftmax(product(q, k, false, true), mask ? tfc.expandDims(mask, 1) : null);
    const dropped = ctx.training && this.dropout > 0 ? tfc.dropout(scores, this.dropout, undefined, this.seed ?? nextSeed()) : scores;
    const heads = tfc.transpose(tfc.matMul(dropped, v), [0, 2, 1, 3]); // [B, T, H, V]
    const [h, vd, out] = p.output.kernel.shape;
    let y = tfc.matMul(tfc.reshape(heads, [b * t, h * vd]), tfc.reshape(p.output.kernel.value, [h * vd, out]));
    if (p.output.bias) y = tfc.add(y, p.output.bias.value);
    const output = tfc.reshape(y, [b, t, out]);
    return args.returnAttentionScores ? [output, scores] : output;
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(), numHeads: this.numHeads, keyDim: this.keyDim, valueDim: this.valueDim, dropout: this.dropout, useBias: this.useBias,
      outputShape: this.outputDim, attentionAxes: null, seed: this.seed ?? null,
      kernelInitializer: serializeInitializer(this.kernelInitializer), biasInitializer: serializeInitializer(this.biasInitializer),
      kernelRegularizer: serializeRegularizer(this.kernelRegularizer), biasRegularizer: serializeRegularizer(this.biasRegularizer),
      kernelConstraint: serializeConstraint(this.kernelConstraint), biasConstraint: serializeConstraint(this.biasConstraint),
    };
  }
}
