/** What both in-page bench pages share: the digits (embedded at build time) and the timing of fit's epochs. */
import { DIGITS } from '../../examples/browser/digits';

const PIXELS = 784;

/** The first `samples` training digits, pixels in [0, 1], labels one-hot. */
export async function digits(samples: number): Promise<{ x: Float32Array; y: Float32Array; n: number }> {
  const zipped = Uint8Array.from(atob(DIGITS.gzipBase64), (c) => c.charCodeAt(0));
  const bytes = new Uint8Array(await new Response(new Blob([zipped]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
  const total = DIGITS.train + DIGITS.test;
  const n = Math.min(samples, DIGITS.train);
  const x = new Float32Array(n * PIXELS);
  for (let i = 0; i < x.length; i++) x[i] = bytes[total + i] / 255;
  const y = new Float32Array(n * 10);
  for (let i = 0; i < n; i++) y[i * 10 + bytes[i]] = 1;
  return { x, y, n };
}

export interface BenchResult {
  lib: string;
  backend: string;
  /** Seconds per epoch, median of the measured epochs (after one warm-up epoch). */
  secPerEpoch: number;
  epochs: number[];
  /** The training loss of each epoch, warm-up included: both libraries must learn. */
  losses: number[];
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Epoch timer hooks; the first epoch is the warm-up and is not kept. */
export function epochTimer(): { times: number[]; losses: number[]; begin(): void; end(epoch: number, loss: number): void } {
  let start = 0;
  const times: number[] = [];
  const losses: number[] = [];
  return {
    times, losses,
    begin: () => void (start = performance.now()),
    end: (epoch, loss) => {
      if (epoch > 0) times.push((performance.now() - start) / 1000);
      losses.push(loss);
    },
  };
}

export function expose(run: (backend: string, epochs: number, samples: number, batch: number) => Promise<BenchResult>, profile?: (backend: string, samples: number, batch: number) => Promise<unknown>): void {
  (globalThis as unknown as { bench: unknown }).bench = { run, profile };
}
