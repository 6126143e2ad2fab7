/**
 * Ftrl ("Follow The Regularized Leader", McMahan et al. 2013) with Keras 3's options, defaults and
 * update: online L1/L2 regularization, shrinkage-type L2 and `beta`. Slots per variable, in Keras's
 * saving order: `accumulator` (from initialAccumulatorValue) and `linear` (from 0).
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { optionKeys } from '../engine/options';
import { Optimizer, OPTIMIZER_KEYS, OptimizerArgs, SlotSpec } from './optimizer';

export interface FtrlArgs extends OptimizerArgs {
  /** How the learning rate falls as gradients accumulate; 0 keeps it fixed. Keras: `learning_rate_power` @default -0.5 */
  learningRatePower?: number;
  /** Starting value of the accumulated squared gradients. Keras: `initial_accumulator_value` @default 0.1 */
  initialAccumulatorValue?: number;
  /** L1 regularization strength. Keras: `l1_regularization_strength` @default 0 */
  l1RegularizationStrength?: number;
  /** L2 (stabilization) regularization strength. Keras: `l2_regularization_strength` @default 0 */
  l2RegularizationStrength?: number;
  /**
   * L2 shrinkage (magnitude penalty, added to the gradient as 2·s·w). Keras:
   * `l2_shrinkage_regularization_strength` @default 0
   */
  l2ShrinkageRegularizationStrength?: number;
  /** The paper's beta (adds beta / (2 lr) to the L2 strength). Keras: `beta` @default 0 */
  beta?: number;
}

/**
 * Ftrl, as Keras 3: n' = n + g²; z += g + 2·s·w − (n'^−p − n^−p)/lr · w;
 * w = (clip(z, −l1, l1) − z) / (n'^−p / lr + 2·(l2 + beta/(2 lr))); n = n'.
 */
export class Ftrl extends Optimizer {
  static override readonly optionKeys = optionKeys<FtrlArgs>()(
    ...OPTIMIZER_KEYS, 'learningRatePower', 'initialAccumulatorValue', 'l1RegularizationStrength', 'l2RegularizationStrength',
    'l2ShrinkageRegularizationStrength', 'beta',
  );
  readonly className = 'Ftrl';
  readonly learningRatePower: number;
  readonly initialAccumulatorValue: number;
  readonly l1RegularizationStrength: number;
  readonly l2RegularizationStrength: number;
  readonly l2ShrinkageRegularizationStrength: number;
  readonly beta: number;

  constructor(args: FtrlArgs = {}) {
    super(args, 0.001, 'Ftrl');
    this.learningRatePower = args.learningRatePower ?? -0.5;
    if (typeof this.learningRatePower !== 'number' || !(this.learningRatePower <= 0)) {
      throw new ValueError(`${this.name}: \`learningRatePower\` must be a number <= 0, got ${String(args.learningRatePower)}. help: keep the default -0.5, or 0 for a fixed learning rate.`);
    }
    this.initialAccumulatorValue = nonNegative(args.initialAccumulatorValue ?? 0.1, 'initialAccumulatorValue', this.name);
    this.l1RegularizationStrength = nonNegative(args.l1RegularizationStrength ?? 0, 'l1RegularizationStrength', this.name);
    this.l2RegularizationStrength = nonNegative(args.l2RegularizationStrength ?? 0, 'l2RegularizationStrength', this.name);
    this.l2ShrinkageRegularizationStrength = nonNegative(args.l2ShrinkageRegularizationStrength ?? 0, 'l2ShrinkageRegularizationStrength', this.name);
    this.beta = args.beta ?? 0;
    if (typeof this.beta !== 'number' || !Number.isFinite(this.beta)) {
      throw new ValueError(`${this.name}: \`beta\` must be a number, got ${String(args.beta)}. help: keep the default 0.`);
    }
  }

  protected slotNames(): SlotSpec[] {
    return [{ name: 'accumulator', initial: this.initialAccumulatorValue }, 'linear'];
  }

  protected updateStep(grad: tfc.Tensor, w: tfc.Tensor, slots: Record<string, tfc.Variable>, lr: number): tfc.Tensor {
    const power = -this.learningRatePower;
    const l2 = this.l2RegularizationStrength + this.beta / (2 * lr);
    const shrunk = this.l2ShrinkageRegularizationStrength > 0 ? tfc.add(grad, tfc.mul(w, 2 * this.l2ShrinkageRegularizationStrength)) : grad;
    const accum = slots.accumulator;
    const newAccum = tfc.add(accum, tfc.square(grad));
    const newPow = tfc.pow(newAccum, power);
    const sigma = tfc.div(tfc.sub(newPow, tfc.pow(accum, power)), lr);
    const linear = tfc.sub(tfc.add(slots.linear, shrunk), tfc.mul(sigma, w));
    const quadratic = tfc.add(tfc.div(newPow, lr), 2 * l2);
    const l1 = this.l1RegularizationStrength;
    slots.linear.assign(linear);
    slots.accumulator.assign(newAccum);
    return tfc.div(tfc.sub(tfc.clipByValue(linear, -l1, l1), linear), quadratic);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      learningRatePower: this.learningRatePower,
      initialAccumulatorValue: this.initialAccumulatorValue,
      l1RegularizationStrength: this.l1RegularizationStrength,
      l2RegularizationStrength: this.l2RegularizationStrength,
      l2ShrinkageRegularizationStrength: this.l2ShrinkageRegularizationStrength,
      beta: this.beta,
    };
  }
}

/** A Keras regularization option: a finite number >= 0. */
export function nonNegative(value: number, field: string, owner: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ValueError(`${owner}: \`${field}\` must be a number >= 0, got ${String(value)}. help: pass 0 (the default) or a positive number.`);
  }
  return value;
}
