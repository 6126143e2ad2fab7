/**
 * TruePositives, TrueNegatives, FalsePositives, FalseNegatives: the weighted count of one cell of
 * the confusion matrix over everything seen, at one threshold (a scalar) or several (a vector, one
 * count per threshold), as Keras's classes of the same names.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { checkOptions } from '../engine/options';
import { ConfusionMetric } from './confusion_base';

export interface CountArgs {
  /** The metric's name in logs. Keras: `name` @default 'true_positives', 'false_negatives', ... */
  name?: string;
  /** Predictions above this (or each of these) count as positive. Keras: `thresholds` @default 0.5 */
  thresholds?: number | number[];
}

type Cell = 'tp' | 'tn' | 'fp' | 'fn';
const COUNT_KEYS: readonly string[] = ['name', 'thresholds'];

/** One confusion-matrix cell, as a scalar for one threshold and a vector for a list. */
abstract class CountMetric extends ConfusionMetric {
  private readonly asList: boolean;

  protected constructor(
    private readonly cell: Cell,
    defaultName: string,
    args: CountArgs,
  ) {
    checkOptions(new.target.name, args, COUNT_KEYS);
    const list = Array.isArray(args.thresholds);
    super(args.name ?? defaultName, list ? (args.thresholds as number[]) : [(args.thresholds as number | undefined) ?? 0.5]);
    this.asList = list;
  }

  result(): tfc.Tensor {
    const v = this[this.cell];
    return this.asList ? tfc.clone(v) : tfc.tidy(() => tfc.squeeze(v));
  }

  override getConfig(): Record<string, unknown> {
    return { name: this.name, thresholds: this.asList ? [...this.thresholdValues] : this.thresholdValues[0] };
  }
}

/** Weighted count of labels 1 predicted positive. */
export class TruePositives extends CountMetric {
  static readonly optionKeys = COUNT_KEYS;
  constructor(args: CountArgs = {}) {
    super('tp', 'true_positives', args);
  }
}

/** Weighted count of labels 0 predicted negative. */
export class TrueNegatives extends CountMetric {
  static readonly optionKeys = COUNT_KEYS;
  constructor(args: CountArgs = {}) {
    super('tn', 'true_negatives', args);
  }
}

/** Weighted count of labels 0 predicted positive. */
export class FalsePositives extends CountMetric {
  static readonly optionKeys = COUNT_KEYS;
  constructor(args: CountArgs = {}) {
    super('fp', 'false_positives', args);
  }
}

/** Weighted count of labels 1 predicted negative. */
export class FalseNegatives extends CountMetric {
  static readonly optionKeys = COUNT_KEYS;
  constructor(args: CountArgs = {}) {
    super('fn', 'false_negatives', args);
  }
}
