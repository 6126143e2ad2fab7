/**
 * "How to deal with images?": a small convolutional network on the MNIST digits.
 * Conv2D(32, 3, relu) → MaxPooling2D → Conv2D(64, 3, relu) → MaxPooling2D → Flatten → Dropout(0.5)
 * → Dense(10, softmax), on 28×28×1 images.
 *
 *   npx ts-node examples/cnn.ts [--backend auto|native|wasm|cpu|cuda] [--epochs 10] [--batch-size 32] [--data DIR] [--limit N]
 */
import * as k from '../src';
import { chooseBackend, parseFlags } from './args';

async function main(): Promise<void> {
  const flags = parseFlags({ backend: 'auto', epochs: 10, 'batch-size': 32, lr: 0.001, data: '', limit: 0, seed: 1 });
  await chooseBackend(flags.backend);
  k.utils.setRandomSeed(flags.seed);
  const mnist = k.data.loadMnist(flags.data ? { dir: flags.data } : {});
  const n = flags.limit > 0 ? Math.min(flags.limit, mnist.train.count) : mnist.train.count;
  console.log(`Backend: ${k.getBackend()}. Data: ${mnist.source}: ${n} train, ${mnist.test.count} test digits.`);

  const model = new k.Sequential([
    new k.layers.Conv2D({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
    new k.layers.MaxPooling2D({ poolSize: 2 }),
    new k.layers.Conv2D({ filters: 64, kernelSize: 3, activation: 'relu' }),
    new k.layers.MaxPooling2D({ poolSize: 2 }),
    new k.layers.Flatten(),
    new k.layers.Dropout({ rate: 0.5 }),
    new k.layers.Dense({ units: 10, activation: 'softmax' }),
  ]);
  model.summary();
  model.compile({ optimizer: new k.optimizers.Adam({ learningRate: flags.lr }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });

  // Typed arrays take their shape from the model: n × 28 × 28 × 1 pixel values.
  const xTrain = mnist.train.x.subarray(0, n * 784);
  const yTrain = Float32Array.from(mnist.train.y.subarray(0, n));
  const started = Date.now();
  await model.fit(xTrain, yTrain, { batchSize: flags['batch-size'], epochs: flags.epochs, validationSplit: 0.1 });
  const perEpoch = (Date.now() - started) / 1000 / Math.max(flags.epochs, 1);

  const [loss, accuracy] = await model.evaluate(mnist.test.x, Float32Array.from(mnist.test.y), { batchSize: 256 });
  console.log(`Test loss: ${loss.toFixed(4)} - test accuracy: ${accuracy.toFixed(4)} (${perEpoch.toFixed(2)} s per epoch on ${k.getBackend()})`);
  model.dispose();
}

main().catch((e) => {
  console.error(e instanceof Error ? `${e.name}: ${e.message}` : e);
  process.exit(1);
});
