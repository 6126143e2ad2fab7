/**
 * ReversibleEmbedding, as Keras's: an Embedding that also runs in reverse, `apply(h, {reverse:
 * true})`: hidden states (..., outputDim) times the transposed embeddings (tieWeights) or a
 * reverse_embeddings matrix [outputDim, inputDim] of its own, giving logits (..., inputDim),
 * optionally soft-capped as cap · tanh(logits / cap) (logitSoftCap). A language model's input
 * embedding and output projection in one layer.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { CallArgs } from '../engine/call_args';
import { ValueError } from '../engine/errors';
import { CallContext, LayerConfig } from '../engine/layer';
import type { MaskArg } from '../engine/masking';
import { optionKeys } from '../engine/options';
import { layerArgs } from '../engine/positional';
import { Shape } from '../engine/symbolic_tensor';
import { Weight } from '../engine/weight';
import { Embedding, EMBEDDING_KEYS, EmbeddingArgs } from './embedding';

export interface ReversibleEmbeddingArgs extends EmbeddingArgs {
  /** Reverse with the transposed embeddings (true) or a reverse_embeddings weight of its own. Keras: `tie_weights` @default true */
  tieWeights?: boolean;
  /** Accepted for Keras compatibility: only 'float32' (tfjs computes in float32). Keras: `reverse_dtype` @default null */
  reverseDtype?: 'float32' | null;
  /** Soft cap of the reverse logits: cap · tanh(logits / cap). Keras: `logit_soft_cap` @default null (none) */
  logitSoftCap?: number | null;
}

/** The options of one call. */
export interface ReversibleEmbeddingCallOptions {
  /** Project hidden states back to logits over the vocabulary instead of embedding ids. Keras: `reverse` @default false */
  reverse?: boolean;
}

export class ReversibleEmbedding extends Embedding {
  static override readonly optionKeys: readonly string[] = optionKeys<ReversibleEmbeddingArgs>()(...EMBEDDING_KEYS, 'tieWeights', 'reverseDtype', 'logitSoftCap');
  override readonly className: string = 'ReversibleEmbedding';
  readonly tieWeights: boolean;
  readonly reverseDtype: 'float32' | null;
  readonly logitSoftCap: number | null;
  reverseEmbeddings: Weight | null = null;
  /** Whether the call being run reverses (its output carries no mask then). */
  private reversing = false;

  constructor(inputDim: number, outputDim: number, options?: Omit<ReversibleEmbeddingArgs, 'inputDim' | 'outputDim'>);
  constructor(args: ReversibleEmbeddingArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<ReversibleEmbeddingArgs>(new.target, given);
    const { tieWeights, reverseDtype, logitSoftCap, ...embedding } = args ?? ({} as ReversibleEmbeddingArgs);
    super(embedding as EmbeddingArgs);
    const owner = `ReversibleEmbedding '${this.name}'`;
    this.tieWeights = tieWeights ?? true;
    this.reverseDtype = reverseDtype ?? null;
    if (this.reverseDtype !== null && this.reverseDtype !== 'float32') {
      throw new ValueError(`${owner}: \`reverseDtype\` '${String(reverseDtype)}' is not supported; tfjs computes in float32. help: leave reverseDtype out.`);
    }
    this.logitSoftCap = logitSoftCap ?? null;
    if (this.logitSoftCap !== null && !(this.logitSoftCap > 0)) throw new ValueError(`${owner}: \`logitSoftCap\` must be a positive number, got ${String(logitSoftCap)}. help: e.g. {logitSoftCap: 30}.`);
  }

  protected override get callOptionKeys(): readonly string[] {
    return ['reverse'];
  }

  override build(): void {
    super.build();
    if (!this.tieWeights) {
      this.reverseEmbeddings = this.addWeight({ name: 'reverse_embeddings', shape: [this.outputDim, this.inputDim], initializer: this.initializer });
    }
  }

  override call(x: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    this.reversing = ctx.args?.reverse === true;
    if (!this.reversing) return super.call(x, ctx);
    const kernel = this.tieWeights ? tfc.transpose((this.embeddings as Weight).value) : (this.reverseEmbeddings as Weight).value;
    const [rows, width] = [x.size / this.outputDim, this.outputDim];
    if (x.shape[x.rank - 1] !== width) {
      throw new ValueError(`${this.name} (ReversibleEmbedding): reverse takes hidden states whose last axis is outputDim = ${width}, got [${x.shape}]. help: apply it to the model's last hidden states.`);
    }
    let logits = tfc.reshape(tfc.matMul(tfc.reshape(x, [rows, width]), kernel), [...x.shape.slice(0, -1), this.inputDim]);
    if (this.logitSoftCap !== null) logits = tfc.mul(tfc.tanh(tfc.div(logits, this.logitSoftCap)), this.logitSoftCap);
    return logits;
  }

  override computeOutputShape(inputShape: Shape | Shape[], args?: CallArgs): Shape {
    const shape = inputShape as Shape;
    return args?.reverse ? [...shape.slice(0, -1), this.inputDim] : [...shape, this.outputDim];
  }

  override computeMask(x: tfc.Tensor): MaskArg {
    return this.reversing ? null : super.computeMask(x);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), tieWeights: this.tieWeights, reverseDtype: this.reverseDtype, logitSoftCap: this.logitSoftCap };
  }
}
