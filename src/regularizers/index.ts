/**
 * Weight regularizers: a penalty added to the loss, as Keras 3 defines them.
 * l1: l1 · sum(|w|); l2: l2 · sum(w²); l1_l2: both; orthogonal: how far the rows (or columns)
 * of a matrix are from orthogonal (orthogonal.ts).
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { checkOptions } from '../engine/options';
import { NameTable } from '../utils/names';

import { Regularizer } from './regularizer';
import { OrthogonalRegularizer } from './orthogonal';

export { Regularizer } from './regularizer';
export { OrthogonalRegularizer, orthogonalRegularizer } from './orthogonal';
export type { OrthogonalRegularizerArgs } from './orthogonal';

function factor(value: number | undefined, fallback: number, what: string, owner: string): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new ValueError(`${owner}: \`${what}\` must be a non-negative number, got ${String(value)}. help: e.g. {${what}: 0.01}.`);
  }
  return v;
}

export class L1L2 extends Regularizer {
  readonly className: string = 'L1L2';
  readonly l1: number;
  readonly l2: number;
  constructor(args: { l1?: number; l2?: number } = {}, defaults = { l1: 0, l2: 0 }) {
    if (new.target === L1L2) checkOptions('L1L2', args, ['l1', 'l2']);
    super();
    this.l1 = factor(args.l1, defaults.l1, 'l1', 'L1L2');
    this.l2 = factor(args.l2, defaults.l2, 'l2', 'L1L2');
  }
  call(x: tfc.Tensor): tfc.Scalar {
    return tfc.tidy(() => {
      let penalty: tfc.Tensor = tfc.scalar(0);
      if (this.l1) penalty = tfc.add(penalty, tfc.mul(tfc.sum(tfc.abs(x)), this.l1));
      if (this.l2) penalty = tfc.add(penalty, tfc.mul(tfc.sum(tfc.square(x)), this.l2));
      return penalty as tfc.Scalar;
    });
  }
  getConfig(): Record<string, number> {
    return { l1: this.l1, l2: this.l2 };
  }
}

export class L1 extends L1L2 {
  override readonly className = 'L1';
  constructor(args: { l1?: number } = {}) {
    checkOptions('L1', args, ['l1']);
    super({ l1: args.l1 }, { l1: 0.01, l2: 0 });
  }
  override getConfig(): Record<string, number> {
    return { l1: this.l1 };
  }
}

export class L2 extends L1L2 {
  override readonly className = 'L2';
  constructor(args: { l2?: number } = {}) {
    checkOptions('L2', args, ['l2']);
    super({ l2: args.l2 }, { l1: 0, l2: 0.01 });
  }
  override getConfig(): Record<string, number> {
    return { l2: this.l2 };
  }
}

export function l1(l1 = 0.01): L1 {
  return new L1({ l1 });
}
export function l2(l2 = 0.01): L2 {
  return new L2({ l2 });
}
export function l1l2(args: { l1?: number; l2?: number } = {}): L1L2 {
  return new L1L2({ l1: args.l1 ?? 0.01, l2: args.l2 ?? 0.01 });
}

export type RegularizerIdentifier = 'l1' | 'l2' | 'l1_l2' | 'l1l2' | 'orthogonal_regularizer' | Regularizer;

const TABLE = new NameTable<(c?: Record<string, number | string>) => Regularizer>('regularizer', {
  l1: (c) => new L1(c),
  l2: (c) => new L2(c),
  l1_l2: (c) => new L1L2(c ?? { l1: 0.01, l2: 0.01 }),
  orthogonal_regularizer: (c) => new OrthogonalRegularizer(c as { factor?: number; mode?: 'rows' | 'columns' }),
});

type Spec = { className: string; config: Record<string, number | string> };

/** A regularizer from a name, an instance, or its serialized form { className, config }. */
export function getRegularizer(id: RegularizerIdentifier | Spec | string | undefined | null, context: string): Regularizer | undefined {
  if (id === undefined || id === null) return undefined;
  if (id instanceof Regularizer) return id;
  if (typeof id === 'object') return deserializeRegularizer(id);
  return TABLE.get(id, context)();
}

export function serializeRegularizer(r: Regularizer | undefined): { className: string; config: Record<string, number | string> } | null {
  return r ? { className: r.className, config: r.getConfig() } : null;
}

export function deserializeRegularizer(spec: { className: string; config: Record<string, number | string> } | null | undefined): Regularizer | undefined {
  return spec ? TABLE.get(spec.className, 'deserializeRegularizer')(spec.config) : undefined;
}
