/**
 * The training engine behind compile: fit, evaluate, trainOnBatch and testOnBatch, over one kind
 * of batch source (arrays or a dataset). A model holds one Trainer after compile; the trainer holds
 * the optimizer, the losses and the metrics.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ensureBackend } from '../backend/backend';
import { Callback, Logs, TrainingParams } from '../callbacks/callback';
import { CallbackList } from '../callbacks/callback_list';
import { History } from '../callbacks/history';
import { ProgbarLogger } from '../callbacks/progbar_logger';
import { DataInput } from '../data/adapter';
import { ArrayBatches } from '../data/batches';
import { ArraySource, Batch, BatchSource, Dataset, DatasetElement, DatasetSource, isDataset } from '../data/sources';
import { RuntimeError, ValueError } from '../engine/errors';
import type { Mask } from '../engine/masking';
import { maskedSampleWeight } from '../losses/mask';
import { Mean, Metric } from '../metrics';
import type { Optimizer } from '../optimizers';
import { buildMetric, CompileArgs, CompiledLoss, MetricSlot, resolveLoss, resolveMetrics, resolveOptimizer } from './compile_config';
import {
  checkBatchSize, checkFitArgs, CheckedFitArgs, EvaluateArgs, FitArgs, PredictArgs, PreparedData, prepareData, splitValidation,
  validatesAt, WeightArgs,
} from './fit_args';
import type { TrainableModel } from './trainable_model';

export interface OnBatchArgs extends WeightArgs {
  /** Return { loss, ... } instead of [loss, ...]. @default false */
  returnDict?: boolean;
}

export class Trainer {
  readonly optimizer: Optimizer;
  readonly loss: CompiledLoss;
  private readonly metricSlots: MetricSlot[];
  /** Running mean of the total loss and, with several outputs, of each output's loss. */
  private readonly lossTrackers: Mean[];
  private running = false;

  constructor(
    private readonly model: TrainableModel,
    args: CompileArgs,
  ) {
    this.optimizer = resolveOptimizer(args.optimizer);
    this.loss = resolveLoss(args, model.outputNames);
    this.metricSlots = resolveMetrics(args, model.outputNames);
    const names = this.loss.names.length > 1 ? ['loss', ...this.loss.names] : ['loss'];
    this.lossTrackers = names.map((n) => new Mean(n));
  }

  async fit(x: DataInput | Dataset, y: DataInput | undefined, args: FitArgs = {}): Promise<History> {
    const opts = checkFitArgs(args);
    return this.exclusive('fit', async () => {
      await ensureBackend();
      const owned: tfc.Tensor[] = [];
      try {
        const { train, val } = this.fitSources(x, y, opts, owned);
        const history = new History();
        const progbar = opts.verbose > 0 ? [new ProgbarLogger({ verbose: opts.verbose as 1 | 2 })] : [];
        const list = new CallbackList([...progbar, ...(opts.callbacks as Callback[]), history]);
        await this.trainEpochs(train, val, opts, list);
        return history;
      } finally {
        owned.forEach((t) => t.dispose());
      }
    });
  }

  private fitSources(x: DataInput | Dataset, y: DataInput | undefined, opts: CheckedFitArgs, owned: tfc.Tensor[]): { train: BatchSource; val?: BatchSource } {
    const weights = { sampleWeight: opts.sampleWeight, classWeight: opts.classWeight };
    let train: BatchSource;
    let val: BatchSource | undefined;
    if (isDataset(x)) {
      if (opts.validationSplit > 0) {
        throw new ValueError('fit: `validationSplit` needs array data; with a dataset pass validationData. help: e.g. {validationData: valDataset}.');
      }
      train = new DatasetSource(x, (el) => this.convertElement(el, 'fit', opts.classWeight), opts.stepsPerEpoch, 'fit');
    } else {
      if (y === undefined) throw new ValueError('fit: `y` is missing. help: call fit(x, y, options), or fit(dataset, options).');
      const all = prepareData(this.model, this.loss, x, y, 'fit', weights);
      owned.push(...all.owned);
      const split = opts.validationData === undefined ? splitValidation(all, opts.validationSplit) : { train: all, val: undefined };
      owned.push(...split.train.owned, ...(split.val?.owned ?? []));
      train = new ArraySource(split.train.xs, split.train.ys, split.train.sw, opts.batchSize);
      if (split.val) val = new ArraySource(split.val.xs, split.val.ys, split.val.sw, opts.batchSize);
    }
    if (opts.validationData !== undefined) val = this.evaluationSource(opts.validationData, opts.batchSize, opts.validationSteps, 'fit: validationData', owned);
    return { train, val };
  }

  /** A source to evaluate on: a dataset, or [x, y] / [x, y, sampleWeight]. */
  private evaluationSource(
    data: [DataInput, DataInput] | [DataInput, DataInput, DataInput] | Dataset,
    batchSize: number,
    steps: number | undefined,
    where: string,
    owned: tfc.Tensor[],
  ): BatchSource {
    if (isDataset(data)) return new DatasetSource(data, (el) => this.convertElement(el, where), steps, where);
    if (!Array.isArray(data) || data.length < 2 || data.length > 3) {
      throw new ValueError(`${where}: expected [x, y], [x, y, sampleWeight] or a dataset. help: e.g. {validationData: [xTest, yTest]}.`);
    }
    const [vx, vy, vsw] = data as [DataInput, DataInput, DataInput?];
    const prepared = prepareData(this.model, this.loss, vx, vy, where, { sampleWeight: vsw });
    owned.push(...prepared.owned);
    return new ArraySource(prepared.xs, prepared.ys, prepared.sw, batchSize);
  }

  /** A dataset element as a Batch; every tensor in it (the caller's too) is disposed after its step. */
  private convertElement(element: DatasetElement, where: string, classWeight?: Record<number, number>): Batch {
    const [x, y, sampleWeight] = Array.isArray(element) ? element : [element?.xs, element?.ys, element?.sampleWeight];
    if (x === undefined || y === undefined) {
      throw new ValueError(`${where}: each dataset element must be {xs, ys, sampleWeight?} or [x, y, sampleWeight?], got ${JSON.stringify(element)?.slice(0, 80)}.`);
    }
    const data = prepareData(this.model, this.loss, x, y, `${where} (dataset batch)`, { sampleWeight, classWeight });
    const given = [x, y, sampleWeight].filter((t): t is tfc.Tensor => t instanceof tfc.Tensor);
    return { xs: data.xs, ys: data.ys, sw: data.sw, dispose: () => tfc.dispose([...data.owned, ...given]) };
  }

  private async trainEpochs(train: BatchSource, val: BatchSource | undefined, opts: CheckedFitArgs, list: CallbackList): Promise<void> {
    const params: TrainingParams = {
      epochs: opts.epochs, steps: train.steps, samples: train.samples, verbose: opts.verbose, batchSize: opts.batchSize,
    };
    this.model.stopTraining = false;
    list.setup(this.model, params);
    await list.trainBegin();
    for (let epoch = opts.initialEpoch; epoch < opts.epochs && !this.model.stopTraining; epoch++) {
      await list.epochBegin(epoch);
      this.resetState();
      let b = 0;
      for await (const batch of train.epoch(opts.shuffle)) {
        await list.batchBegin(b);
        try {
          tfc.tidy(() => this.trainStep(batch));
        } finally {
          batch.dispose();
        }
        await list.batchEnd(b, () => this.readLogs());
        b++;
        if (this.model.stopTraining) break;
      }
      if (train instanceof DatasetSource && train.exhausted) this.ranOut(train, epoch, b);
      const logs = this.readLogs();
      if (val !== undefined && validatesAt(epoch, opts.validationFreq)) Object.assign(logs, prefixed(await this.evaluateSource(val), 'val_'));
      await list.epochEnd(epoch, logs);
      await new Promise((resolve) => setImmediate(resolve)); // let timers and signals run between epochs
    }
    await list.trainEnd();
  }

  private ranOut(source: DatasetSource, epoch: number, batches: number): void {
    process.stderr.write(
      `${source.what}: the dataset ran out of data in epoch ${epoch + 1} after ${batches} of ${source.steps} batches; training stops. ` +
        'help: make the dataset repeat (an endless generator), or lower stepsPerEpoch.\n',
    );
    this.model.stopTraining = true;
  }

  /** The total loss (with regularization) of one batch, keeping the predictions for the metrics. */
  private forwardLoss(batch: Batch, training: boolean): { total: tfc.Scalar; perOutput: tfc.Scalar[]; preds: tfc.Tensor[]; masks: Mask[] } {
    const ctx = { training, losses: [] as tfc.Tensor[], dataInputs: new Set(batch.xs) };
    const { outputs: preds, masks } = this.model.forwardMasked(batch.xs, ctx);
    const { total, perOutput } = this.loss.compute(batch.ys, preds, batch.sw, masks);
    const penalty = this.model.weightPenalty();
    const extra = penalty ? [...ctx.losses, penalty] : ctx.losses;
    return { total: extra.length > 0 ? (tfc.addN([total, ...extra]) as tfc.Scalar) : total, perOutput, preds, masks };
  }

  /** Builds the metrics on first use (before any update), so one that does not fit the output is refused at once. */
  private ensureMetrics(ys: tfc.Tensor[]): void {
    for (const slot of this.metricSlots) {
      if (slot.metric !== null) continue;
      const o = slot.output;
      const predShape = this.model.outputShapes[o].map((d) => d ?? ys[o].shape[0]);
      buildMetric(slot, this.loss.losses[o], ys[o].shape, predShape);
    }
  }

  /** One optimizer step on one batch; updates the running loss and metrics on the device. */
  private trainStep(batch: Batch): void {
    this.ensureMetrics(batch.ys);
    const variables = this.model.trainableWeights.map((w) => w.value);
    let kept: { perOutput: tfc.Scalar[]; preds: tfc.Tensor[]; masks: Mask[] } = { perOutput: [], preds: [], masks: [] };
    const lossFn = (): tfc.Scalar => {
      const { total, perOutput, preds, masks } = this.forwardLoss(batch, true);
      const masked = masks.filter((m): m is tfc.Tensor => m !== null);
      [...preds, ...perOutput, ...masked].forEach((t) => tfc.keep(t)); // read by the metrics after the tape closes
      kept = { perOutput, preds, masks };
      return total;
    };
    let total: tfc.Scalar;
    if (variables.length > 0) {
      const { value, grads } = tfc.variableGrads(lossFn, variables);
      this.optimizer.applyGradients(variables.map((v) => [grads[v.name], v]));
      this.model.applyConstraints();
      total = value;
    } else {
      total = lossFn();
    }
    this.updateState(batch, kept.preds, total, kept.perOutput, kept.masks);
    tfc.dispose([...kept.preds, ...kept.perOutput, ...kept.masks.filter((m): m is tfc.Tensor => m !== null)]);
  }

  private testStep(batch: Batch): void {
    this.ensureMetrics(batch.ys);
    const { total, perOutput, preds, masks } = this.forwardLoss(batch, false);
    this.updateState(batch, preds, total, perOutput, masks);
  }

  private updateState(batch: Batch, preds: tfc.Tensor[], total: tfc.Scalar, perOutput: tfc.Scalar[], masks: Mask[]): void {
    const n = batch.ys[0].shape[0];
    this.lossTrackers[0].updateWeighted(total, n);
    if (this.lossTrackers.length > 1) perOutput.forEach((l, i) => this.lossTrackers[i + 1].updateWeighted(l, n));
    for (const slot of this.metricSlots) {
      const o = slot.output;
      const mask = masks[o];
      const sw = mask ? maskedSampleWeight(mask, batch.sw?.[o], false) : batch.sw?.[o];
      (slot.metric as Metric).updateState(batch.ys[o], preds[o], sw);
    }
  }

  /** Resets the running loss and every metric (as at the start of each epoch). */
  resetState(): void {
    this.lossTrackers.forEach((t) => t.resetState());
    this.metricSlots.forEach((s) => s.metric?.resetState());
  }

  /** The running values, read from the device: { loss, <output>_loss..., metrics... }. */
  private readLogs(): Logs {
    const logs: Logs = {};
    const read = (name: string, m: Metric | null): void => {
      if (m === null) return;
      const r = m.result();
      logs[name] = r.dataSync()[0];
      r.dispose();
    };
    this.lossTrackers.forEach((t, i) => read(i === 0 ? 'loss' : this.loss.names[i - 1], t));
    this.metricSlots.forEach((s) => read(s.logName, s.metric));
    return logs;
  }

  async evaluate(x: DataInput | Dataset, y: DataInput | undefined, args: EvaluateArgs = {}): Promise<number[] | Logs> {
    const batchSize = checkBatchSize(args.batchSize ?? 32, 'evaluate');
    return this.exclusive('evaluate', async () => {
      await ensureBackend();
      const owned: tfc.Tensor[] = [];
      try {
        let source: BatchSource;
        if (isDataset(x)) source = new DatasetSource(x, (el) => this.convertElement(el, 'evaluate'), args.steps, 'evaluate');
        else {
          if (y === undefined) throw new ValueError('evaluate: `y` is missing. help: call evaluate(x, y), or evaluate(dataset).');
          source = this.evaluationSource([x, y, args.sampleWeight as DataInput], batchSize, undefined, 'evaluate', owned);
        }
        const logs = await this.evaluateSource(source);
        if ((args.verbose ?? 0) > 0) process.stdout.write(`${Object.entries(logs).map(([k, v]) => `${k}: ${v.toFixed(4)}`).join(' - ')}\n`);
        return args.returnDict ? logs : Object.values(logs);
      } finally {
        owned.forEach((t) => t.dispose());
      }
    });
  }

  private async evaluateSource(source: BatchSource): Promise<Logs> {
    this.resetState();
    for await (const batch of source.epoch(false)) {
      try {
        tfc.tidy(() => this.testStep(batch));
      } finally {
        batch.dispose();
      }
    }
    return this.readLogs();
  }

  /** One optimizer step on exactly this batch; returns the running loss and metrics (reset with resetState). */
  trainOnBatch(x: DataInput, y: DataInput, args: OnBatchArgs = {}): number[] | Logs {
    return this.onBatch(x, y, args, 'trainOnBatch', (batch) => this.trainStep(batch));
  }

  /** The loss and metrics of exactly this batch, added to the running values. */
  testOnBatch(x: DataInput, y: DataInput, args: OnBatchArgs = {}): number[] | Logs {
    return this.onBatch(x, y, args, 'testOnBatch', (batch) => this.testStep(batch));
  }

  private onBatch(x: DataInput, y: DataInput, args: OnBatchArgs, where: string, step: (b: Batch) => void): number[] | Logs {
    if (this.running) throw new RuntimeError(`${this.model.name}.${where}: the model is running fit or evaluate. help: await it first.`);
    const data: PreparedData = prepareData(this.model, this.loss, x, y, where, args);
    try {
      tfc.tidy(() => step({ xs: data.xs, ys: data.ys, sw: data.sw, dispose: () => undefined }));
    } finally {
      data.owned.forEach((t) => t.dispose());
    }
    const logs = this.readLogs();
    return args.returnDict ? logs : Object.values(logs);
  }

  /** Runs `fn` unless this model is already fitting or evaluating. */
  private async exclusive<T>(what: string, fn: () => Promise<T>): Promise<T> {
    if (this.running) {
      throw new RuntimeError(
        `${this.model.name}.${what}: the model is already running fit or evaluate. help: await the running call before starting another.`,
      );
    }
    this.running = true;
    try {
      return await fn();
    } finally {
      this.running = false;
    }
  }

  dispose(): void {
    this.optimizer.dispose();
    this.lossTrackers.forEach((t) => t.dispose());
    this.metricSlots.forEach((s) => s.metric?.dispose());
  }
}

/** Batched inference: one tensor per output, owned by the caller. Needs no compile. */
export function predictBatches(model: TrainableModel, xs: tfc.Tensor[], args: PredictArgs = {}): tfc.Tensor[] {
  const batchSize = checkBatchSize(args.batchSize ?? 32, 'predict');
  const batches = new ArrayBatches(xs, batchSize);
  const epoch = batches.epoch(false);
  const parts: tfc.Tensor[][] = model.outputNames.map(() => []);
  for (let b = 0; b < batches.numBatches; b++) {
    const outs = tfc.tidy(() => model.forward(epoch.batch(b), { training: false }));
    outs.forEach((o, i) => parts[i].push(o));
  }
  return parts.map((list) => {
    if (list.length === 1) return list[0];
    const joined = tfc.concat(list, 0);
    list.forEach((t) => t.dispose());
    return joined;
  });
}

function prefixed(logs: Logs, prefix: string): Logs {
  return Object.fromEntries(Object.entries(logs).map(([k, v]) => [prefix + k, v]));
}
