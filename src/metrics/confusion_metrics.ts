/**
 * Precision, Recall and AUC: counts of true/false positives/negatives accumulated on the device
 * over every batch, so the value over an epoch is the value of the whole epoch's predictions (not
 * an average of per-batch values, as tfjs-layers computes it).
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { checkClassOptions } from '../engine/options';
import { broadcastWeights, Metric } from './metric';

interface ConfusionArgs {
  /** The metric's name in logs. Keras: `name` @default 'precision' or 'recall' */
  name?: string;
  /** Predictions above this count as positive. Keras: `thresholds` (Keras also takes a list) @default 0.5 */
  thresholds?: number;
  /** Only this class (last axis) is considered. Keras: `class_id` @default undefined (every class) */
  classId?: number;
}

/** Accumulates tp/fp/tn/fn at several thresholds: predictions > threshold count as positive. */
abstract class ConfusionMetric extends Metric {
  protected readonly tp: tfc.Variable;
  protected readonly fp: tfc.Variable;
  protected readonly tn: tfc.Variable;
  protected readonly fn: tfc.Variable;
  private readonly thresholdValues: number[];

  constructor(name: string, thresholds: number[], protected readonly classId?: number) {
    super(name);
    for (const t of thresholds) {
      if (typeof t !== 'number' || Number.isNaN(t)) {
        throw new ValueError(`${name}: thresholds must be numbers in [0, 1], got ${t}. help: pass e.g. {thresholds: 0.5}.`);
      }
    }
    this.thresholdValues = thresholds;
    const n = thresholds.length;
    this.tp = this.addState([n]);
    this.fp = this.addState([n]);
    this.tn = this.addState([n]);
    this.fn = this.addState([n]);
  }

  updateState(yTrue: tfc.Tensor, yPred: tfc.Tensor, sampleWeight?: tfc.Tensor): void {
    tfc.tidy(() => {
      let t = yTrue;
      let p = yPred;
      let w = sampleWeight ? broadcastWeights(p, sampleWeight) : tfc.onesLike(p);
      if (this.classId !== undefined) {
        const pick = (x: tfc.Tensor): tfc.Tensor => tfc.slice(x, [...Array(x.rank - 1).fill(0), this.classId], [...x.shape.slice(0, -1), 1]);
        [t, p, w] = [pick(t), pick(p), pick(w)];
      }
      const labels = tfc.reshape(tfc.cast(tfc.cast(t, 'bool'), 'float32'), [-1, 1]);
      const weights = tfc.reshape(w, [-1, 1]);
      const thresholds = tfc.tensor2d(this.thresholdValues, [1, this.thresholdValues.length]);
      const predPos = tfc.cast(tfc.greater(tfc.reshape(p, [-1, 1]), thresholds), 'float32');
      const predNeg = tfc.sub(1, predPos);
      const neg = tfc.sub(1, labels);
      this.accumulate(this.tp, tfc.sum(tfc.mul(tfc.mul(labels, predPos), weights), 0));
      this.accumulate(this.fp, tfc.sum(tfc.mul(tfc.mul(neg, predPos), weights), 0));
      this.accumulate(this.tn, tfc.sum(tfc.mul(tfc.mul(neg, predNeg), weights), 0));
      this.accumulate(this.fn, tfc.sum(tfc.mul(tfc.mul(labels, predNeg), weights), 0));
    });
  }
}

/** TP / (TP + FP) over everything seen. */
export class Precision extends ConfusionMetric {
  static readonly optionKeys: readonly string[] = ['name', 'thresholds', 'classId'];
  constructor(args: ConfusionArgs = {}) {
    checkClassOptions(new.target, 'Precision', args);
    super(args.name ?? 'precision', [args.thresholds ?? 0.5], args.classId);
  }
  result(): tfc.Tensor {
    return tfc.tidy(() => tfc.squeeze(tfc.divNoNan(this.tp, tfc.add(this.tp, this.fp))));
  }
}

/** TP / (TP + FN) over everything seen. */
export class Recall extends ConfusionMetric {
  static readonly optionKeys: readonly string[] = ['name', 'thresholds', 'classId'];
  constructor(args: ConfusionArgs = {}) {
    checkClassOptions(new.target, 'Recall', args);
    super(args.name ?? 'recall', [args.thresholds ?? 0.5], args.classId);
  }
  result(): tfc.Tensor {
    return tfc.tidy(() => tfc.squeeze(tfc.divNoNan(this.tp, tfc.add(this.tp, this.fn))));
  }
}

export interface AUCArgs {
  /** The metric's name in logs. Keras: `name` @default 'auc' */
  name?: string;
  /** How many thresholds discretize the curve. Keras: `num_thresholds` @default 200 */
  numThresholds?: number;
  /** 'ROC' (receiver operating characteristic) or 'PR' (precision-recall). Keras: `curve` @default 'ROC' */
  curve?: 'ROC' | 'PR';
  /** How the area under the discretized curve is summed. Keras: `summation_method` @default 'interpolation' */
  summationMethod?: 'interpolation' | 'minoring' | 'majoring';
}

/** Area under the ROC or precision-recall curve, over `numThresholds` evenly spaced thresholds (Keras's method). */
export class AUC extends ConfusionMetric {
  readonly curve: 'ROC' | 'PR';
  readonly summationMethod: 'interpolation' | 'minoring' | 'majoring';
  readonly numThresholds: number;

  static readonly optionKeys: readonly string[] = ['name', 'numThresholds', 'curve', 'summationMethod'];

  constructor(args: AUCArgs = {}) {
    checkClassOptions(new.target, 'AUC', args);
    const n = args.numThresholds ?? 200;
    if (!Number.isInteger(n) || n <= 1) {
      throw new ValueError(`AUC: \`numThresholds\` must be an integer > 1, got ${args.numThresholds}. help: keep the default 200.`);
    }
    const eps = 1e-7;
    const inner = Array.from({ length: n - 2 }, (_, i) => (i + 1) / (n - 1));
    super(args.name ?? 'auc', [-eps, ...inner, 1 + eps]);
    this.numThresholds = n;
    this.curve = args.curve ?? 'ROC';
    this.summationMethod = args.summationMethod ?? 'interpolation';
    if (!['ROC', 'PR'].includes(this.curve)) throw new ValueError(`AUC: unknown curve '${args.curve}'. help: use 'ROC' or 'PR'.`);
    if (!['interpolation', 'minoring', 'majoring'].includes(this.summationMethod)) {
      throw new ValueError(`AUC: unknown summationMethod '${args.summationMethod}'. help: use 'interpolation', 'minoring' or 'majoring'.`);
    }
  }

  result(): tfc.Tensor {
    return tfc.tidy(() => {
      if (this.curve === 'PR' && this.summationMethod === 'interpolation') return this.interpolatedPrAuc();
      const recall = tfc.divNoNan(this.tp, tfc.add(this.tp, this.fn));
      const [x, y] =
        this.curve === 'ROC'
          ? [tfc.divNoNan(this.fp, tfc.add(this.fp, this.tn)), recall]
          : [recall, tfc.divNoNan(this.tp, tfc.add(this.tp, this.fp))];
      const n = this.numThresholds;
      const [y0, y1] = [tfc.slice(y, 0, n - 1), tfc.slice(y, 1)];
      const heights =
        this.summationMethod === 'interpolation' ? tfc.div(tfc.add(y0, y1), 2) : this.summationMethod === 'minoring' ? tfc.minimum(y0, y1) : tfc.maximum(y0, y1);
      return tfc.sum(tfc.mul(tfc.sub(tfc.slice(x, 0, n - 1), tfc.slice(x, 1)), heights));
    });
  }

  /** Davis & Goadrich's interpolation of the PR curve between thresholds, as Keras computes it. */
  private interpolatedPrAuc(): tfc.Tensor {
    const n = this.numThresholds;
    const head = (x: tfc.Tensor): tfc.Tensor => tfc.slice(x, 0, n - 1);
    const tail = (x: tfc.Tensor): tfc.Tensor => tfc.slice(x, 1);
    const dtp = tfc.sub(head(this.tp), tail(this.tp));
    const p = tfc.add(this.tp, this.fp);
    const dp = tfc.sub(head(p), tail(p));
    const slope = tfc.divNoNan(dtp, tfc.relu(dp));
    const intercept = tfc.sub(tail(this.tp), tfc.mul(slope, tail(p)));
    const bothPositive = tfc.logicalAnd(tfc.greater(head(p), 0), tfc.greater(tail(p), 0));
    const ratio = tfc.where(bothPositive, tfc.divNoNan(head(p), tfc.relu(tail(p))), tfc.onesLike(dp));
    const increment = tfc.divNoNan(tfc.mul(slope, tfc.add(dtp, tfc.mul(intercept, tfc.log(ratio)))), tfc.relu(tfc.add(tail(this.tp), tail(this.fn))));
    return tfc.sum(increment);
  }
}
