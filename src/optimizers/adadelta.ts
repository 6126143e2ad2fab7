import * as tfc from '@tensorflow/tfjs-core';
import { checkUnit } from './adam';
import { Optimizer, OPTIMIZER_KEYS, OptimizerArgs, SlotSpec } from './optimizer';
import { optionKeys } from '../engine/options';

export interface AdadeltaArgs extends OptimizerArgs {
  /** Decay rate of the running averages. Keras: `rho` @default 0.95 */
  rho?: number;
  /** Small constant for numerical stability. Keras: `epsilon` @default 1e-7 */
  epsilon?: number;
}

/** Adadelta, as Keras 3 (with a learning rate, default 0.001). */
export class Adadelta extends Optimizer {
  static override readonly optionKeys = optionKeys<AdadeltaArgs>()(...OPTIMIZER_KEYS, 'rho', 'epsilon');
  readonly className = 'Adadelta';
  readonly rho: number;
  readonly epsilon: number;

  constructor(args: AdadeltaArgs = {}) {
    super(args, 0.001, 'Adadelta');
    this.rho = checkUnit(args.rho ?? 0.95, 'rho', this.name);
    this.epsilon = args.epsilon ?? 1e-7;
  }

  protected slotNames(): SlotSpec[] {
    return ['accGrad', 'accDelta'];
  }

  protected updateStep(grad: tfc.Tensor, w: tfc.Tensor, slots: Record<string, tfc.Variable>, lr: number): tfc.Tensor {
    const rms = (x: tfc.Tensor): tfc.Tensor => tfc.sqrt(tfc.add(x, this.epsilon));
    const accGrad = tfc.add(tfc.mul(slots.accGrad, this.rho), tfc.mul(tfc.square(grad), 1 - this.rho));
    slots.accGrad.assign(accGrad);
    const delta = tfc.neg(tfc.div(tfc.mul(rms(slots.accDelta), grad), rms(accGrad)));
    slots.accDelta.assign(tfc.add(tfc.mul(slots.accDelta, this.rho), tfc.mul(tfc.square(delta), 1 - this.rho)));
    return tfc.add(w, tfc.mul(delta, lr));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rho: this.rho, epsilon: this.epsilon };
  }
}
