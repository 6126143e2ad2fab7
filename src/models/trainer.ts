/**
 * The one training loop behind compile. fit and evaluate take their batches from one data adapter
 * (data/adapter.ts: arrays, tensors, iterables, async iterables) and hand each batch's data
 * straight to the model's own step:
 *
 *   fit(x, y)      -> adaptData -> each epoch, each batch: model.trainStep(batch.data) -> optimizer
 *   evaluate(x, y) -> adaptData -> each batch: model.testStep(batch.data)   (validation too)
 *   trainOnBatch / testOnBatch -> the same steps on exactly one batch
 *
 * The steps run in one tidy scope each; what a custom step returns is logged, else the compiled
 * loss and metrics. An epoch begins at its first batch, so a dataset that has run out adds no empty
 * epoch: training stops with Keras's warning. After each batch the loops give Node's event loop a
 * turn once ~25 ms have passed since the last (utils/event_loop.ts), so timers, servers and signal
 * handlers run during training, and one that sets stopTraining ends fit after the batch in
 * progress. fit calls every callback's onTrainExit however it ends, so the progress bar gives the
 * terminal back even when a step throws. Text goes through utils/logger. A model holds one Trainer
 * after compile; the trainer holds the optimizer, losses and metrics (compiled_step.ts). predict
 * needs no compile: predict_loop.ts.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ensureBackend } from '../backend/backend';
import { Callback, Logs, TrainingParams } from '../callbacks/callback';
import { CallbackList } from '../callbacks/callback_list';
import { History } from '../callbacks/history';
import { ProgbarLogger } from '../callbacks/progbar_logger';
import { AdaptOptions, adaptData, DataAdapter } from '../data/adapter';
import type { DataInput } from '../data/convert';
import { Dataset, describe, isDataset, runsOnce } from '../data/sources';
import { Batch, stepDataOf } from '../data/step_data';
import { activeRun } from '../distribution/distribution';
import type { DistributedRun } from '../distribution/distributed_run';
import { RuntimeError, ValueError } from '../engine/errors';
import { checkOptions, optionKeys } from '../engine/options';
import type { Optimizer } from '../optimizers';
import { YieldPoint } from '../utils/event_loop';
import { logLine, warn } from '../utils/logger';
import type { CompileArgs, CompiledLoss } from './compile_config';
import { CompiledStep, StepLogs } from './compiled_step';
import { checkBatchSize, checkFitArgs, CheckedFitArgs, checkVerbose, EvaluateArgs, EVALUATE_KEYS, FitArgs, validatesAt } from './fit_args';
import { modelConverter, WeightArgs } from './prepare_data';
import type { TrainableModel } from './trainable_model';

export interface OnBatchArgs extends WeightArgs {
  /** Return { loss, ... } instead of [loss, ...]. Keras: `return_dict` @default false */
  returnDict?: boolean;
}

const ON_BATCH_KEYS = optionKeys<OnBatchArgs>()('sampleWeight', 'classWeight', 'returnDict');

type ValidationData = NonNullable<FitArgs['validationData']>;

export class Trainer {
  /** The optimizer, losses and metrics, and the pieces of the built-in steps. */
  readonly step: CompiledStep;
  private running = false;
  /** What the last custom step returned (kept on the device), when the model overrides trainStep or testStep. */
  private stepLogs: StepLogs | null = null;
  /** The data-parallel run in progress (several processes), or null. */
  private run: DistributedRun | null = null;
  /** When the event loop last had a turn: the loops give it one at least every ~25 ms (utils/event_loop.ts). */
  private readonly turns = new YieldPoint();

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
      const { train, val } = this.fitData(x, y, opts);
      try {
        const history = new History();
        const progbar = opts.verbose > 0 ? [new ProgbarLogger({ verbose: opts.verbose as 1 | 2 })] : [];
        const all = [...progbar, ...(opts.callbacks as Callback[]), history];
        const list = new CallbackList(this.run === null ? all : all.filter((c) => this.run?.keeps(c)));
        try {
          await this.trainEpochs(train, val, opts, list);
        } finally {
          list.trainExit();
        }
        return history;
      } finally {
        train.dispose();
        val?.dispose();
      }
    });
  }

  /** The adapter to train on, and the one to validate on: validationData, or the last validationSplit of the arrays. */
  private fitData(x: DataInput | Dataset, y: DataInput | undefined, opts: CheckedFitArgs): { train: DataAdapter; val?: DataAdapter } {
    const data = adaptData({ x, y, sampleWeight: opts.sampleWeight }, this.adaptOptions('fit', opts.batchSize, opts.stepsPerEpoch, opts.classWeight));
    if (opts.validationData === undefined) return opts.validationSplit > 0 ? data.split(opts.validationSplit) : { train: data };
    try {
      return { train: data, val: this.validationAdapter(opts.validationData, opts) };
    } catch (e) {
      data.dispose();
      throw e;
    }
  }

  private validationAdapter(data: ValidationData, opts: CheckedFitArgs): DataAdapter {
    const where = 'fit: validationData';
    const adapt = this.adaptOptions(where, opts.batchSize, opts.validationSteps);
    if (isDataset(data)) {
      const runs = validationRuns(opts);
      if (runsOnce(data) && opts.validationSteps === undefined && runs > 1) {
        throw new ValueError(
          `${where}: ${describe(data)} runs only once, but validation runs ${runs} times. help: pass an object whose ` +
            '[Symbol.iterator]() starts afresh, arrays [x, y], or an endless generator with validationSteps.',
        );
      }
      return adaptData({ x: data }, adapt);
    }
    if (!Array.isArray(data) || data.length < 2 || data.length > 3) {
      throw new ValueError(`${where}: expected [x, y], [x, y, sampleWeight] or a dataset, got ${describe(data)}. help: e.g. {validationData: [xTest, yTest]}.`);
    }
    const [x, y, sampleWeight] = data as [DataInput, DataInput, DataInput?];
    return adaptData({ x, y, sampleWeight }, adapt);
  }

  private adaptOptions(where: string, batchSize: number, steps: number | undefined, classWeight?: Record<number, number>): AdaptOptions {
    return { where, batchSize, steps, needY: true, convert: modelConverter(this.model, this.loss, classWeight) };
  }

  private async trainEpochs(train: DataAdapter, val: DataAdapter | undefined, opts: CheckedFitArgs, list: CallbackList): Promise<void> {
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
      const batches = await this.trainEpoch(train, epoch, opts.shuffle, list);
      if (batches === 0) {
        if (epoch === params.initialEpoch) throw new ValueError(`fit: the data (${train.what}) gave no batches: 0 samples. help: pass data that holds at least one batch (a generator object that ran in an earlier fit has nothing left).`);
        this.ranOut(train, epoch, batches);
        break; // an epoch without batches is not logged
      }
      if (train.ranOut) this.ranOut(train, epoch, batches);
      this.run?.endEpoch(this.model.nonTrainableWeights);
      const logs = this.readLogs();
      if (val !== undefined && validatesAt(epoch, opts.validationFreq)) {
        await list.testBegin();
        const valLogs = await this.evaluateAdapter(val, 'fit: validationData');
        await list.testEnd(valLogs);
        Object.assign(logs, prefixed(valLogs, 'val_'));
      }
      await list.epochEnd(epoch, logs);
      if (this.run !== null) this.model.stopTraining = this.run.anyStops(this.model.stopTraining);
      await this.turns.now(); // timers and signals run between epochs, however short
    }
    if (opts.epochs > params.initialEpoch) this.optimizer.finalizeVariableValues(this.model.trainableWeights); // useEma: the averages, as Keras
    await list.trainEnd();
  }

  /** One epoch: each batch through the model's trainStep. The epoch begins at its first batch; returns how many there were. */
  private async trainEpoch(train: DataAdapter, epoch: number, shuffle: boolean, list: CallbackList): Promise<number> {
    let b = 0;
    for await (const batch of this.batches(train.epoch(shuffle))) {
      try {
        if (b === 0) {
          await list.epochBegin(epoch);
          this.resetState();
        }
        await list.batchBegin(b);
        this.runStep('train', batch);
      } finally {
        batch.dispose();
      }
      await list.batchEnd(b, () => this.readLogs());
      b++;
      // A timer or signal handler may set stopTraining in the event loop's turn. Processes of a
      // data-parallel run would each stop at another batch and wait on each other's allreduce:
      // there they take turns only between epochs, where they agree on stopping (anyStops).
      if (this.run === null) await this.turns.due();
      if (this.model.stopTraining) break;
    }
    return b;
  }

  /** Keras's warning when the data runs out before the epochs (and steps) asked for; training stops. */
  private ranOut(train: DataAdapter, epoch: number, batches: number): void {
    const of = train.steps === undefined ? '' : ` of ${train.steps}`;
    warn(
      'fit: Your input ran out of data; interrupting training. Make sure that your dataset or generator can generate at least ' +
        '`steps_per_epoch * epochs` batches. You may need to use the `.repeat()` function when building your dataset. ' +
        `(the dataset ran out of data in epoch ${epoch + 1} after ${batches}${of} batches.) help: make the dataset repeat (an endless ` +
        'generator with stepsPerEpoch, or an object whose [Symbol.iterator]() starts afresh), or lower stepsPerEpoch.',
    );
    this.model.stopTraining = true;
  }

  async evaluate(x: DataInput | Dataset, y: DataInput | undefined, args: EvaluateArgs = {}): Promise<number[] | Logs> {
    checkOptions('evaluate', args, EVALUATE_KEYS);
    const batchSize = checkBatchSize(args.batchSize ?? 32, 'evaluate');
    const verbose = checkVerbose(args.verbose, [0, 1], 0, 'evaluate');
    return this.exclusive('evaluate', async () => {
      await ensureBackend();
      const data = adaptData({ x, y, sampleWeight: args.sampleWeight }, this.adaptOptions('evaluate', batchSize, args.steps));
      try {
        const logs = await this.evaluateAdapter(data, 'evaluate');
        if (verbose > 0 && (this.run?.rank ?? 0) === 0) logLine(Object.entries(logs).map(([k, v]) => `${k}: ${v.toFixed(4)}`).join(' - '));
        return args.returnDict ? logs : Object.values(logs);
      } finally {
        data.dispose();
      }
    });
  }

  /** Each batch of one pass through the model's testStep; the logs of the whole pass. */
  private async evaluateAdapter(data: DataAdapter, where: string): Promise<Logs> {
    this.resetState();
    let b = 0;
    for await (const batch of this.batches(data.epoch(false))) {
      try {
        this.runStep('test', batch);
      } finally {
        batch.dispose();
      }
      b++;
      await this.turns.due();
    }
    if (b === 0) {
      throw new ValueError(
        `${where}: the data (${data.what}) gave no batches (a generator object runs only once). help: pass arrays, an object whose ` +
          '[Symbol.iterator]() starts afresh, or an endless generator with steps (validationSteps in fit).',
      );
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
    const convert = modelConverter(this.model, this.loss, args.classWeight);
    const data = convert({ x, y, sampleWeight: args.sampleWeight }, { where, checkValues: false });
    const batch: Batch = { data: stepDataOf(data.xs, data.ys, data.sw), dispose: () => tfc.dispose(data.owned) };
    try {
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
      batch.dispose();
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
   * The model's trainStep or testStep on one batch's data (the built-in steps unless a subclass
   * overrides them), in one tidy scope; what a custom step returns is kept for the logs until the next step.
   */
  private runStep(kind: 'train' | 'test', batch: Batch): void {
    const step = (): StepLogs => tfc.tidy(() => (kind === 'train' ? this.model.trainStep(batch.data) : this.model.testStep(batch.data)) ?? {}) as StepLogs;
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

/** How many epochs of this fit validate. */
function validationRuns(opts: CheckedFitArgs): number {
  let runs = 0;
  for (let epoch = opts.initialEpoch; epoch < opts.epochs; epoch++) if (validatesAt(epoch, opts.validationFreq)) runs++;
  return runs;
}

function prefixed(logs: Logs, prefix: string): Logs {
  return Object.fromEntries(Object.entries(logs).map(([k, v]) => [prefix + k, v]));
}
