/**
 * The base of every optimizer. It owns the per-variable slots, the iteration count, the learning
 * rate (a number or a schedule), gradient clipping, decoupled weight decay and the apply loop; a
 * subclass implements only `updateStep` (plus its slots and config). The order of one step is
 * Keras's: clip the gradients, decay the weights, update, count the step. Beside it:
 * optimizer_slots.ts keeps the slots, optimizer_state.ts saves and restores them with the
 * counters, optimizer_extras.ts does the clipping, EMA, gradient accumulation and loss-scale bookkeeping.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { replicaContext } from '../engine/replica_context';
import { checkClassOptions, optionKeys } from '../engine/options';
import { LearningRateSchedule, serializeSchedule } from './schedules';
import { checkExtraOptions, checkLearningRate, checkPairs, describeList, optionalPositive, toVariable, VariableLike } from './optimizer_checks';
import { accumulateGradients, clipped, unscaled, updateAverages } from './optimizer_extras';
import { OptimizerSlots, SlotSpec } from './optimizer_slots';
import { restoreState, StateArray, stateArrays } from './optimizer_state';

export type { VariableLike } from './optimizer_checks';
export type { SlotSpec } from './optimizer_slots';
export type { StateArray } from './optimizer_state';

export interface OptimizerArgs {
  /** A number or a LearningRateSchedule. Keras: `learning_rate` @default 0.001 (0.01 for SGD), as Keras */
  learningRate?: number | LearningRateSchedule;
  /** Clip each gradient to this norm. Keras: `clipnorm` @default undefined (no clipping) */
  clipnorm?: number;
  /** Clip each gradient element to [-clipvalue, clipvalue]. Keras: `clipvalue` @default undefined (no clipping) */
  clipvalue?: number;
  /**
   * Scale all gradients together so their global norm is at most this. Keras: `global_clipnorm`
   * @default undefined (no clipping)
   */
  globalClipnorm?: number;
  /**
   * Decoupled weight decay: before each update, w -= w · weightDecay · lr. Keras: `weight_decay`
   * @default undefined (none; 0.004 for AdamW)
   */
  weightDecay?: number;
  /**
   * The optimizer's name. Keras: `name` @default the class name ('Adam', 'SGD'); Keras uses lowercase ('adam') for
   * most
   */
  name?: string;
  /**
   * Keep an exponential moving average of each trained variable (the SwapEMAWeights callback and
   * the end of fit use it). Keras: `use_ema` @default false
   */
  useEma?: boolean;
  /** average ← m·average + (1 - m)·variable after each step. Keras: `ema_momentum` @default 0.99 */
  emaMomentum?: number;
  /**
   * Every this many steps, overwrite the variables with their moving averages. Keras:
   * `ema_overwrite_frequency` @default undefined (only at the end of fit)
   */
  emaOverwriteFrequency?: number;
  /**
   * Update only every this many calls, with the mean of their gradients (a larger effective batch).
   * Keras: `gradient_accumulation_steps` @default undefined (every call updates)
   */
  gradientAccumulationSteps?: number;
  /**
   * Multiply the loss by this before the gradients are taken (fit does it), and divide the gradients
   * by it before the update: guards small gradients against underflow. Keras: `loss_scale_factor`
   * @default undefined (no scaling)
   */
  lossScaleFactor?: number;
}

/** The options every optimizer takes; each optimizer class lists its own in `static optionKeys`. */
export const OPTIMIZER_KEYS = optionKeys<OptimizerArgs>()(
  'learningRate', 'clipnorm', 'clipvalue', 'globalClipnorm', 'weightDecay', 'name', 'useEma', 'emaMomentum', 'emaOverwriteFrequency', 'gradientAccumulationSteps', 'lossScaleFactor',
);

/** The learning rate, the step (from 1) and the weight decay factor of one fused step. */
export interface FusedStepArgs {
  lr: number;
  step: number;
  decay: number;
}

export abstract class Optimizer {
  abstract readonly className: string;
  readonly name: string;
  readonly clipnorm: number | undefined;
  readonly clipvalue: number | undefined;
  readonly globalClipnorm: number | undefined;
  readonly weightDecay: number | undefined;
  readonly useEma: boolean;
  readonly emaMomentum: number;
  readonly emaOverwriteFrequency: number | undefined;
  readonly gradientAccumulationSteps: number | undefined;
  /** Writable: a LossScaleOptimizer turns its inner optimizer's off (it scales itself). */
  lossScaleFactor: number | undefined;
  /** Calls since the last update, with gradientAccumulationSteps (Keras's `_iterations` is iterations · steps + this). */
  private accumulated = 0;
  private lr: number | LearningRateSchedule;
  /** How many update steps have been applied. */
  iterations = 0;
  private readonly slots = new OptimizerSlots(() => this.allSlots());
  /** Scalars made during one step, shared by every variable's update (one upload each, not one per variable). */
  private readonly stepConstants = new Map<number, tfc.Scalar>();

  static readonly optionKeys: readonly string[] = OPTIMIZER_KEYS;

  /** `given` is the user's options object when a subclass rewrites it before passing it on (AdamW). */
  constructor(args: OptimizerArgs, defaultLearningRate: number, defaultName: string, given: unknown = args) {
    checkClassOptions(new.target, new.target.name, given);
    this.name = args.name ?? defaultName;
    this.lr = checkLearningRate(args.learningRate ?? defaultLearningRate, this.name);
    this.clipnorm = optionalPositive(args.clipnorm, 'clipnorm', this.name);
    this.clipvalue = optionalPositive(args.clipvalue, 'clipvalue', this.name);
    this.globalClipnorm = optionalPositive(args.globalClipnorm, 'globalClipnorm', this.name);
    this.weightDecay = optionalPositive(args.weightDecay, 'weightDecay', this.name, true);
    const extras = checkExtraOptions(args, this.name);
    this.useEma = extras.useEma;
    this.emaMomentum = extras.emaMomentum;
    this.emaOverwriteFrequency = extras.emaOverwriteFrequency;
    this.gradientAccumulationSteps = extras.gradientAccumulationSteps;
    this.lossScaleFactor = extras.lossScaleFactor;
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

  /**
   * Applies one step: each variable moves according to its gradient, given as Keras's
   * (gradient, variable) pairs. A variable whose gradient is null or undefined (the loss does not
   * depend on it) is left as it is. Gradients stay the caller's. In a data-parallel run (several
   * processes), the gradients are first summed over the processes, each weighted by its share of
   * the global batch, so every process applies the global batch's gradients.
   */
  applyGradients(gradsAndVars: Array<[tfc.Tensor | null | undefined, VariableLike]>): void {
    const pairs = checkPairs(gradsAndVars, this.name);
    if (pairs.length === 0) return;
    const lr = this.learningRate;
    const step = this.iterations + 1;
    const accumulate = this.gradientAccumulationSteps;
    const updates = accumulate === undefined || this.accumulated + 1 === accumulate;
    try {
      tfc.tidy(() => {
        const variables = pairs.map(([, v]) => v);
        const slots = variables.map((v) => this.slots.of(v));
        const constant = (value: number): tfc.Scalar => this.constant(value);
        let given = pairs.map(([g]) => g);
        if (this.lossScaleFactor !== undefined) given = unscaled(given, this.lossScaleFactor, constant);
        if (accumulate !== undefined) given = accumulateGradients(given, slots, updates, this.constant(accumulate));
        if (updates) this.update(given, variables, slots, { lr, step, decay: this.weightDecay ? this.weightDecay * lr : 0 });
        if (this.useEma) updateAverages(this, variables, slots, constant);
      });
    } finally {
      this.stepConstants.clear(); // their tensors were freed with the step's tidy scope
    }
    if (updates) {
      this.iterations = step;
      this.accumulated = 0;
    } else {
      this.accumulated += 1;
    }
  }

  /** One update of every variable from its gradient: reduce over processes, clip, decay, step. */
  private update(given: tfc.Tensor[], variables: tfc.Variable[], slots: Array<Record<string, tfc.Variable>>, args: FusedStepArgs): void {
    const replicas = replicaContext();
    const grads = clipped(replicas === null ? given : replicas.allReduceGradients(given), this);
    this.beforeStep(args.step);
    if (this.fusedSteps(grads, variables, slots, args)) return;
    variables.forEach((variable, i) => {
      const decay = this.decayFor(variable);
      const decayed = decay ? tfc.sub(variable, tfc.mul(variable, this.constant(decay * args.lr))) : variable;
      variable.assign(this.updateStep(grads[i], decayed, slots[i], args.lr, args.step, variable));
    });
  }

  /** The weight decay of one variable (Muon decays its Adam and Muon variables differently). */
  protected decayFor(variable: tfc.Variable): number | undefined {
    void variable;
    return this.weightDecay;
  }

  /** The loss fit differentiates: `loss · lossScaleFactor` (the loss itself without one). Keras: `scale_loss` */
  scaleLoss(loss: tfc.Scalar): tfc.Scalar {
    return this.lossScale === 1 ? loss : tfc.mul(loss, this.lossScale);
  }

  /** The factor scaleLoss multiplies by (1 without scaling). */
  get lossScale(): number {
    return this.lossScaleFactor ?? 1;
  }

  /**
   * With useEma, sets each variable to its moving average (fit calls it when training ends, as
   * Keras does); otherwise changes nothing. Keras: `finalize_variable_values`
   */
  finalizeVariableValues(variables: VariableLike[]): void {
    if (!this.useEma) return;
    variables.map((v, i) => toVariable(v, i, this.name)).forEach((v) => {
      const average = this.slots.get(v)?.average;
      if (average !== undefined) v.assign(average);
    });
  }

  /** The moving average of `variable` (with useEma, once it was trained), or undefined. The tensor is the optimizer's. */
  averageOf(variable: VariableLike): tfc.Variable | undefined {
    return this.slots.get(toVariable(variable, 0, this.name))?.average;
  }

  /** Keras 3's form: `apply(grads, variables)`, one gradient per variable, in the same order. */
  apply(grads: Array<tfc.Tensor | null | undefined>, variables: VariableLike[]): void {
    if (!Array.isArray(grads) || !Array.isArray(variables) || grads.length !== variables.length) {
      throw new ValueError(
        `${this.name}.apply: give one gradient per variable, got ${describeList(grads)} gradients and ${describeList(variables)} variables. ` +
          'help: optimizer.apply(grads, model.trainableVariables).',
      );
    }
    this.applyGradients(grads.map((g, i) => [g, variables[i]]));
  }

  /**
   * Computes the gradient of `loss` (a function returning a scalar) with respect to `variables`
   * (by default every trainable variable it uses), applies one step, and returns the loss value,
   * which the caller owns: TensorFlow's `optimizer.minimize(loss)`.
   */
  minimize(loss: () => tfc.Scalar, variables?: VariableLike[]): tfc.Scalar {
    if (typeof loss !== 'function') {
      throw new ValueError(`${this.name}.minimize: \`loss\` must be a function that returns a scalar, got ${typeof loss}. help: optimizer.minimize(() => lossOf(w)).`);
    }
    const vars = variables?.map((v, i) => toVariable(v, i, this.name));
    const { value, grads } = tfc.variableGrads(loss, vars);
    try {
      const used = vars ?? Object.keys(grads).map((name) => tfc.engine().registeredVariables[name]);
      this.applyGradients(used.map((v) => [grads[v.name], v]));
    } finally {
      tfc.dispose(Object.values(grads));
    }
    return value;
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

  /**
   * The attrs of this optimizer's fused kernel (engine/fused_kernels.ts) for the next step, as
   * applyGradients would pass them, without running anything: a captured training step
   * (backend/capture) replays the kernel with them. null where the step is not one fused kernel
   * (no such kernel for this optimizer, a subclass's own step, a data-parallel run) or where a step
   * does more than it (gradient accumulation, EMA, a loss scale).
   */
  nextFusedAttrs(): Record<string, number | boolean> | null {
    if (replicaContext() !== null || this.gradientAccumulationSteps !== undefined || this.useEma || this.lossScaleFactor !== undefined) return null;
    const lr = this.learningRate;
    return this.fusedAttrs({ lr, step: this.iterations + 1, decay: this.weightDecay ? this.weightDecay * lr : 0 });
  }

  /** Counts one step that a captured program applied (backend/capture), as applyGradients counts its own. */
  countCapturedStep(): void {
    this.iterations += 1;
  }

  /** The attrs of the fused kernel for one step (see nextFusedAttrs); null where there is none. */
  protected fusedAttrs(step: FusedStepArgs): Record<string, number | boolean> | null {
    void step;
    return null;
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
   * with `slot.assign`. Runs inside tidy. `step` counts from 1; `variable` is the variable itself
   * (its name tells Muon which rule it follows).
   */
  protected abstract updateStep(
    grad: tfc.Tensor,
    w: tfc.Tensor,
    slots: Record<string, tfc.Variable>,
    lr: number,
    step: number,
    variable: tfc.Variable,
  ): tfc.Tensor;

  /**
   * The shapes of getState's arrays for variables of `variableShapes`, or, for null, those of an
   * optimizer that never stepped (no slots yet): what a file must hold to restore this optimizer.
   */
  stateShapes(variableShapes: number[][] | null): number[][] {
    const head: number[][] = this.lr instanceof LearningRateSchedule ? [[]] : [[], []];
    return variableShapes === null ? head : [...head, ...variableShapes.flatMap((shape) => this.slotShapes(shape))];
  }

  /** The base's slots (Keras's order: the moving average, the gradient accumulator), then the subclass's. */
  private allSlots(): SlotSpec[] {
    const base: SlotSpec[] = [...(this.useEma ? ['average'] : []), ...(this.gradientAccumulationSteps !== undefined ? ['gradientAccumulator'] : [])];
    return [...base, ...this.slotNames()];
  }

  /** The shapes of the slots of a variable of shape `variableShape`, in saving order. */
  slotShapes(variableShape: number[]): number[][] {
    return this.slots.shapes(variableShape);
  }

  /**
   * The optimizer's variables as Keras saves them: the iteration count, the learning rate (unless a
   * schedule gives it), then the slots of each of `variables`, variable by variable. Before the
   * first step there are no slots, and only the first entries are returned (as Keras 3 saves an
   * optimizer that was never built).
   */
  getState(variables: Array<{ name: string; variable: tfc.Variable }>): StateArray[] {
    // Keras saves its call count: iterations · gradientAccumulationSteps + the calls since the last update.
    const calls = this.iterations * (this.gradientAccumulationSteps ?? 1) + this.accumulated;
    return stateArrays(this.name, { calls, learningRate: this.lr instanceof LearningRateSchedule ? null : this.lr }, this.slots, variables);
  }

  /**
   * Restores what getState returned (for the same variables, in the same order). Returns false,
   * changing nothing, when the arrays do not fit: another optimizer or other variables.
   */
  setState(variables: Array<{ name: string; variable: tfc.Variable }>, state: StateArray[]): boolean {
    const saved = restoreState(this.slots, variables, state, !(this.lr instanceof LearningRateSchedule));
    if (saved === null) return false;
    this.iterations = Math.floor(saved.calls / (this.gradientAccumulationSteps ?? 1));
    this.accumulated = saved.calls % (this.gradientAccumulationSteps ?? 1);
    // Saved as float32: keep the exact number given when it is the same learning rate.
    if (saved.learningRate !== null && typeof this.lr === 'number' && Math.fround(this.lr) !== saved.learningRate) this.lr = saved.learningRate;
    return true;
  }

  /** The constructor arguments, as plain values: `new Cls(getConfig())` rebuilds the optimizer. */
  getConfig(): Record<string, unknown> {
    const lr = this.lr instanceof LearningRateSchedule ? serializeSchedule(this.lr) : this.lr;
    const config: Record<string, unknown> = { name: this.name, learningRate: lr };
    if (this.useEma) Object.assign(config, { useEma: true, emaMomentum: this.emaMomentum });
    for (const key of ['clipnorm', 'clipvalue', 'globalClipnorm', 'weightDecay', 'emaOverwriteFrequency', 'gradientAccumulationSteps', 'lossScaleFactor'] as const) {
      if (this[key] !== undefined) config[key] = this[key];
    }
    return config;
  }

  /** Frees the slots. The optimizer can be used again; slots restart from their initial values. */
  dispose(): void {
    this.slots.dispose();
  }
}
