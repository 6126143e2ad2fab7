/**
 * Stateful metrics. State lives on the device in variables; `updateState` adds a batch, `result`
 * computes the value over everything seen since `resetState`. Nothing is read back to JavaScript
 * until someone reads `result()`.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ensureRegistered } from '../backend/backend';
import { FusedKernel, hasKernel, runFused } from '../engine/fused_kernels';

export abstract class Metric {
  private readonly state: tfc.Variable[] = [];

  constructor(readonly name: string) {
    ensureRegistered(); // see Layer's constructor
  }

  abstract updateState(yTrue: tfc.Tensor, yPred: tfc.Tensor, sampleWeight?: tfc.Tensor): void;

  /** The value over all updates since the last reset; a scalar owned by the caller. */
  abstract result(): tfc.Tensor;

  /**
   * The variables that hold the state: this metric's own, then those of the metrics it is built
   * from (found among its fields, as Keras tracks sub-metrics). A distribution sums them over the
   * processes.
   */
  get variables(): tfc.Variable[] {
    const inner = Object.values(this).filter((v): v is Metric => v instanceof Metric && v !== this);
    return [...this.state, ...inner.flatMap((m) => m.variables)];
  }

  /** The options that rebuild this metric: `new Cls(metric.getConfig())`. Subclasses add theirs. */
  getConfig(): Record<string, unknown> {
    return { name: this.name };
  }

  resetState(): void {
    for (const v of this.state) {
      const zeros = tfc.zerosLike(v);
      v.assign(zeros);
      zeros.dispose();
    }
  }

  /** A zero-initialized state variable, freed by dispose(). */
  protected addState(shape: number[] = []): tfc.Variable {
    const zeros = tfc.zeros(shape);
    const v = tfc.variable(zeros, false);
    zeros.dispose();
    this.state.push(v);
    return v;
  }

  /** Adds `delta` to a state variable. */
  protected accumulate(v: tfc.Variable, delta: tfc.Tensor): void {
    const next = tfc.add(v, delta);
    v.assign(next);
    next.dispose();
  }

  /**
   * Adds Σvalues · scale to a scalar state variable: one Accumulate kernel where the backend has it,
   * else a sum, a product (unless scale is 1) and an add; the same float32 values either way.
   */
  protected accumulateSum(v: tfc.Variable, values: tfc.Tensor, scale = 1): void {
    if (v.size === 1 && v.dtype === 'float32' && values.dtype === 'float32' && hasKernel(FusedKernel.Accumulate)) {
      const [next] = runFused(FusedKernel.Accumulate, { total: v, values }, { scale });
      v.assign(next);
      next.dispose();
      return;
    }
    tfc.tidy(() => {
      const sum = values.rank === 0 ? values : tfc.sum(values);
      this.accumulate(v, scale === 1 ? sum : tfc.mul(sum, scale));
    });
  }

  dispose(): void {
    this.state.forEach((v) => v.dispose());
    this.state.length = 0;
  }
}

/** Broadcasts sample weights (one per sample, or any shape that broadcasts) to the values' shape. */
export function broadcastWeights(values: tfc.Tensor, sampleWeight: tfc.Tensor): tfc.Tensor {
  let w = sampleWeight;
  while (w.rank > values.rank) w = tfc.squeeze(w, [-1]);
  while (w.rank < values.rank) w = tfc.expandDims(w, -1);
  return tfc.mul(tfc.onesLike(values), w);
}

/** The (weighted) sum of the values it is given. */
export class Sum extends Metric {
  private readonly total = this.addState();

  constructor(name = 'sum') {
    super(name);
  }

  updateState(values: tfc.Tensor, _unused?: tfc.Tensor, sampleWeight?: tfc.Tensor): void {
    tfc.tidy(() => this.accumulate(this.total, tfc.sum(sampleWeight ? tfc.mul(values, broadcastWeights(values, sampleWeight)) : values)));
  }

  result(): tfc.Tensor {
    return tfc.clone(this.total);
  }
}

/**
 * The (weighted) mean of the values it is given. The total is summed on the device. The count is
 * summed on the host while every update since the last reset adds a known number (a batch's size,
 * unweighted values' count): float32 sums of float32 numbers, the same values the device would
 * hold, without an upload and two kernels per batch. It goes to the device when the state is read
 * through `variables` (a distribution sums and assigns them), and stays there until the next reset.
 */
export class Mean extends Metric {
  private readonly total = this.addState();
  private readonly count = this.addState();
  /** The count while the host keeps it (the `count` variable is stale then); null while the variable holds it. */
  private hostCount: number | null = 0;

  constructor(name = 'mean') {
    super(name);
  }

  /** Adds `values` (any shape), each with `sampleWeight` (broadcastable) or weight 1. */
  updateState(values: tfc.Tensor, _unused?: tfc.Tensor, sampleWeight?: tfc.Tensor): void {
    tfc.tidy(() => {
      if (sampleWeight === undefined) {
        this.accumulateSum(this.total, values);
        this.addCount(values.size);
        return;
      }
      const w = broadcastWeights(values, sampleWeight);
      this.accumulate(this.total, tfc.sum(tfc.mul(values, w)));
      this.countOnDevice();
      this.accumulate(this.count, tfc.sum(w));
    });
  }

  /** Adds one value that stands for `weight` samples (e.g. a batch mean and the batch size). */
  updateWeighted(value: tfc.Tensor, weight: number): void {
    this.accumulateSum(this.total, value, weight);
    this.addCount(weight);
  }

  result(): tfc.Tensor {
    return tfc.tidy(() => tfc.divNoNan(this.total, this.hostCount === null ? this.count : tfc.scalar(this.hostCount)));
  }

  override get variables(): tfc.Variable[] {
    this.countOnDevice(); // whoever holds the variables may read or assign them
    return super.variables;
  }

  override resetState(): void {
    super.resetState();
    this.hostCount = 0;
  }

  /** count += n, as the device's float32 add of a float32 scalar would make it. */
  private addCount(n: number): void {
    if (this.hostCount === null) this.accumulate(this.count, tfc.scalar(n));
    else this.hostCount = Math.fround(this.hostCount + Math.fround(n));
  }

  /** Writes the host's count to the `count` variable, which holds it from now on (until the next reset). */
  private countOnDevice(): void {
    if (this.hostCount === null) return;
    const c = tfc.scalar(this.hostCount);
    this.count.assign(c);
    c.dispose();
    this.hostCount = null;
  }
}

export type MetricFn = (yTrue: tfc.Tensor, yPred: tfc.Tensor) => tfc.Tensor;

/** A metric that is the mean, over samples, of a per-sample function (accuracy, mse, ...). */
export class MeanMetricWrapper extends Metric {
  private readonly mean: Mean;

  constructor(
    name: string,
    readonly fn: MetricFn,
  ) {
    super(name);
    this.mean = new Mean(name);
  }

  updateState(yTrue: tfc.Tensor, yPred: tfc.Tensor, sampleWeight?: tfc.Tensor): void {
    tfc.tidy(() => this.mean.updateState(this.fn(yTrue, yPred), undefined, sampleWeight));
  }

  result(): tfc.Tensor {
    return this.mean.result();
  }

  override resetState(): void {
    this.mean.resetState();
  }

  override dispose(): void {
    this.mean.dispose();
  }
}
