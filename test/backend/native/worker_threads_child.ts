/**
 * Run by worker_threads.test.ts in a plain Node process (jest's module sandbox cannot host
 * worker_threads that load TypeScript). The main thread trains the model once in a worker alone,
 * then in two workers at once; it prints `RESULT {alone, a, b}` with each run's epoch losses.
 * A worker trains a fixed-seed MLP on 'native' (2 OpenMP threads) and posts its losses; both
 * concurrent workers wait at a shared barrier so their training steps overlap.
 */
import * as path from 'path';
import { isMainThread, parentPort, Worker, workerData } from 'worker_threads';

interface Job { barrier: SharedArrayBuffer; parties: number }

/** One worker's run: the losses of a seeded fit, and the addon's live temporaries after it. */
async function train(job: Job): Promise<{ losses: number[]; liveBytes: number; backend: string }> {
  const k = await import('../../../src');
  const { loadNativeAddon } = await import('../../../src/backend/native/addon');
  await k.setBackend('native');
  k.setNumThreads(2);
  k.utils.setRandomSeed(11);
  let s = 5;
  const rand = (): number => ((s = (s * 16807) % 2147483647) / 2147483647);
  const x: number[][] = [];
  const y: number[][] = [];
  for (let i = 0; i < 512; i++) {
    const row = Array.from({ length: 32 }, rand);
    x.push(row);
    const c = row.slice(0, 4).indexOf(Math.max(...row.slice(0, 4)));
    y.push([0, 1, 2, 3].map((j) => (j === c ? 1 : 0)));
  }
  const inputs = k.Input({ shape: [32] });
  const h = new k.layers.Dense({ units: 256, activation: 'relu' }).apply(inputs);
  const outputs = new k.layers.Dense({ units: 4, activation: 'softmax' }).apply(h);
  const model = new k.Model({ inputs, outputs });
  model.compile({ optimizer: new k.optimizers.Adam({ learningRate: 0.01 }), loss: 'categorical_crossentropy' });
  // Every party arrives, then all start together.
  const counter = new Int32Array(job.barrier);
  Atomics.add(counter, 0, 1);
  Atomics.notify(counter, 0);
  while (Atomics.load(counter, 0) < job.parties) Atomics.wait(counter, 0, Atomics.load(counter, 0), 1000);
  const history = await model.fit(x, y, { epochs: 8, batchSize: 16, shuffle: false, verbose: 0 });
  model.dispose();
  return { losses: history.history.loss as number[], liveBytes: loadNativeAddon().memory().liveBytes, backend: k.getBackend() };
}

function start(job: Job): Promise<{ losses: number[]; liveBytes: number; backend: string }> {
  const code = `require('ts-node').register({ transpileOnly: true }); require(${JSON.stringify(path.resolve(__filename))});`;
  const worker = new Worker(code, { eval: true, workerData: job });
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`worker exited with code ${code} before its result`)));
  });
}

async function main(): Promise<void> {
  const alone = await start({ barrier: new SharedArrayBuffer(4), parties: 1 });
  const barrier = new SharedArrayBuffer(4);
  const [a, b] = await Promise.all([start({ barrier, parties: 2 }), start({ barrier, parties: 2 })]);
  console.log(`RESULT ${JSON.stringify({ alone, a, b })}`);
}

if (isMainThread) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
} else {
  train(workerData as Job).then((r) => parentPort?.postMessage(r));
}
