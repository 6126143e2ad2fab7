/**
 * What `compile` sets up: the optimizer, the losses of the outputs, the metrics and the running
 * loss, and the pieces the model's built-in steps are made of (models/model.ts's trainStep and
 * testStep read as Keras's: forward and loss under the tape, optimizer, metrics). A Model subclass
 * that overrides `trainStep` or `testStep` uses them through the model (`computeLoss`,
 * `computeMetrics`, `metrics`), as Keras's "customizing what happens in fit()" does.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { StepCapture } from '../backend/capture/step_capture';
import type { Logs } from '../callbacks/callback';
import { asList, StepData } from '../data/step_data';
import { ValueError } from '../engine/errors';
import type { CallContext } from '../engine/layer';
import type { Mask } from '../engine/masking';
import { maskedSampleWeight } from '../losses/mask';
import { shareData, withStepSaves } from '../ops/gradient_saves';
import { Mean, Metric } from '../metrics';
import type { Optimizer } from '../optimizers';
import { buildMetric, CompileArgs, CompiledLoss, MetricSlot, resolveLoss, resolveMetrics, resolveOptimizer } from './compile_config';
import { warn } from '../utils/logger';
import type { TrainableModel } from './trainable_model';

export type { StepData } from '../data/step_data';

/** What a custom step may return: the values to log ({ loss, accuracy }), as scalars or numbers. */
export type StepLogs = Record<string, tfc.Tensor | number>;

export interface LossInputs {
  y: tfc.Tensor | tfc.Tensor[];
  yPred: tfc.Tensor | tfc.Tensor[];
  sampleWeight?: tfc.Tensor | tfc.Tensor[];
}

/** One batch's forward pass, as the metrics read it: the total loss, each output's loss, the predictions and their masks. */
export interface StepForward {
  total: tfc.Scalar;
  perOutput: tfc.Scalar[];
  preds: tfc.Tensor[];
  masks: Mask[];
}

export class CompiledStep {
  readonly optimizer: Optimizer;
  readonly loss: CompiledLoss;
  private readonly metricSlots: MetricSlot[];
  /** How trainForward's flat outputs divide into a StepForward (from the last eager step). */
  private layout = { outputs: 0, masks: [] as boolean[] };
  /** Running mean of the total loss and, with several outputs, of each output's loss. */
  private readonly lossTrackers: Mean[];
  /** With compile's jitCompile: the captured step (null without). */
  readonly capture: StepCapture | null;

  constructor(
    private readonly model: TrainableModel,
    args: CompileArgs,
  ) {
    this.optimizer = resolveOptimizer(args.optimizer);
    this.loss = resolveLoss(args, model.outputNames);
    this.metricSlots = resolveMetrics(args, model.outputNames);
    const names = this.loss.names.length > 1 ? ['loss', ...this.loss.names] : ['loss'];
    this.lossTrackers = names.map((n) => new Mean(n));
    this.capture = args.jitCompile ? new StepCapture(args.jitCompile, model.name, warn) : null;
  }

  /** The loss tracker(s), then the compiled metrics built so far (they are built on the first batch). */
  get metrics(): Metric[] {
    return [...this.lossTrackers, ...this.metricSlots.flatMap((s) => (s.metric === null ? [] : [s.metric]))];
  }

  /**
   * The forward pass and total loss (with the activity and weight regularizers) of one batch. The
   * tensors belong to the caller's tidy scope.
   */
  forward(data: StepData, training: boolean): StepForward {
    const ctx = this.context(data, training);
    return this.lossOf(data, ctx, this.model.forwardMasked(asList(data.x), ctx));
  }

  /**
   * forward in training mode under the gradient tape, with the gradients of the total loss for
   * `variables` (by variable name), taken of the loss times `lossScale` (the optimizer's). The part
   * of the model that none of them reaches (a frozen base) runs before the tape opens, as PyTorch
   * skips what needs no grad. The tensors belong to the caller's tidy scope.
   */
  forwardWithGradients(data: StepData, variables: tfc.Variable[], lossScale = 1): { forward: StepForward; grads: tfc.NamedTensorMap } {
    if (variables.length === 0) return { forward: this.forward(data, true), grads: {} };
    const ctx = this.context(data, true);
    const rest = this.model.forwardUntapedFirst(asList(data.x), ctx, variables);
    let others: Omit<StepForward, 'total'> = { perOutput: [], preds: [], masks: [] };
    const kept = new Set<tfc.Tensor>();
    // What kernels and ops save for the backward pass are shared handles on their data, not copies (ops/gradient_saves.ts).
    const { value: scaled, grads } = withStepSaves(() => tfc.variableGrads(() => {
      const { total, ...forOthers } = this.lossOf(data, ctx, rest());
      const out = lossScale === 1 ? total : (tfc.mul(total, lossScale) as tfc.Scalar); // the optimizer's loss scale (it unscales the gradients)
      // The tape's scope frees all but what this returns; the metrics read the others after it, so they are
      // kept (a single output's loss is the total itself, which comes back as the value).
      for (const t of tensorsOf(forOthers)) if (t !== out) kept.add(tfc.keep(t));
      others = forOthers;
      return out;
    }, variables));
    const value = lossScale === 1 ? scaled : (tfc.div(scaled, lossScale) as tfc.Scalar);
    // Back in the caller's scope: each kept tensor is cloned (sharing its data) and the kept one freed.
    // The total may be one of them (a single output's loss, with a loss scale), so it is looked up too.
    const clones = new Map([...kept].map((t) => [t, shareData(t) ?? tfc.clone(t)] as [tfc.Tensor, tfc.Tensor]));
    const owned = <T extends tfc.Tensor>(t: T): T => (clones.get(t) as T | undefined) ?? t;
    const forward = { total: owned(value), perOutput: others.perOutput.map(owned), preds: others.preds.map(owned), masks: others.masks.map((m) => m && owned(m)) };
    tfc.dispose([...kept]);
    return { forward, grads };
  }

  /** A forward pass's context; builds the metrics first, so one that does not fit the output is refused before any update. */
  private context(data: StepData, training: boolean): CallContext {
    this.ensureMetrics(asList(data.y));
    return { training, losses: [] as tfc.Tensor[], dataInputs: new Set(asList(data.x)) };
  }

  /** The total loss (with the activity and weight regularizers) of the model's outputs for one batch. */
  private lossOf(data: StepData, ctx: CallContext, { outputs: preds, masks }: { outputs: tfc.Tensor[]; masks: Mask[] }): StepForward {
    const { total, perOutput } = this.loss.compute(asList(data.y), preds, optionalList(data.sampleWeight), masks);
    const penalty = this.model.weightPenalty();
    const losses = ctx.losses ?? [];
    const extra = penalty ? [...losses, penalty] : losses;
    return { total: extra.length > 0 ? (tfc.addN([total, ...extra]) as tfc.Scalar) : total, perOutput, preds, masks };
  }

  /**
   * forwardWithGradients (with the optimizer's `lossScale`), then `update` with the gradients (the optimizer's step and the
   * constraints). With jitCompile, through the captured step: a replay of the recorded kernel
   * calls where one is recorded for these shapes (it returns the same forward tensors).
   */
  trainForward(data: StepData, variables: tfc.Variable[], lossScale: number, update: (grads: tfc.NamedTensorMap) => void): StepForward {
    const eager = (): StepForward => {
      const { forward, grads } = this.forwardWithGradients(data, variables, lossScale);
      update(grads);
      return forward;
    };
    if (this.capture === null) return eager();
    const inputs = [...asList(data.x), ...asList(data.y), ...(optionalList(data.sampleWeight) ?? [])];
    const out = this.capture.run({
      inputs,
      eager: () => {
        const f = eager();
        this.layout = { outputs: f.preds.length, masks: f.masks.map((m) => m !== null) };
        return [f.total, ...f.perOutput, ...f.preds, ...f.masks.filter((m): m is tfc.Tensor => m !== null)];
      },
      attrs: () => (lossScale === 1 ? this.optimizer.nextFusedAttrs() : null), // a loss scale may change between steps
      replayed: () => this.optimizer.countCapturedStep(),
    });
    const n = this.layout.outputs;
    let next = 1 + 2 * n;
    const masks = this.layout.masks.map((has) => (has ? out[next++] : null));
    return { total: out[0] as tfc.Scalar, perOutput: out.slice(1, 1 + n) as tfc.Scalar[], preds: out.slice(1 + n, 1 + 2 * n), masks };
  }

  /** Adds one batch to the running loss and metrics, on the device; an output's mask weighs its steps, as Keras does. */
  updateMetrics(data: StepData, forward: StepForward): void {
    const ys = asList(data.y);
    const sw = optionalList(data.sampleWeight);
    const n = ys[0].shape[0];
    this.lossTrackers[0].updateWeighted(forward.total, n);
    if (this.lossTrackers.length > 1) forward.perOutput.forEach((l, i) => this.lossTrackers[i + 1].updateWeighted(l, n));
    for (const slot of this.metricSlots) {
      const o = slot.output;
      const mask = forward.masks[o];
      const weights = mask ? maskedSampleWeight(mask, sw?.[o], false) : sw?.[o];
      (slot.metric as Metric).updateState(ys[o], forward.preds[o], weights);
    }
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

  /** Builds the metrics on first use (before any update), so one that does not fit the output is refused at once. */
  private ensureMetrics(ys: tfc.Tensor[]): void {
    for (const slot of this.metricSlots) {
      if (slot.metric !== null) continue;
      const o = slot.output;
      const predShape = this.model.outputShapes[o].map((d) => d ?? ys[o].shape[0]);
      buildMetric(slot, this.loss.losses[o], ys[o].shape, predShape);
    }
  }
}

/** The tensors of a forward pass besides the total loss. */
function tensorsOf(f: Omit<StepForward, 'total'>): tfc.Tensor[] {
  return [...f.perOutput, ...f.preds, ...f.masks.filter((m): m is tfc.Tensor => m !== null)];
}

function optionalList(t: tfc.Tensor | tfc.Tensor[] | undefined): tfc.Tensor[] | undefined {
  return t === undefined ? undefined : asList(t);
}
