/**
 * `npm run bench:cuda`: the seed MLP (784-64-32-16-10 sigmoid, softmax, SGD 0.05, accuracy metric)
 * on 60,000 samples with keras-ts's 'cuda' backend: seconds per epoch at batch 32, 128 and 1024
 * (one warm-up epoch, then one measured), and the kernels that fell back to the CPU during fit.
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
    await model.fit(x, y, { epochs: 1, batchSize: batch, verbose: 0 });
    resetFallbackReport();
    const t = performance.now();
    const h = await model.fit(x, y, { epochs: 1, batchSize: batch, verbose: 0 });
    const sec = (performance.now() - t) / 1000;
    console.log(`RESULT {"batch": ${batch}, "secPerEpoch": ${sec.toFixed(3)}, "loss": ${h.history.loss[0].toFixed(4)}, "fallbacks": ${JSON.stringify(fallbackReport())}}`);
    model.dispose();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? `${e.name}: ${e.message}` : e);
  process.exit(1);
});
