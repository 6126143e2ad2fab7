/**
 * Text to numbers, as Keras's TextVectorization: standardize (lowercase, strip punctuation),
 * split into words or characters, optional n-grams, then a StringLookup (index 0 is padding, 1
 * unknown words) giving token ids padded to a length, or multi-hot / count / TF-IDF vectors.
 * Runs on the host; the vocabulary comes from adapt(texts) or is given.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';
import { ApplyOptions, CallContext, Layer, LAYER_KEYS, LayerArgs, LayerConfig } from '../../engine/layer';
import { optionKeys } from '../../engine/options';
import { layerArgs } from '../../engine/positional';
import { Shape, SymbolicTensor } from '../../engine/symbolic_tensor';
import type { LookupOutputMode } from './index_lookup';
import { StringLookup } from './string_lookup';

export type Standardize = 'lower_and_strip_punctuation' | 'lower' | 'strip_punctuation' | null | ((text: string) => string);
export type Split = 'whitespace' | 'character' | null | ((text: string) => string[]);

export interface TextVectorizationArgs extends LayerArgs {
  /** The vocabulary's size, padding and OOV included. Keras: `max_tokens` @default null (no limit) */
  maxTokens?: number | null;
  /**
   * How text is cleaned before splitting ('lower_and_strip_punctuation', 'lower', 'strip_punctuation', null,
   * or a function). Keras: `standardize` @default 'lower_and_strip_punctuation'
   */
  standardize?: Standardize;
  /**
   * How text is cut into tokens ('whitespace', 'character', null, or a function). Keras: `split` @default
   * 'whitespace'
   */
  split?: Split;
  /** Add the n-grams up to this size (or of these sizes), joined by a space. Keras: `ngrams` @default null (none) */
  ngrams?: number | number[] | null;
  /**
   * 'int' (one id per token), or an encoding: 'one_hot', 'multi_hot', 'count', 'tf_idf'. Keras: `output_mode`
   * @default 'int'
   */
  outputMode?: LookupOutputMode;
  /**
   * 'int' output: pad or cut each text to this many ids. Keras: `output_sequence_length`
   * @default null (the longest text of the batch)
   */
  outputSequenceLength?: number | null;
  /** Encoded outputs are maxTokens wide. Keras: `pad_to_max_tokens` @default false */
  padToMaxTokens?: boolean;
  /** The vocabulary, instead of adapt. Keras: `vocabulary` @default undefined (learned by adapt) */
  vocabulary?: string[] | null;
  /**
   * For 'tf_idf' with a given vocabulary: one inverse document frequency per token. Keras: `idf_weights`
   * @default undefined (learned by adapt)
   */
  idfWeights?: number[] | null;
}

// Keras's DEFAULT_STRIP_REGEX: !"#$%&()*+,-./:;<=>?@[\]^_`{|}~'
const PUNCTUATION = /[!"#$%&()*+,\-./:;<=>?@[\\\]^_`{|}~']/g;

export class TextVectorization extends Layer {
  static override readonly optionKeys: readonly string[] = optionKeys<TextVectorizationArgs>()(
    ...LAYER_KEYS, 'maxTokens', 'standardize', 'split', 'ngrams', 'outputMode', 'outputSequenceLength', 'padToMaxTokens', 'vocabulary', 'idfWeights',
  );
  readonly className = 'TextVectorization';
  readonly standardize: Standardize;
  readonly split: Split;
  readonly ngrams: number[] | null;
  readonly outputSequenceLength: number | null;
  readonly lookup: StringLookup;

  static override readonly positional = ['maxTokens'];

  constructor(maxTokens: number | null, options?: Omit<TextVectorizationArgs, 'maxTokens'>);
  constructor(args?: TextVectorizationArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<TextVectorizationArgs>(new.target, given) ?? {};
    const mode = args.outputMode ?? 'int';
    super({ ...args, dtype: mode === 'int' ? 'int32' : args.dtype });
    const owner = `TextVectorization '${this.name}'`;
    this.standardize = args.standardize === undefined ? 'lower_and_strip_punctuation' : args.standardize;
    if (!(this.standardize === null || typeof this.standardize === 'function' || ['lower_and_strip_punctuation', 'lower', 'strip_punctuation'].includes(this.standardize))) {
      throw new ValueError(`${owner}: unknown \`standardize\` ${JSON.stringify(args.standardize)}. help: use 'lower_and_strip_punctuation', 'lower', 'strip_punctuation', null or a function.`);
    }
    this.split = args.split === undefined ? 'whitespace' : args.split;
    if (!(this.split === null || typeof this.split === 'function' || ['whitespace', 'character'].includes(this.split))) {
      throw new ValueError(`${owner}: unknown \`split\` ${JSON.stringify(args.split)}. help: use 'whitespace', 'character', null or a function.`);
    }
    const n = args.ngrams ?? null;
    this.ngrams = n === null ? null : Array.isArray(n) ? n : Array.from({ length: n }, (_, i) => i + 1);
    if (this.ngrams !== null && !this.ngrams.every((g) => Number.isInteger(g) && g > 0)) {
      throw new ValueError(`${owner}: \`ngrams\` must be a positive integer or a list of them, got ${JSON.stringify(n)}. help: e.g. {ngrams: 2}.`);
    }
    this.outputSequenceLength = args.outputSequenceLength ?? null;
    if (this.outputSequenceLength !== null && (mode !== 'int' || !(Number.isInteger(this.outputSequenceLength) && this.outputSequenceLength > 0))) {
      throw new ValueError(`${owner}: \`outputSequenceLength\` must be a positive integer, with outputMode 'int' only; got ${args.outputSequenceLength} with '${mode}'.`);
    }
    this.lookup = new StringLookup({
      name: `${this.name}_lookup`, maxTokens: args.maxTokens, maskToken: '', outputMode: mode, padToMaxTokens: args.padToMaxTokens,
      vocabulary: args.vocabulary ?? undefined, idfWeights: args.idfWeights ?? undefined,
    });
  }

  /** The tokens of one text: standardized, split, with its n-grams. */
  tokenize(text: string): string[] {
    let s = text;
    const std = this.standardize;
    if (std === 'lower' || std === 'lower_and_strip_punctuation') s = s.toLowerCase();
    if (std === 'strip_punctuation' || std === 'lower_and_strip_punctuation') s = s.replace(PUNCTUATION, '');
    if (typeof std === 'function') s = std(s);
    const split = this.split;
    const words = split === null ? [s] : split === 'whitespace' ? s.split(/\s+/).filter((w) => w.length > 0) : split === 'character' ? Array.from(s) : split(s);
    if (this.ngrams === null) return words;
    return this.ngrams.flatMap((n) => Array.from({ length: Math.max(0, words.length - n + 1) }, (_, i) => words.slice(i, i + n).join(' ')));
  }

  private texts(data: tfc.Tensor | string[] | string[][]): string[] {
    const owner = `${this.name} (TextVectorization)`;
    if (data instanceof tfc.Tensor) {
      if (data.dtype !== 'string') throw new ValueError(`${owner}: expects strings, got a ${data.dtype} tensor. help: pass tf.tensor(['some text', ...]) or an array of strings.`);
      if (data.rank > 2 || (data.rank === 2 && data.shape[1] !== 1)) throw new ValueError(`${owner}: expects one text per sample, shape [batch] or [batch, 1], got [${data.shape}].`);
      return data.dataSync() as unknown as string[];
    }
    if (!Array.isArray(data)) throw new ValueError(`${owner}: expects an array of strings or a string tensor, got ${typeof data}.`);
    return (data as unknown[]).flat() as string[];
  }

  /** Learns the vocabulary (and, for 'tf_idf', the document frequencies) from texts. */
  adapt(data: tfc.Tensor | string[] | string[][]): void {
    this.lookup.learn(this.texts(data).map((t) => this.tokenize(t)));
  }

  getVocabulary(includeSpecialTokens = true): string[] {
    return this.lookup.getVocabulary(includeSpecialTokens);
  }

  vocabularySize(): number {
    return this.lookup.vocabularySize();
  }

  setVocabulary(vocabulary: string[], idfWeights?: number[]): void {
    this.lookup.setVocabulary(vocabulary, idfWeights);
  }

  protected override get fixedAxes(): null {
    return null;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const batch = (inputShape as Shape)[0];
    if (this.lookup.outputMode === 'int') return [batch, this.outputSequenceLength];
    return [batch, this.lookup.padToMaxTokens ? this.lookup.maxTokens : this.vocabularySize()];
  }

  /** Texts (a string tensor [batch] or [batch, 1], or an array of strings) to ids [batch, length] or vectors [batch, size]. */
  override apply(inputs: SymbolicTensor | SymbolicTensor[], options?: ApplyOptions): SymbolicTensor;
  override apply(inputs: tfc.Tensor | tfc.Tensor[] | string[], options?: ApplyOptions): tfc.Tensor;
  override apply(inputs: SymbolicTensor | SymbolicTensor[] | tfc.Tensor | tfc.Tensor[] | string[], options: ApplyOptions = {}): SymbolicTensor | tfc.Tensor {
    if (!(Array.isArray(inputs) && typeof inputs[0] === 'string')) return super.apply(inputs as tfc.Tensor, options);
    const x = tfc.tensor(inputs as string[]);
    try {
      return super.apply(x, options);
    } finally {
      x.dispose();
    }
  }

  call(x: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    void ctx;
    const rows = this.texts(x).map((t) => this.tokenize(t));
    if (this.lookup.outputMode !== 'int') {
      return tfc.tidy(() => {
        // Rows differ in length: each is encoded on its own (an empty row encodes to zeros).
        const encoded = rows.map((r) => {
          const ids = tfc.tensor(r.length === 0 ? [''] : r);
          const e = this.lookup.call(ids, { training: false });
          return r.length === 0 ? tfc.zerosLike(e) : e;
        });
        return tfc.stack(encoded);
      });
    }
    const length = this.outputSequenceLength ?? Math.max(0, ...rows.map((r) => r.length));
    const ids = new Int32Array(rows.length * length);
    rows.forEach((r, i) => ids.set(this.lookup.indicesOf(r.slice(0, length)), i * length));
    return tfc.tensor2d(ids, [rows.length, length], 'int32');
  }

  override getConfig(): LayerConfig {
    const fn = (f: unknown): unknown => (typeof f === 'function' ? f.name || 'custom_function' : f);
    return {
      ...super.getConfig(), maxTokens: this.lookup.maxTokens, standardize: fn(this.standardize), split: fn(this.split), ngrams: this.ngrams,
      outputMode: this.lookup.outputMode, outputSequenceLength: this.outputSequenceLength, padToMaxTokens: this.lookup.padToMaxTokens,
      vocabulary: this.getVocabulary(false), idfWeights: this.lookup.idfWeights,
    };
  }
}
