import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { FusedKernel, hasKernel, runFused } from '../engine/fused_kernels';
import { FusedStepArgs, Optimizer, OPTIMIZER_KEYS, OptimizerArgs, SlotSpec } from './optimizer';
import { optionKeys } from '../engine/options';

export interface AdagradArgs extends OptimizerArgs {
  /** Starting value of the accumulated squares. Keras: `initial_accumulator_value` @default 0.1 */
  initialAccumulatorValue?: number;
  /** Small constant for numerical stability. Keras: `epsilon` @default 1e-7 */
  epsilon?: number;
}

/** Adagrad: acc += g²; w -= lr g / sqrt(acc + epsilon). */
export class Adagrad extends Optimizer {
  static override readonly optionKeys = optionKeys<AdagradArgs>()(...OPTIMIZER_KEYS, 'initialAccumulatorValue', 'epsilon');
  readonly className = 'Adagrad';
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;

  constructor(args: AdagradArgs = {}) {
    super(args, 0.001, 'Adagrad');
    this.initialAccumulatorValue = args.initialAccumulatorValue ?? 0.1;
    if (!(this.initialAccumulatorValue >= 0)) {
      throw new ValueError(`Adagrad: \`initialAccumulatorValue\` must be non-negative, got ${args.initialAccumulatorValue}.`);
    }
    this.epsilon = args.epsilon ?? 1e-7;
  }

  protected slotNames(): SlotSpec[] {
    return [{ name: 'accumulator', initial: this.initialAccumulatorValue }];
  }

  protected updateStep(grad: tfc.Tensor, w: tfc.Tensor, slots: Record<string, tfc.Variable>, lr: number): tfc.Tensor {
    const acc = tfc.add(slots.accumulator, tfc.square(grad));
    slots.accumulator.assign(acc);
    return tfc.sub(w, tfc.div(tfc.mul(grad, lr), tfc.sqrt(tfc.add(acc, this.epsilon))));
  }

  protected override fusedAttrs({ lr, decay }: FusedStepArgs): Record<string, number | boolean> | null {
    if (!hasKernel(FusedKernel.Adagrad) || this.updateStep !== Adagrad.prototype.updateStep) return null; // a subclass may change the step
    return { lr, epsilon: this.epsilon, decay };
  }

  /** The same step as updateStep for every variable in one kernel where the backend has one (the native backend). */
  protected override fusedSteps(grads: tfc.Tensor[], variables: tfc.Variable[], slots: Array<Record<string, tfc.Variable>>, step: FusedStepArgs): boolean {
    const attrs = this.fusedAttrs(step);
    if (attrs === null) return false;
    const inputs: Record<string, tfc.Tensor> = {};
    variables.forEach((v, i) => Object.assign(inputs, { [`w${i}`]: v, [`g${i}`]: grads[i], [`a${i}`]: slots[i].accumulator }));
    const out = runFused(FusedKernel.Adagrad, inputs, { count: variables.length, ...attrs });
    variables.forEach((v, i) => {
      slots[i].accumulator.assign(out[2 * i + 1]);
      v.assign(out[2 * i]);
    });
    return true;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), initialAccumulatorValue: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}
