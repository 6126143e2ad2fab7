/**
 * A functional CNN with a residual (Add) block and a second branch joined by Concatenate, on the
 * MNIST digits:
 *
 *   image ─ Conv2D ─ MaxPool ─┬─ Conv2D ─ Conv2D ─ Add ─ ReLU ─ GlobalAveragePooling2D ─┐
 *                             └──────────────────────┘                                  ├─ Concatenate ─ Dense(10)
 *   image ─ Flatten ─ Dense(32) ────────────────────────────────────────────────────────┘
 *
 *   npx ts-node examples/residual.ts [--backend auto|native|wasm|cpu] [--epochs 5] [--limit N]
 */
import * as k from '../src';
import { chooseBackend, parseFlags } from './args';

async function main(): Promise<void> {
  const flags = parseFlags({ backend: 'auto', epochs: 5, limit: 0, seed: 1 });
  await chooseBackend(flags.backend);
  k.utils.setRandomSeed(flags.seed);
  const mnist = k.data.loadMnist();
  const n = flags.limit > 0 ? Math.min(flags.limit, mnist.train.count) : mnist.train.count;

  const L = k.layers;
  const image = k.Input({ shape: [28, 28, 1], name: 'image' });
  const stem = new L.MaxPooling2D().apply(new L.Conv2D({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(image));
  let branch = new L.Conv2D({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(stem);
  branch = new L.Conv2D({ filters: 16, kernelSize: 3, padding: 'same' }).apply(branch);
  const residual = new L.Activation({ activation: 'relu' }).apply(new L.Add().apply([stem, branch]));
  const pooled = new L.GlobalAveragePooling2D().apply(residual);
  const dense = new L.Dense({ units: 32, activation: 'relu' }).apply(new L.Flatten().apply(image));
  const joined = new L.Concatenate().apply([pooled, dense]);
  const outputs = new L.Dense({ units: 10, activation: 'softmax' }).apply(joined);
  const model = new k.Model({ inputs: image, outputs, name: 'residual_two_branch' });
  model.summary();

  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  await model.fit(mnist.train.x.subarray(0, n * 784), Float32Array.from(mnist.train.y.subarray(0, n)), {
    epochs: flags.epochs, batchSize: 32, validationSplit: 0.1,
  });
  const [loss, accuracy] = await model.evaluate(mnist.test.x, Float32Array.from(mnist.test.y), { batchSize: 256 });
  console.log(`Test loss: ${loss.toFixed(4)} - test accuracy: ${accuracy.toFixed(4)}`);
  model.dispose();
}

main().catch((e) => {
  console.error(e instanceof Error ? `${e.name}: ${e.message}` : e);
  process.exit(1);
});
