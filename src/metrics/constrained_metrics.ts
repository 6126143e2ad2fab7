/**
 * PrecisionAtRecall, RecallAtPrecision, SensitivityAtSpecificity, SpecificityAtSensitivity: the
 * best value of one rate among the thresholds where another rate meets a floor, as Keras computes
 * them: `numThresholds` thresholds evenly spaced over [0, 1] (or 0.5 alone when 1), confusion
 * counts accumulated at each, and max(rate where constraint >= value), 0 when none qualifies.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { checkClassOptions } from '../engine/options';
import { ConfusionMetric } from './confusion_base';

interface ConstrainedArgs {
  /** How many thresholds the counts are kept at. Keras: `num_thresholds` @default 200 */
  numThresholds?: number;
  /** Only this class (last axis) is considered. Keras: `class_id` @default undefined (every class) */
  classId?: number;
  /** The metric's name in logs. Keras: `name` @default the snake_case class name */
  name?: string;
}

type Rate = 'recall' | 'precision' | 'specificity';

/** Keras's thresholds: 0.5 alone for one, else 0, (i + 1) / (n - 1) for i < n - 2, and 1. */
function evenThresholds(n: number, where: string): number[] {
  if (!Number.isInteger(n) || n <= 0) throw new ValueError(`${where}: \`numThresholds\` must be an integer > 0, got ${n}. help: keep the default 200.`);
  if (n === 1) return [0.5];
  return [0, ...Array.from({ length: n - 2 }, (_, i) => (i + 1) / (n - 1)), 1];
}

abstract class ConstrainedMetric extends ConfusionMetric {
  readonly numThresholds: number;

  protected constructor(
    where: string,
    /** The constrained rate, its floor, and the option that gives the floor. */
    private readonly constraint: [Rate, number, string],
    private readonly maximized: Rate,
    args: ConstrainedArgs & { name: string },
  ) {
    const [, value, key] = constraint;
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
      throw new ValueError(`${where}: \`${key}\` must be a number in [0, 1], got ${value}. help: pass e.g. {${key}: 0.5}.`);
    }
    super(args.name, evenThresholds(args.numThresholds ?? 200, where), args.classId);
    this.numThresholds = args.numThresholds ?? 200;
  }

  private rate(r: Rate): tfc.Tensor {
    if (r === 'recall') return tfc.divNoNan(this.tp, tfc.add(this.tp, this.fn));
    if (r === 'precision') return tfc.divNoNan(this.tp, tfc.add(this.tp, this.fp));
    return tfc.divNoNan(this.tn, tfc.add(this.tn, this.fp));
  }

  result(): tfc.Tensor {
    return tfc.tidy(() => {
      const feasible = tfc.greaterEqual(this.rate(this.constraint[0]), this.constraint[1]);
      const candidates = tfc.where(feasible, this.rate(this.maximized), tfc.zerosLike(this.tp));
      return tfc.maximum(tfc.max(candidates), 0);
    });
  }

  override getConfig(): Record<string, unknown> {
    const [, value, key] = this.constraint;
    const config: Record<string, unknown> = { name: this.name, [key]: value, numThresholds: this.numThresholds };
    if (this.classId !== undefined) config.classId = this.classId;
    return config;
  }
}

/** The best precision among thresholds whose recall is at least `recall`. */
export class PrecisionAtRecall extends ConstrainedMetric {
  static readonly optionKeys: readonly string[] = ['recall', 'numThresholds', 'classId', 'name'];
  constructor(args: ConstrainedArgs & { /** The recall floor, in [0, 1]. Keras: `recall` */ recall: number }) {
    checkClassOptions(new.target, 'PrecisionAtRecall', args);
    super('PrecisionAtRecall', ['recall', args?.recall, 'recall'], 'precision', { ...args, name: args?.name ?? 'precision_at_recall' });
  }
}

/** The best recall among thresholds whose precision is at least `precision`. */
export class RecallAtPrecision extends ConstrainedMetric {
  static readonly optionKeys: readonly string[] = ['precision', 'numThresholds', 'classId', 'name'];
  constructor(args: ConstrainedArgs & { /** The precision floor, in [0, 1]. Keras: `precision` */ precision: number }) {
    checkClassOptions(new.target, 'RecallAtPrecision', args);
    super('RecallAtPrecision', ['precision', args?.precision, 'precision'], 'recall', { ...args, name: args?.name ?? 'recall_at_precision' });
  }
}

/** The best sensitivity (recall) among thresholds whose specificity is at least `specificity`. */
export class SensitivityAtSpecificity extends ConstrainedMetric {
  static readonly optionKeys: readonly string[] = ['specificity', 'numThresholds', 'classId', 'name'];
  constructor(args: ConstrainedArgs & { /** The specificity floor, in [0, 1]. Keras: `specificity` */ specificity: number }) {
    checkClassOptions(new.target, 'SensitivityAtSpecificity', args);
    super('SensitivityAtSpecificity', ['specificity', args?.specificity, 'specificity'], 'recall', { ...args, name: args?.name ?? 'sensitivity_at_specificity' });
  }
}

/** The best specificity among thresholds whose sensitivity (recall) is at least `sensitivity`. */
export class SpecificityAtSensitivity extends ConstrainedMetric {
  static readonly optionKeys: readonly string[] = ['sensitivity', 'numThresholds', 'classId', 'name'];
  constructor(args: ConstrainedArgs & { /** The sensitivity floor, in [0, 1]. Keras: `sensitivity` */ sensitivity: number }) {
    checkClassOptions(new.target, 'SpecificityAtSensitivity', args);
    super('SpecificityAtSensitivity', ['recall', args?.sensitivity, 'sensitivity'], 'specificity', { ...args, name: args?.name ?? 'specificity_at_sensitivity' });
  }
}
