/** The accuracy family, each the mean over samples of a per-sample 0/1 match. */
import * as tfc from '@tensorflow/tfjs-core';
import { checkClassOptions } from '../engine/options';
import { MeanMetricWrapper } from './metric';
import { binaryAccuracy, categoricalAccuracy, sparseCategoricalAccuracy, sparseTopKCategoricalAccuracy, topKCategoricalAccuracy } from './functions';

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
  override getConfig(): Record<string, unknown> {
    return { name: this.name, threshold: this.threshold };
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

export class TopKCategoricalAccuracy extends MeanMetricWrapper {
  static readonly optionKeys: readonly string[] = ['name', 'k'];
  readonly k: number;
  constructor(args: { name?: string; k?: number } = {}) {
    checkClassOptions(new.target, 'TopKCategoricalAccuracy', args);
    const k = args.k ?? 5;
    super(args.name ?? 'top_k_categorical_accuracy', (t, p) => topKCategoricalAccuracy(t, p, k));
    this.k = k;
  }
  override getConfig(): Record<string, unknown> {
    return { name: this.name, k: this.k };
  }
}

export class SparseTopKCategoricalAccuracy extends MeanMetricWrapper {
  static readonly optionKeys: readonly string[] = ['name', 'k'];
  readonly k: number;
  constructor(args: { name?: string; k?: number } = {}) {
    checkClassOptions(new.target, 'SparseTopKCategoricalAccuracy', args);
    const k = args.k ?? 5;
    super(args.name ?? 'sparse_top_k_categorical_accuracy', (t, p) => sparseTopKCategoricalAccuracy(t, p, k));
    this.k = k;
  }
  override getConfig(): Record<string, unknown> {
    return { name: this.name, k: this.k };
  }
}
