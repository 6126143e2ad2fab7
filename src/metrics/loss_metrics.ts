/**
 * Metric classes for the losses Keras also offers as metrics (MeanAbsolutePercentageError,
 * BinaryCrossentropy, Hinge, ...): the mean, over the samples seen, of the loss function in
 * src/losses/functions.ts, the same function the compile strings ('mape', 'hinge', ...) use.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { checkClassOptions } from '../engine/options';
import * as F from '../losses/functions';
import { MeanMetricWrapper, MetricFn } from './metric';

/** A loss function's mean over samples, with the options it closes over kept for getConfig. */
abstract class LossMetric extends MeanMetricWrapper {
  protected constructor(name: string, fn: MetricFn, private readonly options: object = {}) {
    super(name, fn);
  }
  override getConfig(): Record<string, unknown> {
    return { name: this.name, ...this.options };
  }
}

interface NameArgs {
  /** The metric's name in logs. Keras: `name` @default the snake_case loss name */
  name?: string;
}

export class MeanAbsolutePercentageError extends LossMetric {
  static readonly optionKeys: readonly string[] = ['name'];
  constructor(args: NameArgs = {}) {
    checkClassOptions(new.target, 'MeanAbsolutePercentageError', args);
    super(args.name ?? 'mean_absolute_percentage_error', F.meanAbsolutePercentageError);
  }
}

export class MeanSquaredLogarithmicError extends LossMetric {
  static readonly optionKeys: readonly string[] = ['name'];
  constructor(args: NameArgs = {}) {
    checkClassOptions(new.target, 'MeanSquaredLogarithmicError', args);
    super(args.name ?? 'mean_squared_logarithmic_error', F.meanSquaredLogarithmicError);
  }
}

/** The mean of log(cosh(p - y)) (Keras's metric class is LogCoshError; its loss is LogCosh). */
export class LogCoshError extends LossMetric {
  static readonly optionKeys: readonly string[] = ['name'];
  constructor(args: NameArgs = {}) {
    checkClassOptions(new.target, 'LogCoshError', args);
    super(args.name ?? 'logcosh', F.logCosh);
  }
}

export class KLDivergence extends LossMetric {
  static readonly optionKeys: readonly string[] = ['name'];
  constructor(args: NameArgs = {}) {
    checkClassOptions(new.target, 'KLDivergence', args);
    super(args.name ?? 'kl_divergence', F.klDivergence);
  }
}

export class Poisson extends LossMetric {
  static readonly optionKeys: readonly string[] = ['name'];
  constructor(args: NameArgs = {}) {
    checkClassOptions(new.target, 'Poisson', args);
    super(args.name ?? 'poisson', F.poisson);
  }
}

export class Hinge extends LossMetric {
  static readonly optionKeys: readonly string[] = ['name'];
  constructor(args: NameArgs = {}) {
    checkClassOptions(new.target, 'Hinge', args);
    super(args.name ?? 'hinge', F.hinge);
  }
}

export class SquaredHinge extends LossMetric {
  static readonly optionKeys: readonly string[] = ['name'];
  constructor(args: NameArgs = {}) {
    checkClassOptions(new.target, 'SquaredHinge', args);
    super(args.name ?? 'squared_hinge', F.squaredHinge);
  }
}

export class CategoricalHinge extends LossMetric {
  static readonly optionKeys: readonly string[] = ['name'];
  constructor(args: NameArgs = {}) {
    checkClassOptions(new.target, 'CategoricalHinge', args);
    super(args.name ?? 'categorical_hinge', F.categoricalHinge);
  }
}

export type CrossentropyMetricArgs = NameArgs & F.CrossentropyOptions;

export class BinaryCrossentropy extends LossMetric {
  static readonly optionKeys: readonly string[] = ['name', 'fromLogits', 'labelSmoothing', 'axis'];
  constructor(args: CrossentropyMetricArgs = {}) {
    checkClassOptions(new.target, 'BinaryCrossentropy', args);
    const { name, ...opts } = args;
    super(name ?? 'binary_crossentropy', (t: tfc.Tensor, p: tfc.Tensor) => F.binaryCrossentropy(t, p, opts), opts);
  }
}

export class CategoricalCrossentropy extends LossMetric {
  static readonly optionKeys: readonly string[] = ['name', 'fromLogits', 'labelSmoothing', 'axis'];
  constructor(args: CrossentropyMetricArgs = {}) {
    checkClassOptions(new.target, 'CategoricalCrossentropy', args);
    const { name, ...opts } = args;
    super(name ?? 'categorical_crossentropy', (t: tfc.Tensor, p: tfc.Tensor) => F.categoricalCrossentropy(t, p, opts), opts);
  }
}

export type SparseCrossentropyMetricArgs = NameArgs & F.SparseCrossentropyOptions;

export class SparseCategoricalCrossentropy extends LossMetric {
  static readonly optionKeys: readonly string[] = ['name', 'fromLogits', 'axis'];
  constructor(args: SparseCrossentropyMetricArgs = {}) {
    checkClassOptions(new.target, 'SparseCategoricalCrossentropy', args);
    const { name, ...opts } = args;
    super(name ?? 'sparse_categorical_crossentropy', (t: tfc.Tensor, p: tfc.Tensor) => F.sparseCategoricalCrossentropy(t, p, opts), opts);
  }
}
