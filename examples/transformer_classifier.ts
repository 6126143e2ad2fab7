/**
 * A small Transformer classifies generated reviews as positive or negative, as Keras's "Text
 * classification with Transformer" example: TextVectorization → token + position embedding (a
 * custom layer, with a padding mask) → MultiHeadAttention + residual + LayerNormalization →
 * feed-forward + residual + LayerNormalization → GlobalAveragePooling1D → Dense → softmax.
 *
 * The reviews are generated: a sentiment word ("good", "awful", ...) whose meaning a "not" right
 * before it flips, among filler words and a second "not" elsewhere that changes nothing, so
 * counting words cannot tell the classes apart: the model has to look at word order.
 *
 *   npx ts-node examples/transformer_classifier.ts [--backend wasm] [--samples 12000] [--epochs 5]
 *                                                  [--batch-size 32] [--lr 0.001] [--seed 1]
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../src';
import type { CallContext } from '../src/engine/layer';
import type { MaskArg } from '../src/engine/masking';
import type { Weight } from '../src/engine/weight';
import { parseFlags } from './args';

const POSITIVE = ['good', 'great', 'fine', 'lovely', 'superb', 'pleasant', 'enjoyable', 'brilliant'];
const NEGATIVE = ['bad', 'awful', 'poor', 'boring', 'dull', 'terrible', 'weak', 'clumsy'];
const SUBJECTS = ['the movie', 'this film', 'the plot', 'the acting', 'the soundtrack', 'the ending', 'the cast', 'the script'];
const FILLER = ['honestly', 'i think', 'to be fair', 'overall', 'in my view', 'frankly', 'sadly', 'luckily', 'after all', 'for me'];
const DISTRACTORS = ['i did not expect this', 'not everyone will agree', 'i was not alone', 'it is not long', ''];

function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Reviews and labels (1: positive). The label is the sentiment word's, flipped by a "not" just before it. */
function reviews(count: number, seed: number): { texts: string[]; labels: number[] } {
  const rand = generator(seed);
  const pick = <T>(list: T[]): T => list[Math.floor(rand() * list.length)];
  const texts: string[] = [];
  const labels: number[] = [];
  for (let i = 0; i < count; i++) {
    const positive = rand() < 0.5;
    const negated = rand() < 0.5;
    const core = `${pick(SUBJECTS)} was ${negated ? 'not ' : ''}${rand() < 0.3 ? 'very ' : ''}${pick(positive ? POSITIVE : NEGATIVE)}`;
    const parts = [pick(FILLER), core, pick(DISTRACTORS)];
    if (rand() < 0.5) parts.reverse();
    texts.push(`${parts.filter((p) => p.length > 0).join(', ')}.`);
    labels.push(positive !== negated ? 1 : 0);
  }
  return { texts, labels };
}

/** Token embeddings plus learned position embeddings; ids of 0 (padding) are masked. */
class TokenAndPositionEmbedding extends k.Layer {
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
function transformerBlock(x: k.SymbolicTensor, dim: number, heads: number, ff: number, rate: number): k.SymbolicTensor {
  const attended = new k.layers.MultiHeadAttention({ numHeads: heads, keyDim: dim }).apply([x, x]);
  const out1 = new k.layers.LayerNormalization({ epsilon: 1e-6 }).apply(new k.layers.Add().apply([x, new k.layers.Dropout({ rate }).apply(attended)]));
  let f = new k.layers.Dense({ units: ff, activation: 'relu' }).apply(out1);
  f = new k.layers.Dense({ units: dim }).apply(f);
  return new k.layers.LayerNormalization({ epsilon: 1e-6 }).apply(new k.layers.Add().apply([out1, new k.layers.Dropout({ rate }).apply(f)]));
}

async function main(): Promise<void> {
  const flags = parseFlags({ backend: 'wasm', samples: 12000, epochs: 5, 'batch-size': 32, lr: 0.001, seed: 1 });
  await k.setBackend(flags.backend as k.BackendName);
  k.utils.setRandomSeed(flags.seed);
  const train = reviews(flags.samples, flags.seed);
  const test = reviews(2000, flags.seed + 1000);
  console.log(`Backend: ${k.getBackend()}. ${train.texts.length} generated reviews to train, ${test.texts.length} to test, e.g.:`);
  for (let i = 0; i < 3; i++) console.log(`  "${train.texts[i]}" -> ${train.labels[i] ? 'positive' : 'negative'}`);

  const length = 16;
  const vectorizer = new k.layers.TextVectorization({ maxTokens: 200, outputSequenceLength: length });
  vectorizer.adapt(train.texts);
  const vocabulary = vectorizer.vocabularySize();
  console.log(`Vocabulary: ${vocabulary} words (index 0 is padding, 1 unknown words).`);

  const inputs = k.Input({ shape: [length] });
  let x = new TokenAndPositionEmbedding(vocabulary, length, 32).apply(inputs);
  x = transformerBlock(x, 32, 2, 32, 0.1);
  x = new k.layers.GlobalAveragePooling1D().apply(x); // averages the real words only (the mask)
  x = new k.layers.Dropout({ rate: 0.1 }).apply(x);
  x = new k.layers.Dense({ units: 20, activation: 'relu' }).apply(x);
  x = new k.layers.Dropout({ rate: 0.1 }).apply(x);
  const outputs = new k.layers.Dense({ units: 2, activation: 'softmax' }).apply(x);
  const model = new k.Model({ inputs, outputs, name: 'transformer_classifier' });
  model.summary();
  model.compile({ optimizer: new k.optimizers.Adam({ learningRate: flags.lr }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });

  const xTrain = vectorizer.apply(train.texts);
  const xTest = vectorizer.apply(test.texts);
  const yTrain = tfc.tensor1d(train.labels);
  const yTest = tfc.tensor1d(test.labels);
  const started = Date.now();
  await model.fit(xTrain, yTrain, { batchSize: flags['batch-size'], epochs: flags.epochs, validationSplit: 0.1 });
  const perEpoch = (Date.now() - started) / 1000 / Math.max(flags.epochs, 1);
  const [loss, accuracy] = await model.evaluate(xTest, yTest, { batchSize: 256 });
  console.log(`Test loss: ${loss.toFixed(4)} - test accuracy: ${accuracy.toFixed(4)} (${perEpoch.toFixed(2)} s per epoch on ${k.getBackend()})`);
  tfc.dispose([xTrain, xTest, yTrain, yTest]);
  model.dispose();
}

main().catch((e) => {
  console.error(e instanceof Error ? `${e.name}: ${e.message}` : e);
  process.exit(1);
});
