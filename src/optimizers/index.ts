import { NameTable } from '../utils/names';
import { Adam } from './adam';
import { Optimizer } from './optimizer';
import { SGD } from './sgd';

export { Optimizer } from './optimizer';
export type { OptimizerArgs } from './optimizer';
export { SGD } from './sgd';
export type { SGDArgs } from './sgd';
export { Adam } from './adam';
export type { AdamArgs } from './adam';

export type OptimizerName = 'sgd' | 'adam' | 'SGD' | 'Adam';
export type OptimizerIdentifier = OptimizerName | Optimizer;

const TABLE = new NameTable<() => Optimizer>('optimizer', { sgd: () => new SGD(), adam: () => new Adam() });

export function optimizerNames(): string[] {
  return TABLE.names();
}

/** An Optimizer from a name (with Keras's default settings) or an instance. */
export function getOptimizer(id: OptimizerIdentifier | string, context: string): Optimizer {
  if (id instanceof Optimizer) return id;
  return TABLE.get(id, context)();
}
