import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { FusedKernel, hasKernel, runFused } from '../engine/fused_kernels';
import { optionKeys } from '../engine/options';
import { FusedStepArgs, Optimizer, OPTIMIZER_KEYS, OptimizerArgs, SlotSpec } from './optimizer';

export interface SGDArgs extends OptimizerArgs {
  /** Accelerates in the direction of past gradients (0: plain SGD). Keras: `momentum` @default 0 */
  momentum?: number;
  /** Use Nesterov momentum. Keras: `nesterov` @default false */
  nesterov?: boolean;
}

/**
 * Gradient descent with optional (Nesterov) momentum, as Keras 3 defines it:
 * m = momentum m - lr g; w += m (or, with Nesterov, w += momentum m - lr g).
 */
export class SGD extends Optimizer {
  static override readonly optionKeys = optionKeys<SGDArgs>()(...OPTIMIZER_KEYS, 'momentum', 'nesterov');
  readonly className = 'SGD';
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(args: SGDArgs = {}) {
    super(args, 0.01, 'SGD');
    this.momentum = args.momentum ?? 0;
    this.nesterov = args.nesterov ?? false;
    if (typeof this.momentum !== 'number' || !(this.momentum >= 0 && this.momentum <= 1)) {
      throw new ValueError(`SGD: \`momentum\` must be a number in [0, 1], got ${args.momentum}. help: pass e.g. {momentum: 0.9}.`);
    }
  }

  protected slotNames(): SlotSpec[] {
    return this.momentum > 0 ? ['momentum'] : [];
  }

  protected updateStep(grad: tfc.Tensor, w: tfc.Tensor, slots: Record<string, tfc.Variable>, lr: number): tfc.Tensor {
    const scaledGrad = tfc.mul(grad, this.constant(lr));
    if (this.momentum === 0) return tfc.sub(w, scaledGrad);
    const mu = this.constant(this.momentum);
    const m = tfc.sub(tfc.mul(slots.momentum, mu), scaledGrad);
    slots.momentum.assign(m);
    if (this.nesterov) return tfc.add(w, tfc.sub(tfc.mul(m, mu), scaledGrad));
    return tfc.add(w, m);
  }

  protected override fusedAttrs({ lr, decay }: FusedStepArgs): Record<string, number | boolean> | null {
    if (!hasKernel(FusedKernel.SGD) || this.updateStep !== SGD.prototype.updateStep) return null;
    return { lr, momentum: this.momentum, nesterov: this.nesterov, decay };
  }

  protected override fusedSteps(grads: tfc.Tensor[], variables: tfc.Variable[], slots: Array<Record<string, tfc.Variable>>, { lr, decay }: FusedStepArgs): boolean {
    if (!hasKernel(FusedKernel.SGD) || this.updateStep !== SGD.prototype.updateStep) return false; // a subclass may change the step
    const withMomentum = this.momentum > 0;
    const inputs: Record<string, tfc.Tensor> = {};
    variables.forEach((v, i) => {
      inputs[`w${i}`] = v;
      inputs[`g${i}`] = grads[i];
      if (withMomentum) inputs[`m${i}`] = slots[i].momentum;
    });
    const out = runFused(FusedKernel.SGD, inputs, { count: variables.length, ...this.fusedAttrs({ lr, step: 0, decay }) });
    const per = withMomentum ? 2 : 1;
    variables.forEach((v, i) => {
      if (withMomentum) slots[i].momentum.assign(out[per * i + 1]);
      v.assign(out[per * i]);
    });
    return true;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov };
  }
}
