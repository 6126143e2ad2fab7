import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { FusedKernel, hasKernel, runFused } from '../engine/fused_kernels';
import { optionKeys } from '../engine/options';
import { FusedStepArgs, Optimizer, OPTIMIZER_KEYS, OptimizerArgs, SlotSpec } from './optimizer';

export interface AdamArgs extends OptimizerArgs {
  /** Decay rate of the first-moment (mean) estimate. Keras: `beta_1` @default 0.9 */
  beta1?: number;
  /** Decay rate of the second-moment estimate. Keras: `beta_2` @default 0.999 */
  beta2?: number;
  /** Small constant for numerical stability. Keras: `epsilon` @default 1e-7 */
  epsilon?: number;
  /** Use the maximum of past second moments (AMSGrad). Keras: `amsgrad` @default false */
  amsgrad?: boolean;
}

/**
 * Adam, as Keras 3 computes it: m += (g - m)(1 - b1); v += (g² - v)(1 - b2);
 * w -= lr sqrt(1 - b2^t) / (1 - b1^t) · m / (sqrt(v) + epsilon), with v = max(v so far) for AMSGrad.
 */
export class Adam extends Optimizer {
  static override readonly optionKeys = optionKeys<AdamArgs>()(...OPTIMIZER_KEYS, 'beta1', 'beta2', 'epsilon', 'amsgrad');
  readonly className: string = 'Adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;

  constructor(args: AdamArgs = {}, name = 'Adam', given: unknown = args) {
    super(args, 0.001, name, given);
    this.beta1 = checkUnit(args.beta1 ?? 0.9, 'beta1', this.name);
    this.beta2 = checkUnit(args.beta2 ?? 0.999, 'beta2', this.name);
    this.epsilon = args.epsilon ?? 1e-7;
    this.amsgrad = args.amsgrad ?? false;
  }

  protected slotNames(): SlotSpec[] {
    return this.amsgrad ? ['m', 'v', 'vHat'] : ['m', 'v'];
  }

  protected updateStep(grad: tfc.Tensor, w: tfc.Tensor, slots: Record<string, tfc.Variable>, lr: number, step: number): tfc.Tensor {
    const alpha = this.constant((lr * Math.sqrt(1 - this.beta2 ** step)) / (1 - this.beta1 ** step));
    const m = tfc.add(slots.m, tfc.mul(tfc.sub(grad, slots.m), this.constant(1 - this.beta1)));
    let v = tfc.add(slots.v, tfc.mul(tfc.sub(tfc.square(grad), slots.v), this.constant(1 - this.beta2)));
    slots.m.assign(m);
    slots.v.assign(v);
    if (this.amsgrad) {
      v = tfc.maximum(slots.vHat, v);
      slots.vHat.assign(v);
    }
    return tfc.sub(w, tfc.div(tfc.mul(m, alpha), tfc.add(tfc.sqrt(v), this.constant(this.epsilon))));
  }

  protected override fusedAttrs({ lr, step, decay }: FusedStepArgs): Record<string, number | boolean> | null {
    if (!hasKernel(FusedKernel.Adam) || this.updateStep !== Adam.prototype.updateStep) return null;
    const alpha = (lr * Math.sqrt(1 - this.beta2 ** step)) / (1 - this.beta1 ** step);
    return { alpha, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, decay };
  }

  protected override fusedSteps(grads: tfc.Tensor[], variables: tfc.Variable[], slots: Array<Record<string, tfc.Variable>>, { lr, step, decay }: FusedStepArgs): boolean {
    if (!hasKernel(FusedKernel.Adam) || this.updateStep !== Adam.prototype.updateStep) return false; // a subclass may change the step
    const inputs: Record<string, tfc.Tensor> = {};
    variables.forEach((w, i) => {
      Object.assign(inputs, { [`w${i}`]: w, [`g${i}`]: grads[i], [`m${i}`]: slots[i].m, [`v${i}`]: slots[i].v });
      if (this.amsgrad) inputs[`vHat${i}`] = slots[i].vHat;
    });
    const out = runFused(FusedKernel.Adam, inputs, { count: variables.length, ...this.fusedAttrs({ lr, step, decay }) });
    const per = this.amsgrad ? 4 : 3;
    variables.forEach((w, i) => {
      slots[i].m.assign(out[per * i + 1]);
      slots[i].v.assign(out[per * i + 2]);
      if (this.amsgrad) slots[i].vHat.assign(out[per * i + 3]);
      w.assign(out[per * i]);
    });
    return true;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, amsgrad: this.amsgrad };
  }
}

/** Adam with decoupled weight decay (Loshchilov & Hutter); Keras's default decay is 0.004. */
export class AdamW extends Adam {
  static override readonly optionKeys = Adam.optionKeys;
  override readonly className = 'AdamW';
  constructor(args: AdamArgs = {}) {
    super({ ...args, weightDecay: args?.weightDecay ?? 0.004 }, 'AdamW', args);
  }
}

export function checkUnit(value: number, field: string, owner: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw new ValueError(`${owner}: \`${field}\` must be a number in [0, 1), got ${value}. help: keep the default or pass e.g. 0.9.`);
  }
  return value;
}
