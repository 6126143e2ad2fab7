/**
 * The training engine behind compile: fit, evaluate and predict, over one batch iterator. A model
 * holds one Trainer after compile; the trainer holds the optimizer, losses and metrics.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ensureBackend } from '../backend/backend';
import { Callback, Logs, TrainingParams } from '../callbacks/callback';
import { CallbackList } from '../callbacks/callback_list';
import { History } from '../callbacks/history';
import { ProgbarLogger } from '../callbacks/progbar_logger';
import { ArrayBatches } from '../data/batches';
import { DataInput } from '../data/adapter';
import { RuntimeError } from '../engine/errors';
import { Mean, Metric } from '../metrics';
import type { Optimizer } from '../optimizers';
import { buildMetric, CompileArgs, CompiledLoss, MetricSlot, resolveLoss, resolveMetrics, resolveOptimizer } from './compile_config';
import { checkBatchSize, checkFitArgs, FitArgs, PreparedData, prepareData, EvaluateArgs, PredictArgs, splitValidation } from './fit_args';
import type { TrainableModel } from './trainable_model';

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

  async fit(x: DataInput, y: DataInput, args: FitArgs = {}): Promise<History> {
    const opts = checkFitArgs(args);
    return this.exclusive('fit', async () => {
      await ensureBackend();
      const all = prepareData(this.model, this.loss, x, y, 'fit');
      const { train, val } = splitValidation(all, opts.validationSplit, opts.validationData, this.model, this.loss);
      const history = new History();
      const user = opts.callbacks as Callback[];
      const list = new CallbackList([...(opts.verbose > 0 ? [new ProgbarLogger({ verbose: opts.verbose as 1 | 2 })] : []), ...user, history]);
      try {
        await this.trainEpochs(train, val, opts, list);
      } finally {
        [...all.owned, ...(val?.owned ?? [])].forEach((t) => t.dispose());
        train.owned.forEach((t) => t.dispose());
      }
      return history;
    });
  }

  private async trainEpochs(train: PreparedData, val: PreparedData | undefined, opts: Required<FitArgs>, list: CallbackList): Promise<void> {
    const batches = new ArrayBatches([...train.xs, ...train.ys], opts.batchSize);
    const params: TrainingParams = {
      epochs: opts.epochs, steps: batches.numBatches, samples: batches.samples, verbose: opts.verbose, batchSize: opts.batchSize,
    };
    this.model.stopTraining = false;
    list.setup(this.model, params);
    await list.trainBegin();
    const nx = train.xs.length;
    for (let epoch = opts.initialEpoch; epoch < opts.epochs && !this.model.stopTraining; epoch++) {
      await list.epochBegin(epoch);
      this.resetState();
      const data = batches.epoch(opts.shuffle);
      try {
        for (let b = 0; b < batches.numBatches && !this.model.stopTraining; b++) {
          await list.batchBegin(b);
          tfc.tidy(() => {
            const batch = data.batch(b);
            this.trainStep(batch.slice(0, nx), batch.slice(nx));
          });
          await list.batchEnd(b, () => this.readLogs());
        }
      } finally {
        data.dispose();
      }
      const logs = this.readLogs();
      if (val !== undefined) Object.assign(logs, prefixed(this.evaluateData(val, opts.batchSize), 'val_'));
      await list.epochEnd(epoch, logs);
      await new Promise((resolve) => setImmediate(resolve)); // let timers and signals run between epochs
    }
    await list.trainEnd();
  }

  /** One optimizer step on one batch; updates the running loss and metrics on the device. */
  private trainStep(xs: tfc.Tensor[], ys: tfc.Tensor[]): void {
    const weights = this.model.trainableWeights;
    const variables = weights.map((w) => w.value);
    let preds: tfc.Tensor[] = [];
    let perOutput: tfc.Scalar[] = [];
    const lossFn = (): tfc.Scalar => {
      preds = this.model.forward(xs, true);
      const { total, perOutput: parts } = this.loss.compute(ys, preds);
      perOutput = parts;
      [...preds, ...perOutput].forEach((t) => tfc.keep(t)); // read by the metrics after the tape closes
      return total;
    };
    let total: tfc.Scalar;
    if (variables.length > 0) {
      const { value, grads } = tfc.variableGrads(lossFn, variables);
      this.optimizer.applyGradients(variables.map((v) => [grads[v.name], v]));
      total = value;
    } else {
      total = lossFn();
    }
    this.updateState(ys, preds, total, perOutput);
    preds.forEach((p) => p.dispose());
    perOutput.forEach((p) => p.dispose());
  }

  private updateState(ys: tfc.Tensor[], preds: tfc.Tensor[], total: tfc.Scalar, perOutput: tfc.Scalar[]): void {
    const n = ys[0].shape[0];
    this.lossTrackers[0].updateWeighted(total, n);
    if (this.lossTrackers.length > 1) perOutput.forEach((l, i) => this.lossTrackers[i + 1].updateWeighted(l, n));
    for (const slot of this.metricSlots) {
      const o = slot.output;
      buildMetric(slot, this.loss.losses[o], ys[o].shape, preds[o].shape).updateState(ys[o], preds[o]);
    }
  }

  private resetState(): void {
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

  async evaluate(x: DataInput, y: DataInput, args: EvaluateArgs = {}): Promise<number[] | Logs> {
    const batchSize = checkBatchSize(args.batchSize ?? 32, 'evaluate');
    return this.exclusive('evaluate', async () => {
      await ensureBackend();
      const data = prepareData(this.model, this.loss, x, y, 'evaluate');
      try {
        const logs = this.evaluateData(data, batchSize);
        if ((args.verbose ?? 0) > 0) process.stdout.write(`${Object.entries(logs).map(([k, v]) => `${k}: ${v.toFixed(4)}`).join(' - ')}\n`);
        return args.returnDict ? logs : Object.values(logs);
      } finally {
        data.owned.forEach((t) => t.dispose());
      }
    });
  }

  private evaluateData(data: PreparedData, batchSize: number): Logs {
    this.resetState();
    const nx = data.xs.length;
    const batches = new ArrayBatches([...data.xs, ...data.ys], batchSize);
    const epoch = batches.epoch(false);
    for (let b = 0; b < batches.numBatches; b++) {
      tfc.tidy(() => {
        const batch = epoch.batch(b);
        const ys = batch.slice(nx);
        const preds = this.model.forward(batch.slice(0, nx), false);
        const { total, perOutput } = this.loss.compute(ys, preds);
        this.updateState(ys, preds, total, perOutput);
      });
    }
    return this.readLogs();
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
    const outs = tfc.tidy(() => model.forward(epoch.batch(b), false));
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
