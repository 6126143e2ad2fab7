/** The in-page bench, keras-ts's side: the seed MLP, SGD 0.05, categorical cross-entropy, as bench/workers/keras.ts. */
import * as k from 'keras-ts';
import { digits, epochTimer, expose, median } from './common';

expose(async (backend, epochs, samples, batch) => {
  await k.setBackend(backend as k.BackendName);
  k.utils.setRandomSeed(1);
  const data = await digits(samples);
  const inputs = k.Input({ shape: [784] });
  let h = inputs;
  for (const units of [64, 32, 16]) h = new k.layers.Dense({ units, activation: 'sigmoid' }).apply(h);
  const model = new k.Model({ inputs, outputs: new k.layers.Dense({ units: 10, activation: 'softmax' }).apply(h) });
  model.compile({ optimizer: new k.optimizers.SGD({ learningRate: 0.05 }), loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  const x = k.tf.tensor2d(data.x, [data.n, 784]);
  const y = k.tf.tensor2d(data.y, [data.n, 10]);
  const timer = epochTimer();
  await model.fit(x, y, {
    batchSize: batch, epochs: epochs + 1, verbose: 0,
    callbacks: [{ onEpochBegin: () => timer.begin(), onEpochEnd: (epoch, logs) => timer.end(epoch, logs.loss) }],
  });
  x.dispose();
  y.dispose();
  model.dispose();
  return { lib: 'keras-ts', backend: k.getBackend(), secPerEpoch: median(timer.times), epochs: timer.times, losses: timer.losses };
});
