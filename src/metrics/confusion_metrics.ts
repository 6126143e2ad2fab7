/**
 * Precision, Recall and AUC: counts of true/false positives/negatives accumulated on the device
 * over every batch, so the value over an epoch is the value of the whole epoch's predictions (not
 * an average of per-batch values, as tfjs-layers computes it).
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { checkClassOptions } from '../engine/options';
import { ConfusionMetric } from './confusion_base';

interface ConfusionArgs {
  /** The metric's name in logs. Keras: `name` @default 'precision' or 'recall' */
  name?: string;
  /** Predictions above this count as positive. Keras: `thresholds` (Keras also takes a list) @default 0.5 */
  thresholds?: number;
  /** Only this class (last axis) is considered. Keras: `class_id` @default undefined (every class) */
  classId?: number;
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

  override getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { name: this.name, thresholds: this.thresholdValues[0] };
    if (this.classId !== undefined) config.classId = this.classId;
    return config;
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

  override getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { name: this.name, thresholds: this.thresholdValues[0] };
    if (this.classId !== undefined) config.classId = this.classId;
    return config;
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

  override getConfig(): Record<string, unknown> {
    return { name: this.name, numThresholds: this.numThresholds, curve: this.curve, summationMethod: this.summationMethod };
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
