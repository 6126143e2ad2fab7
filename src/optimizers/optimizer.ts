/**
 * The base of every optimizer. It owns the per-variable slots (momentum, moments), the iteration
 * count and the apply loop; a subclass implements only `updateStep` (and getConfig).
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';

export interface OptimizerArgs {
  /** @default 0.01 (SGD) or 0.001 (Adam) */
  learningRate?: number;
  name?: string;
}

export abstract class Optimizer {
  abstract readonly className: string;
  readonly name: string;
  private lr: number;
  /** How many update steps have been applied. */
  iterations = 0;
  private readonly slots = new Map<tfc.Variable, Record<string, tfc.Variable>>();

  constructor(args: OptimizerArgs, defaultLearningRate: number, defaultName: string) {
    this.lr = checkLearningRate(args.learningRate ?? defaultLearningRate, defaultName);
    this.name = args.name ?? defaultName;
  }

  get learningRate(): number {
    return this.lr;
  }
  set learningRate(value: number) {
    this.lr = checkLearningRate(value, this.name);
  }

  /** Applies one step: each variable moves according to its gradient. Gradients stay the caller's. */
  applyGradients(pairs: Array<[tfc.Tensor, tfc.Variable]>): void {
    const lr = this.lr;
    const step = this.iterations + 1;
    tfc.tidy(() => {
      for (const [grad, variable] of pairs) {
        const next = this.updateStep(grad, variable, this.slotsFor(variable), lr, step);
        variable.assign(next);
      }
    });
    this.iterations = step;
  }

  /** Creates the slots a variable needs, e.g. { momentum } for SGD or { m, v } for Adam. */
  protected abstract slotNames(): string[];

  /**
   * The variable's new value after one step. Update slots with `slot.assign`. Runs inside tidy.
   * `step` counts from 1.
   */
  protected abstract updateStep(
    grad: tfc.Tensor,
    variable: tfc.Variable,
    slots: Record<string, tfc.Variable>,
    lr: number,
    step: number,
  ): tfc.Tensor;

  private slotsFor(variable: tfc.Variable): Record<string, tfc.Variable> {
    let slots = this.slots.get(variable);
    if (slots === undefined) {
      slots = {};
      for (const name of this.slotNames()) {
        slots[name] = tfc.keep(tfc.variable(tfc.zerosLike(variable), false));
      }
      this.slots.set(variable, slots);
    }
    return slots;
  }

  getConfig(): Record<string, unknown> {
    return { name: this.name, learningRate: this.lr };
  }

  /** Frees the slots. The optimizer can be used again; slots restart from zero. */
  dispose(): void {
    for (const slots of this.slots.values()) Object.values(slots).forEach((v) => v.dispose());
    this.slots.clear();
  }
}

function checkLearningRate(lr: number, name: string): number {
  if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
    throw new ValueError(`${name}: \`learningRate\` must be a non-negative number, got ${lr}. help: pass e.g. {learningRate: 0.01}.`);
  }
  return lr;
}
