/**
 * ScheduleFreeAdamW, as Keras 3 computes it (keras/src/optimizers/schedule_free_adamw.py; Defazio
 * et al. 2024, "The Road Less Scheduled"): no learning-rate schedule, an average instead. The
 * variable holds y; the slot `z` (Keras's `momentum`, starting as a copy of the variable) takes
 * the Adam-scaled steps; x is the running mean of the z's:
 *   lr_t = lr · min(t / warmupSteps, 1);  v += (g² - v)(1 - b2);
 *   z_new = z - lr_t · g / (sqrt(v / (1 - b2^t)) + eps);  x = (y - (1 - b1) z_old) / b1;
 *   x_new = (1 - 1/t) x + z_new / t;  y_new = (1 - b1) z_new + b1 x_new.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { optionKeys } from '../engine/options';
import { ValueError } from '../engine/errors';
import { checkUnit } from './adam';
import { Optimizer, OPTIMIZER_KEYS, OptimizerArgs, SlotSpec } from './optimizer';

export interface ScheduleFreeAdamWArgs extends OptimizerArgs {
  /** The interpolation between z and the average x. Keras: `beta_1` @default 0.9 */
  beta1?: number;
  /** Decay of the second-moment estimate. Keras: `beta_2` @default 0.999 */
  beta2?: number;
  /** Keras: `epsilon` @default 1e-8 */
  epsilon?: number;
  /** Steps over which the learning rate rises linearly from 0. Keras: `warmup_steps` @default 0 */
  warmupSteps?: number;
}

export class ScheduleFreeAdamW extends Optimizer {
  static override readonly optionKeys = optionKeys<ScheduleFreeAdamWArgs>()(...OPTIMIZER_KEYS, 'beta1', 'beta2', 'epsilon', 'warmupSteps');
  readonly className = 'ScheduleFreeAdamW';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly warmupSteps: number;

  constructor(args: ScheduleFreeAdamWArgs = {}) {
    super(args, 0.0025, 'ScheduleFreeAdamW');
    this.beta1 = checkUnit(args.beta1 ?? 0.9, 'beta1', this.name);
    if (this.beta1 === 0) throw new ValueError(`${this.name}: \`beta1\` must be in (0, 1): x is recovered by dividing by it, got 0. help: keep the default 0.9.`);
    this.beta2 = checkUnit(args.beta2 ?? 0.999, 'beta2', this.name);
    this.epsilon = args.epsilon ?? 1e-8;
    this.warmupSteps = args.warmupSteps ?? 0;
    if (!Number.isInteger(this.warmupSteps) || this.warmupSteps < 0) {
      throw new ValueError(`${this.name}: \`warmupSteps\` must be a non-negative integer, got ${String(args.warmupSteps)}. help: pass e.g. {warmupSteps: 100} or leave it out.`);
    }
  }

  protected slotNames(): SlotSpec[] {
    return [{ name: 'z', initial: 'variable' }, 'v'];
  }

  protected updateStep(grad: tfc.Tensor, y: tfc.Tensor, slots: Record<string, tfc.Variable>, lr: number, step: number): tfc.Tensor {
    const rate = this.warmupSteps > 0 ? lr * Math.min(step / this.warmupSteps, 1) : lr;
    const zOld = slots.z;
    const v = tfc.add(slots.v, tfc.mul(tfc.sub(tfc.square(grad), slots.v), this.constant(1 - this.beta2)));
    const denom = tfc.add(tfc.sqrt(tfc.div(v, this.constant(1 - this.beta2 ** step))), this.constant(this.epsilon));
    const z = tfc.sub(zOld, tfc.div(tfc.mul(grad, this.constant(rate)), denom));
    const x = tfc.div(tfc.sub(y, tfc.mul(zOld, this.constant(1 - this.beta1))), this.constant(this.beta1));
    const xNew = tfc.add(tfc.mul(x, this.constant(1 - 1 / step)), tfc.mul(z, this.constant(1 / step)));
    const yNew = tfc.add(tfc.mul(z, this.constant(1 - this.beta1)), tfc.mul(xNew, this.constant(this.beta1)));
    slots.v.assign(v);
    slots.z.assign(z);
    return yNew;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, warmupSteps: this.warmupSteps };
  }
}
