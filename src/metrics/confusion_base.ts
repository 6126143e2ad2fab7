/**
 * The shared state of the confusion-count metrics (Precision, Recall, AUC, TruePositives, ...,
 * SensitivityAtSpecificity, ...): weighted counts of true/false positives/negatives at each of
 * several thresholds, accumulated on the device. A prediction counts as positive when it is greater
 * than the threshold, as Keras counts it.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { broadcastWeights, Metric } from './metric';

/** Accumulates tp/fp/tn/fn at several thresholds: predictions > threshold count as positive. */
export abstract class ConfusionMetric extends Metric {
  protected readonly tp: tfc.Variable;
  protected readonly fp: tfc.Variable;
  protected readonly tn: tfc.Variable;
  protected readonly fn: tfc.Variable;
  protected readonly thresholdValues: number[];

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

