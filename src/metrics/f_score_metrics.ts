/**
 * FBetaScore and F1Score over everything seen, as Keras computes them: per-class counts of true
 * positives, false positives and false negatives on (batch, classes) inputs, then
 * (1 + beta²) · P · R / (beta² · P + R) per class, averaged as `average` says.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { checkClassOptions } from '../engine/options';
import { Metric } from './metric';

const EPSILON = 1e-7;

export interface FBetaScoreArgs {
  /**
   * null: one score per class; 'micro': from counts over all classes; 'macro': the mean of the
   * classes' scores; 'weighted': their mean weighted by each class's (weighted) count of labels.
   * Keras: `average` @default null
   */
  average?: 'micro' | 'macro' | 'weighted' | null;
  /** Weight of recall against precision. Keras: `beta` @default 1 */
  beta?: number;
  /**
   * Predictions above it count as positive; unset, each sample's highest (non-zero) prediction is
   * the positive one. Keras: `threshold` @default undefined
   */
  threshold?: number;
  /** The metric's name in logs. Keras: `name` @default 'fbeta_score' */
  name?: string;
}

export class FBetaScore extends Metric {
  static readonly optionKeys: readonly string[] = ['average', 'beta', 'threshold', 'name'];
  readonly average: 'micro' | 'macro' | 'weighted' | null;
  readonly beta: number;
  readonly threshold: number | undefined;
  /** tp, fp, fn and the label weights, made on the first update once the class count is known. */
  private counts: tfc.Variable[] | null = null;

  constructor(args: FBetaScoreArgs = {}) {
    checkClassOptions(new.target, new.target.name, args);
    super(args.name ?? 'fbeta_score');
    this.average = args.average ?? null;
    this.beta = args.beta ?? 1;
    this.threshold = args.threshold;
    if (![null, 'micro', 'macro', 'weighted'].includes(this.average)) {
      throw new ValueError(`${new.target.name}: unknown average '${args.average}'. help: use null, 'micro', 'macro' or 'weighted'.`);
    }
    if (typeof this.beta !== 'number' || !(this.beta > 0)) throw new ValueError(`${new.target.name}: \`beta\` must be a number > 0, got ${args.beta}. help: pass e.g. {beta: 2}.`);
    if (this.threshold !== undefined && typeof this.threshold !== 'number') {
      throw new ValueError(`${new.target.name}: \`threshold\` must be a number, got ${String(args.threshold)}. help: pass e.g. {threshold: 0.5}, or leave it unset.`);
    }
  }

  updateState(yTrue: tfc.Tensor, yPred: tfc.Tensor, sampleWeight?: tfc.Tensor): void {
    if (yTrue.rank !== 2 || yPred.rank !== 2) {
      throw new ValueError(`${this.name}: expects labels and predictions shaped (batch, classes), got [${yTrue.shape}] and [${yPred.shape}]. help: reshape them to 2-D.`);
    }
    if (this.counts === null) {
      const shape = this.average === 'micro' ? [] : [yPred.shape[1] as number];
      this.counts = [0, 1, 2, 3].map(() => this.addState(shape));
    }
    const [tp, fp, fn, support] = this.counts;
    tfc.tidy(() => {
      const p = this.predictedPositive(yPred);
      const t = tfc.cast(yTrue, 'float32');
      const axis = this.average === 'micro' ? undefined : 0;
      const sum = (v: tfc.Tensor): tfc.Tensor => tfc.sum(sampleWeight ? tfc.mul(v, tfc.reshape(sampleWeight, [-1, 1])) : v, axis);
      this.accumulate(tp, sum(tfc.mul(p, t)));
      this.accumulate(fp, sum(tfc.mul(p, tfc.sub(1, t))));
      this.accumulate(fn, sum(tfc.mul(tfc.sub(1, p), t)));
      this.accumulate(support, sum(t));
    });
  }

  private predictedPositive(yPred: tfc.Tensor): tfc.Tensor {
    if (this.threshold !== undefined) return tfc.cast(tfc.greater(yPred, this.threshold), 'float32');
    const top = tfc.max(yPred, -1, true);
    return tfc.cast(tfc.logicalAnd(tfc.greaterEqual(yPred, top), tfc.greater(tfc.abs(yPred), 1e-9)), 'float32');
  }

  result(): tfc.Tensor {
    if (this.counts === null) return tfc.scalar(0);
    const [tp, fp, fn, support] = this.counts;
    return tfc.tidy(() => {
      const b2 = this.beta * this.beta;
      const precision = tfc.div(tp, tfc.add(tfc.add(tp, fp), EPSILON));
      const recall = tfc.div(tp, tfc.add(tfc.add(tp, fn), EPSILON));
      const f = tfc.mul(tfc.div(tfc.mul(precision, recall), tfc.add(tfc.add(tfc.mul(precision, b2), recall), EPSILON)), 1 + b2);
      if (this.average === 'weighted') return tfc.sum(tfc.mul(f, tfc.div(support, tfc.add(tfc.sum(support), EPSILON))));
      return this.average === null ? f : tfc.mean(f);
    });
  }

  override getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { name: this.name, average: this.average, beta: this.beta };
    if (this.threshold !== undefined) config.threshold = this.threshold;
    return config;
  }
}

export type F1ScoreArgs = Omit<FBetaScoreArgs, 'beta'>;

/** FBetaScore with beta = 1: the harmonic mean of precision and recall. */
export class F1Score extends FBetaScore {
  static override readonly optionKeys: readonly string[] = ['average', 'threshold', 'name'];
  constructor(args: F1ScoreArgs = {}) {
    checkClassOptions(new.target, 'F1Score', args);
    super({ ...args, name: args.name ?? 'f1_score' });
  }

  override getConfig(): Record<string, unknown> {
    const { beta: _beta, ...config } = super.getConfig();
    return config;
  }
}
