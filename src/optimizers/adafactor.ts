/**
 * Adafactor (Shazeer & Stern 2018) with Keras 3's options, defaults and update. For a variable of
 * rank >= 2 the second moment is factored over the last two axes: slots `r` (the variable's shape
 * without its last axis) and `c` (without its second-to-last), and `v`, their rebuilt product. A
 * variable of rank < 2 keeps `v` as a full running average and `r`, `c` as unused scalars, as Keras
 * does, so the saved state has Keras's layout (r, c, v per variable).
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { optionKeys } from '../engine/options';
import { Optimizer, OPTIMIZER_KEYS, OptimizerArgs, SlotSpec } from './optimizer';

export interface AdafactorArgs extends OptimizerArgs {
  /** The decay of beta2: beta2 at step t is 1 − t^beta2Decay. Keras: `beta_2_decay` @default -0.8 */
  beta2Decay?: number;
  /** Added to the squared gradients to keep the denominator from 0. Keras: `epsilon_1` @default 1e-30 */
  epsilon1?: number;
  /** The least root-mean-square scale of a variable's step. Keras: `epsilon_2` @default 1e-3 */
  epsilon2?: number;
  /**
   * The most root-mean-square of the normalized step (Adafactor's own clipping, apart from
   * clipnorm/clipvalue). Keras: `clip_threshold` @default 1.0
   */
  clipThreshold?: number;
  /**
   * With a constant learning rate, use min(learningRate, 1/sqrt(t)). Keras: `relative_step` @default true
   */
  relativeStep?: boolean;
}

/**
 * Adafactor, as Keras 3: rho = min(lr, 1/sqrt(t)); alpha = max(epsilon2, rms(w)) · rho; b = 1 − t^beta2Decay;
 * v = b v + (1 − b)(g² + epsilon1) (factored over the last two axes for rank >= 2);
 * u = g / sqrt(v); w −= alpha · u / max(1, rms(u) / clipThreshold).
 */
export class Adafactor extends Optimizer {
  static override readonly optionKeys = optionKeys<AdafactorArgs>()(...OPTIMIZER_KEYS, 'beta2Decay', 'epsilon1', 'epsilon2', 'clipThreshold', 'relativeStep');
  readonly className = 'Adafactor';
  readonly beta2Decay: number;
  readonly epsilon1: number;
  readonly epsilon2: number;
  readonly clipThreshold: number;
  readonly relativeStep: boolean;

  constructor(args: AdafactorArgs = {}) {
    super(args, 0.001, 'Adafactor');
    this.beta2Decay = finite(args.beta2Decay ?? -0.8, 'beta2Decay', this.name);
    this.epsilon1 = finite(args.epsilon1 ?? 1e-30, 'epsilon1', this.name);
    this.epsilon2 = finite(args.epsilon2 ?? 1e-3, 'epsilon2', this.name);
    this.clipThreshold = finite(args.clipThreshold ?? 1.0, 'clipThreshold', this.name);
    if (!(this.clipThreshold > 0)) {
      throw new ValueError(`${this.name}: \`clipThreshold\` must be a positive number, got ${args.clipThreshold}. help: keep the default 1.0.`);
    }
    this.relativeStep = args.relativeStep ?? true;
    if (typeof this.relativeStep !== 'boolean') {
      throw new ValueError(`${this.name}: \`relativeStep\` must be true or false, got ${String(args.relativeStep)}. help: keep the default true.`);
    }
  }

  protected slotNames(): SlotSpec[] {
    return [
      { name: 'r', shape: (s) => (s.length < 2 ? [] : s.slice(0, -1)) },
      { name: 'c', shape: (s) => (s.length < 2 ? [] : [...s.slice(0, -2), s[s.length - 1]]) },
      'v',
    ];
  }

  protected updateStep(grad: tfc.Tensor, w: tfc.Tensor, slots: Record<string, tfc.Variable>, lr: number, step: number): tfc.Tensor {
    const rate = this.relativeStep && this.schedule === null ? Math.min(lr, 1 / Math.sqrt(step)) : lr;
    const rho = Math.min(rate, 1 / Math.sqrt(step));
    const alpha = tfc.mul(tfc.maximum(rms(w), this.epsilon2), rho);
    const squared = tfc.add(tfc.square(grad), this.epsilon1);
    const b = 1 - step ** this.beta2Decay;
    let v: tfc.Tensor;
    if (w.rank >= 2) {
      const r = tfc.add(tfc.mul(slots.r, b), tfc.mul(tfc.mean(squared, -1), 1 - b));
      const c = tfc.add(tfc.mul(slots.c, b), tfc.mul(tfc.mean(squared, -2), 1 - b));
      v = tfc.mul(tfc.expandDims(tfc.div(r, tfc.mean(r, -1, true)), -1), tfc.expandDims(c, -2));
      slots.r.assign(r);
      slots.c.assign(c);
    } else {
      v = tfc.add(tfc.mul(slots.v, b), tfc.mul(squared, 1 - b));
    }
    slots.v.assign(v);
    const u = tfc.div(grad, tfc.sqrt(v));
    const clipped = tfc.div(u, tfc.maximum(tfc.div(rms(u), this.clipThreshold), 1));
    return tfc.sub(w, tfc.mul(clipped, alpha));
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      beta2Decay: this.beta2Decay,
      epsilon1: this.epsilon1,
      epsilon2: this.epsilon2,
      clipThreshold: this.clipThreshold,
      relativeStep: this.relativeStep,
    };
  }
}

function rms(x: tfc.Tensor): tfc.Tensor {
  return tfc.sqrt(tfc.mean(tfc.square(x)));
}

function finite(value: number, field: string, owner: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValueError(`${owner}: \`${field}\` must be a finite number, got ${String(value)}. help: keep Keras's default.`);
  }
  return value;
}
