/** The accuracy family, each the mean over samples of a per-sample 0/1 match. */
import * as tfc from '@tensorflow/tfjs-core';
import { checkClassOptions } from '../engine/options';
import { MeanMetricWrapper } from './metric';
import { binaryAccuracy, categoricalAccuracy, sparseCategoricalAccuracy } from './functions';

/** How often predictions equal labels exactly. */
export class Accuracy extends MeanMetricWrapper {
  static readonly optionKeys: readonly string[] = ['name'];
  constructor(args: { name?: string } = {}) {
    checkClassOptions(new.target, 'Accuracy', args);
    super(args.name ?? 'accuracy', (t, p) => tfc.mean(tfc.cast(tfc.equal(t, p), 'float32'), -1));
  }
}

export class BinaryAccuracy extends MeanMetricWrapper {
  static readonly optionKeys: readonly string[] = ['name', 'threshold'];
  readonly threshold: number;
  constructor(args: { name?: string; threshold?: number } = {}) {
    checkClassOptions(new.target, 'BinaryAccuracy', args);
    const threshold = args.threshold ?? 0.5;
    super(args.name ?? 'binary_accuracy', (t, p) => binaryAccuracy(t, p, threshold));
    this.threshold = threshold;
  }
}

export class CategoricalAccuracy extends MeanMetricWrapper {
  static readonly optionKeys: readonly string[] = ['name'];
  constructor(args: { name?: string } = {}) {
    checkClassOptions(new.target, 'CategoricalAccuracy', args);
    super(args.name ?? 'categorical_accuracy', categoricalAccuracy);
  }
}

export class SparseCategoricalAccuracy extends MeanMetricWrapper {
  static readonly optionKeys: readonly string[] = ['name'];
  constructor(args: { name?: string } = {}) {
    checkClassOptions(new.target, 'SparseCategoricalAccuracy', args);
    super(args.name ?? 'sparse_categorical_accuracy', sparseCategoricalAccuracy);
  }
}

/** 1 where the true class's score is among the k largest (fewer than k classes score higher). */
function inTopK(trueScore: tfc.Tensor, yPred: tfc.Tensor, k: number): tfc.Tensor {
  const higher = tfc.sum(tfc.cast(tfc.greater(yPred, tfc.expandDims(trueScore, -1)), 'float32'), -1);
  return tfc.cast(tfc.less(higher, k), 'float32');
}

export class TopKCategoricalAccuracy extends MeanMetricWrapper {
  static readonly optionKeys: readonly string[] = ['name', 'k'];
  readonly k: number;
  constructor(args: { name?: string; k?: number } = {}) {
    checkClassOptions(new.target, 'TopKCategoricalAccuracy', args);
    const k = args.k ?? 5;
    super(args.name ?? 'top_k_categorical_accuracy', (t, p) => {
      const classes = p.shape[p.rank - 1];
      const trueScore = tfc.sum(tfc.mul(tfc.oneHot(tfc.argMax(t, -1), classes), p), -1);
      return inTopK(trueScore, p, k);
    });
    this.k = k;
  }
}

export class SparseTopKCategoricalAccuracy extends MeanMetricWrapper {
  static readonly optionKeys: readonly string[] = ['name', 'k'];
  readonly k: number;
  constructor(args: { name?: string; k?: number } = {}) {
    checkClassOptions(new.target, 'SparseTopKCategoricalAccuracy', args);
    const k = args.k ?? 5;
    super(args.name ?? 'sparse_top_k_categorical_accuracy', (t, p) => {
      const classes = p.shape[p.rank - 1];
      const labels = tfc.cast(t.rank === p.rank ? tfc.squeeze(t, [-1]) : t, 'int32');
      const trueScore = tfc.sum(tfc.mul(tfc.oneHot(labels, classes), p), -1);
      return inTopK(trueScore, p, k);
    });
    this.k = k;
  }
}
