/**
 * LossScaleOptimizer, as Keras 3's (keras/src/optimizers/loss_scale_optimizer.py): dynamic loss
 * scaling around an inner optimizer. fit multiplies the loss by the current scale (scaleLoss);
 * each step, if every gradient is finite, the gradients are divided by the scale and the inner
 * optimizer steps, and after `dynamicGrowthSteps` finite steps in a row the scale doubles; if a
 * gradient is inf or NaN, nothing is updated and the scale halves. The learning rate, iteration
 * count and moving averages are the inner optimizer's.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { optionKeys } from '../engine/options';
import { Optimizer, SlotSpec, StateArray } from './optimizer';
import { checkPairs, VariableLike } from './optimizer_checks';
import type { LearningRateSchedule } from './schedules';

export interface LossScaleOptimizerArgs {
  /** The optimizer that applies the unscaled gradients. Keras: `inner_optimizer` */
  innerOptimizer: Optimizer;
  /** The first loss scale. Keras: `initial_scale` @default 32768 (2^15) */
  initialScale?: number;
  /** Finite steps in a row after which the scale doubles. Keras: `dynamic_growth_steps` @default 2000 */
  dynamicGrowthSteps?: number;
  /** Keras: `name` @default 'LossScaleOptimizer' */
  name?: string;
}

export class LossScaleOptimizer extends Optimizer {
  static override readonly optionKeys = optionKeys<LossScaleOptimizerArgs>()('innerOptimizer', 'initialScale', 'dynamicGrowthSteps', 'name');
  readonly className = 'LossScaleOptimizer';
  readonly innerOptimizer: Optimizer;
  readonly initialScale: number;
  readonly dynamicGrowthSteps: number;
  /** The current loss scale. Keras: `dynamic_scale` */
  dynamicScale: number;
  /** Finite steps since the scale last changed. Keras: `step_counter` */
  stepCounter = 0;

  constructor(args: LossScaleOptimizerArgs) {
    super({ name: args?.name }, 0, 'LossScaleOptimizer', args);
    if (!(args?.innerOptimizer instanceof Optimizer) || args.innerOptimizer instanceof LossScaleOptimizer) {
      throw new ValueError(`${this.name}: \`innerOptimizer\` must be an optimizer (not a LossScaleOptimizer), got ${describe(args?.innerOptimizer)}. help: new k.optimizers.LossScaleOptimizer({innerOptimizer: new k.optimizers.Adam()}).`);
    }
    this.innerOptimizer = args.innerOptimizer;
    this.initialScale = args.initialScale ?? 2 ** 15;
    this.dynamicGrowthSteps = args.dynamicGrowthSteps ?? 2000;
    if (!(this.initialScale > 0) || !Number.isFinite(this.initialScale)) throw new ValueError(`${this.name}: \`initialScale\` must be a positive number, got ${String(args.initialScale)}. help: keep the default 32768.`);
    if (!Number.isInteger(this.dynamicGrowthSteps) || this.dynamicGrowthSteps < 1) {
      throw new ValueError(`${this.name}: \`dynamicGrowthSteps\` must be a positive integer, got ${String(args.dynamicGrowthSteps)}. help: keep the default 2000.`);
    }
    this.dynamicScale = this.initialScale;
    this.innerOptimizer.lossScaleFactor = undefined; // scaled here; the inner one would unscale twice
  }

  override get learningRate(): number {
    return this.innerOptimizer.learningRate;
  }
  override set learningRate(value: number) {
    this.innerOptimizer.learningRate = value;
  }
  override get schedule(): LearningRateSchedule | null {
    return this.innerOptimizer.schedule;
  }
  override get lossScale(): number {
    return this.dynamicScale;
  }

  override applyGradients(gradsAndVars: Array<[tfc.Tensor | null | undefined, VariableLike]>): void {
    const pairs = checkPairs(gradsAndVars, this.name);
    if (pairs.length === 0) return;
    const finite = tfc.tidy(() => tfc.all(tfc.stack(pairs.map(([g]) => tfc.all(tfc.isFinite(g))))).dataSync()[0] === 1);
    if (!finite) {
      this.stepCounter = 0;
      this.dynamicScale /= 2;
      return;
    }
    const unscaled = tfc.tidy(() => pairs.map(([g]) => tfc.div(g, this.dynamicScale)));
    try {
      this.innerOptimizer.applyGradients(unscaled.map((g, i) => [g, pairs[i][1]]));
    } finally {
      tfc.dispose(unscaled);
    }
    this.iterations = this.innerOptimizer.iterations;
    if (this.stepCounter === this.dynamicGrowthSteps - 1) {
      this.stepCounter = 0;
      this.dynamicScale *= 2;
    } else {
      this.stepCounter += 1;
    }
  }

  override finalizeVariableValues(variables: VariableLike[]): void {
    this.innerOptimizer.finalizeVariableValues(variables);
  }

  protected slotNames(): SlotSpec[] {
    return [];
  }
  protected updateStep(): tfc.Tensor {
    throw new ValueError(`${this.name}: updateStep is the inner optimizer's. help: call applyGradients.`);
  }

  override stateShapes(variableShapes: number[][] | null): number[][] {
    return [[], [], ...this.innerOptimizer.stateShapes(variableShapes)];
  }

  /** The step counter and the scale, then the inner optimizer's state. */
  override getState(variables: Array<{ name: string; variable: tfc.Variable }>): StateArray[] {
    return [
      { name: `${this.name}/step_counter`, shape: [], data: Int32Array.of(this.stepCounter) },
      { name: `${this.name}/dynamic_scale`, shape: [], data: Float32Array.of(this.dynamicScale) },
      ...this.innerOptimizer.getState(variables),
    ];
  }

  override setState(variables: Array<{ name: string; variable: tfc.Variable }>, state: StateArray[]): boolean {
    if (state.length < 2 || state[0].data.length !== 1 || state[1].data.length !== 1 || !(state[1].data[0] > 0)) return false;
    if (!this.innerOptimizer.setState(variables, state.slice(2))) return false;
    this.stepCounter = Number(state[0].data[0]);
    this.dynamicScale = state[1].data[0];
    this.iterations = this.innerOptimizer.iterations;
    return true;
  }

  override getConfig(): Record<string, unknown> {
    const inner = { className: this.innerOptimizer.className, config: this.innerOptimizer.getConfig() };
    return { name: this.name, innerOptimizer: inner, initialScale: this.initialScale, dynamicGrowthSteps: this.dynamicGrowthSteps };
  }

  override dispose(): void {
    this.innerOptimizer.dispose();
  }
}

function describe(x: unknown): string {
  if (x === null || x === undefined) return String(x);
  return typeof x === 'object' ? (x.constructor?.name ?? 'an object') : typeof x;
}
