import * as tfc from '@tensorflow/tfjs-core';
import { checkUnit } from './adam';
import { Optimizer, OPTIMIZER_KEYS, OptimizerArgs, SlotSpec } from './optimizer';
import { optionKeys } from '../engine/options';

export interface NadamArgs extends OptimizerArgs {
  /** Decay rate of the first-moment (mean) estimate. Keras: `beta_1` @default 0.9 */
  beta1?: number;
  /** Decay rate of the second-moment estimate. Keras: `beta_2` @default 0.999 */
  beta2?: number;
  /** Small constant for numerical stability. Keras: `epsilon` @default 1e-7 */
  epsilon?: number;
}

/** Nadam (Adam with Nesterov momentum and Dozat's momentum schedule), as Keras 3 computes it. */
export class Nadam extends Optimizer {
  static override readonly optionKeys = optionKeys<NadamArgs>()(...OPTIMIZER_KEYS, 'beta1', 'beta2', 'epsilon');
  readonly className = 'Nadam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** The product of the momentum schedule up to the current step. */
  private uProduct = 1;

  constructor(args: NadamArgs = {}) {
    super(args, 0.001, 'Nadam');
    this.beta1 = checkUnit(args.beta1 ?? 0.9, 'beta1', this.name);
    this.beta2 = checkUnit(args.beta2 ?? 0.999, 'beta2', this.name);
    this.epsilon = args.epsilon ?? 1e-7;
  }

  private u(step: number): number {
    return this.beta1 * (1 - 0.5 * 0.96 ** step);
  }

  protected override beforeStep(step: number): void {
    this.uProduct *= this.u(step);
  }

  protected slotNames(): SlotSpec[] {
    return ['m', 'v'];
  }

  protected updateStep(grad: tfc.Tensor, w: tfc.Tensor, slots: Record<string, tfc.Variable>, lr: number, step: number): tfc.Tensor {
    const uT = this.u(step);
    const uNext = this.u(step + 1);
    const productNext = this.uProduct * uNext;
    const m = tfc.add(slots.m, tfc.mul(tfc.sub(grad, slots.m), 1 - this.beta1));
    const v = tfc.add(slots.v, tfc.mul(tfc.sub(tfc.square(grad), slots.v), 1 - this.beta2));
    slots.m.assign(m);
    slots.v.assign(v);
    const mHat = tfc.add(tfc.mul(m, uNext / (1 - productNext)), tfc.mul(grad, (1 - uT) / (1 - this.uProduct)));
    const vHat = tfc.div(v, 1 - this.beta2 ** step);
    return tfc.sub(w, tfc.div(tfc.mul(mHat, lr), tfc.add(tfc.sqrt(vHat), this.epsilon)));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }

  override dispose(): void {
    super.dispose();
    this.uProduct = 1;
  }
}
