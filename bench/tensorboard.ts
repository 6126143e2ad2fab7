/**
 * What the TensorBoard callback costs a fit: the seed MLP on 7,200 MNIST digits (wasm, Adam, batch
 * 32), 10 epochs per run, without the callback, with epoch scalars, and with weight histograms every
 * epoch, in the order hist, none, epoch, none, hist (the first run also warms up). Prints seconds per
 * epoch and the milliseconds spent inside the callback's hooks per epoch.
 *
 *   npm run bench:tensorboard
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as k from '../src';

type Hooked = Record<string, (...args: unknown[]) => unknown>;

async function main(): Promise<void> {
  await k.setBackend('wasm');
  const mnist = k.data.loadMnist({});
  const y = k.utils.toCategorical(mnist.train.y, 10);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-bench-tb-'));
  try {
    for (const variant of ['hist', 'none', 'epoch', 'none', 'hist']) {
      k.utils.setRandomSeed(1);
      const inputs = k.Input({ shape: [784] });
      let x = inputs;
      for (const units of [64, 32, 16]) x = new k.layers.Dense({ units, activation: 'sigmoid' }).apply(x);
      const model = new k.Model({ inputs, outputs: new k.layers.Dense({ units: 10, activation: 'softmax' }).apply(x) });
      model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
      const callbacks = variant === 'none' ? [] : [new k.callbacks.TensorBoard({ logDir: path.join(dir, variant), histogramFreq: variant === 'hist' ? 1 : 0 })];
      let inside = 0;
      for (const cb of callbacks as unknown as Hooked[]) {
        for (const hook of ['onTrainBegin', 'onEpochBegin', 'onEpochEnd', 'onBatchBegin', 'onBatchEndLazy', 'onTrainEnd']) {
          const f = cb[hook].bind(cb);
          cb[hook] = (...args: unknown[]) => {
            const t = performance.now();
            const r = f(...args);
            if (r instanceof Promise) return r.then(() => void (inside += performance.now() - t));
            inside += performance.now() - t;
            return r;
          };
        }
      }
      const t0 = performance.now();
      await model.fit(mnist.train.x, y, { epochs: 10, batchSize: 32, validationSplit: 0.1, verbose: 0, callbacks });
      const perEpoch = (performance.now() - t0) / 10 / 1000;
      console.log(`${variant.padEnd(5)} ${perEpoch.toFixed(3)} s/epoch, inside the callback ${(inside / 10).toFixed(1)} ms/epoch`);
      model.dispose();
    }
  } finally {
    y.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
