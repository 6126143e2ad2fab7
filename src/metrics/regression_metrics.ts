import * as tfc from '@tensorflow/tfjs-core';
import { checkClassOptions } from '../engine/options';
import { cosineSimilarity, meanAbsoluteError, meanSquaredError } from '../losses/functions';
import { Mean, MeanMetricWrapper, Metric } from './metric';

export class MeanSquaredError extends MeanMetricWrapper {
  static readonly optionKeys: readonly string[] = ['name'];
  constructor(args: { name?: string } = {}) {
    checkClassOptions(new.target, 'MeanSquaredError', args);
    super(args.name ?? 'mean_squared_error', meanSquaredError);
  }
}

export class MeanAbsoluteError extends MeanMetricWrapper {
  static readonly optionKeys: readonly string[] = ['name'];
  constructor(args: { name?: string } = {}) {
    checkClassOptions(new.target, 'MeanAbsoluteError', args);
    super(args.name ?? 'mean_absolute_error', meanAbsoluteError);
  }
}

/** sqrt of the mean squared error over every value seen. */
export class RootMeanSquaredError extends Metric {
  static readonly optionKeys: readonly string[] = ['name'];
  private readonly mean: Mean;
  constructor(args: { name?: string } = {}) {
    checkClassOptions(new.target, 'RootMeanSquaredError', args);
    super(args.name ?? 'root_mean_squared_error');
    this.mean = new Mean(this.name);
  }
  updateState(yTrue: tfc.Tensor, yPred: tfc.Tensor, sampleWeight?: tfc.Tensor): void {
    tfc.tidy(() => this.mean.updateState(tfc.squaredDifference(yPred, yTrue), undefined, sampleWeight));
  }
  result(): tfc.Tensor {
    return tfc.tidy(() => tfc.sqrt(this.mean.result()));
  }
  override resetState(): void {
    this.mean.resetState();
  }
  override dispose(): void {
    this.mean.dispose();
  }
}

/** The mean cosine similarity between labels and predictions (positive: 1 means aligned). */
export class CosineSimilarity extends MeanMetricWrapper {
  static readonly optionKeys: readonly string[] = ['name', 'axis'];
  readonly axis: number;
  constructor(args: { name?: string; axis?: number } = {}) {
    checkClassOptions(new.target, 'CosineSimilarity', args);
    const axis = args.axis ?? -1;
    super(args.name ?? 'cosine_similarity', (t, p) => tfc.neg(cosineSimilarity(t, p, axis)));
    this.axis = axis;
  }
  override getConfig(): Record<string, unknown> {
    return { name: this.name, axis: this.axis };
  }
}
