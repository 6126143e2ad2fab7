import { NameTable } from '../utils/names';
import {
  binaryCrossentropy, categoricalCrossentropy, CrossentropyOptions, LossFn, meanAbsoluteError, meanSquaredError,
  sparseCategoricalCrossentropy,
} from './functions';
import { Loss, LossArgs } from './loss';

export * from './functions';
export { Loss } from './loss';
export type { LossArgs, Reduction } from './loss';

export type CrossentropyArgs = LossArgs & CrossentropyOptions;

export class CategoricalCrossentropy extends Loss {
  constructor(args: CrossentropyArgs = {}) {
    const opts = { fromLogits: args.fromLogits ?? false };
    super('categorical_crossentropy', (t, p) => categoricalCrossentropy(t, p, opts), args, opts);
  }
}

export class SparseCategoricalCrossentropy extends Loss {
  constructor(args: CrossentropyArgs = {}) {
    const opts = { fromLogits: args.fromLogits ?? false };
    super('sparse_categorical_crossentropy', (t, p) => sparseCategoricalCrossentropy(t, p, opts), args, opts);
  }
}

export class BinaryCrossentropy extends Loss {
  constructor(args: CrossentropyArgs = {}) {
    const opts = { fromLogits: args.fromLogits ?? false };
    super('binary_crossentropy', (t, p) => binaryCrossentropy(t, p, opts), args, opts);
  }
}

export class MeanSquaredError extends Loss {
  constructor(args: LossArgs = {}) {
    super('mean_squared_error', meanSquaredError, args);
  }
}

export class MeanAbsoluteError extends Loss {
  constructor(args: LossArgs = {}) {
    super('mean_absolute_error', meanAbsoluteError, args);
  }
}

/** Keras snake_case names; camelCase names and the aliases below are accepted too. */
export type LossName =
  | 'categorical_crossentropy' | 'sparse_categorical_crossentropy' | 'binary_crossentropy'
  | 'mean_squared_error' | 'mean_absolute_error' | 'mse' | 'mae'
  | 'categoricalCrossentropy' | 'sparseCategoricalCrossentropy' | 'binaryCrossentropy'
  | 'meanSquaredError' | 'meanAbsoluteError';

export type LossIdentifier = LossName | Loss | LossFn;

const TABLE = new NameTable<() => Loss>(
  'loss',
  {
    categorical_crossentropy: () => new CategoricalCrossentropy(),
    sparse_categorical_crossentropy: () => new SparseCategoricalCrossentropy(),
    binary_crossentropy: () => new BinaryCrossentropy(),
    mean_squared_error: () => new MeanSquaredError(),
    mean_absolute_error: () => new MeanAbsoluteError(),
  },
  { mse: 'mean_squared_error', mae: 'mean_absolute_error', crossentropy: 'categorical_crossentropy' },
);

export function lossNames(): string[] {
  return TABLE.names();
}

/** A Loss from a name, a Loss, or a function (yTrue, yPred) -> per-sample loss. */
export function getLoss(id: LossIdentifier | string, context: string): Loss {
  if (id instanceof Loss) return id;
  if (typeof id === 'function') return new Loss(id.name || 'loss', id);
  return TABLE.get(id, context)();
}
