/**
 * Profiling a range of training batches (the TensorBoard callback's `profileBatch`): every kernel
 * tfjs-core runs meanwhile, with its time, shapes and memory, through tfjs-core's own profiler
 * (`tf.profile`). The result goes to TensorBoard's Text tab as a table of the kernels by total time,
 * and to a Chrome trace-event file (`.trace.json.gz`, opened by Perfetto or chrome://tracing) with
 * the kernels laid end to end in the order they ran.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import * as tfc from '@tensorflow/tfjs-core';
import type { SummaryWriter } from './summary_writer';

export interface KernelRecord {
  name: string;
  ms: number;
  inputShapes: Array<number[] | null>;
  outputShapes: number[][];
  bytesAdded: number;
}

/** Records the kernels run between start() and stop(). */
export class BatchProfiler {
  private finish: (() => void) | null = null;
  private result: Promise<KernelRecord[]> | null = null;

  get running(): boolean {
    return this.finish !== null;
  }

  start(): void {
    if (this.finish !== null) return;
    const done = new Promise<void>((resolve) => (this.finish = resolve));
    this.result = tfc.profile(() => done.then(() => [])).then((info) =>
      info.kernels.map((k) => ({
        name: k.name,
        ms: Number(k.kernelTimeMs) || 0,
        inputShapes: k.inputShapes as Array<number[] | null>,
        outputShapes: k.outputShapes,
        bytesAdded: k.bytesAdded,
      })),
    );
  }

  /** Ends the recording; the kernels arrive once their timings are in. */
  stop(): Promise<KernelRecord[]> {
    const finish = this.finish;
    const result = this.result ?? Promise.resolve([]);
    this.finish = null;
    this.result = null;
    finish?.();
    return result;
  }
}

/** A Markdown table of the kernels, grouped by name, by total time. */
export function kernelTable(kernels: KernelRecord[], title: string): string {
  const byName = new Map<string, { count: number; ms: number; bytes: number }>();
  for (const k of kernels) {
    const row = byName.get(k.name) ?? { count: 0, ms: 0, bytes: 0 };
    row.count++;
    row.ms += k.ms;
    row.bytes += Math.max(0, k.bytesAdded);
    byName.set(k.name, row);
  }
  const total = kernels.reduce((s, k) => s + k.ms, 0);
  const rows = [...byName.entries()].sort((a, b) => b[1].ms - a[1].ms);
  return [
    `${title}: ${kernels.length} kernels, ${total.toFixed(3)} ms in kernels.`,
    '',
    '| kernel | calls | total ms | share | bytes added |',
    '|---|---|---|---|---|',
    ...rows.map(([name, r]) => `| ${name} | ${r.count} | ${r.ms.toFixed(3)} | ${total > 0 ? ((100 * r.ms) / total).toFixed(1) : '0.0'}% | ${r.bytes} |`),
  ].join('\n');
}

/** Writes the trace file under `<trainDir>/plugins/profile/<date>/` and the table to the writer. */
export function writeProfile(writer: SummaryWriter, trainDir: string, kernels: KernelRecord[], first: number, last: number): string {
  const title = first === last ? `batch ${first}` : `batches ${first} to ${last}`;
  writer.text(`profile/batch_${first}${first === last ? '' : `_${last}`}`, kernelTable(kernels, `Profile of ${title}`), last);
  const d = new Date();
  const pad = (n: number): string => String(n).padStart(2, '0');
  const run = `${d.getFullYear()}_${pad(d.getMonth() + 1)}_${pad(d.getDate())}_${pad(d.getHours())}_${pad(d.getMinutes())}_${pad(d.getSeconds())}`;
  const dir = path.join(trainDir, 'plugins', 'profile', run);
  fs.mkdirSync(dir, { recursive: true });
  let ts = 0;
  const traceEvents = kernels.map((k) => {
    const event = { name: k.name, ph: 'X', pid: 1, tid: 1, ts, dur: k.ms * 1000, args: { inputShapes: k.inputShapes, outputShapes: k.outputShapes, bytesAdded: k.bytesAdded } };
    ts += k.ms * 1000;
    return event;
  });
  const file = path.join(dir, `${os.hostname()}.trace.json.gz`);
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, zlib.gzipSync(JSON.stringify({ displayTimeUnit: 'ms', traceEvents })));
  fs.renameSync(tmp, file);
  return file;
}
