/**
 * What StringLookup and IntegerLookup share, as Keras's IndexLookup: a vocabulary (given, or
 * learned by adapt: the most frequent tokens first, ties by token, descending), the mask and OOV
 * indices before it, and the output as indices or encoded vectors. The lookup runs on the host
 * (a Map): tfjs has no hash-table kernel.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';
import { CallContext, Layer, LayerArgs, LayerConfig } from '../../engine/layer';
import { Shape } from '../../engine/symbolic_tensor';
import { oneOf } from '../args';
import { AdaptData, adaptBatches } from './adapt_data';
import { EncodeMode, encodedShape, encodeIds } from './encode';

export type LookupOutputMode = 'int' | EncodeMode;
const MODES: readonly LookupOutputMode[] = ['int', 'one_hot', 'multi_hot', 'count', 'tf_idf'];

export interface IndexLookupArgs<T> extends LayerArgs {
  /**
   * The most tokens in the vocabulary, mask and OOV indices included. Keras: `max_tokens` @default null (no limit)
   */
  maxTokens?: number | null;
  /** How many indices unknown tokens share (0: unknown tokens are an error). Keras: `num_oov_indices` @default 1 */
  numOovIndices?: number;
  /** The token that means padding: index 0 in 'int' output. Keras: `mask_token` @default null (none) */
  maskToken?: T | null;
  /**
   * The token the OOV indices stand for in getVocabulary(). Keras: `oov_token` @default '[UNK]' (StringLookup),
   * -1 (IntegerLookup)
   */
  oovToken?: T;
  /**
   * The vocabulary, instead of adapt (without the mask and OOV tokens, or starting with them). Keras:
   * `vocabulary` @default undefined (learned by adapt)
   */
  vocabulary?: T[] | null;
  /**
   * With outputMode 'tf_idf' and a given vocabulary: one inverse document frequency per token. Keras:
   * `idf_weights` @default undefined (learned by adapt)
   */
  idfWeights?: number[] | null;
  /** Map indices back to tokens. Keras: `invert` @default false */
  invert?: boolean;
  /**
   * 'int' (one index per token), or an encoding: 'one_hot', 'multi_hot', 'count', 'tf_idf'. Keras: `output_mode`
   * @default 'int'
   */
  outputMode?: LookupOutputMode;
  /**
   * Encoded outputs are maxTokens wide, whatever the vocabulary's size. Keras: `pad_to_max_tokens`
   * @default false
   */
  padToMaxTokens?: boolean;
}

function sortedByCount<T extends string | number>(counts: Map<T, number>): T[] {
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? 1 : a[0] > b[0] ? -1 : 0)).map(([t]) => t);
}

export abstract class IndexLookup<T extends string | number> extends Layer {
  readonly maxTokens: number | null;
  readonly numOovIndices: number;
  readonly maskToken: T | null;
  readonly oovToken: T;
  readonly invert: boolean;
  readonly outputMode: LookupOutputMode;
  readonly padToMaxTokens: boolean;
  private tokens: T[] = [];
  private table = new Map<T, number>();
  private idf: number[] | null = null;
  protected abstract readonly tokenType: 'string' | 'int32';

  constructor(args: IndexLookupArgs<T>, defaultOov: T) {
    super({ ...args, dtype: (args.outputMode ?? 'int') === 'int' && !args.invert ? 'int32' : args.dtype });
    const owner = `${new.target.name} '${this.name}'`;
    this.maxTokens = args.maxTokens ?? null;
    if (this.maxTokens !== null && !(Number.isInteger(this.maxTokens) && this.maxTokens > 1)) {
      throw new ValueError(`${owner}: \`maxTokens\` must be an integer above 1, got ${args.maxTokens}. help: e.g. {maxTokens: 20000}.`);
    }
    this.numOovIndices = args.numOovIndices ?? 1;
    if (!(Number.isInteger(this.numOovIndices) && this.numOovIndices >= 0)) {
      throw new ValueError(`${owner}: \`numOovIndices\` must be a non-negative integer, got ${args.numOovIndices}.`);
    }
    this.maskToken = args.maskToken ?? null;
    this.oovToken = args.oovToken ?? defaultOov;
    this.invert = args.invert ?? false;
    this.outputMode = oneOf(args.outputMode, MODES, 'int', 'outputMode', owner);
    if (this.invert && this.outputMode !== 'int') throw new ValueError(`${owner}: invert works with outputMode 'int' only, got '${this.outputMode}'.`);
    this.padToMaxTokens = args.padToMaxTokens ?? false;
    if (this.padToMaxTokens && this.maxTokens === null) throw new ValueError(`${owner}: padToMaxTokens needs maxTokens. help: e.g. {maxTokens: 1000, padToMaxTokens: true}.`);
    if (args.idfWeights && this.outputMode !== 'tf_idf') throw new ValueError(`${owner}: idfWeights are for outputMode 'tf_idf', got '${this.outputMode}'.`);
    if (args.vocabulary) this.setVocabulary(args.vocabulary, args.idfWeights ?? undefined);
    else if (args.idfWeights) throw new ValueError(`${owner}: idfWeights need a vocabulary. help: give {vocabulary, idfWeights}, or adapt.`);
  }

  /** Where the OOV indices start: after the mask index, which only 'int' output has. */
  private get oovStart(): number {
    return this.maskToken !== null && this.outputMode === 'int' ? 1 : 0;
  }

  private get tokenStart(): number {
    return this.oovStart + this.numOovIndices;
  }

  /** The vocabulary, mask and OOV tokens first (their indices are the output's). */
  getVocabulary(includeSpecialTokens = true): T[] {
    if (!includeSpecialTokens) return [...this.tokens];
    return [...(this.oovStart ? [this.maskToken as T] : []), ...new Array<T>(this.numOovIndices).fill(this.oovToken), ...this.tokens];
  }

  vocabularySize(): number {
    return this.tokenStart + this.tokens.length;
  }

  /** The inverse document frequencies (outputMode 'tf_idf'), OOV and mask indices included. */
  get idfWeights(): number[] | null {
    return this.idf === null ? null : [...this.idf];
  }

  /** Sets the vocabulary (a list given with or without the leading mask and OOV tokens) and, for 'tf_idf', its weights. */
  setVocabulary(vocabulary: T[], idfWeights?: number[]): void {
    const owner = `${this.name} (${this.className})`;
    if (!Array.isArray(vocabulary)) throw new ValueError(`${owner}: the vocabulary must be an array of tokens, got ${typeof vocabulary}.`);
    const special = this.getVocabulary().slice(0, this.tokenStart);
    const tokens = special.length > 0 && special.every((t, i) => vocabulary[i] === t) ? vocabulary.slice(special.length) : [...vocabulary];
    const seen = new Set<T>();
    for (const t of tokens) {
      if (seen.has(t)) throw new ValueError(`${owner}: the vocabulary holds '${String(t)}' twice. help: give each token once.`);
      if (t === this.maskToken || t === this.oovToken) throw new ValueError(`${owner}: the vocabulary holds the ${t === this.maskToken ? 'mask' : 'OOV'} token '${String(t)}' among the tokens. help: leave it out (or put the special tokens first).`);
      seen.add(t);
    }
    if (this.maxTokens !== null && tokens.length + this.tokenStart > this.maxTokens) {
      throw new ValueError(`${owner}: the vocabulary has ${tokens.length + this.tokenStart} entries with the special tokens, more than maxTokens ${this.maxTokens}.`);
    }
    if (this.outputMode === 'tf_idf') {
      if (idfWeights === undefined) throw new ValueError(`${owner}: outputMode 'tf_idf' needs idfWeights with the vocabulary (one per token). help: or adapt on data.`);
      if (idfWeights.length !== tokens.length && idfWeights.length !== tokens.length + this.tokenStart) {
        throw new ValueError(`${owner}: got ${idfWeights.length} idfWeights for ${tokens.length} tokens. help: give one per token.`);
      }
      const mean = idfWeights.reduce((a, b) => a + b, 0) / Math.max(idfWeights.length, 1);
      this.idf = idfWeights.length === tokens.length ? [...new Array<number>(this.tokenStart).fill(mean), ...idfWeights] : [...idfWeights];
    }
    this.tokens = tokens;
    this.table = new Map(tokens.map((t, i) => [t, this.tokenStart + i]));
  }

  /** Learns the vocabulary from data: each token's count (and, for 'tf_idf', how many rows hold it). */
  adapt(data: AdaptData | T[] | T[][]): void {
    const rows = tfc.tidy(() => adaptBatches(data as AdaptData, `${this.name} (${this.className}).adapt`, this.tokenType).flatMap((b) => this.rowsOf(b)));
    this.learn(rows);
  }

  /** Learns the vocabulary from rows of tokens (TextVectorization calls this with its token lists). */
  learn(rows: T[][]): void {
    const counts = new Map<T, number>();
    const docs = new Map<T, number>();
    for (const row of rows) {
      for (const t of row) counts.set(t, (counts.get(t) ?? 0) + 1);
      for (const t of new Set(row)) docs.set(t, (docs.get(t) ?? 0) + 1);
    }
    if (this.maskToken !== null) counts.delete(this.maskToken);
    counts.delete(this.oovToken);
    let tokens = sortedByCount(counts);
    if (this.maxTokens !== null) tokens = tokens.slice(0, Math.max(0, this.maxTokens - this.tokenStart));
    // Keras: idf = log(1 + documents / (1 + documents holding the token)); OOV gets the mean.
    const idf = this.outputMode === 'tf_idf' ? tokens.map((t) => Math.log(1 + rows.length / (1 + (docs.get(t) ?? 0)))) : undefined;
    this.tokens = [];
    this.setVocabulary(tokens, idf);
  }

  /** The rows of a batch: [B, N] gives B rows; [N] one. */
  private rowsOf(batch: tfc.Tensor): T[][] {
    const values = Array.from(batch.dataSync() as unknown as ArrayLike<T>);
    if (batch.rank <= 1) return [values];
    const width = batch.shape[batch.rank - 1];
    return Array.from({ length: values.length / width }, (_, r) => values.slice(r * width, (r + 1) * width));
  }

  /** The index of each token. */
  indicesOf(tokens: ArrayLike<T>): Int32Array {
    const out = new Int32Array(tokens.length);
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      const hit = t === this.maskToken && this.oovStart === 1 ? 0 : this.table.get(t);
      if (hit !== undefined) out[i] = hit;
      else if (this.numOovIndices === 0) {
        throw new ValueError(`${this.name} (${this.className}): '${String(t)}' is not in the vocabulary and numOovIndices is 0. help: set numOovIndices: 1 to map unknown tokens to an OOV index.`);
      } else out[i] = this.oovStart + this.oovIndex(t);
    }
    return out;
  }

  /** Which of the OOV indices an unknown token takes (Keras: the integer modulo the count; strings: 0). */
  protected oovIndex(token: T): number {
    void token;
    return 0;
  }

  protected override get fixedAxes(): null {
    return null;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const depth = this.padToMaxTokens ? (this.maxTokens as number) : this.vocabularySize();
    return encodedShape(inputShape as Shape, this.outputMode, depth);
  }

  call(x: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    void ctx;
    if (this.invert) {
      const vocab = this.getVocabulary();
      const tokens = Array.from(x.dataSync()).map((i) => vocab[i] ?? this.oovToken);
      return tfc.tensor(tokens as never, x.shape, this.tokenType);
    }
    const ids = tfc.tensor(this.indicesOf(x.dataSync() as unknown as ArrayLike<T>), x.shape, 'int32');
    if (this.outputMode === 'int') return ids;
    const depth = this.padToMaxTokens ? (this.maxTokens as number) : this.vocabularySize();
    const idf = this.idf ? tfc.tensor1d([...this.idf, ...new Array<number>(Math.max(0, depth - this.idf.length)).fill(0)].slice(0, depth)) : undefined;
    return encodeIds(ids, this.outputMode, depth, `${this.name} (${this.className})`, idf);
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(), maxTokens: this.maxTokens, numOovIndices: this.numOovIndices, maskToken: this.maskToken, oovToken: this.oovToken,
      vocabulary: this.getVocabulary(false), idfWeights: this.idf, invert: this.invert, outputMode: this.outputMode, padToMaxTokens: this.padToMaxTokens,
    };
  }
}
