/**
 * Learning-rate schedules, with Keras 3's formulas. A schedule maps the step count (the optimizer's
 * iterations before the update, from 0) to a learning rate; it is computed in JavaScript, so it
 * costs no device work.
 */
import { ValueError } from '../engine/errors';
import { checkClassOptions, optionKeys } from '../engine/options';

export abstract class LearningRateSchedule {
  abstract readonly className: string;
  /** Checks the options against the subclass's `static optionKeys`. */
  constructor(args: unknown) {
    checkClassOptions(new.target, new.target.name, args);
  }
  abstract call(step: number): number;
  abstract getConfig(): Record<string, unknown>;
}

function positive(value: number, what: string, owner: string): number {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new ValueError(`${owner}: \`${what}\` must be a positive number, got ${value}. help: pass e.g. {${what}: 1000}.`);
  }
  return value;
}

export interface ExponentialDecayArgs {
  /** The learning rate at step 0. Keras: `initial_learning_rate` */
  initialLearningRate: number;
  /** Steps over which the rate is multiplied once by decayRate. Keras: `decay_steps` */
  decaySteps: number;
  /** The factor applied every decaySteps steps. Keras: `decay_rate` */
  decayRate: number;
  /** Decay in whole steps of decaySteps. Keras: `staircase` @default false */
  staircase?: boolean;
}

/** lr = initial · rate^(step / decaySteps) */
export class ExponentialDecay extends LearningRateSchedule {
  static readonly optionKeys = optionKeys<ExponentialDecayArgs>()('initialLearningRate', 'decaySteps', 'decayRate', 'staircase');
  readonly className = 'ExponentialDecay';
  constructor(readonly args: ExponentialDecayArgs) {
    super(args);
    positive(args.decaySteps, 'decaySteps', 'ExponentialDecay');
  }
  call(step: number): number {
    const p = step / this.args.decaySteps;
    return this.args.initialLearningRate * this.args.decayRate ** (this.args.staircase ? Math.floor(p) : p);
  }
  getConfig(): Record<string, unknown> {
    return { staircase: false, ...this.args };
  }
}

export interface InverseTimeDecayArgs extends ExponentialDecayArgs {}

/** lr = initial / (1 + rate · step / decaySteps) */
export class InverseTimeDecay extends LearningRateSchedule {
  static readonly optionKeys = optionKeys<InverseTimeDecayArgs>()('initialLearningRate', 'decaySteps', 'decayRate', 'staircase');
  readonly className = 'InverseTimeDecay';
  constructor(readonly args: InverseTimeDecayArgs) {
    super(args);
    positive(args.decaySteps, 'decaySteps', 'InverseTimeDecay');
  }
  call(step: number): number {
    const p = step / this.args.decaySteps;
    return this.args.initialLearningRate / (1 + this.args.decayRate * (this.args.staircase ? Math.floor(p) : p));
  }
  getConfig(): Record<string, unknown> {
    return { staircase: false, ...this.args };
  }
}

export interface PiecewiseConstantDecayArgs {
  /** Step boundaries, increasing. Keras: `boundaries` */
  boundaries: number[];
  /** One more value than boundaries: values[0] up to boundaries[0], and so on. Keras: `values` */
  values: number[];
}

export class PiecewiseConstantDecay extends LearningRateSchedule {
  static readonly optionKeys = optionKeys<PiecewiseConstantDecayArgs>()('boundaries', 'values');
  readonly className = 'PiecewiseConstantDecay';
  constructor(readonly args: PiecewiseConstantDecayArgs) {
    super(args);
    if (!Array.isArray(args.boundaries) || !Array.isArray(args.values) || args.values.length !== args.boundaries.length + 1) {
      throw new ValueError(
        `PiecewiseConstantDecay: \`values\` must have one more entry than \`boundaries\`, got ${args.values?.length} and ${args.boundaries?.length}. ` +
          'help: e.g. {boundaries: [1000], values: [0.1, 0.01]}.',
      );
    }
  }
  call(step: number): number {
    const i = this.args.boundaries.findIndex((b) => step <= b);
    return this.args.values[i === -1 ? this.args.values.length - 1 : i];
  }
  getConfig(): Record<string, unknown> {
    return { ...this.args };
  }
}

export interface PolynomialDecayArgs {
  /** The learning rate at step 0. Keras: `initial_learning_rate` */
  initialLearningRate: number;
  /** Steps over which the rate falls to endLearningRate. Keras: `decay_steps` */
  decaySteps: number;
  /** The rate reached after decaySteps. Keras: `end_learning_rate` @default 0.0001 */
  endLearningRate?: number;
  /** The polynomial's power (1: linear). Keras: `power` @default 1 */
  power?: number;
  /** Restart the decay after decaySteps, with a longer period. Keras: `cycle` @default false */
  cycle?: boolean;
}

export class PolynomialDecay extends LearningRateSchedule {
  static readonly optionKeys = optionKeys<PolynomialDecayArgs>()('initialLearningRate', 'decaySteps', 'endLearningRate', 'power', 'cycle');
  readonly className = 'PolynomialDecay';
  constructor(readonly args: PolynomialDecayArgs) {
    super(args);
    positive(args.decaySteps, 'decaySteps', 'PolynomialDecay');
  }
  call(step: number): number {
    const { initialLearningRate: lr0, endLearningRate: end = 0.0001, power = 1, cycle = false } = this.args;
    let steps = this.args.decaySteps;
    let s = step;
    if (cycle) steps *= s === 0 ? 1 : Math.ceil(s / steps);
    else s = Math.min(s, steps);
    return (lr0 - end) * (1 - s / steps) ** power + end;
  }
  getConfig(): Record<string, unknown> {
    return { endLearningRate: 0.0001, power: 1, cycle: false, ...this.args };
  }
}

export interface CosineDecayArgs {
  /** The learning rate at step 0 (where warmup starts, with warmupSteps). Keras: `initial_learning_rate` */
  initialLearningRate: number;
  /** Steps over which the rate follows the half cosine down to alpha. Keras: `decay_steps` */
  decaySteps: number;
  /** Floor, as a fraction of the rate decayed from. Keras: `alpha` @default 0 */
  alpha?: number;
  /**
   * With warmupSteps: the rate reached linearly from initialLearningRate, then decayed. Keras: `warmup_target`
   * @default undefined (no warmup)
   */
  warmupTarget?: number;
  /** Steps of linear warmup before the decay. Keras: `warmup_steps` @default 0 */
  warmupSteps?: number;
}

export class CosineDecay extends LearningRateSchedule {
  static readonly optionKeys = optionKeys<CosineDecayArgs>()('initialLearningRate', 'decaySteps', 'alpha', 'warmupTarget', 'warmupSteps');
  readonly className = 'CosineDecay';
  constructor(readonly args: CosineDecayArgs) {
    super(args);
    positive(args.decaySteps, 'decaySteps', 'CosineDecay');
  }
  call(step: number): number {
    const { initialLearningRate: lr0, decaySteps, alpha = 0, warmupTarget, warmupSteps = 0 } = this.args;
    const decay = (s: number, from: number): number => from * ((1 - alpha) * 0.5 * (1 + Math.cos((Math.PI * s) / decaySteps)) + alpha);
    if (warmupTarget === undefined) return decay(Math.min(step, decaySteps), lr0);
    const s = Math.min(step, decaySteps + warmupSteps);
    if (s < warmupSteps) return (warmupTarget - lr0) * (s / warmupSteps) + lr0;
    return decay(s - warmupSteps, warmupTarget);
  }
  getConfig(): Record<string, unknown> {
    return { alpha: 0, warmupSteps: 0, ...this.args };
  }
}

export interface CosineDecayRestartsArgs {
  /** The learning rate at step 0. Keras: `initial_learning_rate` */
  initialLearningRate: number;
  /** Steps in the first period. Keras: `first_decay_steps` */
  firstDecaySteps: number;
  /** Each period is tMul times longer than the last. Keras: `t_mul` @default 2 */
  tMul?: number;
  /** Each restart starts at mMul times the last start. Keras: `m_mul` @default 1 */
  mMul?: number;
  /** Floor, as a fraction of the initial rate. Keras: `alpha` @default 0 */
  alpha?: number;
}

/** SGDR: cosine decay with warm restarts (Loshchilov & Hutter). */
export class CosineDecayRestarts extends LearningRateSchedule {
  static readonly optionKeys = optionKeys<CosineDecayRestartsArgs>()('initialLearningRate', 'firstDecaySteps', 'tMul', 'mMul', 'alpha');
  readonly className = 'CosineDecayRestarts';
  constructor(readonly args: CosineDecayRestartsArgs) {
    super(args);
    positive(args.firstDecaySteps, 'firstDecaySteps', 'CosineDecayRestarts');
  }
  call(step: number): number {
    const { initialLearningRate: lr0, firstDecaySteps, tMul = 2, mMul = 1, alpha = 0 } = this.args;
    let fraction = step / firstDecaySteps;
    let restart: number;
    if (tMul === 1) {
      restart = Math.floor(fraction);
      fraction -= restart;
    } else {
      restart = Math.floor(Math.log(1 - fraction * (1 - tMul)) / Math.log(tMul));
      const done = (1 - tMul ** restart) / (1 - tMul);
      fraction = (fraction - done) / tMul ** restart;
    }
    const cosine = 0.5 * mMul ** restart * (1 + Math.cos(Math.PI * fraction));
    return lr0 * ((1 - alpha) * cosine + alpha);
  }
  getConfig(): Record<string, unknown> {
    return { tMul: 2, mMul: 1, alpha: 0, ...this.args };
  }
}

const SCHEDULES: Record<string, new (args: never) => LearningRateSchedule> = {
  ExponentialDecay, InverseTimeDecay, PiecewiseConstantDecay, PolynomialDecay, CosineDecay, CosineDecayRestarts,
};

export function serializeSchedule(s: LearningRateSchedule): { className: string; config: Record<string, unknown> } {
  return { className: s.className, config: s.getConfig() };
}

export function deserializeSchedule(spec: { className: string; config: Record<string, unknown> }): LearningRateSchedule {
  const cls = SCHEDULES[spec.className];
  if (cls === undefined) {
    throw new ValueError(`deserializeSchedule: unknown schedule '${spec.className}'. help: use one of ${Object.keys(SCHEDULES).join(', ')}.`);
  }
  return new cls(spec.config as never);
}

/**
 * A schedule as Keras 3's dict, `{module, class_name, config, registered_name}` with snake_case
 * keys, what `keras.optimizers.schedules.serialize` returns. Keras: `serialize`
 */
export function serialize(schedule: LearningRateSchedule): Record<string, unknown> {
  if (!(schedule instanceof LearningRateSchedule)) {
    throw new ValueError(`schedules.serialize: expected a LearningRateSchedule, got ${typeof schedule}. help: pass e.g. new k.optimizers.schedules.ExponentialDecay({...}).`);
  }
  const config = Object.fromEntries(Object.entries(schedule.getConfig()).map(([key, v]) => [key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase(), v]));
  return { module: 'keras.optimizers.schedules', class_name: schedule.className, config: { ...config, name: schedule.className }, registered_name: null };
}

/**
 * A schedule from Keras 3's dict (snake_case or camelCase keys; Keras's `name` is dropped) or from
 * keras-ts's `{className, config}`. Keras: `deserialize`
 */
export function deserialize(config: Record<string, unknown>): LearningRateSchedule {
  const className = (config?.class_name ?? config?.className) as string | undefined;
  const raw = config?.config;
  if (typeof className !== 'string' || typeof raw !== 'object' || raw === null) {
    throw new ValueError(`schedules.deserialize: expected {class_name, config}, got ${JSON.stringify(config)?.slice(0, 80)}. help: pass what schedules.serialize returned.`);
  }
  const values = Object.fromEntries(
    Object.entries(raw as Record<string, unknown>).filter(([key, v]) => key !== 'name' && v !== null).map(([key, v]) => [key.replace(/_+([a-z0-9])/g, (_m, c: string) => c.toUpperCase()), v]),
  );
  return deserializeSchedule({ className, config: values });
}
