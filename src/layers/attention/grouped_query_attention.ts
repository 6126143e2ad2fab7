/**
 * GroupQueryAttention, as Keras's: queries in `numQueryHeads` heads, keys and values in fewer
 * `numKeyValueHeads` heads, each shared by numQueryHeads / numKeyValueHeads consecutive query heads
 * (Keras's `repeat` on the heads axis). Weights in Keras's order and shapes: query [dim, Hq, headDim],
 * key and value [dim, Hkv, headDim] (each with a [heads, headDim] bias), the sigmoid gate (useGate,
 * between key and value, as Keras builds it) and attention_output [Hq, headDim, dim] with a [dim]
 * bias. Masks: the inputs', attentionMask, useCausalMask and slidingWindow (|i - j| < window).
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
import { formatShape, Shape, SymbolicTensor } from '../../engine/symbolic_tensor';
import { Weight } from '../../engine/weight';
import { InitializerIdentifier } from '../../initializers';
import { RegularizerIdentifier } from '../../regularizers';
import { positiveInt } from '../args';
import { attend, attentionInputs, callMask, checkDropout, checkSameSteps, kerasProjectionGroups, Projection, projectHeads, ProjectionWeights, projectOutput, swapStepsAndHeads } from './head_projection';
import type { MultiHeadAttentionCallOptions } from './multi_head_attention';

export interface GroupQueryAttentionArgs extends LayerArgs {
  /** Size of each attention head. Keras: `head_dim` */
  headDim: number;
  /** Number of query heads. Keras: `num_query_heads` */
  numQueryHeads: number;
  /** Number of key and value heads; must divide numQueryHeads. Keras: `num_key_value_heads` */
  numKeyValueHeads: number;
  /** Dropout on the attention probabilities in training. Keras: `dropout` @default 0 */
  dropout?: number;
  /** Whether the projections add biases. Keras: `use_bias` @default true */
  useBias?: boolean;
  /** Each query step attends only to key steps less than this far from it. Keras: `sliding_window` @default null (no window) */
  slidingWindow?: number | null;
  /** Accepted for Keras compatibility: the attention is computed the same way either way. Keras: `flash_attention` @default null */
  flashAttention?: boolean | null;
  /** Multiply the heads by sigmoid(a projection of the query) before the output projection. Keras: `use_gate` @default false */
  useGate?: boolean;
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
  /** Seed of the dropout draws. Keras: `seed` @default undefined (drawn from k.utils.setRandomSeed's generator) */
  seed?: number;
}

type Projections = Record<'query' | 'key' | 'value' | 'output', Projection> & { gate: Projection | null };

export class GroupQueryAttention extends MultiInputLayer {
  static override readonly optionKeys: readonly string[] = optionKeys<GroupQueryAttentionArgs>()(
    ...LAYER_KEYS, 'headDim', 'numQueryHeads', 'numKeyValueHeads', 'dropout', 'useBias', 'slidingWindow', 'flashAttention', 'useGate',
    'kernelInitializer', 'biasInitializer', 'kernelRegularizer', 'biasRegularizer', 'kernelConstraint', 'biasConstraint', 'seed',
  );
  readonly className = 'GroupQueryAttention';
  readonly headDim: number;
  readonly numQueryHeads: number;
  readonly numKeyValueHeads: number;
  readonly dropout: number;
  readonly useBias: boolean;
  readonly slidingWindow: number | null;
  readonly useGate: boolean;
  readonly seed: number | undefined;
  private readonly weightOptions: ProjectionWeights;
  override supportsMasking = true;
  private projections: Projections | null = null;

  static override readonly positional = ['headDim', 'numQueryHeads', 'numKeyValueHeads'];

  constructor(headDim: number, numQueryHeads: number, numKeyValueHeads: number, options?: Omit<GroupQueryAttentionArgs, 'headDim' | 'numQueryHeads' | 'numKeyValueHeads'>);
  constructor(args: GroupQueryAttentionArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<GroupQueryAttentionArgs>(new.target, given);
    super(args);
    const owner = `GroupQueryAttention '${this.name}'`;
    this.headDim = positiveInt(args?.headDim, 'headDim', owner, 64);
    this.numQueryHeads = positiveInt(args.numQueryHeads, 'numQueryHeads', owner, 8);
    this.numKeyValueHeads = positiveInt(args.numKeyValueHeads, 'numKeyValueHeads', owner, 2);
    if (this.numQueryHeads % this.numKeyValueHeads !== 0) {
      throw new ValueError(
        `${owner}: \`numQueryHeads\` (${this.numQueryHeads}) must be a multiple of \`numKeyValueHeads\` (${this.numKeyValueHeads}). help: e.g. {numQueryHeads: ${2 * this.numKeyValueHeads}, numKeyValueHeads: ${this.numKeyValueHeads}}.`,
      );
    }
    this.dropout = checkDropout(args.dropout, owner);
    this.useBias = args.useBias ?? true;
    this.useGate = args.useGate ?? false;
    this.slidingWindow = args.slidingWindow === undefined || args.slidingWindow === null ? null : positiveInt(args.slidingWindow, 'slidingWindow', owner, 128);
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
  override apply(inputs: SymbolicTensor | SymbolicTensor[] | tfc.Tensor | tfc.Tensor[], options: ApplyOptions & Record<string, unknown> = {}): SymbolicTensor | tfc.Tensor | SymbolicTensor[] | tfc.Tensor[] {
    return super.apply(inputs as tfc.Tensor[], options);
  }

  protected override get fixedAxes(): number[] {
    return [-1];
  }

  private shapes(inputShape: Shape | Shape[]): { query: Shape; value: Shape; key: Shape } {
    const owner = `${this.name} (GroupQueryAttention)`;
    const { query, value, key } = attentionInputs(inputShape, owner, 'gqa');
    if (query[2] !== value[2]) {
      throw new ValueError(`${owner}: the query and value must have the same last dimension, got ${formatShape(query)} and ${formatShape(value)}. help: project one of them first (e.g. a Dense).`);
    }
    checkSameSteps(value, key, owner);
    return { query, value, key };
  }

  override build(inputShape: Shape | Shape[]): void {
    const { query, value, key } = this.shapes(inputShape);
    const [hq, hkv, hd] = [this.numQueryHeads, this.numKeyValueHeads, this.headDim];
    const make = (name: string, kernel: number[], bias: number[]): Projection => this.weightOptions.make((a) => this.addWeight(a), name, kernel, bias);
    const dim = query[2] as number;
    const q = make('query', [dim, hq, hd], [hq, hd]);
    const k = make('key', [key[2] as number, hkv, hd], [hkv, hd]);
    const gate = this.useGate ? make('gate', [dim, hq, hd], [hq, hd]) : null;
    const v = make('value', [value[2] as number, hkv, hd], [hkv, hd]);
    this.projections = { query: q, key: k, gate, value: v, output: make('attention_output', [hq, hd, dim], [dim]) };
  }

  /** Where Keras 3 keeps these weights in .keras / .weights.h5 files (head_projection.ts). */
  kerasVariableGroups(): Array<[string, Weight[]]> {
    return kerasProjectionGroups(this.projections);
  }


  override computeOutputShape(inputShape: Shape | Shape[], args?: CallArgs): Shape | Shape[] {
    const { query, key } = this.shapes(inputShape);
    return args?.returnAttentionScores ? [query, [query[0], this.numQueryHeads, query[1], key[1]]] : query;
  }

  override computeMask(inputs: tfc.Tensor[], mask: MaskArg | undefined): MaskArg {
    void inputs;
    return (Array.isArray(mask) ? mask[0] : null) ?? null;
  }

  /** [B, Hkv, S, hd] -> [B, Hq, S, hd]: each key/value head repeated for its group of query heads. */
  private repeatHeads(x: tfc.Tensor): tfc.Tensor {
    const r = this.numQueryHeads / this.numKeyValueHeads;
    if (r === 1) return x;
    const heads = Array.from({ length: this.numQueryHeads }, (_, u) => Math.floor(u / r));
    return tfc.gather(x, tfc.tensor1d(heads, 'int32'), 1);
  }

  /** [1, T, S]: true where |i - j| < slidingWindow. */
  private windowMask(t: number, s: number): tfc.Tensor {
    const distance = tfc.abs(tfc.sub(tfc.expandDims(tfc.range(0, t, 1, 'int32'), 1), tfc.expandDims(tfc.range(0, s, 1, 'int32'), 0)));
    return tfc.expandDims(tfc.less(distance, this.slidingWindow as number), 0);
  }

  call(inputs: tfc.Tensor[], ctx: CallContext): tfc.Tensor | tfc.Tensor[] {
    this.shapes(inputs.map((t) => t.shape));
    const [query, value, key = value] = inputs;
    const p = this.projections as Projections;
    const window = this.slidingWindow !== null ? this.windowMask(query.shape[1] as number, value.shape[1] as number) : null;
    const mask = callMask(inputs, ctx, `${this.name} (GroupQueryAttention)`, window);
    const q = tfc.mul(swapStepsAndHeads(projectHeads(query, p.query)), 1 / Math.sqrt(this.headDim));
    const k = this.repeatHeads(swapStepsAndHeads(projectHeads(key, p.key)));
    const v = this.repeatHeads(swapStepsAndHeads(projectHeads(value, p.value)));
    const attended = attend(q, k, v, mask, { rate: this.dropout, seed: this.seed, training: ctx.training });
    let heads = attended.heads; // [B, T, Hq, hd]
    if (p.gate) heads = tfc.mul(heads, tfc.sigmoid(projectHeads(query, p.gate)));
    const output = projectOutput(heads, p.output);
    return ctx.args?.returnAttentionScores ? [output, attended.scores] : output;
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(), headDim: this.headDim, numQueryHeads: this.numQueryHeads, numKeyValueHeads: this.numKeyValueHeads,
      useBias: this.useBias, useGate: this.useGate, slidingWindow: this.slidingWindow, dropout: this.dropout, seed: this.seed ?? null,
      ...this.weightOptions.config(),
    };
  }
}
