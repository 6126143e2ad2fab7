/**
 * The in-page bench, tfjs-layers 4.22's side: the same model, data, optimizer and batch as keras.ts,
 * on tfjs-core's ESM build (which registers all of tfjs's gradients) with tfjs's wasm and WebGL backends.
 */
import * as tfc from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-webgl';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tfl from '@tensorflow/tfjs-layers';
import { digits, epochTimer, expose, median } from './common';

setWasmPaths(new URL('../../dist/browser/', location.href).href); // the .wasm binaries npm run build:browser copies

expose(async (backend, epochs, samples, batch) => {
  await tfc.setBackend(backend);
  await tfc.ready();
  const data = await digits(samples);
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({ units: 64, activation: 'sigmoid', inputShape: [784] }),
      tfl.layers.dense({ units: 32, activation: 'sigmoid' }),
      tfl.layers.dense({ units: 16, activation: 'sigmoid' }),
      tfl.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tfc.train.sgd(0.05), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const x = tfc.tensor2d(data.x, [data.n, 784]);
  const y = tfc.tensor2d(data.y, [data.n, 10]);
  const timer = epochTimer();
  await model.fit(x, y, {
    batchSize: batch, epochs: epochs + 1, verbose: 0,
    callbacks: { onEpochBegin: async () => timer.begin(), onEpochEnd: async (epoch, logs) => timer.end(epoch, logs?.loss ?? NaN) },
  });
  x.dispose();
  y.dispose();
  model.dispose();
  return { lib: 'tfjs-layers', backend: tfc.getBackend(), secPerEpoch: median(timer.times), epochs: timer.times, losses: timer.losses };
});
