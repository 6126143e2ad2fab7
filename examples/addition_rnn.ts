/**
 * Keras's sequence-to-sequence addition example: an LSTM encoder reads "535+61 " as characters
 * (reversed, as in Keras's example), RepeatVector feeds its summary to an LSTM decoder at each
 * output position, and a Dense softmax per position writes the answer "596 ".
 *
 *   npx ts-node examples/addition_rnn.ts [--backend wasm] [--digits 3] [--samples 50000] [--epochs 30]
 *                                        [--batch-size 32] [--lr 0.001] [--seed 1]
 *
 * Prints the exact-match accuracy on the held-out 10% (every character of the answer right).
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../src';
import { parseFlags } from './args';

const CHARS = '0123456789+ ';

/** A small seeded generator, so the same flags give the same questions. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Unique questions a+b (each number up to `digits` digits) and their answers, padded with spaces. */
function questions(count: number, digits: number, seed: number): { q: string[]; a: string[] } {
  const rand = generator(seed);
  const number = (): number => Math.floor(rand() * 10 ** (1 + Math.floor(rand() * digits)));
  const seen = new Set<string>();
  const q: string[] = [];
  const a: string[] = [];
  const maxlen = 2 * digits + 1;
  const limit = 10 ** (2 * digits); // fewer questions than this exist
  while (q.length < Math.min(count, limit / 2)) {
    const [x, y] = [number(), number()];
    const key = [x, y].sort((m, n) => m - n).join('+');
    if (seen.has(key)) continue;
    seen.add(key);
    const query = `${x}+${y}`.padEnd(maxlen);
    q.push([...query].reverse().join('')); // reversed input, as Keras's example (REVERSE = True)
    a.push(String(x + y).padEnd(digits + 1));
  }
  return { q, a };
}

/** One-hot characters: [strings, length, CHARS.length]. */
function encode(strings: string[], length: number): tfc.Tensor3D {
  const data = new Float32Array(strings.length * length * CHARS.length);
  strings.forEach((s, i) => [...s].forEach((c, j) => (data[(i * length + j) * CHARS.length + CHARS.indexOf(c)] = 1)));
  return tfc.tensor3d(data, [strings.length, length, CHARS.length]);
}

function decode(probs: tfc.Tensor): string[] {
  const ids = tfc.tidy(() => tfc.argMax(probs, -1)).arraySync() as number[][];
  return ids.map((row) => row.map((i) => CHARS[i]).join(''));
}

async function main(): Promise<void> {
  const flags = parseFlags({ backend: 'wasm', digits: 3, samples: 50000, epochs: 30, 'batch-size': 32, lr: 0.001, units: 128, seed: 1 });
  await k.setBackend(flags.backend as k.BackendName);
  k.utils.setRandomSeed(flags.seed);
  const digits = flags.digits;
  const { q, a } = questions(flags.samples, digits, flags.seed);
  const split = Math.floor(q.length * 0.9);
  console.log(`Backend: ${k.getBackend()}. ${q.length} questions like '${[...q[0]].reverse().join('').trim()}' -> '${a[0].trim()}'; ${split} to train, ${q.length - split} held out.`);
  const x = encode(q, 2 * digits + 1);
  const y = encode(a, digits + 1);
  const [xTrain, xVal] = [tfc.slice(x, 0, split), tfc.slice(x, split)];
  const [yTrain, yVal] = [tfc.slice(y, 0, split), tfc.slice(y, split)];

  const model = new k.Sequential({
    name: 'addition_rnn',
    layers: [
      new k.layers.LSTM({ units: flags.units, inputShape: [2 * digits + 1, CHARS.length] }),
      new k.layers.RepeatVector({ n: digits + 1 }),
      new k.layers.LSTM({ units: flags.units, returnSequences: true }),
      new k.layers.Dense({ units: CHARS.length, activation: 'softmax' }),
    ],
  });
  model.summary();
  model.compile({ optimizer: new k.optimizers.Adam({ learningRate: flags.lr }), loss: 'categorical_crossentropy', metrics: ['accuracy'] });

  const started = Date.now();
  await model.fit(xTrain, yTrain, { batchSize: flags['batch-size'], epochs: flags.epochs, validationData: [xVal, yVal] });
  const perEpoch = (Date.now() - started) / 1000 / Math.max(flags.epochs, 1);

  const guesses = decode(model.predict(xVal, { batchSize: 1024 }) as tfc.Tensor);
  const truth = a.slice(split);
  const right = guesses.filter((g, i) => g === truth[i]).length;
  for (let i = 0; i < 5; i++) {
    const question = [...q[split + i]].reverse().join('').trim();
    console.log(`  ${question.padEnd(2 * digits + 1)} = ${guesses[i].trim().padEnd(digits + 1)} ${guesses[i] === truth[i] ? 'ok' : `(${truth[i].trim()})`}`);
  }
  console.log(`Exact-match validation accuracy: ${(right / truth.length).toFixed(4)} (${right}/${truth.length}; ${perEpoch.toFixed(2)} s per epoch on ${k.getBackend()})`);
  tfc.dispose([x, y, xTrain, xVal, yTrain, yVal]);
  model.dispose();
}

main().catch((e) => {
  console.error(e instanceof Error ? `${e.name}: ${e.message}` : e);
  process.exit(1);
});
