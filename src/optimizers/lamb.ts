/**
 * Lamb (Yang et al. 2019) with Keras 3's options, defaults and update: Adam's bias-corrected step,
 * scaled per variable by the trust ratio ‖w‖ / ‖step‖ (1 where either norm is 0). Slots per
 * variable, in Keras's saving order: `momentum` and `velocity`.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { optionKeys } from '../engine/options';
import { checkUnit } from './adam';
import { Optimizer, OPTIMIZER_KEYS, OptimizerArgs, SlotSpec } from './optimizer';

export interface LambArgs extends OptimizerArgs {
  /** Decay rate of the first-moment (mean) estimate. Keras: `beta_1` @default 0.9 */
  beta1?: number;
  /** Decay rate of the second-moment estimate. Keras: `beta_2` @default 0.999 */
  beta2?: number;
  /** Small constant for numerical stability. Keras: `epsilon` @default 1e-7 */
  epsilon?: number;
}

/**
 * Lamb, as Keras 3: m += (g − m)(1 − b1); v += (g² − v)(1 − b2); u = (m/(1 − b1^t)) / (sqrt(v/(1 − b2^t)) + eps);
 * w −= (‖w‖ / ‖u‖) · lr · u.
 */
export class Lamb extends Optimizer {
  static override readonly optionKeys = optionKeys<LambArgs>()(...OPTIMIZER_KEYS, 'beta1', 'beta2', 'epsilon');
  readonly className = 'Lamb';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(args: LambArgs = {}) {
    super(args, 0.001, 'Lamb');
    this.beta1 = checkUnit(args.beta1 ?? 0.9, 'beta1', this.name);
    this.beta2 = checkUnit(args.beta2 ?? 0.999, 'beta2', this.name);
    this.epsilon = args.epsilon ?? 1e-7;
  }

  protected slotNames(): SlotSpec[] {
    return ['momentum', 'velocity'];
  }

  protected updateStep(grad: tfc.Tensor, w: tfc.Tensor, slots: Record<string, tfc.Variable>, lr: number, step: number): tfc.Tensor {
    const m = tfc.add(slots.momentum, tfc.mul(tfc.sub(grad, slots.momentum), 1 - this.beta1));
    const v = tfc.add(slots.velocity, tfc.mul(tfc.sub(tfc.square(grad), slots.velocity), 1 - this.beta2));
    slots.momentum.assign(m);
    slots.velocity.assign(v);
    const update = tfc.div(tfc.div(m, 1 - this.beta1 ** step), tfc.add(tfc.sqrt(tfc.div(v, 1 - this.beta2 ** step)), this.epsilon));
    const wNorm = tfc.norm(w);
    const uNorm = tfc.norm(update);
    const one = tfc.onesLike(wNorm);
    const ratio = tfc.where(tfc.logicalAnd(tfc.greater(wNorm, 0), tfc.greater(uNorm, 0)), tfc.div(wNorm, uNorm), one);
    return tfc.sub(w, tfc.mul(update, tfc.mul(ratio, lr)));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
