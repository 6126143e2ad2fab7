/**
 * The checks an optimizer runs before anything changes: the [gradient, variable] pairs, the
 * variables, the learning rate and the positive options. Each error names the optimizer, the bad
 * value and the fix.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { Weight } from '../engine/weight';
import { LearningRateSchedule } from './schedules';

/** A variable as the optimizer takes it: a tfjs-core Variable or a layer's Weight. */
export type VariableLike = tfc.Variable | Weight;

export function toVariable(v: unknown, i: number, name: string): tfc.Variable {
  if (v instanceof Weight) return v.value;
  if (v instanceof tfc.Variable) return v;
  throw new ValueError(
    `${name}: variable ${i} is ${describe(v)}, not a Variable or a layer Weight. help: pass model.trainableVariables (or layer weights).`,
  );
}

/** [gradient, variable] pairs, checked before any variable changes; pairs without a gradient are dropped. */
export function checkPairs(pairs: Array<[tfc.Tensor | null | undefined, VariableLike]>, name: string): Array<[tfc.Tensor, tfc.Variable]> {
  if (!Array.isArray(pairs)) {
    throw new ValueError(`${name}.applyGradients: expected a list of [gradient, variable] pairs, got ${describe(pairs)}. help: grads.map((g, i) => [g, vars[i]]).`);
  }
  const out: Array<[tfc.Tensor, tfc.Variable]> = [];
  pairs.forEach((pair, i) => {
    if (!Array.isArray(pair) || pair.length !== 2) {
      throw new ValueError(`${name}.applyGradients: item ${i} is ${describe(pair)}, not a [gradient, variable] pair. help: grads.map((g, i) => [g, vars[i]]).`);
    }
    const [grad, variable] = pair as [unknown, unknown];
    const isVar = (x: unknown): boolean => x instanceof tfc.Variable || x instanceof Weight;
    if (isVar(grad) && !isVar(variable)) {
      throw new ValueError(
        `${name}.applyGradients: pair ${i} is (variable, gradient); Keras's order is (gradient, variable). ` +
          'help: pass [grad, variable] pairs, e.g. grads.map((g, i) => [g, vars[i]]).',
      );
    }
    const v = toVariable(variable, i, `${name}.applyGradients`);
    if (grad === null || grad === undefined) return;
    if (!(grad instanceof tfc.Tensor)) throw new ValueError(`${name}.applyGradients: the gradient of pair ${i} is ${describe(grad)}, not a tensor.`);
    if (!tfc.util.arraysEqual(grad.shape, v.shape)) {
      throw new ValueError(
        `${name}.applyGradients: the gradient of '${v.name}' has shape [${grad.shape}] but the variable has shape [${v.shape}]. ` +
          'help: pair each gradient with its own variable.',
      );
    }
    out.push([grad, v]);
  });
  return out;
}

export function describe(x: unknown): string {
  if (x instanceof tfc.Variable) return `a Variable of shape [${x.shape}]`;
  if (x instanceof tfc.Tensor) return `a tensor of shape [${x.shape}]`;
  if (x === null || x === undefined) return String(x);
  return Array.isArray(x) ? `a list of ${x.length}` : typeof x;
}

export function describeList(x: unknown): string {
  return Array.isArray(x) ? String(x.length) : describe(x);
}

export function checkLearningRate(lr: number | LearningRateSchedule, name: string): number | LearningRateSchedule {
  if (lr instanceof LearningRateSchedule) return lr;
  if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
    throw new ValueError(
      `${name}: \`learningRate\` must be a non-negative number or a LearningRateSchedule, got ${String(lr)}. ` +
        'help: pass e.g. {learningRate: 0.01} or {learningRate: new ExponentialDecay({...})}.',
    );
  }
  return lr;
}

export function optionalPositive(value: number | undefined, what: string, name: string, allowZero = false): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new ValueError(`${name}: \`${what}\` must be a positive number, got ${String(value)}. help: pass e.g. {${what}: 1.0} or leave it out.`);
  }
  return value;
}

/** The base options Keras 3 added (moving averages, gradient accumulation, loss scaling), checked. */
export function checkExtraOptions(
  args: { useEma?: boolean; emaMomentum?: number; emaOverwriteFrequency?: number; gradientAccumulationSteps?: number; lossScaleFactor?: number },
  name: string,
): { useEma: boolean; emaMomentum: number; emaOverwriteFrequency?: number; gradientAccumulationSteps?: number; lossScaleFactor?: number } {
  const useEma = args.useEma ?? false;
  if (typeof useEma !== 'boolean') throw new ValueError(`${name}: \`useEma\` must be true or false, got ${String(useEma)}. help: pass {useEma: true}.`);
  const emaMomentum = args.emaMomentum ?? 0.99;
  if (typeof emaMomentum !== 'number' || !(emaMomentum >= 0 && emaMomentum <= 1)) {
    throw new ValueError(`${name}: \`emaMomentum\` must be in [0, 1], got ${String(emaMomentum)}. help: keep the default 0.99 or pass e.g. 0.999.`);
  }
  const integer = (value: number | undefined, what: string, min: number): number | undefined => {
    if (value === undefined || value === null) return undefined;
    if (!Number.isInteger(value) || value < min) throw new ValueError(`${name}: \`${what}\` must be an integer >= ${min}, got ${String(value)}. help: pass e.g. {${what}: ${min + 2}} or leave it out.`);
    return value;
  };
  return {
    useEma,
    emaMomentum,
    emaOverwriteFrequency: integer(args.emaOverwriteFrequency, 'emaOverwriteFrequency', 1),
    gradientAccumulationSteps: integer(args.gradientAccumulationSteps, 'gradientAccumulationSteps', 2),
    lossScaleFactor: optionalPositive(args.lossScaleFactor, 'lossScaleFactor', name),
  };
}
