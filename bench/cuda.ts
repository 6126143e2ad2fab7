/**
 * `npm run bench:cuda`: the seed MLP (784-64-32-16-10 sigmoid, softmax, SGD 0.05, accuracy metric)
 * on 60,000 samples with keras-ts's 'cuda' backend: seconds per epoch at batch 32, 128 and 1024
 * (the second epoch of a fit), and the kernels that fell back to the CPU during it.
 * Where python3 has torch with CUDA, bench/torch_cuda_mlp.py gives PyTorch eager's figure on the
 * same GPU.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../src';
import { fallbackReport, resetFallbackReport } from '../src/backend/cpu_fallback';

async function main(): Promise<void> {
  await k.setBackend('cuda');
  const device = (tfc.backend() as unknown as { device: string }).device;
  const n = 60000;
  const x = new Float32Array(n * 784).map((_, i) => ((i * 2654435761) % 1000) / 1000);
  const y = Float32Array.from({ length: n }, (_, i) => i % 10);
  console.log(`keras-ts cuda on ${device}, seed MLP, ${n} samples`);
  for (const batch of [32, 128, 1024]) {
    const model = new k.Sequential([
      new k.layers.Dense({ units: 64, activation: 'sigmoid', inputShape: [784] }), new k.layers.Dense({ units: 32, activation: 'sigmoid' }),
      new k.layers.Dense({ units: 16, activation: 'sigmoid' }), new k.layers.Dense({ units: 10, activation: 'softmax' })]);
    model.compile({ optimizer: new k.optimizers.SGD({ learningRate: 0.05 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    // Two epochs in one fit; the second is timed (from its first batch to its end, device work
    // finished), so the one-time upload of the data set and the warm-up are not counted.
    let start = 0;
    let sec = 0;
    const timer: k.callbacks.Callback = {
      onEpochBegin: (epoch) => {
        if (epoch === 1) {
          resetFallbackReport();
          start = performance.now();
        }
      },
      onEpochEnd: (epoch) => {
        if (epoch === 1) sec = (performance.now() - start) / 1000; // logs were read: the device is idle
      },
    };
    const h = await model.fit(x, y, { epochs: 2, batchSize: batch, verbose: 0, callbacks: [timer] });
    console.log(`RESULT {"batch": ${batch}, "secPerEpoch": ${sec.toFixed(3)}, "loss": ${h.history.loss[1].toFixed(4)}, "fallbacks": ${JSON.stringify(fallbackReport())}}`);
    model.dispose();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? `${e.name}: ${e.message}` : e);
  process.exit(1);
});
