/** One benchmark run of keras-ts: trains the seed MLP (or the CNN), prints seconds per epoch. */
import * as k from '../../src';
import { digits, median, report, workerArgs } from './common';

async function main(): Promise<void> {
  const args = workerArgs();
  await k.setBackend(args.backend);
  const { x, y } = digits(args.samples);
  const model = args.model === 'mlp' ? mlp() : cnn();
  model.compile({ optimizer: new k.optimizers.SGD({ learningRate: 0.05 }), loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  const times: number[] = [];
  let start = 0;
  const timer: k.callbacks.Callback = {
    onEpochBegin: () => void (start = performance.now()),
    onEpochEnd: (epoch) => void (epoch > 0 && times.push((performance.now() - start) / 1000)),
  };
  await model.fit(x, y, { batchSize: args.batch, epochs: args.epochs + 1, verbose: 0, callbacks: [timer] });
  k.utils.setRandomSeed(1);
  (model.predict(x, { batchSize: 256 }) as import('@tensorflow/tfjs-core').Tensor).dispose(); // warm-up
  const t = performance.now();
  const p = model.predict(x, { batchSize: 256 }) as import('@tensorflow/tfjs-core').Tensor;
  p.dataSync();
  const predictPerSec = x.length / 784 / ((performance.now() - t) / 1000);
  p.dispose();
  report({ secPerEpoch: median(times), samples: x.length / 784, predictPerSec });
}

function mlp(): k.Model {
  const inputs = k.Input({ shape: [784] });
  let h = inputs;
  for (const units of [64, 32, 16]) h = new k.layers.Dense({ units, activation: 'sigmoid' }).apply(h);
  return new k.Model({ inputs, outputs: new k.layers.Dense({ units: 10, activation: 'softmax' }).apply(h) });
}

function cnn(): k.Model {
  return new k.Sequential([
    new k.layers.Reshape({ targetShape: [28, 28, 1], inputShape: [784] }),
    new k.layers.Conv2D({ filters: 32, kernelSize: 3, activation: 'relu' }),
    new k.layers.MaxPooling2D(),
    new k.layers.Conv2D({ filters: 64, kernelSize: 3, activation: 'relu' }),
    new k.layers.MaxPooling2D(),
    new k.layers.Flatten(),
    new k.layers.Dropout({ rate: 0.5 }),
    new k.layers.Dense({ units: 10, activation: 'softmax' }),
  ]);
}

main().catch((e) => {
  report({ secPerEpoch: NaN, samples: 0, predictPerSec: NaN, error: (e as Error).message.slice(0, 120) });
});
