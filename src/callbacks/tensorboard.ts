/**
 * Keras's TensorBoard callback: event files under `logDir/train` and `logDir/validation` with the
 * epoch's loss and metrics (`epoch_loss`, `epoch_accuracy`, `epoch_learning_rate`), the validation
 * results against the optimizer's step count (`evaluation_loss_vs_iterations`), batch values
 * (`batch_loss`) every `updateFreq` batches, weight histograms and images every `histogramFreq`
 * epochs, the model's graph, and a kernel profile of the `profileBatch` batches. Each fit writes new
 * files; events are flushed at every epoch end and every `flushSecs`.
 */
import * as path from 'path';
import { ValueError } from '../engine/errors';
import { checkOptions, optionKeys } from '../engine/options';
import { GraphModel, isGraphModel } from '../summary/graph_model';
import { BatchProfiler, writeProfile } from '../summary/profiler';
import { SummaryWriter } from '../summary/summary_writer';
import { writeWeightSummaries } from '../summary/weight_summaries';
import { BaseCallback, CallbackModel, Logs } from './callback';

export interface TensorBoardArgs {
  /** Where the event files go (`<logDir>/train`, `<logDir>/validation`). Keras: `log_dir` @default 'logs' */
  logDir?: string;
  /** Write weight histograms every this many epochs; 0 writes none. Keras: `histogram_freq` @default 0 */
  histogramFreq?: number;
  /** Write the model's graph (the Graphs tab). Keras: `write_graph` @default true */
  writeGraph?: boolean;
  /** With histograms, also write the kernels and biases as images. Keras: `write_images` @default false */
  writeImages?: boolean;
  /** Also log training steps per second. Keras: `write_steps_per_second` @default false */
  writeStepsPerSecond?: boolean;
  /**
   * 'epoch': values once per epoch; 'batch' or N: also `batch_*` values every N batches. Keras: `update_freq`
   * @default 'epoch'
   */
  updateFreq?: 'epoch' | 'batch' | number;
  /**
   * Profile this batch (1-based, counted over the fit), or the batches [first, last]; 0 profiles none. Keras:
   * `profile_batch` @default 0
   */
  profileBatch?: number | [number, number];
  /**
   * Seconds between automatic flushes of the event files. Keras: none (tf.summary's `flush_millis`, 120000)
   * @default 120
   */
  flushSecs?: number;
}
const KEYS = optionKeys<TensorBoardArgs>()('logDir', 'histogramFreq', 'writeGraph', 'writeImages', 'writeStepsPerSecond', 'updateFreq', 'profileBatch', 'flushSecs');

export class TensorBoard extends BaseCallback {
  /** In a data-parallel run only process 0 writes. */
  readonly rankZeroOnly = true;
  readonly logDir: string;
  readonly histogramFreq: number;
  readonly writeGraph: boolean;
  readonly writeImages: boolean;
  readonly writeStepsPerSecond: boolean;
  /** 'epoch', or every how many batches the batch values are written. */
  readonly updateFreq: 'epoch' | number;
  readonly profileBatch: [number, number];
  private readonly flushSecs: number;
  private writers: { train?: SummaryWriter; validation?: SummaryWriter } = {};
  private globalBatch = 0;
  private batchStart = 0;
  private epochStart = 0;
  private epochStartIterations = 0;
  private readonly profiler = new BatchProfiler();
  private pendingProfile: Promise<void> | null = null;

  constructor(args: TensorBoardArgs = {}) {
    super();
    checkOptions('TensorBoard', args, KEYS);
    this.logDir = args.logDir ?? 'logs';
    if (typeof this.logDir !== 'string' || this.logDir.length === 0) {
      throw new ValueError(`TensorBoard: \`logDir\` must be a directory path, got ${JSON.stringify(args.logDir)}. help: e.g. {logDir: 'runs/mlp'}.`);
    }
    this.histogramFreq = checkCount('histogramFreq', args.histogramFreq ?? 0, 0);
    this.writeGraph = args.writeGraph ?? true;
    this.writeImages = args.writeImages ?? false;
    this.writeStepsPerSecond = args.writeStepsPerSecond ?? false;
    const freq = args.updateFreq ?? 'epoch';
    this.updateFreq = freq === 'batch' ? 1 : freq === 'epoch' ? 'epoch' : checkCount('updateFreq', freq, 1, "'epoch', 'batch' or ");
    this.profileBatch = profileRange(args.profileBatch ?? 0);
    this.flushSecs = args.flushSecs ?? 120;
    if (!(this.flushSecs > 0)) throw new ValueError(`TensorBoard: \`flushSecs\` must be a positive number, got ${this.flushSecs}. help: e.g. {flushSecs: 30}.`);
  }

  private writer(kind: 'train' | 'validation'): SummaryWriter {
    return (this.writers[kind] ??= new SummaryWriter(path.join(this.logDir, kind), { flushSecs: this.flushSecs }));
  }

  private get graphModel(): GraphModel | null {
    return isGraphModel(this.model) ? this.model : null;
  }

  private get iterations(): number {
    return (this.model?.optimizer as { iterations?: number } | undefined)?.iterations ?? this.globalBatch;
  }

  override setModel(model: CallbackModel): void {
    super.setModel(model);
    if (this.histogramFreq > 0 && !isGraphModel(model)) {
      throw new ValueError('TensorBoard: `histogramFreq` needs a model with layers (a functional Model or a built Sequential). help: set histogramFreq: 0.');
    }
  }

  onTrainBegin(): void {
    this.closeWriters(); // left open by a fit that threw
    this.globalBatch = 0;
    const model = this.graphModel;
    if (this.writeGraph && model !== null) this.writer('train').graph(model);
  }

  onEpochBegin(): void {
    this.epochStart = Date.now();
    this.epochStartIterations = this.iterations;
  }

  onBatchBegin(): void {
    this.globalBatch++;
    if (this.writeStepsPerSecond) this.batchStart = performance.now();
    if (this.globalBatch === this.profileBatch[0] && this.profileBatch[0] > 0) this.profiler.start();
  }

  /** Reads the batch's values from the device only on the batches that write them. */
  onBatchEndLazy(_batch: number, readLogs: () => Logs): void {
    const step = this.globalBatch;
    if (this.profiler.running && step >= this.profileBatch[1]) this.stopProfile();
    if (this.writeStepsPerSecond) {
      const seconds = Math.max(1e-9, (performance.now() - this.batchStart) / 1000);
      this.writer('train').scalar('batch_steps_per_second', 1 / seconds, step);
    }
    if (this.updateFreq === 'epoch' || step % this.updateFreq !== 0) return;
    const train = this.writer('train');
    for (const [name, value] of Object.entries(readLogs())) train.scalar(`batch_${name}`, value, step);
  }

  private stopProfile(): void {
    const [first, last] = [this.profileBatch[0], Math.min(this.profileBatch[1], this.globalBatch)];
    const train = this.writer('train');
    this.pendingProfile = this.profiler.stop().then((kernels) => void writeProfile(train, path.join(this.logDir, 'train'), kernels, first, last));
  }

  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    await this.finishProfile();
    const trainLogs: Logs = {};
    const valLogs: Logs = {};
    for (const [k, v] of Object.entries(logs)) {
      if (k.startsWith('val_')) valLogs[k.slice(4)] = v;
      else trainLogs[k] = v;
    }
    const lr = this.model?.optimizer?.learningRate;
    if (typeof lr === 'number') trainLogs.learning_rate = lr;
    if (this.writeStepsPerSecond) trainLogs.steps_per_second = (this.iterations - this.epochStartIterations) / Math.max(1e-9, (Date.now() - this.epochStart) / 1000);
    const train = this.writer('train');
    for (const [k, v] of Object.entries(trainLogs)) train.scalar(`epoch_${k}`, v, epoch);
    if (Object.keys(valLogs).length > 0) {
      const val = this.writer('validation');
      for (const [k, v] of Object.entries(valLogs)) val.scalar(`epoch_${k}`, v, epoch);
      for (const [k, v] of Object.entries(valLogs)) val.scalar(`evaluation_${k}_vs_iterations`, v, this.iterations);
      val.flush();
    }
    const model = this.graphModel;
    if (this.histogramFreq > 0 && epoch % this.histogramFreq === 0 && model !== null) writeWeightSummaries(train, model.layers, epoch, this.writeImages);
    train.flush();
  }

  async onTrainEnd(): Promise<void> {
    if (this.profiler.running) this.stopProfile();
    await this.finishProfile();
    this.closeWriters();
  }

  private closeWriters(): void {
    this.writers.train?.close();
    this.writers.validation?.close();
    this.writers = {};
  }

  private async finishProfile(): Promise<void> {
    const pending = this.pendingProfile;
    this.pendingProfile = null;
    await pending;
  }
}

function checkCount(name: string, value: unknown, min: number, also = ''): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ValueError(`TensorBoard: \`${name}\` must be ${also}an integer >= ${min}, got ${JSON.stringify(value)}. help: e.g. {${name}: ${Math.max(min, 1)}}.`);
  }
  return value;
}

function profileRange(value: number | [number, number]): [number, number] {
  const range = typeof value === 'number' ? [value, value] : value;
  const ok = Array.isArray(range) && range.length === 2 && range.every((b) => Number.isInteger(b) && b >= 0) && range[0] <= range[1] && (range[0] > 0 || range[1] === 0);
  if (!ok) {
    throw new ValueError(
      `TensorBoard: \`profileBatch\` must be a batch number (1-based) or a range [first, last] of them, got ${JSON.stringify(value)}. help: e.g. {profileBatch: 5} or {profileBatch: [10, 20]}; 0 profiles none.`,
    );
  }
  return range as [number, number];
}
