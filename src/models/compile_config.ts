/**
 * What `compile` is given, resolved into objects: the optimizer, one loss per output (with its
 * weight) and the metrics per output, each with the name it is logged under.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { optionKeys } from '../engine/options';
import { getLoss, Loss, LossIdentifier } from '../losses';
import { maskedSampleWeight } from '../losses/mask';
import { chooseAccuracy, checkMetricName, getMetric, isAccuracyName, Metric, MetricIdentifier, metricShapeProblem } from '../metrics';
import { getOptimizer, Optimizer, OptimizerIdentifier } from '../optimizers';

export interface CompileArgs {
  /**
   * A name ('sgd', 'adam') or an optimizer object. Required here; Keras's default is 'rmsprop'. Keras: `optimizer`
   */
  optimizer: OptimizerIdentifier;
  /**
   * One loss for every output, a list (one per output) or a record by output name. Required here (Keras allows none
   * for a model whose layers add their own losses). Keras: `loss`
   */
  loss: LossIdentifier | LossIdentifier[] | Record<string, LossIdentifier>;
  /** Metrics for every output, a list per output, or a record by output name. Keras: `metrics` @default [] (none) */
  metrics?: MetricIdentifier[] | MetricIdentifier[][] | Record<string, MetricIdentifier | MetricIdentifier[]>;
  /** Weights of each output's loss in the total. Keras: `loss_weights` @default 1 each */
  lossWeights?: number[] | Record<string, number>;
  /**
   * Capture the training step (backend/capture/step_capture.ts): on 'native', the first steps of each
   * batch shape run eagerly while recorded, later ones replay the recorded kernel calls in one call
   * of the addon, without tfjs-core's per-kernel work (optimizers with one fused step: SGD, Adam,
   * AdamW, RMSprop, Adagrad). A step that cannot be captured runs eagerly with one console line
   * saying why; 'auto' says nothing on a backend that has no capture. Keras: `jit_compile` @default false
   */
  jitCompile?: boolean | 'auto';
}

export const COMPILE_KEYS = optionKeys<CompileArgs>()('optimizer', 'loss', 'metrics', 'lossWeights', 'jitCompile');

/** The losses of a model's outputs and how they add up. */
export class CompiledLoss {
  constructor(
    readonly losses: Loss[],
    readonly weights: number[],
    /** Log names: 'loss' for one output; '<output>_loss' for each of several. */
    readonly names: string[],
  ) {}

  /** The total loss and each output's loss (scalars); masked steps of an output (see engine/masking.ts) count for nothing. */
  compute(ys: tfc.Tensor[], preds: tfc.Tensor[], sampleWeights?: tfc.Tensor[], masks?: Array<tfc.Tensor | null>): { total: tfc.Scalar; perOutput: tfc.Scalar[] } {
    const perOutput = this.losses.map((l, i) => {
      const mask = masks?.[i];
      const sw = mask ? maskedSampleWeight(mask, sampleWeights?.[i], l.reduction === 'sum_over_batch_size') : sampleWeights?.[i];
      return l.call(ys[i], preds[i], sw) as tfc.Scalar;
    });
    const total =
      perOutput.length === 1 && this.weights[0] === 1
        ? perOutput[0]
        : (tfc.addN(perOutput.map((l, i) => tfc.mul(l, this.weights[i]))) as tfc.Scalar);
    return { total, perOutput };
  }
}

/** One metric of one output, built on first use when it is 'accuracy' (which depends on shapes). */
export interface MetricSlot {
  output: number;
  logName: string;
  spec: MetricIdentifier;
  metric: Metric | null;
}

export function resolveOptimizer(id: OptimizerIdentifier): Optimizer {
  if (id === undefined) throw new ValueError("compile: `optimizer` is required. help: pass e.g. {optimizer: 'adam'}.");
  return getOptimizer(id, 'compile: optimizer');
}

export function resolveLoss(args: CompileArgs, outputNames: string[]): CompiledLoss {
  if (args.loss === undefined) throw new ValueError("compile: `loss` is required. help: pass e.g. {loss: 'categorical_crossentropy'}.");
  const specs = perOutput(args.loss, outputNames, 'loss', (v) => typeof v === 'string' || typeof v === 'function' || v instanceof Loss);
  const losses = specs.map((s, i) => getLoss(s as LossIdentifier, `compile: loss for output '${outputNames[i]}'`));
  const weights = args.lossWeights === undefined ? outputNames.map(() => 1) : perOutput(args.lossWeights, outputNames, 'lossWeights', (v) => typeof v === 'number');
  weights.forEach((w, i) => {
    if (typeof w !== 'number' || !Number.isFinite(w)) {
      throw new ValueError(`compile: lossWeights for output '${outputNames[i]}' must be a finite number, got ${w}.`);
    }
  });
  const names = outputNames.length === 1 ? ['loss'] : outputNames.map((n) => `${n}_loss`);
  return new CompiledLoss(losses, weights as number[], names);
}

export function resolveMetrics(args: CompileArgs, outputNames: string[]): MetricSlot[] {
  if (args.metrics === undefined) return [];
  let lists: MetricIdentifier[][];
  const m = args.metrics;
  if (Array.isArray(m) && m.every((x) => !Array.isArray(x))) lists = outputNames.map(() => m as MetricIdentifier[]);
  else lists = perOutput(m, outputNames, 'metrics', Array.isArray).map((x) => (Array.isArray(x) ? x : [x])) as MetricIdentifier[][];
  const slots: MetricSlot[] = [];
  lists.forEach((list, output) => {
    for (const spec of list) {
      if (typeof spec === 'string') checkMetricName(spec, `compile: metric for output '${outputNames[output]}'`);
      const base = typeof spec === 'string' ? spec : spec instanceof Metric ? spec.name : spec.name || 'metric';
      const logName = outputNames.length === 1 ? base : `${outputNames[output]}_${base}`;
      slots.push({ output, logName, spec, metric: spec instanceof Metric ? spec : null });
    }
  });
  return slots;
}

/** Builds a slot's metric from the first batch's shapes (so 'accuracy' picks the right kind). */
export function buildMetric(slot: MetricSlot, loss: Loss, yTrueShape: number[], yPredShape: number[]): Metric {
  if (slot.metric) return slot.metric;
  const spec = slot.spec;
  const metric = isAccuracyName(spec) ? chooseAccuracy(loss.className, yTrueShape, yPredShape, slot.logName) : getMetric(spec, 'compile: metrics');
  const problem = metricShapeProblem(metric, yTrueShape, yPredShape);
  if (problem !== null) {
    if (!(spec instanceof Metric)) metric.dispose();
    throw new ValueError(
      `metric '${slot.logName}' ${problem}; got labels of shape [${yTrueShape}] and predictions of shape [${yPredShape}]. ` +
        'help: choose a metric that fits this output, or reshape the labels.',
    );
  }
  slot.metric = metric;
  return metric;
}

/** A list (one per output), a record by output name, or one value for every output. */
function perOutput<T>(value: T | T[] | Record<string, T>, names: string[], what: string, isItem: (v: unknown) => boolean): T[] {
  if (Array.isArray(value) && !isItem(value)) {
    if (value.length !== names.length) {
      throw new ValueError(`compile: \`${what}\` has ${value.length} entries for ${names.length} outputs (${names.join(', ')}). help: give one per output.`);
    }
    return value;
  }
  if (typeof value === 'object' && value !== null && !isItem(value)) {
    const rec = value as Record<string, T>;
    const unknown = Object.keys(rec).filter((k) => !names.includes(k));
    if (unknown.length > 0) {
      throw new ValueError(`compile: \`${what}\` names unknown outputs [${unknown.join(', ')}]. help: the outputs are ${names.join(', ')}.`);
    }
    const missing = names.filter((n) => !(n in rec));
    if (missing.length > 0 && what === 'loss') {
      throw new ValueError(`compile: \`loss\` gives no loss for outputs [${missing.join(', ')}]. help: add one for each output.`);
    }
    return names.map((n) => rec[n] ?? (what === 'lossWeights' ? (1 as T) : ([] as unknown as T)));
  }
  return names.map(() => value as T);
}
