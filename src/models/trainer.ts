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
import { formatBar, formatCount, formatElapsed } from '../callbacks/progbar_format';
import { ProgbarLogger } from '../callbacks/progbar_logger';
import { DataInput } from '../data/adapter';
import { ArrayBatches } from '../data/batches';
import { ArraySource, Batch, BatchSource, Dataset, DatasetElement, DatasetSource, isDataset } from '../data/sources';
import { activeRun } from '../distribution/distribution';
import type { DistributedRun } from '../distribution/distributed_run';
import { RuntimeError, ValueError } from '../engine/errors';
import type { Optimizer } from '../optimizers';
import type { CompileArgs, CompiledLoss } from './compile_config';
import { CompiledStep, stepData, StepLogs } from './compiled_step';
import { checkOptions, optionKeys } from '../engine/options';
import {
  checkBatchSize, checkFitArgs, CheckedFitArgs, checkVerbose, EvaluateArgs, EVALUATE_KEYS, FitArgs, PredictArgs, PREDICT_KEYS, validatesAt,
} from './fit_args';
import { PreparedData, prepareData, splitValidation, WeightArgs } from './prepare_data';
import type { TrainableModel } from './trainable_model';

export interface OnBatchArgs extends WeightArgs {
  /** Return { loss, ... } instead of [loss, ...]. @default false */
  returnDict?: boolean;
}

const ON_BATCH_KEYS = optionKeys<OnBatchArgs>()('sampleWeight', 'classWeight', 'returnDict');

export class Trainer {
  /** The optimizer, losses and metrics, and the built-in steps. */
  readonly step: CompiledStep;
  private running = false;
  /** What the last custom step returned (kept on the device), when the model overrides trainStep or testStep. */
  private stepLogs: StepLogs | null = null;
  /** The data-parallel run in progress (several processes), or null. */
  private run: DistributedRun | null = null;

  constructor(
    private readonly model: TrainableModel,
    /** What compile was given (saved with the model, so loading can compile it again). */
    readonly args: CompileArgs,
  ) {
    this.step = new CompiledStep(model, args);
  }

  get optimizer(): Optimizer {
    return this.step.optimizer;
  }

  get loss(): CompiledLoss {
    return this.step.loss;
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
        const all = [...progbar, ...(opts.callbacks as Callback[]), history];
        const list = new CallbackList(this.run === null ? all : all.filter((c) => this.run?.keeps(c)));
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
      const all = prepareData(this.model, this.loss, { x, y, where: 'fit', ...weights });
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
    const prepared = prepareData(this.model, this.loss, { x: vx, y: vy, where, sampleWeight: vsw });
    owned.push(...prepared.owned);
    return new ArraySource(prepared.xs, prepared.ys, prepared.sw, batchSize);
  }

  /** A dataset element as a Batch; every tensor in it (the caller's too) is disposed after its step. */
  private convertElement(element: DatasetElement, where: string, classWeight?: Record<number, number>): Batch {
    const [x, y, sampleWeight] = Array.isArray(element) ? element : [element?.xs, element?.ys, element?.sampleWeight];
    if (x === undefined || y === undefined) {
      throw new ValueError(`${where}: each dataset element must be {xs, ys, sampleWeight?} or [x, y, sampleWeight?], got ${JSON.stringify(element)?.slice(0, 80)}.`);
    }
    const data = prepareData(this.model, this.loss, { x, y, where: `${where} (dataset batch)`, sampleWeight, classWeight, checkValues: false });
    const given = [x, y, sampleWeight].filter((t): t is tfc.Tensor => t instanceof tfc.Tensor);
    return { xs: data.xs, ys: data.ys, sw: data.sw, dispose: () => tfc.dispose([...data.owned, ...given]) };
  }

  private async trainEpochs(train: BatchSource, val: BatchSource | undefined, opts: CheckedFitArgs, list: CallbackList): Promise<void> {
    const params: TrainingParams = {
      epochs: opts.epochs, steps: train.steps, samples: train.samples, verbose: opts.verbose, batchSize: opts.batchSize,
      initialEpoch: opts.initialEpoch,
    };
    this.model.stopTraining = false;
    list.setup(this.model, params);
    await list.trainBegin();
    if (this.run !== null) {
      const model = this.model;
      params.initialEpoch = this.run.startFit({ weights: model.weights, trainableWeights: model.trainableWeights, optimizer: this.optimizer }, params.initialEpoch);
    }
    for (let epoch = params.initialEpoch; epoch < opts.epochs && !this.model.stopTraining; epoch++) {
      await list.epochBegin(epoch);
      this.resetState();
      let b = 0;
      for await (const batch of this.batches(train.epoch(opts.shuffle))) {
        await list.batchBegin(b);
        try {
          this.runStep('train', batch);
        } finally {
          batch.dispose();
        }
        await list.batchEnd(b, () => this.readLogs());
        b++;
        if (this.model.stopTraining) break;
      }
      if (train instanceof DatasetSource && train.exhausted) this.ranOut(train, epoch, b);
      this.run?.endEpoch(this.model.nonTrainableWeights);
      const logs = this.readLogs();
      if (val !== undefined && validatesAt(epoch, opts.validationFreq)) Object.assign(logs, prefixed(await this.evaluateSource(val), 'val_'));
      await list.epochEnd(epoch, logs);
      if (this.run !== null) this.model.stopTraining = this.run.anyStops(this.model.stopTraining);
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

  async evaluate(x: DataInput | Dataset, y: DataInput | undefined, args: EvaluateArgs = {}): Promise<number[] | Logs> {
    checkOptions('evaluate', args, EVALUATE_KEYS);
    const batchSize = checkBatchSize(args.batchSize ?? 32, 'evaluate');
    const verbose = checkVerbose(args.verbose, [0, 1], 0, 'evaluate');
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
        if (verbose > 0 && (this.run?.rank ?? 0) === 0) process.stdout.write(`${Object.entries(logs).map(([k, v]) => `${k}: ${v.toFixed(4)}`).join(' - ')}\n`);
        return args.returnDict ? logs : Object.values(logs);
      } finally {
        owned.forEach((t) => t.dispose());
      }
    });
  }

  private async evaluateSource(source: BatchSource): Promise<Logs> {
    this.resetState();
    for await (const batch of this.batches(source.epoch(false))) {
      try {
        this.runStep('test', batch);
      } finally {
        batch.dispose();
      }
    }
    return this.readLogs();
  }

  /** One optimizer step on exactly this batch; returns the running loss and metrics (reset with resetState). */
  trainOnBatch(x: DataInput, y: DataInput, args: OnBatchArgs = {}): number[] | Logs {
    return this.onBatch(x, y, args, 'trainOnBatch', 'train');
  }

  /** The loss and metrics of exactly this batch, added to the running values. */
  testOnBatch(x: DataInput, y: DataInput, args: OnBatchArgs = {}): number[] | Logs {
    return this.onBatch(x, y, args, 'testOnBatch', 'test');
  }

  private onBatch(x: DataInput, y: DataInput, args: OnBatchArgs, where: string, kind: 'train' | 'test'): number[] | Logs {
    checkOptions(where, args, ON_BATCH_KEYS);
    if (this.running) throw new RuntimeError(`${this.model.name}.${where}: the model is running fit or evaluate. help: await it first.`);
    const { sampleWeight, classWeight } = args;
    const data: PreparedData = prepareData(this.model, this.loss, { x, y, where, sampleWeight, classWeight, checkValues: false });
    try {
      const batch: Batch = { xs: data.xs, ys: data.ys, sw: data.sw, dispose: () => undefined };
      this.run = activeRun();
      const run = this.run;
      if (run === null) this.runStep(kind, batch);
      else {
        run.guardSync(where, () => {
          const part = run.shardOne(batch);
          try {
            this.runStep(kind, part);
          } finally {
            part.dispose();
          }
        });
      }
    } finally {
      this.run = null;
      data.owned.forEach((t) => t.dispose());
    }
    const logs = this.readLogs();
    return args.returnDict ? logs : Object.values(logs);
  }

  /** Runs `fn` unless this model is already fitting or evaluating (data-parallel when a distribution is in force). */
  private async exclusive<T>(what: string, fn: () => Promise<T>): Promise<T> {
    if (this.running) {
      throw new RuntimeError(
        `${this.model.name}.${what}: the model is already running fit or evaluate. help: await the running call before starting another.`,
      );
    }
    this.running = true;
    this.run = activeRun();
    try {
      return await (this.run === null ? fn() : this.run.guard(what, fn));
    } finally {
      this.running = false;
      this.run = null;
    }
  }

  /** The batches of one epoch: all of each batch, or this process's part of it when several train together. */
  private batches(epoch: Iterable<Batch> | AsyncIterable<Batch>): Iterable<Batch> | AsyncIterable<Batch> {
    return this.run === null ? epoch : this.run.shardBatches(epoch);
  }

  /**
   * Runs the model's trainStep or testStep (the built-in ones unless a subclass overrides them) in
   * one tidy scope; what a custom step returns is kept for the logs until the next step.
   */
  private runStep(kind: 'train' | 'test', batch: Batch): void {
    const data = stepData(batch.xs, batch.ys, batch.sw);
    const step = (): StepLogs => tfc.tidy(() => (kind === 'train' ? this.model.trainStep(data) : this.model.testStep(data)) ?? {}) as StepLogs;
    const logs = this.run === null ? step() : this.run.step(this.model, kind === 'train', step);
    if (Object.keys(logs).length === 0) return;
    this.clearStepLogs();
    this.stepLogs = logs;
  }

  /** Resets the running loss and every metric of the model (as at the start of each epoch). */
  resetState(): void {
    this.clearStepLogs();
    this.step.resetState();
    this.model.metrics.forEach((m) => m.resetState());
  }

  /** The values to log: what the last custom step returned, else the compiled loss and metrics. */
  private readLogs(): Logs {
    if (this.stepLogs === null) return this.step.readLogs();
    const logs: Logs = {};
    for (const [name, v] of Object.entries(this.stepLogs)) logs[name] = typeof v === 'number' ? v : v.dataSync()[0];
    return logs;
  }

  private clearStepLogs(): void {
    if (this.stepLogs !== null) tfc.dispose(Object.values(this.stepLogs).filter((v): v is tfc.Tensor => v instanceof tfc.Tensor));
    this.stepLogs = null;
  }

  dispose(): void {
    this.clearStepLogs();
    this.step.dispose();
  }
}

/** Batched inference: one tensor per output, owned by the caller. Needs no compile. With several processes, each predicts a part of the rows. */
export function predictBatches(model: TrainableModel, xs: tfc.Tensor[], args: PredictArgs = {}): tfc.Tensor[] {
  checkOptions('predict', args, PREDICT_KEYS);
  const run = activeRun();
  if (run === null) return predictLocal(model, xs, args);
  const quiet = run.rank === 0 ? args : { ...args, verbose: 0 as const };
  return run.guardSync('predict', () => run.predict(xs, (part) => predictLocal(model, part, quiet)));
}

function predictLocal(model: TrainableModel, xs: tfc.Tensor[], args: PredictArgs): tfc.Tensor[] {
  const batchSize = checkBatchSize(args.batchSize ?? 32, 'predict');
  const verbose = checkVerbose(args.verbose, [0, 1], 0, 'predict');
  const started = Date.now();
  const batches = new ArrayBatches(xs, batchSize);
  const epoch = batches.epoch(false);
  const parts: tfc.Tensor[][] = model.outputNames.map(() => []);
  for (let b = 0; b < batches.numBatches; b++) {
    const outs = tfc.tidy(() => model.forward(epoch.batch(b), { training: false }));
    outs.forEach((o, i) => parts[i].push(o));
  }
  if (verbose > 0) {
    const n = batches.numBatches;
    process.stdout.write(`${formatCount(n, n).trimStart()} ${formatBar(n, n)} - ${formatElapsed((Date.now() - started) / 1000, n, 'step')}\n`);
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
