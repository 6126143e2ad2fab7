/**
 * A small Transformer classifies generated reviews as positive or negative, as Keras's "Text
 * classification with Transformer" example: TextVectorization → token + position embedding (a
 * custom layer, with a padding mask) → MultiHeadAttention + residual + LayerNormalization →
 * feed-forward + residual + LayerNormalization → GlobalAveragePooling1D → Dense → softmax (the
 * model is examples/transformer_model.ts's, which bench/transformer.ts trains against PyTorch).
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
import { parseFlags } from './args';
import { transformerClassifier } from './transformer_model';

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

  const model = transformerClassifier(vocabulary, length);
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
