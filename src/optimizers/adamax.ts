import * as tfc from '@tensorflow/tfjs-core';
import { checkUnit } from './adam';
import { Optimizer, OPTIMIZER_KEYS, OptimizerArgs, SlotSpec } from './optimizer';
import { optionKeys } from '../engine/options';

export interface AdamaxArgs extends OptimizerArgs {
  /** Decay rate of the first-moment (mean) estimate. Keras: `beta_1` @default 0.9 */
  beta1?: number;
  /** Decay rate of the second-moment estimate. Keras: `beta_2` @default 0.999 */
  beta2?: number;
  /** Small constant for numerical stability. Keras: `epsilon` @default 1e-7 */
  epsilon?: number;
}

/** Adamax (Adam with the infinity norm): u = max(b2 u, |g|); w -= lr m / ((1 - b1^t)(u + epsilon)). */
export class Adamax extends Optimizer {
  static override readonly optionKeys = optionKeys<AdamaxArgs>()(...OPTIMIZER_KEYS, 'beta1', 'beta2', 'epsilon');
  readonly className = 'Adamax';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(args: AdamaxArgs = {}) {
    super(args, 0.001, 'Adamax');
    this.beta1 = checkUnit(args.beta1 ?? 0.9, 'beta1', this.name);
    this.beta2 = checkUnit(args.beta2 ?? 0.999, 'beta2', this.name);
    this.epsilon = args.epsilon ?? 1e-7;
  }

  protected slotNames(): SlotSpec[] {
    return ['m', 'u'];
  }

  protected updateStep(grad: tfc.Tensor, w: tfc.Tensor, slots: Record<string, tfc.Variable>, lr: number, step: number): tfc.Tensor {
    const m = tfc.add(slots.m, tfc.mul(tfc.sub(grad, slots.m), 1 - this.beta1));
    const u = tfc.maximum(tfc.mul(slots.u, this.beta2), tfc.abs(grad));
    slots.m.assign(m);
    slots.u.assign(u);
    return tfc.sub(w, tfc.div(tfc.mul(m, lr), tfc.mul(tfc.add(u, this.epsilon), 1 - this.beta1 ** step)));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
