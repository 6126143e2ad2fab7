/**
 * PearsonCorrelation and ConcordanceCorrelation, as Keras defines them: each sample's correlation
 * along `axis` between labels and predictions, averaged over the samples seen (so the value over
 * several batches is the mean over all their samples).
 */
import * as tfc from '@tensorflow/tfjs-core';
import { checkClassOptions } from '../engine/options';
import { MeanMetricWrapper } from './metric';

const EPSILON = 1e-7;

function population(x: tfc.Tensor, axis: number): { centered: tfc.Tensor; mean: tfc.Tensor; variance: tfc.Tensor } {
  const mean = tfc.mean(x, axis, true);
  const centered = tfc.sub(x, mean);
  return { centered, mean, variance: tfc.mean(tfc.square(centered), axis, true) };
}

/** mean(z(y) · z(p)) along `axis`, z the standardized (population std) values. */
export function pearsonCorrelation(yTrue: tfc.Tensor, yPred: tfc.Tensor, axis = -1): tfc.Tensor {
  const t = population(tfc.cast(yTrue, 'float32'), axis);
  const p = population(yPred, axis);
  const zt = tfc.div(t.centered, tfc.sqrt(t.variance));
  const zp = tfc.div(p.centered, tfc.sqrt(p.variance));
  return tfc.mean(tfc.mul(zt, zp), axis);
}

/**
 * Lin's concordance correlation along `axis`, written as Keras 3 writes it: the covariance term is
 * mean((y - mean(p)) · (p - mean(p))) (Keras centers the labels on the predictions' mean).
 */
export function concordanceCorrelation(yTrue: tfc.Tensor, yPred: tfc.Tensor, axis = -1): tfc.Tensor {
  const y = tfc.cast(yTrue, 'float32');
  const t = population(y, axis);
  const p = population(yPred, axis);
  const covariance = tfc.mul(tfc.sub(y, p.mean), p.centered);
  const norm = tfc.add(tfc.add(t.variance, p.variance), tfc.square(tfc.sub(t.mean, p.mean)));
  return tfc.mean(tfc.div(tfc.mul(covariance, 2), tfc.add(norm, EPSILON)), axis);
}

interface CorrelationArgs {
  /** The metric's name in logs. Keras: `name` @default 'pearson_correlation' / 'concordance_correlation' */
  name?: string;
  /** The axis the correlation is computed along. Keras: `axis` @default -1 */
  axis?: number;
}

export class PearsonCorrelation extends MeanMetricWrapper {
  static readonly optionKeys: readonly string[] = ['name', 'axis'];
  readonly axis: number;
  constructor(args: CorrelationArgs = {}) {
    checkClassOptions(new.target, 'PearsonCorrelation', args);
    const axis = args.axis ?? -1;
    super(args.name ?? 'pearson_correlation', (t, p) => pearsonCorrelation(t, p, axis));
    this.axis = axis;
  }
  override getConfig(): Record<string, unknown> {
    return { name: this.name, axis: this.axis };
  }
}

export class ConcordanceCorrelation extends MeanMetricWrapper {
  static readonly optionKeys: readonly string[] = ['name', 'axis'];
  readonly axis: number;
  constructor(args: CorrelationArgs = {}) {
    checkClassOptions(new.target, 'ConcordanceCorrelation', args);
    const axis = args.axis ?? -1;
    super(args.name ?? 'concordance_correlation', (t, p) => concordanceCorrelation(t, p, axis));
    this.axis = axis;
  }
  override getConfig(): Record<string, unknown> {
    return { name: this.name, axis: this.axis };
  }
}
