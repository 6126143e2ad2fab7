import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { FusedKernel, hasKernel, runFused } from '../engine/fused_kernels';
import { checkUnit } from './adam';
import { FusedStepArgs, Optimizer, OPTIMIZER_KEYS, OptimizerArgs, SlotSpec } from './optimizer';
import { optionKeys } from '../engine/options';

export interface RMSpropArgs extends OptimizerArgs {
  /** Decay of the mean square. Keras: `rho` @default 0.9 */
  rho?: number;
  /** Momentum of the update (0: plain RMSprop). Keras: `momentum` @default 0 */
  momentum?: number;
  /** Small constant for numerical stability. Keras: `epsilon` @default 1e-7 */
  epsilon?: number;
  /**
   * Divide by the variance (mean square minus squared mean) instead of the mean square. Keras: `centered`
   * @default false
   */
  centered?: boolean;
}

/** RMSprop, as Keras 3: v = rho v + (1 - rho) g²; step = lr g / sqrt(v (- ḡ²) + epsilon), with optional momentum. */
export class RMSprop extends Optimizer {
  static override readonly optionKeys = optionKeys<RMSpropArgs>()(...OPTIMIZER_KEYS, 'rho', 'momentum', 'epsilon', 'centered');
  readonly className = 'RMSprop';
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;

  constructor(args: RMSpropArgs = {}) {
    super(args, 0.001, 'RMSprop');
    this.rho = checkUnit(args.rho ?? 0.9, 'rho', this.name);
    this.momentum = args.momentum ?? 0;
    if (!(this.momentum >= 0 && this.momentum <= 1)) {
      throw new ValueError(`RMSprop: \`momentum\` must be in [0, 1], got ${args.momentum}. help: pass e.g. {momentum: 0.9}.`);
    }
    this.epsilon = args.epsilon ?? 1e-7;
    this.centered = args.centered ?? false;
  }

  protected slotNames(): SlotSpec[] {
    return ['velocity', ...(this.momentum > 0 ? ['momentum'] : []), ...(this.centered ? ['averageGrad'] : [])];
  }

  protected updateStep(grad: tfc.Tensor, w: tfc.Tensor, slots: Record<string, tfc.Variable>, lr: number): tfc.Tensor {
    const velocity = tfc.add(tfc.mul(slots.velocity, this.rho), tfc.mul(tfc.square(grad), 1 - this.rho));
    slots.velocity.assign(velocity);
    let denominator: tfc.Tensor;
    if (this.centered) {
      const avg = tfc.add(tfc.mul(slots.averageGrad, this.rho), tfc.mul(grad, 1 - this.rho));
      slots.averageGrad.assign(avg);
      denominator = tfc.add(tfc.sub(velocity, tfc.square(avg)), this.epsilon);
    } else {
      denominator = tfc.add(velocity, this.epsilon);
    }
    const increment = tfc.div(tfc.mul(grad, lr), tfc.sqrt(denominator));
    if (this.momentum > 0) {
      const m = tfc.add(tfc.mul(slots.momentum, this.momentum), increment);
      slots.momentum.assign(m);
      return tfc.sub(w, m);
    }
    return tfc.sub(w, increment);
  }

  protected override fusedAttrs({ lr, decay }: FusedStepArgs): Record<string, number | boolean> | null {
    if (!hasKernel(FusedKernel.RMSprop) || this.updateStep !== RMSprop.prototype.updateStep) return null; // a subclass may change the step
    return { lr, rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, decay };
  }

  /** The same step as updateStep for every variable in one kernel where the backend has one (the native backend). */
  protected override fusedSteps(grads: tfc.Tensor[], variables: tfc.Variable[], slots: Array<Record<string, tfc.Variable>>, step: FusedStepArgs): boolean {
    const attrs = this.fusedAttrs(step);
    if (attrs === null) return false;
    const inputs: Record<string, tfc.Tensor> = {};
    variables.forEach((v, i) => {
      Object.assign(inputs, { [`w${i}`]: v, [`g${i}`]: grads[i], [`v${i}`]: slots[i].velocity });
      if (this.momentum > 0) inputs[`m${i}`] = slots[i].momentum;
      if (this.centered) inputs[`a${i}`] = slots[i].averageGrad;
    });
    const out = runFused(FusedKernel.RMSprop, inputs, { count: variables.length, ...attrs });
    const names = ['velocity', ...(this.momentum > 0 ? ['momentum'] : []), ...(this.centered ? ['averageGrad'] : [])];
    const per = 1 + names.length;
    variables.forEach((v, i) => {
      names.forEach((name, k) => slots[i][name].assign(out[per * i + 1 + k]));
      v.assign(out[per * i]);
    });
    return true;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}
