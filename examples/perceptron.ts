/**
 * The course's binary perceptron: one sigmoid unit with binary cross-entropy, telling two digits
 * apart (0 and 1 by default) on the embedded MNIST digits.
 *
 *   npx ts-node examples/perceptron.ts [--digits 0,1] [--epochs 5] [--backend auto|native|wasm|cpu]
 */
import * as k from '../src';
import { chooseBackend, parseFlags } from './args';

function pick(split: k.data.MnistSplit, a: number, b: number): { x: Float32Array; y: Float32Array } {
  const rows: number[] = [];
  split.y.forEach((label, i) => (label === a || label === b) && rows.push(i));
  const x = new Float32Array(rows.length * 784);
  const y = new Float32Array(rows.length);
  rows.forEach((r, i) => {
    x.set(split.x.subarray(r * 784, (r + 1) * 784), i * 784);
    y[i] = split.y[r] === b ? 1 : 0;
  });
  return { x, y };
}

async function main(): Promise<void> {
  const flags = parseFlags({ digits: '0,1', epochs: 5, backend: 'auto', seed: 1 });
  const [a, b] = String(flags.digits).split(',').map(Number);
  await chooseBackend(flags.backend);
  k.utils.setRandomSeed(flags.seed);
  const mnist = k.data.loadMnist();
  const train = pick(mnist.train, a, b);
  const test = pick(mnist.test, a, b);

  const model = new k.Sequential([new k.layers.Dense({ units: 1, activation: 'sigmoid', inputShape: [784] })]);
  model.summary();
  model.compile({ optimizer: new k.optimizers.SGD({ learningRate: 0.05 }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
  await model.fit(train.x, train.y, { epochs: flags.epochs, batchSize: 32 });
  const [loss, accuracy] = await model.evaluate(test.x, test.y);
  console.log(`Digits ${a} vs ${b}: test loss ${loss.toFixed(4)} - test accuracy ${accuracy.toFixed(4)}`);
  model.dispose();
}

main().catch((e) => {
  console.error(e instanceof Error ? `${e.name}: ${e.message}` : e);
  process.exit(1);
});
