/**
 * One process of `npm run bench:distributed`: trains the seed MLP or the CNN data-parallel over the
 * processes mpirun started (or alone), and prints, from rank 0, one RESULT line: seconds per epoch
 * (median of the measured epochs, after a warm-up epoch) and where each step's time went
 * (DataParallel's figures), then the cost of the gradients' allreduce alone (no waiting: after a
 * barrier, the same buffer size, repeated).
 *
 *   node -r ts-node/register/transpile-only bench/workers/distributed.ts <backend> <mlp|cnn> <epochs> <batch> <samples>
 */
import * as fs from 'fs';
import * as k from '../../src';
import { cnn, mlp } from '../cpu_workloads';
import { digits, median } from './common';

async function main(): Promise<void> {
  const [backend, model, epochs, batch, samples] = process.argv.slice(2);
  await k.setBackend(backend as k.BackendName);
  k.utils.setRandomSeed(1);
  const dp = new k.distribution.DataParallel();
  k.distribution.setDistribution(dp);
  const { x, y, labels } = digits(Number(samples));
  const n = labels.length;
  const net = model === 'mlp' ? mlp([64, 32, 16], 'sigmoid') : cnn();
  net.compile({ optimizer: new k.optimizers.Adam({ learningRate: 0.001 }), loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  const xs = k.tf.tensor(x, model === 'mlp' ? [n, 784] : [n, 28, 28, 1]);
  const ys = k.tf.tensor2d(y, [n, 10]);

  const epochs_: Array<{ seconds: number; steps: number; allreduce: number; pack: number; metrics: number }> = [];
  let started = 0;
  const timing = new k.callbacks.LambdaCallback({
    onEpochBegin: () => {
      dp.resetStats();
      started = performance.now();
    },
    onEpochEnd: () => {
      const s = dp.stats;
      epochs_.push({ seconds: (performance.now() - started) / 1000, steps: s.steps, allreduce: s.allreduceSeconds, pack: s.packSeconds, metrics: s.metricSeconds });
    },
  });
  await net.fit(xs, ys, { epochs: Number(epochs) + 1, batchSize: Number(batch), shuffle: true, verbose: 0, callbacks: [timing] });
  const measured = epochs_.slice(1);
  const steps = Math.ceil(n / Number(batch));
  const secPerEpoch = median(measured.map((e) => e.seconds));
  const perStep = (pick: (e: (typeof measured)[number]) => number): number => (median(measured.map(pick)) / steps) * 1000;

  // The allreduce alone: the same number of floats, after a barrier, 200 times.
  const floats = net.trainableWeights.reduce((s, w) => s + w.value.size, 0);
  let pureMs = 0;
  const comm = dp.communicator;
  if (comm !== null) {
    const buffer = new Float32Array(floats);
    for (let i = 0; i < 20; i++) comm.allreduceSum(buffer);
    comm.barrier();
    const t0 = performance.now();
    for (let i = 0; i < 200; i++) comm.allreduceSum(buffer);
    pureMs = (performance.now() - t0) / 200;
  }
  if (dp.isRankZero) {
    const result = {
      backend: k.getBackend(), model, processes: dp.size, library: dp.library, samples: n, batch: Number(batch), steps, secPerEpoch,
      stepMs: (secPerEpoch / steps) * 1000, allreduceMs: perStep((e) => e.allreduce), packMs: perStep((e) => e.pack), metricsMs: perStep((e) => e.metrics),
      gradientFloats: floats, pureAllreduceMs: pureMs,
    };
    fs.writeSync(1, `RESULT ${JSON.stringify(result)}\n`);
  }
  k.tf.dispose([xs, ys]);
  net.dispose();
}

main().catch((e) => {
  console.error(e instanceof Error ? `${e.name}: ${e.message}` : e);
  process.exit(1);
});
