/**
 * What `compile` sets up, and the built-in training and test steps over it: the optimizer, the
 * losses of the outputs, the metrics and the running loss. A Model subclass that overrides
 * `trainStep` or `testStep` uses the pieces here through the model (`computeLoss`,
 * `computeMetrics`, `metrics`), as Keras's "customizing what happens in fit()" does.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { Logs } from '../callbacks/callback';
import { ValueError } from '../engine/errors';
import type { Mask } from '../engine/masking';
import { maskedSampleWeight } from '../losses/mask';
import { Mean, Metric } from '../metrics';
import type { Optimizer } from '../optimizers';
import { buildMetric, CompileArgs, CompiledLoss, MetricSlot, resolveLoss, resolveMetrics, resolveOptimizer } from './compile_config';
import type { TrainableModel } from './trainable_model';

/** One batch, as a step sees it: a tensor per input and output (a plain tensor for a single one). */
export interface StepData {
  x: tfc.Tensor | tfc.Tensor[];
  y: tfc.Tensor | tfc.Tensor[];
  sampleWeight?: tfc.Tensor | tfc.Tensor[];
}

/** What a custom step may return: the values to log ({ loss, accuracy }), as scalars or numbers. */
export type StepLogs = Record<string, tfc.Tensor | number>;

export interface LossInputs {
  y: tfc.Tensor | tfc.Tensor[];
  yPred: tfc.Tensor | tfc.Tensor[];
  sampleWeight?: tfc.Tensor | tfc.Tensor[];
}

export class CompiledStep {
  readonly optimizer: Optimizer;
  readonly loss: CompiledLoss;
  private readonly metricSlots: MetricSlot[];
  /** Running mean of the total loss and, with several outputs, of each output's loss. */
  private readonly lossTrackers: Mean[];

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

  /** The loss tracker(s), then the compiled metrics built so far (they are built on the first batch). */
  get metrics(): Metric[] {
    return [...this.lossTrackers, ...this.metricSlots.flatMap((s) => (s.metric === null ? [] : [s.metric]))];
  }

  /** One optimizer step on one batch; updates the running loss and metrics on the device. */
  trainStep(data: StepData): void {
    const { xs, ys, sw } = lists(data);
    this.ensureMetrics(ys);
    const variables = this.model.trainableWeights.map((w) => w.value);
    let kept: { perOutput: tfc.Scalar[]; preds: tfc.Tensor[]; masks: Mask[] } = { perOutput: [], preds: [], masks: [] };
    const lossFn = (): tfc.Scalar => {
      const { total, perOutput, preds, masks } = this.forwardLoss(xs, ys, sw, true);
      [...preds, ...perOutput, ...present(masks)].forEach((t) => tfc.keep(t)); // read by the metrics after the tape closes
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
    this.updateState(ys, sw, kept, total);
    tfc.dispose([...kept.preds, ...kept.perOutput, ...present(kept.masks)]);
  }

  /** The loss and metrics of one batch, added to the running values. */
  testStep(data: StepData): void {
    const { xs, ys, sw } = lists(data);
    this.ensureMetrics(ys);
    const { total, ...forward } = this.forwardLoss(xs, ys, sw, false);
    this.updateState(ys, sw, forward, total);
  }

  /** The compiled loss of predictions `yPred` for labels `y`, plus the weight regularizers' penalties. */
  computeLoss(args: LossInputs): tfc.Scalar {
    const ys = asList(args.y);
    const preds = asList(args.yPred);
    if (preds.length !== this.loss.losses.length || ys.length !== preds.length) {
      throw new ValueError(
        `${this.model.name}.computeLoss: got ${ys.length} label and ${preds.length} prediction tensors for ${this.loss.losses.length} outputs. ` +
          'help: pass one of each per output, in the order of model.outputNames.',
      );
    }
    const { total } = this.loss.compute(ys, preds, optionalList(args.sampleWeight));
    const penalty = this.model.weightPenalty();
    return penalty === null ? total : (tfc.add(total, penalty) as tfc.Scalar);
  }

  /** Updates the compiled metrics (not the loss tracker) and returns every metric's current value. */
  computeMetrics(args: LossInputs): Record<string, tfc.Tensor> {
    const ys = asList(args.y);
    const preds = asList(args.yPred);
    const sw = optionalList(args.sampleWeight);
    this.ensureMetrics(ys);
    for (const slot of this.metricSlots) (slot.metric as Metric).updateState(ys[slot.output], preds[slot.output], sw?.[slot.output]);
    const results: Record<string, tfc.Tensor> = {};
    this.lossTrackers.forEach((t, i) => (results[i === 0 ? 'loss' : this.loss.names[i - 1]] = t.result()));
    this.metricSlots.forEach((s) => (results[s.logName] = (s.metric as Metric).result()));
    return results;
  }

  /** Resets the running loss and every metric (as at the start of each epoch). */
  resetState(): void {
    this.lossTrackers.forEach((t) => t.resetState());
    this.metricSlots.forEach((s) => s.metric?.resetState());
  }

  /** The running values, read from the device: { loss, <output>_loss..., metrics... }. */
  readLogs(): Logs {
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

  dispose(): void {
    this.optimizer.dispose();
    this.lossTrackers.forEach((t) => t.dispose());
    this.metricSlots.forEach((s) => s.metric?.dispose());
  }

  /** The total loss (with regularization) of one batch, keeping the predictions (and their masks) for the metrics. */
  private forwardLoss(xs: tfc.Tensor[], ys: tfc.Tensor[], sw: tfc.Tensor[] | undefined, training: boolean) {
    const ctx = { training, losses: [] as tfc.Tensor[], dataInputs: new Set(xs) };
    const { outputs: preds, masks } = this.model.forwardMasked(xs, ctx);
    const { total, perOutput } = this.loss.compute(ys, preds, sw, masks);
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

  /** Adds one batch to the running loss and metrics; an output's mask weighs its steps, as Keras does. */
  private updateState(ys: tfc.Tensor[], sw: tfc.Tensor[] | undefined, forward: { preds: tfc.Tensor[]; perOutput: tfc.Scalar[]; masks: Mask[] }, total: tfc.Scalar): void {
    const n = ys[0].shape[0];
    this.lossTrackers[0].updateWeighted(total, n);
    if (this.lossTrackers.length > 1) forward.perOutput.forEach((l, i) => this.lossTrackers[i + 1].updateWeighted(l, n));
    for (const slot of this.metricSlots) {
      const o = slot.output;
      const mask = forward.masks[o];
      const weights = mask ? maskedSampleWeight(mask, sw?.[o], false) : sw?.[o];
      (slot.metric as Metric).updateState(ys[o], forward.preds[o], weights);
    }
  }

}

function present(masks: Mask[]): tfc.Tensor[] {
  return masks.filter((m): m is tfc.Tensor => m !== null);
}

function asList(t: tfc.Tensor | tfc.Tensor[]): tfc.Tensor[] {
  return Array.isArray(t) ? t : [t];
}

function optionalList(t: tfc.Tensor | tfc.Tensor[] | undefined): tfc.Tensor[] | undefined {
  return t === undefined ? undefined : asList(t);
}

function lists(data: StepData): { xs: tfc.Tensor[]; ys: tfc.Tensor[]; sw: tfc.Tensor[] | undefined } {
  return { xs: asList(data.x), ys: asList(data.y), sw: optionalList(data.sampleWeight) };
}

/** A batch as a step sees it: single inputs and outputs as plain tensors, several as lists. */
export function stepData(xs: tfc.Tensor[], ys: tfc.Tensor[], sw: tfc.Tensor[] | undefined): StepData {
  const one = (list: tfc.Tensor[]): tfc.Tensor | tfc.Tensor[] => (list.length === 1 ? list[0] : list);
  return { x: one(xs), y: one(ys), ...(sw === undefined ? {} : { sampleWeight: one(sw) }) };
}
