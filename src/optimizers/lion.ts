import * as tfc from '@tensorflow/tfjs-core';
import { checkUnit } from './adam';
import { Optimizer, OPTIMIZER_KEYS, OptimizerArgs, SlotSpec } from './optimizer';
import { optionKeys } from '../engine/options';

export interface LionArgs extends OptimizerArgs {
  /** Interpolation between the momentum and the gradient for the update sign. Keras: `beta_1` @default 0.9 */
  beta1?: number;
  /** Decay rate of the momentum. Keras: `beta_2` @default 0.99 */
  beta2?: number;
}

/** Lion (Chen et al. 2023): w -= lr sign(b1 m + (1 - b1) g); m = b2 m + (1 - b2) g. */
export class Lion extends Optimizer {
  static override readonly optionKeys = optionKeys<LionArgs>()(...OPTIMIZER_KEYS, 'beta1', 'beta2');
  readonly className = 'Lion';
  readonly beta1: number;
  readonly beta2: number;

  constructor(args: LionArgs = {}) {
    super(args, 0.001, 'Lion');
    this.beta1 = checkUnit(args.beta1 ?? 0.9, 'beta1', this.name);
    this.beta2 = checkUnit(args.beta2 ?? 0.99, 'beta2', this.name);
  }

  protected slotNames(): SlotSpec[] {
    return ['m'];
  }

  protected updateStep(grad: tfc.Tensor, w: tfc.Tensor, slots: Record<string, tfc.Variable>, lr: number): tfc.Tensor {
    const direction = tfc.sign(tfc.add(tfc.mul(slots.m, this.beta1), tfc.mul(grad, 1 - this.beta1)));
    slots.m.assign(tfc.add(tfc.mul(slots.m, this.beta2), tfc.mul(grad, 1 - this.beta2)));
    return tfc.sub(w, tfc.mul(direction, lr));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2 };
  }
}
