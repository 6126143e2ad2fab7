/**
 * Keras's Attention (Luong, dot-product) layer: scores = query · key^T (times a learned scale with
 * useScale; or, with scoreMode 'concat', the sum of tanh(query + key)), masked, softmax, times value.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { CallArgs } from '../../engine/call_args';
import { ValueError } from '../../engine/errors';
import { ApplyOptions, CallContext, LAYER_KEYS, LayerArgs, LayerConfig } from '../../engine/layer';
import { MaskArg, maskList } from '../../engine/masking';
import { MultiInputLayer } from '../../engine/multi_input_layer';
import { optionKeys } from '../../engine/options';
import { formatShape, Shape, SymbolicTensor } from '../../engine/symbolic_tensor';
import { Weight } from '../../engine/weight';
import { getInitializer } from '../../initializers';
import { allOf, causalMask } from '../../ops/attention';
import { product } from '../../ops/matmul';
import { nextSeed } from '../../utils/random';
import { oneOf } from '../args';

export interface AttentionArgs extends LayerArgs {
  /**
   * Learn a scale for the scores (a scalar; AdditiveAttention: one per feature). Keras: `use_scale`
   * @default false (AdditiveAttention: true)
   */
  useScale?: boolean;
  /**
   * 'dot': query · key; 'concat': sum(tanh(query + key)) times a learned weight. Keras: `score_mode`
   * @default 'dot'
   */
  scoreMode?: 'dot' | 'concat';
  /** Dropout on the attention probabilities in training. Keras: `dropout` @default 0 */
  dropout?: number;
  /**
   * Seed of the dropout draws, for reproducible runs. Keras: `seed` @default undefined (drawn from
   * k.utils.setRandomSeed's generator)
   */
  seed?: number;
}

export interface AttentionCallOptions extends ApplyOptions {
  /**
   * Also return the attention probabilities [batch, Tq, Tv]: apply returns [output, scores]. Keras:
   * `return_attention_scores` @default false
   */
  returnAttentionScores?: boolean;
  /** Each query step attends only to value steps up to its own. Keras: `use_causal_mask` @default false */
  useCausalMask?: boolean;
}

export class Attention extends MultiInputLayer {
  static override readonly optionKeys: readonly string[] = optionKeys<AttentionArgs>()(...LAYER_KEYS, 'useScale', 'scoreMode', 'dropout', 'seed');
  readonly className: string = 'Attention';
  readonly useScale: boolean;
  readonly scoreMode: 'dot' | 'concat';
  readonly dropout: number;
  readonly seed: number | undefined;
  override supportsMasking = true;
  scale: Weight | null = null;
  concatScoreWeight: Weight | null = null;

  constructor(args: AttentionArgs = {}) {
    super(args);
    const owner = `${new.target.name} '${this.name}'`;
    this.useScale = args.useScale ?? this.defaultUseScale();
    this.scoreMode = oneOf(args.scoreMode, ['dot', 'concat'] as const, 'dot', 'scoreMode', owner);
    this.dropout = args.dropout ?? 0;
    if (!(this.dropout >= 0 && this.dropout < 1)) throw new ValueError(`${owner}: \`dropout\` must be in [0, 1), got ${args.dropout}. help: e.g. {dropout: 0.1}.`);
    this.seed = args.seed;
  }

  protected defaultUseScale(): boolean {
    return false;
  }

  protected override get callOptionKeys(): readonly string[] {
    return ['returnAttentionScores', 'useCausalMask'];
  }

  /** apply([query, value, key?]); with returnAttentionScores it returns [output, scores]. */
  override apply(inputs: SymbolicTensor[], options: AttentionCallOptions & { returnAttentionScores: true }): SymbolicTensor[];
  override apply(inputs: tfc.Tensor[], options: AttentionCallOptions & { returnAttentionScores: true }): tfc.Tensor[];
  override apply(inputs: SymbolicTensor | SymbolicTensor[], options?: AttentionCallOptions): SymbolicTensor;
  override apply(inputs: tfc.Tensor | tfc.Tensor[], options?: AttentionCallOptions): tfc.Tensor;
  override apply(
    inputs: SymbolicTensor | SymbolicTensor[] | tfc.Tensor | tfc.Tensor[],
    options: AttentionCallOptions = {},
  ): SymbolicTensor | tfc.Tensor | SymbolicTensor[] | tfc.Tensor[] {
    return super.apply(inputs as tfc.Tensor[], options);
  }

  protected shapes(inputShape: Shape | Shape[]): Shape[] {
    const list = (Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as Shape[];
    if (list.length < 2 || list.length > 3) {
      throw new ValueError(`${this.name} (${this.className}): apply it to [query, value] or [query, value, key], got ${list.length} input(s). help: e.g. layer.apply([q, v]).`);
    }
    const [q, v, k = v] = list;
    if (q.length !== 3 || v.length !== 3 || k.length !== 3 || q[2] !== k[2] || (v[1] !== null && k[1] !== null && v[1] !== k[1])) {
      throw new ValueError(
        `${this.name} (${this.className}): query, value and key must be (batch, steps, dim), query and key of the same dim and value and key of the same steps; ` +
          `got ${list.map(formatShape).join(', ')}. help: project them to matching sizes, e.g. with Dense.`,
      );
    }
    return [q, v, k];
  }

  override build(inputShape: Shape | Shape[]): void {
    this.shapes(inputShape);
    if (this.useScale) this.scale = this.addWeight({ name: 'scale', shape: [], initializer: getInitializer('ones', this.name) });
    if (this.scoreMode === 'concat') this.concatScoreWeight = this.addWeight({ name: 'concat_score_weight', shape: [], initializer: getInitializer('ones', this.name) });
  }

  override computeOutputShape(inputShape: Shape | Shape[], args?: CallArgs): Shape | Shape[] {
    const [q, v, k] = this.shapes(inputShape);
    const out: Shape = [q[0], q[1], v[2]];
    return args?.returnAttentionScores ? [out, [q[0], q[1], k[1]]] : out;
  }

  override computeMask(inputs: tfc.Tensor[], mask: MaskArg | undefined): MaskArg {
    void inputs;
    return Array.isArray(mask) ? (mask[0] ?? null) : null;
  }

  /** The scores [B, Tq, Tv] of query [B, Tq, d] against key [B, Tv, d]. */
  protected scores(query: tfc.Tensor, key: tfc.Tensor): tfc.Tensor {
    if (this.scoreMode === 'dot') {
      const s = product(query, key, false, true);
      return this.scale ? tfc.mul(s, this.scale.value) : s;
    }
    let sum = tfc.add(tfc.expandDims(query, 2), tfc.expandDims(key, 1));
    if (this.scale) sum = tfc.mul(sum, this.scale.value);
    return tfc.mul(tfc.sum(tfc.tanh(sum), -1), (this.concatScoreWeight as Weight).value);
  }

  call(inputs: tfc.Tensor[], ctx: CallContext): tfc.Tensor | tfc.Tensor[] {
    this.shapes(inputs.map((t) => t.shape));
    const [query, value, key = value] = inputs;
    const [qMask, vMask] = maskList(ctx.mask, 2);
    let scores = this.scores(query, key);
    const [tq, tv] = [query.shape[1] as number, key.shape[1] as number];
    const keep = allOf([vMask ? tfc.expandDims(vMask, 1) : null, ctx.args?.useCausalMask ? causalMask(tq, tv) : null]);
    // As Keras: masked scores are lowered by 1e9 (not replaced), then softmax.
    if (keep) scores = tfc.where(tfc.logicalAnd(keep, tfc.ones(scores.shape, 'bool')), scores, tfc.sub(scores, 1e9));
    const weights = tfc.softmax(scores);
    const dropped = ctx.training && this.dropout > 0 ? tfc.dropout(weights, this.dropout, undefined, this.seed ?? nextSeed()) : weights;
    let output = tfc.matMul(dropped, value);
    if (qMask) output = tfc.mul(output, tfc.expandDims(tfc.cast(qMask, 'float32'), 2));
    return ctx.args?.returnAttentionScores ? [output, weights] : output;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), useScale: this.useScale, scoreMode: this.scoreMode, dropout: this.dropout, seed: this.seed ?? null };
  }
}
