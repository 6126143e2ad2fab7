/** The in-page bench, keras-ts's side: the seed MLP, SGD 0.05, categorical cross-entropy, as bench/workers/keras.ts. */
import * as k from 'keras-ts';
import { digits, epochTimer, expose, median } from './common';

function mlp(): k.Model {
  const inputs = k.Input({ shape: [784] });
  let h = inputs;
  for (const units of [64, 32, 16]) h = new k.layers.Dense({ units, activation: 'sigmoid' }).apply(h);
  const model = new k.Model({ inputs, outputs: new k.layers.Dense({ units: 10, activation: 'softmax' }).apply(h) });
  model.compile({ optimizer: new k.optimizers.SGD({ learningRate: 0.05 }), loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  return model;
}

/**
 * The kernels of one epoch (after a warm-up epoch), by total time, from tf.profile (on WebGL, the
 * backend's GPU timer). keras-ts's own ops made with customGrad show as 'unnamed scope', their time
 * including the kernels they run inside.
 */
async function profileEpoch(backend: string, samples: number, batch: number): Promise<Array<{ kernel: string; calls: number; ms: number }>> {
  await k.setBackend(backend as k.BackendName);
  k.utils.setRandomSeed(1);
  const data = await digits(samples);
  const model = mlp();
  const x = k.tf.tensor2d(data.x, [data.n, 784]);
  const y = k.tf.tensor2d(data.y, [data.n, 10]);
  await model.fit(x, y, { batchSize: batch, epochs: 1, verbose: 0 });
  const info = await k.tf.profile(async () => void (await model.fit(x, y, { batchSize: batch, epochs: 1, verbose: 0 })));
  const table = new Map<string, { calls: number; ms: number }>();
  for (const kernel of info.kernels) {
    const row = table.get(kernel.name) ?? { calls: 0, ms: 0 };
    row.calls++;
    const t = await kernel.kernelTimeMs;
    row.ms += typeof t === 'number' ? t : NaN;
    table.set(kernel.name, row);
  }
  x.dispose();
  y.dispose();
  model.dispose();
  return [...table].map(([kernel, r]) => ({ kernel, ...r })).sort((a, b) => b.ms - a.ms);
}

expose(async (backend, epochs, samples, batch) => {
  await k.setBackend(backend as k.BackendName);
  k.utils.setRandomSeed(1);
  const data = await digits(samples);
  const model = mlp();
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
}, profileEpoch);
