/**
 * MultiOptimizer, as Keras 3's (keras/src/optimizers/multi_optimizer.py): each variable is
 * updated by the optimizer an OptimizerMap (or a function) picks for its path ('dense/kernel', the
 * layer's name and the weight's). applyGradients splits the pairs by optimizer and lets each step
 * its own; the iteration count is the MultiOptimizer's. Inner optimizers take its lossScaleFactor.
 * State, as Keras's `variables`: its iteration and learning rate (0), then each inner optimizer's
 * (in order: the mapped ones, the default, then any a function returned), over its own variables.
 * Keras raises on `learning_rate`; here `learningRate` reads the first inner optimizer's (callbacks
 * and TensorBoard read it) and setting it is refused.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { optionKeys } from '../engine/options';
import { Optimizer, SlotSpec, StateArray } from './optimizer';
import { checkPairs, toVariable, VariableLike } from './optimizer_checks';
import { checkInner, OptimizerMap } from './optimizer_map';

/** Picks the optimizer of a variable from its path (Keras passes the variable; its `.path` is `path`). */
export type OptimizerSelector = (path: string, variable: tfc.Variable) => Optimizer;

export interface MultiOptimizerArgs {
  /** Which optimizer updates each variable. Keras: `optimizer_map` */
  optimizerMap: OptimizerMap | OptimizerSelector;
  /** Multiplies the loss (and the inner optimizers divide the gradients by it). Keras: `loss_scale_factor` @default undefined (none) */
  lossScaleFactor?: number;
  /** Keras: `name` @default 'MultiOptimizer' */
  name?: string;
}

/** A variable's path: its weight's name without keras-ts's unique suffix ('dense/kernel#12' -> 'dense/kernel'). */
export function variablePath(v: tfc.Variable): string {
  return v.name.replace(/#\d+$/, '');
}

export class MultiOptimizer extends Optimizer {
  static override readonly optionKeys = optionKeys<MultiOptimizerArgs>()('optimizerMap', 'lossScaleFactor', 'name');
  readonly className = 'MultiOptimizer';
  readonly optimizerMap: OptimizerMap | OptimizerSelector;
  private readonly inner: Optimizer[] = [];
  private readonly routes = new Map<tfc.Variable, Optimizer>();

  constructor(args: MultiOptimizerArgs) {
    super({ name: args?.name, lossScaleFactor: args?.lossScaleFactor }, 0, 'MultiOptimizer', args);
    const map = args?.optimizerMap;
    if (!(map instanceof OptimizerMap) && typeof map !== 'function') {
      throw new ValueError(`${this.name}: \`optimizerMap\` must be an OptimizerMap or a function (path, variable) => optimizer, got ${String(map)}. help: new k.optimizers.MultiOptimizer({optimizerMap: new k.optimizers.OptimizerMap(new k.optimizers.SGD(), {'dense/.*': new k.optimizers.Adam()})}).`);
    }
    this.optimizerMap = map;
    if (map instanceof OptimizerMap) for (const opt of [...map.values(), map.defaultOptimizer]) this.adopt(opt);
  }

  /** The inner optimizers, in state order. Keras: `optimizers` */
  get optimizers(): Optimizer[] {
    return [...this.inner];
  }

  override get learningRate(): number {
    return this.inner.length > 0 ? this.inner[0].learningRate : 0;
  }
  override set learningRate(value: number) {
    throw new ValueError(`${this.name}: cannot set one learning rate (${value}) on several optimizers. help: set it on each, e.g. multi.optimizers[0].learningRate = ${value}.`);
  }

  private adopt(opt: Optimizer): void {
    if (this.inner.includes(opt)) return;
    checkInner(opt, `the optimizer '${opt.name}'`);
    opt.lossScaleFactor = this.lossScaleFactor;
    this.inner.push(opt);
  }

  /** The optimizer of each variable, decided once (Keras's build). */
  build(variables: VariableLike[]): void {
    variables.forEach((v, i) => {
      const variable = toVariable(v, i, this.name);
      if (this.routes.has(variable)) return;
      const path = variablePath(variable);
      const opt = this.optimizerMap instanceof OptimizerMap ? this.optimizerMap.get(path) : this.optimizerMap(path, variable);
      if (!(opt instanceof Optimizer)) throw new ValueError(`${this.name}: the optimizer for '${path}' is ${String(opt)}, not an optimizer. help: make the function return an optimizer for every variable.`);
      this.adopt(opt);
      this.routes.set(variable, opt);
    });
  }

  override applyGradients(gradsAndVars: Array<[tfc.Tensor | null | undefined, VariableLike]>): void {
    const pairs = checkPairs(gradsAndVars, this.name);
    if (pairs.length === 0) return;
    this.build(pairs.map(([, v]) => v));
    for (const opt of this.inner) {
      const mine = pairs.filter(([, v]) => this.routes.get(v) === opt);
      if (mine.length > 0) opt.applyGradients(mine);
    }
    this.iterations += 1;
  }

  override finalizeVariableValues(variables: VariableLike[]): void {
    this.build(variables);
    for (const opt of this.inner) opt.finalizeVariableValues(variables.filter((v, i) => this.routes.get(toVariable(v, i, this.name)) === opt));
  }

  protected slotNames(): SlotSpec[] {
    return [];
  }
  protected updateStep(): tfc.Tensor {
    throw new ValueError(`${this.name}: updateStep is the inner optimizers'. help: call applyGradients.`);
  }

  /** Shapes per inner optimizer; for shapes of variables, those of the variables last built, in that order. */
  override stateShapes(variableShapes: number[][] | null): number[][] {
    const head: number[][] = [[], []];
    if (variableShapes === null) return [...head, ...this.inner.flatMap((o) => o.stateShapes(null))];
    const routed = [...this.routes.values()];
    if (routed.length !== variableShapes.length) return [...head, ...this.inner.flatMap((o) => o.stateShapes(null))];
    return [...head, ...this.inner.flatMap((o) => o.stateShapes(variableShapes.filter((_, i) => routed[i] === o)))];
  }

  override getState(variables: Array<{ name: string; variable: tfc.Variable }>): StateArray[] {
    this.build(variables.map(({ variable }) => variable));
    const own: StateArray[] = [
      { name: `${this.name}/iteration`, shape: [], data: Int32Array.of(this.iterations) },
      { name: `${this.name}/learning_rate`, shape: [], data: Float32Array.of(0) },
    ];
    return [...own, ...this.inner.flatMap((o) => o.getState(variables.filter(({ variable }) => this.routes.get(variable) === o)))];
  }

  override setState(variables: Array<{ name: string; variable: tfc.Variable }>, state: StateArray[]): boolean {
    this.build(variables.map(({ variable }) => variable));
    if (state.length < 2 || state[0].data.length !== 1) return false;
    let at = 2;
    for (const opt of this.inner) {
      const mine = variables.filter(({ variable }) => this.routes.get(variable) === opt);
      const lengths = [opt.stateShapes(mine.map(({ variable }) => variable.shape)).length, opt.stateShapes(null).length];
      const n = lengths.find((len) => at + len <= state.length && opt.setState(mine, state.slice(at, at + len)));
      if (n === undefined) return false;
      at += n;
    }
    if (at !== state.length) return false;
    this.iterations = Number(state[0].data[0]);
    return true;
  }

  /** `{name, optimizerMap, lossScaleFactor}`; a function cannot be saved. */
  override getConfig(): Record<string, unknown> {
    if (!(this.optimizerMap instanceof OptimizerMap)) {
      throw new ValueError(`${this.name}: an optimizerMap given as a function cannot be saved. help: use a k.optimizers.OptimizerMap to save the model with its optimizer, or save with {includeOptimizer: false}.`);
    }
    const config: Record<string, unknown> = { name: this.name, optimizerMap: { className: 'OptimizerMap', config: this.optimizerMap.getConfig() } };
    if (this.lossScaleFactor !== undefined) config.lossScaleFactor = this.lossScaleFactor;
    return config;
  }

  override dispose(): void {
    for (const opt of this.inner) opt.dispose();
    this.routes.clear();
  }
}
