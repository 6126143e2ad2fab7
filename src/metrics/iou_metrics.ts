/**
 * Intersection-over-union metrics (IoU, MeanIoU, BinaryIoU, OneHotIoU, OneHotMeanIoU), as Keras
 * computes them: a (weighted) confusion matrix over `numClasses` classes accumulated on the
 * device, then per class tp / (row sum + column sum - tp), averaged over the target classes that
 * occur (a class absent from labels and predictions counts as neither 0 nor 1).
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { checkClassOptions } from '../engine/options';
import { Metric } from './metric';

const EPSILON = 1e-7;

export interface IoUArgs {
  /** How many classes the labels and predictions range over. Keras: `num_classes` */
  numClasses: number;
  /** The classes whose IoUs are averaged. Keras: `target_class_ids` */
  targetClassIds: number[];
  /** A class id (e.g. a "void" label) left out of the matrix. Keras: `ignore_class` @default undefined */
  ignoreClass?: number;
  /** Whether labels are class ids (else one-hot or scores, reduced by argmax). Keras: `sparse_y_true` @default true */
  sparseYTrue?: boolean;
  /** Whether predictions are class ids (else scores, reduced by argmax). Keras: `sparse_y_pred` @default true */
  sparseYPred?: boolean;
  /** The class axis for the argmax. Keras: `axis` @default -1 */
  axis?: number;
  /** The metric's name in logs. Keras: `name` @default 'io_u' (Keras's name for IoU), 'mean_io_u', ... */
  name?: string;
}

/** The IoU of `targetClassIds` from a confusion matrix accumulated over every update. */
export class IoU extends Metric {
  static readonly optionKeys: readonly string[] = ['numClasses', 'targetClassIds', 'ignoreClass', 'sparseYTrue', 'sparseYPred', 'axis', 'name'];
  readonly numClasses: number;
  readonly targetClassIds: number[];
  readonly ignoreClass: number | undefined;
  readonly sparseYTrue: boolean;
  readonly sparseYPred: boolean;
  readonly axis: number;
  private readonly matrix: tfc.Variable;

  constructor(args: IoUArgs) {
    if (new.target === IoU) checkClassOptions(IoU, 'IoU', args);
    super(args?.name ?? 'io_u');
    const where = new.target.name;
    const n = args?.numClasses;
    if (!Number.isInteger(n) || n < 1) throw new ValueError(`${where}: \`numClasses\` must be a positive integer, got ${n}. help: pass e.g. {numClasses: 3}.`);
    const ids = args.targetClassIds;
    if (!Array.isArray(ids) || ids.length === 0 || ids.some((i) => !Number.isInteger(i) || i < 0 || i >= n)) {
      throw new ValueError(`${where}: \`targetClassIds\` must be class ids in [0, ${n}), got ${JSON.stringify(ids)}. help: pass e.g. {targetClassIds: [0, 1]}.`);
    }
    this.numClasses = n;
    this.targetClassIds = [...ids];
    this.ignoreClass = args.ignoreClass;
    this.sparseYTrue = args.sparseYTrue ?? true;
    this.sparseYPred = args.sparseYPred ?? true;
    this.axis = args.axis ?? -1;
    this.matrix = this.addState([n, n]);
  }

  /** Class ids of the predictions (BinaryIoU thresholds them instead). */
  protected predictedClasses(yPred: tfc.Tensor): tfc.Tensor {
    return this.sparseYPred ? yPred : tfc.argMax(yPred, this.axis);
  }

  updateState(yTrue: tfc.Tensor, yPred: tfc.Tensor, sampleWeight?: tfc.Tensor): void {
    tfc.tidy(() => {
      const t = tfc.reshape(tfc.cast(this.sparseYTrue ? yTrue : tfc.argMax(yTrue, this.axis), 'int32'), [-1]);
      const p = tfc.reshape(tfc.cast(this.predictedClasses(yPred), 'int32'), [-1]);
      const n = this.numClasses;
      let keep = tfc.logicalAnd(tfc.logicalAnd(tfc.greaterEqual(t, 0), tfc.less(t, n)), tfc.logicalAnd(tfc.greaterEqual(p, 0), tfc.less(p, n)));
      if (this.ignoreClass !== undefined) keep = tfc.logicalAnd(keep, tfc.notEqual(t, this.ignoreClass));
      const ones = tfc.ones([t.size]);
      const w = sampleWeight === undefined ? ones : tfc.mul(ones, tfc.reshape(tfc.cast(sampleWeight, 'float32'), [-1]));
      const weights = tfc.where(keep, w, tfc.zerosLike(w));
      // Out-of-range ids would make oneHot rows of zeros anyway; their weight is 0 too.
      const rows = tfc.mul(tfc.cast(tfc.oneHot(t, n), 'float32'), tfc.reshape(weights, [-1, 1]));
      const cols = tfc.cast(tfc.oneHot(p, n), 'float32');
      this.accumulate(this.matrix, tfc.matMul(rows, cols, true, false));
    });
  }

  result(): tfc.Tensor {
    return tfc.tidy(() => {
      const tp = tfc.sum(tfc.mul(this.matrix, tfc.eye(this.numClasses)), 1);
      const denominator = tfc.sub(tfc.add(tfc.sum(this.matrix, 0), tfc.sum(this.matrix, 1)), tp);
      const ids = tfc.tensor1d(this.targetClassIds, 'int32');
      const [tpT, denT] = [tfc.gather(tp, ids), tfc.gather(denominator, ids)];
      const valid = tfc.greater(denT, 1e-9);
      const iou = tfc.where(valid, tfc.div(tpT, tfc.add(denT, EPSILON)), tfc.zerosLike(tpT));
      return tfc.div(tfc.sum(iou), tfc.add(tfc.sum(tfc.cast(valid, 'float32')), EPSILON));
    });
  }

  override getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = {
      name: this.name, numClasses: this.numClasses, targetClassIds: [...this.targetClassIds],
      sparseYTrue: this.sparseYTrue, sparseYPred: this.sparseYPred, axis: this.axis,
    };
    if (this.ignoreClass !== undefined) config.ignoreClass = this.ignoreClass;
    return config;
  }
}

export type MeanIoUArgs = Omit<IoUArgs, 'targetClassIds'>;

/** The IoU averaged over every class. */
export class MeanIoU extends IoU {
  static override readonly optionKeys: readonly string[] = ['numClasses', 'ignoreClass', 'sparseYTrue', 'sparseYPred', 'axis', 'name'];
  constructor(args: MeanIoUArgs) {
    if (new.target === MeanIoU) checkClassOptions(MeanIoU, 'MeanIoU', args);
    const n = args?.numClasses;
    super({ ...args, name: args?.name ?? 'mean_io_u', targetClassIds: Number.isInteger(n) && n > 0 ? [...Array(n).keys()] : [] });
  }

  override getConfig(): Record<string, unknown> {
    const { targetClassIds: _ids, ...config } = super.getConfig();
    return config;
  }
}

export interface BinaryIoUArgs {
  /** The classes whose IoUs are averaged: [0], [1] or [0, 1]. Keras: `target_class_ids` @default [0, 1] */
  targetClassIds?: number[];
  /** Predictions at or above it are class 1, below it class 0. Keras: `threshold` @default 0.5 */
  threshold?: number;
  /** The metric's name in logs. Keras: `name` @default 'binary_io_u' */
  name?: string;
}

/** The IoU of binary labels against thresholded predictions. */
export class BinaryIoU extends IoU {
  static override readonly optionKeys: readonly string[] = ['targetClassIds', 'threshold', 'name'];
  readonly threshold: number;
  constructor(args: BinaryIoUArgs = {}) {
    checkClassOptions(new.target, 'BinaryIoU', args);
    super({ numClasses: 2, targetClassIds: args.targetClassIds ?? [0, 1], name: args.name ?? 'binary_io_u' });
    this.threshold = args.threshold ?? 0.5;
  }

  protected override predictedClasses(yPred: tfc.Tensor): tfc.Tensor {
    return tfc.greaterEqual(yPred, this.threshold);
  }

  override getConfig(): Record<string, unknown> {
    return { name: this.name, targetClassIds: [...this.targetClassIds], threshold: this.threshold };
  }
}

export type OneHotIoUArgs = Omit<IoUArgs, 'sparseYTrue'>;

/** IoU with one-hot labels (argmax over the class axis), and predictions as scores unless `sparseYPred`. */
export class OneHotIoU extends IoU {
  static override readonly optionKeys: readonly string[] = ['numClasses', 'targetClassIds', 'ignoreClass', 'sparseYPred', 'axis', 'name'];
  constructor(args: OneHotIoUArgs) {
    checkClassOptions(new.target, 'OneHotIoU', args);
    super({ sparseYPred: false, ...args, sparseYTrue: false, name: args?.name ?? 'one_hot_io_u' });
  }

  override getConfig(): Record<string, unknown> {
    const { sparseYTrue: _sparse, ...config } = super.getConfig();
    return config;
  }
}

export type OneHotMeanIoUArgs = Omit<MeanIoUArgs, 'sparseYTrue'>;

/** MeanIoU with one-hot labels, and predictions as scores unless `sparseYPred`. */
export class OneHotMeanIoU extends MeanIoU {
  static override readonly optionKeys: readonly string[] = ['numClasses', 'ignoreClass', 'sparseYPred', 'axis', 'name'];
  constructor(args: OneHotMeanIoUArgs) {
    checkClassOptions(new.target, 'OneHotMeanIoU', args);
    super({ sparseYPred: false, ...args, sparseYTrue: false, name: args?.name ?? 'one_hot_mean_io_u' });
  }

  override getConfig(): Record<string, unknown> {
    const { sparseYTrue: _sparse, ...config } = super.getConfig();
    return config;
  }
}
