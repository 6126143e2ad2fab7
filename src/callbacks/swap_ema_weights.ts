/**
 * SwapEMAWeights, as Keras's: with an optimizer made with `useEma: true`, fit's validation runs on
 * the moving averages of the weights (swapped in before, swapped back after), and with
 * `swapOnEpoch` the averages are in the model from each epoch's end to the next epoch's start, so
 * callbacks after it (ModelCheckpoint) see them. (keras-ts's evaluate and predict take no
 * callbacks: swap by hand there, `model.setWeights` of `optimizer.averageOf(w)`.)
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import type { Optimizer } from '../optimizers/optimizer';
import { BaseCallback } from './callback';

export interface SwapEMAWeightsArgs {
  /** Swap at each epoch's end (and back at the next epoch's start). Keras: `swap_on_epoch` @default false */
  swapOnEpoch?: boolean;
}

export class SwapEMAWeights extends BaseCallback {
  readonly swapOnEpoch: boolean;
  private averagesInModel = false;

  constructor(args: SwapEMAWeightsArgs = {}) {
    super();
    this.swapOnEpoch = args.swapOnEpoch ?? false;
  }

  onEpochBegin(): void {
    if (this.swapOnEpoch && this.averagesInModel) this.swap();
  }

  onEpochEnd(epoch: number): void {
    if (!this.swapOnEpoch || this.averagesInModel) return;
    this.swap();
    // fit's end sets the weights to the averages: after the last epoch the averages are the weights now in the model.
    if (epoch === (this.params?.epochs ?? 0) - 1) this.pairs().forEach(([w, avg]) => avg.assign(w));
  }

  onTestBegin(): void {
    if (!this.averagesInModel) this.swap();
  }

  onTestEnd(): void {
    if (this.averagesInModel) this.swap();
  }

  private swap(): void {
    for (const [w, avg] of this.pairs()) {
      const held = tfc.clone(w);
      w.assign(avg);
      avg.assign(held);
      held.dispose();
    }
    this.averagesInModel = !this.averagesInModel;
  }

  /** [weight, moving average] of each trainable weight. */
  private pairs(): Array<[tfc.Variable, tfc.Variable]> {
    const model = this.model;
    let optimizer = model?.optimizer as (Optimizer & { innerOptimizer?: Optimizer }) | undefined;
    if (optimizer?.innerOptimizer !== undefined) optimizer = optimizer.innerOptimizer; // LossScaleOptimizer
    if (optimizer === undefined || !optimizer.useEma) {
      throw new ValueError(`SwapEMAWeights: the optimizer keeps no moving averages (useEma is ${String(optimizer?.useEma)}). help: compile with an optimizer made with {useEma: true}, e.g. new k.optimizers.Adam({useEma: true}).`);
    }
    const out: Array<[tfc.Variable, tfc.Variable]> = [];
    for (const { value } of model?.trainableWeights ?? []) {
      const avg = optimizer.averageOf(value);
      if (avg !== undefined) out.push([value, avg]);
    }
    return out;
  }
}
