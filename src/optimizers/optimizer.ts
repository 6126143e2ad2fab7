/**
 * The base of every optimizer. It owns the per-variable slots, the iteration count, the learning
 * rate (a number or a schedule), gradient clipping, decoupled weight decay and the apply loop; a
 * subclass implements only `updateStep` (plus its slots and config). The order of one step is
 * Keras's: clip the gradients, decay the weights, update, count the step.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { LearningRateSchedule, serializeSchedule } from './schedules';

export interface OptimizerArgs {
  /** A number or a LearningRateSchedule. @default 0.001 (0.01 for SGD) */
  learningRate?: number | LearningRateSchedule;
  /** Clip each gradient to this norm. */
  clipnorm?: number;
  /** Clip each gradient element to [-clipvalue, clipvalue]. */
  clipvalue?: number;
  /** Scale all gradients together so their global norm is at most this. */
  globalClipnorm?: number;
  /** Decoupled weight decay: before each update, w -= w · weightDecay · lr. */
  weightDecay?: number;
  name?: string;
}

/** The learning rate, the step (from 1) and the weight decay factor of one fused step. */
export interface FusedStepArgs {
  lr: number;
  step: number;
  decay: number;
}

/** A slot's name and the value it starts from. */
export type SlotSpec = string | { name: string; initial: number };

export abstract class Optimizer {
  abstract readonly className: string;
  readonly name: string;
  readonly clipnorm: number | undefined;
  readonly clipvalue: number | undefined;
  readonly globalClipnorm: number | undefined;
  readonly weightDecay: number | undefined;
  private lr: number | LearningRateSchedule;
  /** How many update steps have been applied. */
  iterations = 0;
  private readonly slots = new Map<tfc.Variable, Record<string, tfc.Variable>>();
  /** Scalars made during one step, shared by every variable's update (one upload each, not one per variable). */
  private readonly stepConstants = new Map<number, tfc.Scalar>();

  constructor(args: OptimizerArgs, defaultLearningRate: number, defaultName: string) {
    this.name = args.name ?? defaultName;
    this.lr = checkLearningRate(args.learningRate ?? defaultLearningRate, this.name);
    this.clipnorm = optionalPositive(args.clipnorm, 'clipnorm', this.name);
    this.clipvalue = optionalPositive(args.clipvalue, 'clipvalue', this.name);
    this.globalClipnorm = optionalPositive(args.globalClipnorm, 'globalClipnorm', this.name);
    this.weightDecay = optionalPositive(args.weightDecay, 'weightDecay', this.name, true);
    const clips = [args.clipnorm, args.clipvalue, args.globalClipnorm].filter((c) => c !== undefined).length;
    if (clips > 1) {
      throw new ValueError(
        `${this.name}: only one of clipnorm, clipvalue and globalClipnorm can be set, got ` +
          `clipnorm=${args.clipnorm}, clipvalue=${args.clipvalue}, globalClipnorm=${args.globalClipnorm}. help: keep one.`,
      );
    }
  }

  /** The learning rate for the next step (a schedule is evaluated at the current iteration). */
  get learningRate(): number {
    return this.lr instanceof LearningRateSchedule ? this.lr.call(this.iterations) : this.lr;
  }
  set learningRate(value: number) {
    if (this.lr instanceof LearningRateSchedule) {
      throw new TypeError(
        `${this.name}: the learning rate follows a ${this.lr.className} schedule and cannot be set. ` +
          'help: create the optimizer with a number as learningRate to change it during training.',
      );
    }
    this.lr = checkLearningRate(value, this.name) as number;
  }

  /** The schedule, when the learning rate follows one. */
  get schedule(): LearningRateSchedule | null {
    return this.lr instanceof LearningRateSchedule ? this.lr : null;
  }

  /** Applies one step: each variable moves according to its gradient. Gradients stay the caller's. */
  applyGradients(pairs: Array<[tfc.Tensor, tfc.Variable]>): void {
    if (pairs.length === 0) return;
    const lr = this.learningRate;
    const step = this.iterations + 1;
    try {
      tfc.tidy(() => {
        const grads = this.clip(pairs.map(([g]) => g));
        this.beforeStep(step);
        const variables = pairs.map(([, v]) => v);
        const slots = variables.map((v) => this.slotsFor(v));
        if (this.fusedSteps(grads, variables, slots, { lr, step, decay: this.weightDecay ? this.weightDecay * lr : 0 })) return;
        variables.forEach((variable, i) => {
          const decayed = this.weightDecay ? tfc.sub(variable, tfc.mul(variable, this.constant(this.weightDecay * lr))) : variable;
          variable.assign(this.updateStep(grads[i], decayed, slots[i], lr, step));
        });
      });
    } finally {
      this.stepConstants.clear(); // their tensors were freed with the step's tidy scope
    }
    this.iterations = step;
  }

  /** A scalar for `value`, made once per step (inside updateStep only). */
  protected constant(value: number): tfc.Scalar {
    let t = this.stepConstants.get(value);
    if (t === undefined) {
      t = tfc.scalar(value);
      this.stepConstants.set(value, t);
    }
    return t;
  }

  private clip(grads: tfc.Tensor[]): tfc.Tensor[] {
    if (this.clipnorm !== undefined) {
      const c = this.clipnorm;
      return grads.map((g) => tfc.mul(g, tfc.div(c, tfc.maximum(tfc.norm(g), c))));
    }
    if (this.globalClipnorm !== undefined) {
      const c = this.globalClipnorm;
      const global = tfc.sqrt(tfc.addN(grads.map((g) => tfc.sum(tfc.square(g)))));
      const scale = tfc.div(c, tfc.maximum(global, c));
      return grads.map((g) => tfc.mul(g, scale));
    }
    if (this.clipvalue !== undefined) {
      const c = this.clipvalue;
      return grads.map((g) => tfc.clipByValue(g, -c, c));
    }
    return grads;
  }

  /** Optimizer-wide work once per step, before the variables are updated (Nadam's momentum product). */
  protected beforeStep(step: number): void {
    void step;
  }

  /**
   * The same step as decay + updateStep for every variable, in one kernel of the active backend
   * where it has one (engine/fused_kernels.ts): assigns the variables and their slots and returns
   * true; false where it has none. `decay` is weightDecay · lr (0 without weight decay).
   */
  protected fusedSteps(grads: tfc.Tensor[], variables: tfc.Variable[], slots: Array<Record<string, tfc.Variable>>, step: FusedStepArgs): boolean {
    void grads, variables, slots, step;
    return false;
  }

  /** The slots each variable needs, e.g. ['momentum'] for SGD or ['m', 'v'] for Adam. */
  protected abstract slotNames(): SlotSpec[];

  /**
   * The variable's new value after one step, from its (decayed) current value `w`. Update slots
   * with `slot.assign`. Runs inside tidy. `step` counts from 1.
   */
  protected abstract updateStep(
    grad: tfc.Tensor,
    w: tfc.Tensor,
    slots: Record<string, tfc.Variable>,
    lr: number,
    step: number,
  ): tfc.Tensor;

  private slotsFor(variable: tfc.Variable): Record<string, tfc.Variable> {
    let slots = this.slots.get(variable);
    if (slots === undefined) {
      slots = {};
      for (const spec of this.slotNames()) {
        const { name, initial } = typeof spec === 'string' ? { name: spec, initial: 0 } : spec;
        slots[name] = tfc.keep(tfc.variable(tfc.fill(variable.shape, initial), false));
      }
      this.slots.set(variable, slots);
    }
    return slots;
  }

  /** The constructor arguments, as plain values: `new Cls(getConfig())` rebuilds the optimizer. */
  getConfig(): Record<string, unknown> {
    const lr = this.lr instanceof LearningRateSchedule ? serializeSchedule(this.lr) : this.lr;
    const config: Record<string, unknown> = { name: this.name, learningRate: lr };
    for (const key of ['clipnorm', 'clipvalue', 'globalClipnorm', 'weightDecay'] as const) {
      if (this[key] !== undefined) config[key] = this[key];
    }
    return config;
  }

  /** Frees the slots. The optimizer can be used again; slots restart from their initial values. */
  dispose(): void {
    for (const slots of this.slots.values()) Object.values(slots).forEach((v) => v.dispose());
    this.slots.clear();
  }
}

function checkLearningRate(lr: number | LearningRateSchedule, name: string): number | LearningRateSchedule {
  if (lr instanceof LearningRateSchedule) return lr;
  if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
    throw new ValueError(
      `${name}: \`learningRate\` must be a non-negative number or a LearningRateSchedule, got ${String(lr)}. ` +
        'help: pass e.g. {learningRate: 0.01} or {learningRate: new ExponentialDecay({...})}.',
    );
  }
  return lr;
}

function optionalPositive(value: number | undefined, what: string, name: string, allowZero = false): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new ValueError(`${name}: \`${what}\` must be a positive number, got ${String(value)}. help: pass e.g. {${what}: 1.0} or leave it out.`);
  }
  return value;
}
