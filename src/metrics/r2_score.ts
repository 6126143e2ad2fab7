/**
 * R2Score: the coefficient of determination over everything seen, as Keras computes it from
 * per-output running sums (of y, y², squared residuals and weights) on (batch, outputs) inputs:
 * 1 - SS_res / SS_tot per output, then aggregated; adjusted for `numRegressors` when that is
 * possible (fewer regressors than samples - 1), as Keras does.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { checkClassOptions } from '../engine/options';
import { Metric } from './metric';

export interface R2ScoreArgs {
  /**
   * How the outputs' scores become one: 'uniform_average', 'variance_weighted_average', or null
   * (one score per output). Keras: `class_aggregation` @default 'uniform_average'
   */
  classAggregation?: 'uniform_average' | 'variance_weighted_average' | null;
  /** Independent regressors, for the adjusted R². Keras: `num_regressors` @default 0 */
  numRegressors?: number;
  /** The metric's name in logs. Keras: `name` @default 'r2_score' */
  name?: string;
}

export class R2Score extends Metric {
  static readonly optionKeys: readonly string[] = ['classAggregation', 'numRegressors', 'name'];
  readonly classAggregation: 'uniform_average' | 'variance_weighted_average' | null;
  readonly numRegressors: number;
  private readonly numSamples = this.addState();
  /** sum(w y), sum(w y²), sum(w (y - p)²), sum(w), per output; made on the first update. */
  private sums: tfc.Variable[] | null = null;

  constructor(args: R2ScoreArgs = {}) {
    checkClassOptions(new.target, 'R2Score', args);
    super(args.name ?? 'r2_score');
    this.classAggregation = args.classAggregation === undefined ? 'uniform_average' : args.classAggregation;
    this.numRegressors = args.numRegressors ?? 0;
    if (![null, 'uniform_average', 'variance_weighted_average'].includes(this.classAggregation)) {
      throw new ValueError(`R2Score: unknown classAggregation '${args.classAggregation}'. help: use 'uniform_average', 'variance_weighted_average' or null.`);
    }
    if (!Number.isInteger(this.numRegressors) || this.numRegressors < 0) {
      throw new ValueError(`R2Score: \`numRegressors\` must be an integer >= 0, got ${args.numRegressors}. help: pass the number of independent variables, or 0.`);
    }
  }

  updateState(yTrue: tfc.Tensor, yPred: tfc.Tensor, sampleWeight?: tfc.Tensor): void {
    if (yTrue.rank === 1 && yPred.rank === 2) yTrue = yTrue.reshape([-1, 1]);
    if (yTrue.rank !== 2 || yPred.rank !== 2) {
      throw new ValueError(`R2Score: expects labels and predictions shaped (batch, outputs), got [${yTrue.shape}] and [${yPred.shape}]. help: reshape them to 2-D.`);
    }
    if (this.sums === null) this.sums = [0, 1, 2, 3].map(() => this.addState([yPred.shape[1] as number]));
    const [sum, squaredSum, residual, count] = this.sums;
    tfc.tidy(() => {
      const t = tfc.cast(yTrue, 'float32');
      const w = tfc.mul(tfc.onesLike(t), sampleWeight === undefined ? 1 : tfc.reshape(tfc.cast(sampleWeight, 'float32'), [-1, 1]));
      const wt = tfc.mul(t, w);
      this.accumulate(sum, tfc.sum(wt, 0));
      this.accumulate(squaredSum, tfc.sum(tfc.mul(t, wt), 0));
      this.accumulate(residual, tfc.sum(tfc.mul(tfc.squaredDifference(t, yPred), w), 0));
      this.accumulate(count, tfc.sum(w, 0));
      this.accumulate(this.numSamples, tfc.scalar(t.size));
    });
  }

  result(): tfc.Tensor {
    if (this.sums === null) return tfc.scalar(0);
    const [sum, squaredSum, residual, count] = this.sums;
    return tfc.tidy(() => {
      const total = tfc.sub(squaredSum, tfc.mul(sum, tfc.div(sum, count)));
      const raw = tfc.sub(1, tfc.div(residual, total));
      const scores = tfc.where(tfc.isInf(raw), tfc.zerosLike(raw), raw);
      let r2: tfc.Tensor = scores;
      if (this.classAggregation === 'uniform_average') r2 = tfc.mean(scores);
      if (this.classAggregation === 'variance_weighted_average') r2 = tfc.div(tfc.sum(tfc.mul(total, scores)), tfc.sum(total));
      if (this.numRegressors === 0) return r2;
      const n = this.numSamples;
      const p = this.numRegressors;
      const adjusted = tfc.sub(1, tfc.div(tfc.mul(tfc.sub(1, r2), tfc.sub(n, 1)), tfc.sub(tfc.sub(n, p), 1)));
      return tfc.where(tfc.less(p, tfc.sub(n, 1)), adjusted, r2);
    });
  }

  override getConfig(): Record<string, unknown> {
    return { name: this.name, classAggregation: this.classAggregation, numRegressors: this.numRegressors };
  }
}
