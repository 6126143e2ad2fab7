/**
 * `npm run bench:memory`: trains the seed MLP for 50 epochs and prints the process RSS and the live
 * tensor count every 10 epochs. Memory must stay flat: RSS may not grow by more than 10% after epoch
 * 10, and the tensor count not at all.
 *
 * The RSS compared is measured right after a full garbage collection (node --expose-gc), so it is
 * the memory the process retains. Without that, V8 lets short-lived garbage (tfjs creates a few
 * objects per kernel) pile up in the old generation for a while before a major collection, and the
 * raw RSS, also printed, climbs and falls back without anything being leaked.
 *
 *   npm run bench:memory [-- --backend wasm|cpu] [-- --epochs 50]
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../src';

/** A full garbage collection, when node runs with --expose-gc (npm run bench:memory does). */
function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('bench/memory.ts: run it with node --expose-gc (npm run bench:memory).');
  gc();
}

async function main(): Promise<void> {
  const arg = (name: string, fallback: string): string => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : fallback;
  };
  const backend = arg('backend', 'wasm') as k.BackendName;
  const epochs = Number(arg('epochs', '50'));
  await k.setBackend(backend);
  k.utils.setRandomSeed(1);
  const mnist = k.data.loadMnist();
  const inputs = k.Input({ shape: [784] });
  let h = inputs;
  for (const units of [64, 32, 16]) h = new k.layers.Dense({ units, activation: 'sigmoid' }).apply(h);
  const model = new k.Model({ inputs, outputs: new k.layers.Dense({ units: 10, activation: 'softmax' }).apply(h) });
  model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  const y = k.utils.toCategorical(mnist.train.y, 10);
  const samples: Array<{ epoch: number; rssMb: number; tensors: number }> = [];
  const probe: k.callbacks.Callback = {
    onEpochEnd: (epoch) => {
      if ((epoch + 1) % 10 !== 0) return;
      const raw = process.memoryUsage().rss / 2 ** 20;
      collect();
      const mem = process.memoryUsage();
      const s = { epoch: epoch + 1, rssMb: mem.rss / 2 ** 20, tensors: tfc.memory().numTensors };
      samples.push(s);
      console.log(
        `epoch ${String(s.epoch).padStart(3)}: RSS ${s.rssMb.toFixed(1)} MB after GC (${raw.toFixed(1)} MB before; JS heap ` +
          `${(mem.heapUsed / 2 ** 20).toFixed(1)} MB, array buffers ${(mem.arrayBuffers / 2 ** 20).toFixed(1)} MB), live tensors ${s.tensors}`,
      );
    },
  };
  console.log(`Backend ${k.getBackend()}, ${epochs} epochs of the seed MLP on ${mnist.train.count} digits (batch 32, validation 10%).`);
  await model.fit(mnist.train.x, y, { epochs, batchSize: 32, verbose: 0, validationSplit: 0.1, callbacks: [probe] });
  const first = samples[0];
  const growth = Math.max(...samples.map((s) => s.rssMb)) / first.rssMb - 1;
  const flatTensors = samples.every((s) => s.tensors === first.tensors);
  const ok = growth <= 0.1 && flatTensors;
  console.log(`RSS growth after epoch 10: ${(growth * 100).toFixed(1)}% (limit 10%); tensors ${flatTensors ? 'flat' : 'GROWING'}: ${ok ? 'PASS' : 'FAIL'}`);
  model.dispose();
  y.dispose();
  process.exitCode = ok ? 0 : 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
