/**
 * One benchmark run of @tensorflow/tfjs-layers 4.22 on the same data, model, optimizer and backend.
 * Its Node setup is what a user of tfjs-core + tfjs-layers gets, plus tfjs-core's own gradients
 * (keras-ts's bundle of them, src/backend/tfjs_gradients.generated.js, since the Node entry registers none) — not keras-ts's
 * faster MatMul and Conv2D gradients.
 */
import * as tfc from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tfl from '@tensorflow/tfjs-layers';
import { digits, median, report, workerArgs } from './common';

async function main(): Promise<void> {
  const args = workerArgs();
  require('../../src/backend/tfjs_gradients.generated');
  await tfc.setBackend(args.backend);
  const { x, y } = digits(args.samples);
  const n = x.length / 784;
  const xt = tfc.tensor2d(x, [n, 784]);
  const yt = tfc.tensor2d(y, [n, 10]);
  const model = args.model === 'mlp' ? mlp() : cnn();
  model.compile({ optimizer: tfc.train.sgd(0.05), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const times: number[] = [];
  let start = 0;
  await model.fit(xt, yt, {
    batchSize: args.batch, epochs: args.epochs + 1, verbose: 0,
    callbacks: {
      onEpochBegin: async () => void (start = performance.now()),
      onEpochEnd: async (epoch) => void (epoch > 0 && times.push((performance.now() - start) / 1000)),
    },
  });
  (model.predict(xt, { batchSize: 256 }) as tfc.Tensor).dispose();
  const t = performance.now();
  const p = model.predict(xt, { batchSize: 256 }) as tfc.Tensor;
  p.dataSync();
  report({ secPerEpoch: median(times), samples: n, predictPerSec: n / ((performance.now() - t) / 1000) });
}

function mlp(): tfl.Sequential {
  return tfl.sequential({
    layers: [
      tfl.layers.dense({ units: 64, activation: 'sigmoid', inputShape: [784] }),
      tfl.layers.dense({ units: 32, activation: 'sigmoid' }),
      tfl.layers.dense({ units: 16, activation: 'sigmoid' }),
      tfl.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

function cnn(): tfl.Sequential {
  return tfl.sequential({
    layers: [
      tfl.layers.reshape({ targetShape: [28, 28, 1], inputShape: [784] }),
      tfl.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dropout({ rate: 0.5 }),
      tfl.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

main().catch((e) => {
  report({ secPerEpoch: NaN, samples: 0, predictPerSec: NaN, error: (e as Error).message.slice(0, 120) });
});
