/**
 * k.summary: event files that TensorBoard reads, as tf.summary writes them.
 *
 *   const writer = k.summary.createFileWriter('runs/custom').setAsDefault();
 *   for (let step = 0; step < 100; step++) k.summary.scalar('loss', loss, step);
 *   k.summary.close();
 */
import type * as tfc from '@tensorflow/tfjs-core';
import { getDefaultWriter, HistogramArgs, ImageArgs, SummaryData, SummaryWriter, SummaryWriterArgs } from './summary_writer';

export { SummaryWriter } from './summary_writer';
export type { HistogramArgs, ImageArgs, SummaryData, SummaryWriterArgs } from './summary_writer';
export { modelGraphDef } from './graph_def';
export { histogramBuckets } from './histogram';
export { frameRecord, maskedCrc32c } from './record';

/** A writer appending to a new event file in `logDir` (created if missing). */
export function createFileWriter(logDir: string, args?: SummaryWriterArgs): SummaryWriter {
  return new SummaryWriter(logDir, args);
}

/** Writes a scalar with the default writer (see SummaryWriter.setAsDefault). */
export function scalar(name: string, value: number | tfc.Tensor, step: number, description?: string): void {
  getDefaultWriter().scalar(name, value, step, description);
}

/** Writes a histogram with the default writer. */
export function histogram(name: string, data: SummaryData, step: number, args?: HistogramArgs): void {
  getDefaultWriter().histogram(name, data, step, args);
}

/** Writes Markdown text with the default writer. */
export function text(name: string, value: string, step: number, description?: string): void {
  getDefaultWriter().text(name, value, step, description);
}

/** Writes images ([k, height, width, channels], values in [0, 1]) with the default writer. */
export function image(name: string, images: tfc.Tensor, step: number, args?: ImageArgs): void {
  getDefaultWriter().image(name, images, step, args);
}

/** Flushes the default writer. */
export function flush(): void {
  getDefaultWriter().flush();
}

/** Closes the default writer. */
export function close(): void {
  getDefaultWriter().close();
}
