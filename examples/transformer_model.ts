/**
 * The model of examples/transformer_classifier.ts, as Keras's "Text classification with Transformer"
 * example builds it: token + position embedding (ids of 0 are padding and masked) → one transformer
 * block (MultiHeadAttention + dropout + residual + LayerNormalization, then a relu feed-forward
 * network + dropout + residual + LayerNormalization) → GlobalAveragePooling1D over the real tokens
 * (the mask) → dropout → Dense(20, relu) → dropout → Dense(2, softmax). bench/transformer.ts trains
 * the same model against PyTorch.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../src';
import type { CallContext } from '../src/engine/layer';
import type { MaskArg } from '../src/engine/masking';
import type { Weight } from '../src/engine/weight';

/** Keras's example sizes: embedding 32, 2 heads of key size 32, feed-forward 32, dropout 0.1. */
export const TRANSFORMER_SIZES = { dim: 32, heads: 2, ff: 32, rate: 0.1, hidden: 20 };

/** Token embeddings plus learned position embeddings; ids of 0 (padding) are masked. */
export class TokenAndPositionEmbedding extends k.Layer {
  readonly className = 'TokenAndPositionEmbedding';
  override supportsMasking = true;
  private tokens: Weight | null = null;
  private positions: Weight | null = null;

  constructor(
    private readonly vocabulary: number,
    private readonly length: number,
    private readonly dim: number,
  ) {
    super({ name: 'token_and_position_embedding' });
  }

  override build(): void {
    const initializer = new k.initializers.RandomUniform({ minval: -0.05, maxval: 0.05 });
    this.tokens = this.addWeight({ name: 'token_embeddings', shape: [this.vocabulary, this.dim], initializer });
    this.positions = this.addWeight({ name: 'position_embeddings', shape: [this.length, this.dim], initializer });
  }

  protected override get fixedAxes(): null {
    return null;
  }

  override computeOutputShape(shape: k.Shape | k.Shape[]): k.Shape {
    return [...(shape as k.Shape), this.dim];
  }

  override computeMask(inputs: tfc.Tensor | tfc.Tensor[]): MaskArg {
    return tfc.notEqual(inputs as tfc.Tensor, 0);
  }

  call(inputs: tfc.Tensor | tfc.Tensor[], ctx: CallContext): tfc.Tensor {
    void ctx;
    const ids = tfc.cast(inputs as tfc.Tensor, 'int32');
    const steps = ids.shape[1] as number;
    const positions = tfc.slice((this.positions as Weight).value, [0, 0], [steps, this.dim]);
    return tfc.add(tfc.gather((this.tokens as Weight).value, ids), positions);
  }
}

/** Keras's TransformerBlock: attention and a feed-forward network, each with dropout, a residual and layer normalization. */
export function transformerBlock(x: k.SymbolicTensor, dim: number, heads: number, ff: number, rate: number): k.SymbolicTensor {
  const attended = new k.layers.MultiHeadAttention({ numHeads: heads, keyDim: dim }).apply([x, x]);
  const out1 = new k.layers.LayerNormalization({ epsilon: 1e-6 }).apply(new k.layers.Add().apply([x, new k.layers.Dropout({ rate }).apply(attended)]));
  let f = new k.layers.Dense({ units: ff, activation: 'relu' }).apply(out1);
  f = new k.layers.Dense({ units: dim }).apply(f);
  return new k.layers.LayerNormalization({ epsilon: 1e-6 }).apply(new k.layers.Add().apply([out1, new k.layers.Dropout({ rate }).apply(f)]));
}

/** The whole classifier on token ids of `length` steps from a vocabulary of `vocabulary` (0: padding). */
export function transformerClassifier(vocabulary: number, length: number): k.Model {
  const { dim, heads, ff, rate, hidden } = TRANSFORMER_SIZES;
  const inputs = k.Input({ shape: [length] });
  let x = new TokenAndPositionEmbedding(vocabulary, length, dim).apply(inputs);
  x = transformerBlock(x, dim, heads, ff, rate);
  x = new k.layers.GlobalAveragePooling1D().apply(x); // averages the real words only (the mask)
  x = new k.layers.Dropout({ rate }).apply(x);
  x = new k.layers.Dense({ units: hidden, activation: 'relu' }).apply(x);
  x = new k.layers.Dropout({ rate }).apply(x);
  const outputs = new k.layers.Dense({ units: 2, activation: 'softmax' }).apply(x);
  return new k.Model({ inputs, outputs, name: 'transformer_classifier' });
}
