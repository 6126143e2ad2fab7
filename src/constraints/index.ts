/**
 * Weight constraints, applied to a weight after each optimizer update (Keras 3's definitions).
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { checkOptions } from '../engine/options';
import { NameTable } from '../utils/names';

const EPSILON = 1e-7;

export abstract class Constraint {
  abstract readonly className: string;
  /** The projected weight. */
  abstract call(w: tfc.Tensor): tfc.Tensor;
  abstract getConfig(): Record<string, unknown>;
}

function norms(w: tfc.Tensor, axis: number | number[]): tfc.Tensor {
  return tfc.sqrt(tfc.sum(tfc.square(w), axis, true));
}

/** Rescales each slice along `axis` whose norm exceeds maxValue down to maxValue. */
export class MaxNorm extends Constraint {
  readonly className = 'MaxNorm';
  readonly maxValue: number;
  readonly axis: number | number[];
  constructor(args: { maxValue?: number; axis?: number | number[] } = {}) {
    checkOptions('MaxNorm', args, ['maxValue', 'axis']);
    super();
    this.maxValue = args.maxValue ?? 2;
    this.axis = args.axis ?? 0;
    if (!(this.maxValue > 0)) throw new ValueError(`MaxNorm: \`maxValue\` must be positive, got ${args.maxValue}. help: e.g. {maxValue: 2}.`);
  }
  call(w: tfc.Tensor): tfc.Tensor {
    return tfc.tidy(() => {
      const n = norms(w, this.axis);
      return tfc.mul(w, tfc.div(tfc.clipByValue(n, 0, this.maxValue), tfc.add(n, EPSILON)));
    });
  }
  getConfig(): Record<string, unknown> {
    return { maxValue: this.maxValue, axis: this.axis };
  }
}

/** Moves each slice's norm into [minValue, maxValue], by `rate` of the way. */
export class MinMaxNorm extends Constraint {
  readonly className = 'MinMaxNorm';
  readonly minValue: number;
  readonly maxValue: number;
  readonly rate: number;
  readonly axis: number | number[];
  constructor(args: { minValue?: number; maxValue?: number; rate?: number; axis?: number | number[] } = {}) {
    checkOptions('MinMaxNorm', args, ['minValue', 'maxValue', 'rate', 'axis']);
    super();
    this.minValue = args.minValue ?? 0;
    this.maxValue = args.maxValue ?? 1;
    this.rate = args.rate ?? 1;
    this.axis = args.axis ?? 0;
    if (!(this.minValue >= 0 && this.maxValue >= this.minValue)) {
      throw new ValueError(`MinMaxNorm: need 0 <= minValue <= maxValue, got ${this.minValue} and ${this.maxValue}.`);
    }
  }
  call(w: tfc.Tensor): tfc.Tensor {
    return tfc.tidy(() => {
      const n = norms(w, this.axis);
      const desired = tfc.add(tfc.mul(tfc.clipByValue(n, this.minValue, this.maxValue), this.rate), tfc.mul(n, 1 - this.rate));
      return tfc.mul(w, tfc.div(desired, tfc.add(n, EPSILON)));
    });
  }
  getConfig(): Record<string, unknown> {
    return { minValue: this.minValue, maxValue: this.maxValue, rate: this.rate, axis: this.axis };
  }
}

/** Sets negative values to zero. */
export class NonNeg extends Constraint {
  readonly className = 'NonNeg';
  call(w: tfc.Tensor): tfc.Tensor {
    return tfc.relu(w);
  }
  getConfig(): Record<string, unknown> {
    return {};
  }
}

/** Scales each slice along `axis` to unit norm. */
export class UnitNorm extends Constraint {
  readonly className = 'UnitNorm';
  readonly axis: number | number[];
  constructor(args: { axis?: number | number[] } = {}) {
    checkOptions('UnitNorm', args, ['axis']);
    super();
    this.axis = args.axis ?? 0;
  }
  call(w: tfc.Tensor): tfc.Tensor {
    return tfc.tidy(() => tfc.div(w, tfc.add(norms(w, this.axis), EPSILON)));
  }
  getConfig(): Record<string, unknown> {
    return { axis: this.axis };
  }
}

export type ConstraintIdentifier = 'max_norm' | 'min_max_norm' | 'non_neg' | 'unit_norm' | 'maxNorm' | 'minMaxNorm' | 'nonNeg' | 'unitNorm' | Constraint;

const TABLE = new NameTable<(c?: Record<string, unknown>) => Constraint>('constraint', {
  max_norm: (c) => new MaxNorm(c),
  min_max_norm: (c) => new MinMaxNorm(c),
  non_neg: () => new NonNeg(),
  unit_norm: (c) => new UnitNorm(c),
});

type Spec = { className: string; config: Record<string, unknown> };

/** A constraint from a name, an instance, or its serialized form { className, config }. */
export function getConstraint(id: ConstraintIdentifier | Spec | string | undefined | null, context: string): Constraint | undefined {
  if (id === undefined || id === null) return undefined;
  if (id instanceof Constraint) return id;
  if (typeof id === 'object') return deserializeConstraint(id);
  return TABLE.get(id, context)();
}

export function serializeConstraint(c: Constraint | undefined): { className: string; config: Record<string, unknown> } | null {
  return c ? { className: c.className, config: c.getConfig() } : null;
}

export function deserializeConstraint(spec: { className: string; config: Record<string, unknown> } | null | undefined): Constraint | undefined {
  return spec ? TABLE.get(spec.className, 'deserializeConstraint')(spec.config) : undefined;
}
