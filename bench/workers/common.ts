/** What every benchmark worker shares: arguments, the data, and printing one JSON result line. */
import * as fs from 'fs';
import * as path from 'path';

export interface WorkerArgs {
  backend: 'cpu' | 'wasm';
  batch: number;
  model: 'mlp' | 'cnn';
  epochs: number;
  /** Training samples (the CNN on the CPU is measured on fewer). */
  samples: number;
}

export function workerArgs(): WorkerArgs {
  const [backend, batch, model, epochs, samples] = process.argv.slice(2);
  return { backend: backend as WorkerArgs['backend'], batch: Number(batch), model: model as WorkerArgs['model'], epochs: Number(epochs), samples: Number(samples) };
}

/** The embedded MNIST digits (8,000 training digits), as flat arrays, read without keras-ts. */
export function digits(samples: number): { x: Float32Array; y: Float32Array; labels: Uint8Array } {
  const rows: Array<[number[], number]> = [];
  for (let d = 0; d < 10; d++) {
    const raw = (require(path.join('mnist', 'src', 'digits', `${d}.json`)) as { data: number[] }).data;
    const n = Math.round((raw.length / 784) * 0.8);
    for (let i = 0; i < n; i++) rows.push([raw.slice(i * 784, (i + 1) * 784), d]);
  }
  // a fixed interleaving (7919 is prime, so this is a permutation of the 8,000 rows): batches mix digits
  const order = rows.map((_, i) => (i * 7919) % rows.length);
  const n = Math.min(samples, rows.length);
  const x = new Float32Array(n * 784);
  const y = new Float32Array(n * 10);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const [px, d] = rows[order[i]];
    x.set(px, i * 784);
    y[i * 10 + d] = 1;
    labels[i] = d;
  }
  return { x, y, labels };
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export interface WorkerResult {
  /** Seconds per epoch, median over the measured epochs (after a warm-up epoch). */
  secPerEpoch: number;
  samples: number;
  /** Samples per second of predict at batch 256. */
  predictPerSec: number;
  error?: string;
}

export function report(result: WorkerResult): void {
  fs.writeSync(1, `RESULT ${JSON.stringify(result)}\n`);
}
