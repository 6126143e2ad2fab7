/**
 * The Loss class: a per-sample loss function plus the reduction over the batch, with sample weights.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { reduceAll } from '../ops/mean_all';
import { LossFn, ReducedLossFn } from './functions';

export type Reduction = 'sum_over_batch_size' | 'sum' | 'none';
const REDUCTIONS: readonly Reduction[] = ['sum_over_batch_size', 'sum', 'none'];

export interface LossArgs {
  /**
   * How per-sample losses become one number: 'sum_over_batch_size', 'sum' or 'none' (Keras 3 also has 'mean').
   * Keras: `reduction` @default 'sum_over_batch_size'
   */
  reduction?: Reduction;
  /** The loss's name in logs. Keras: `name` @default its snake_case name ('binary_crossentropy') */
  name?: string;
}

export class Loss {
  readonly reduction: Reduction;
  /** The Keras snake_case name of the loss function (the log name may differ: see `name`). */
  readonly className: string;
  readonly name: string;

  constructor(
    /** The Keras snake_case name, used in logs and configs. */
    className: string,
    private readonly fn: LossFn,
    args: LossArgs = {},
    /** The options that `fn` closes over, for getConfig. */
    private readonly fnConfig: Record<string, unknown> = {},
    /** `fn` summed or averaged over all values in one op (the cross-entropies), for calls without sample weights. */
    private readonly reduced?: ReducedLossFn,
  ) {
    this.reduction = args.reduction ?? 'sum_over_batch_size';
    if (!REDUCTIONS.includes(this.reduction)) {
      throw new ValueError(
        `Loss '${className}': unknown reduction '${this.reduction}'. help: use one of ${REDUCTIONS.map((r) => `'${r}'`).join(', ')}.`,
      );
    }
    this.className = className;
    this.name = args.name ?? className;
  }

  /**
   * The loss of a batch. `sampleWeight` (one weight per sample, or broadcastable to the per-sample
   * losses) scales each sample's loss; 'sum_over_batch_size' divides the weighted sum by the number
   * of per-sample values, as Keras does.
   */
  call(yTrue: tfc.Tensor, yPred: tfc.Tensor, sampleWeight?: tfc.Tensor): tfc.Tensor {
    return tfc.tidy(() => {
      if (sampleWeight === undefined && this.reduction !== 'none' && this.reduced !== undefined) {
        return this.reduced(yTrue, yPred, this.reduction === 'sum' ? 'sum' : 'mean');
      }
      let values = this.fn(yTrue, yPred);
      if (sampleWeight !== undefined) {
        let w = sampleWeight;
        // one value for the whole batch (Dice, Tversky with no axis) is weighted per sample, as Keras broadcasts it
        while (w.rank > values.rank && values.rank > 0) w = tfc.squeeze(w, [-1]);
        values = tfc.mul(values, w);
      }
      if (this.reduction === 'none') return values;
      return reduceAll(values, this.reduction === 'sum_over_batch_size');
    });
  }

  /** The per-sample loss values, unreduced and unweighted. */
  perSample = (yTrue: tfc.Tensor, yPred: tfc.Tensor): tfc.Tensor => this.fn(yTrue, yPred);

  getConfig(): Record<string, unknown> {
    return { name: this.name, reduction: this.reduction, ...this.fnConfig };
  }
}
