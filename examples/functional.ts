/**
 * A functional model with two inputs and two outputs: from an MNIST image and a noisy hint of its
 * label, predict the digit (softmax, from the image) and whether it is even (sigmoid, from the hint,
 * which is right half of the time, so about 75% is reachable).
 *
 *   npx ts-node examples/functional.ts [--epochs 5] [--backend auto|native|wasm|cpu]
 */
import * as k from '../src';
import { chooseBackend, parseFlags } from './args';

function hints(labels: Uint8Array, seed: number): Float32Array {
  // A one-hot hint that is right half of the time, wrong otherwise: useful but not enough alone.
  let s = seed;
  const out = new Float32Array(labels.length * 10);
  labels.forEach((label, i) => {
    s = (s * 16807) % 2147483647;
    out[i * 10 + (s % 2 === 0 ? label : s % 10)] = 1;
  });
  return out;
}

async function main(): Promise<void> {
  const flags = parseFlags({ epochs: 5, backend: 'auto', seed: 1 });
  await chooseBackend(flags.backend);
  k.utils.setRandomSeed(flags.seed);
  const mnist = k.data.loadMnist();

  const image = k.Input({ shape: [784], name: 'image' });
  const hint = k.Input({ shape: [10], name: 'hint' });
  const features = new k.layers.Dense({ units: 64, activation: 'relu' }).apply(image);
  const hintFeatures = new k.layers.Dense({ units: 8, activation: 'relu' }).apply(hint);
  const digit = new k.layers.Dense({ units: 10, activation: 'softmax', name: 'digit' }).apply(features);
  const even = new k.layers.Dense({ units: 1, activation: 'sigmoid', name: 'even' }).apply(hintFeatures);
  const model = new k.Model({ inputs: [image, hint], outputs: [digit, even], name: 'two_in_two_out' });
  model.summary();

  model.compile({
    optimizer: 'adam',
    loss: { digit: 'sparse_categorical_crossentropy', even: 'binary_crossentropy' },
    metrics: { digit: ['accuracy'], even: ['accuracy'] },
  });
  const evenOf = (y: Uint8Array): Float32Array => Float32Array.from(y, (d) => (d % 2 === 0 ? 1 : 0));
  const x = { image: mnist.train.x, hint: hints(mnist.train.y, 7) };
  const y = { digit: Float32Array.from(mnist.train.y), even: evenOf(mnist.train.y) };
  await model.fit(x, y, { epochs: flags.epochs, batchSize: 32, validationSplit: 0.1 });
  const scores = await model.evaluate(
    { image: mnist.test.x, hint: hints(mnist.test.y, 11) },
    { digit: Float32Array.from(mnist.test.y), even: evenOf(mnist.test.y) },
    { returnDict: true },
  );
  console.log('Test:', Object.entries(scores).map(([name, v]) => `${name}: ${v.toFixed(4)}`).join(' - '));
  model.dispose();
}

main().catch((e) => {
  console.error(e instanceof Error ? `${e.name}: ${e.message}` : e);
  process.exit(1);
});
