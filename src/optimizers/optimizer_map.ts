/**
 * OptimizerMap, as Keras 3's (keras/src/optimizers/multi_optimizer.py): which optimizer updates a
 * variable, by its path ('dense/kernel'): an exact key first, then the keys as regular expressions
 * matched against the whole path (more than one match is an error), else the default optimizer.
 * Keys are kept in insertion order; a MultiOptimizer routes through it.
 */
import { ValueError } from '../engine/errors';
import { Optimizer } from './optimizer';

export class OptimizerMap {
  readonly className = 'OptimizerMap';
  readonly defaultOptimizer: Optimizer;
  private readonly map = new Map<string, Optimizer>();

  /** `defaultOptimizer` for unmatched variables; `optimizerMap` path (or regex) -> optimizer. Keras: `OptimizerMap(default_optimizer, optimizer_map)` */
  constructor(defaultOptimizer: Optimizer, optimizerMap: Record<string, Optimizer> = {}) {
    if (!(defaultOptimizer instanceof Optimizer)) {
      throw new ValueError(`OptimizerMap: \`defaultOptimizer\` must be an optimizer, got ${describe(defaultOptimizer)}. help: new k.optimizers.OptimizerMap(new k.optimizers.SGD(), {'encoder/.*': new k.optimizers.Adam()}).`);
    }
    checkInner(defaultOptimizer, 'defaultOptimizer');
    if (typeof optimizerMap !== 'object' || optimizerMap === null || Array.isArray(optimizerMap)) {
      throw new ValueError(`OptimizerMap: \`optimizerMap\` must be a record of path -> optimizer, got ${describe(optimizerMap)}. help: {'dense/kernel': new k.optimizers.Adam()}.`);
    }
    this.defaultOptimizer = defaultOptimizer;
    for (const [key, opt] of Object.entries(optimizerMap)) this.set(key, opt);
  }

  /** The optimizer of the variable at `path`: exact key, else the one regex that matches it whole, else the default. */
  get(path: string): Optimizer {
    const exact = this.map.get(path);
    if (exact !== undefined) return exact;
    const matching = [...this.map.keys()].filter((pattern) => fullMatch(pattern, path));
    if (matching.length > 1) {
      throw new ValueError(`OptimizerMap: the variable '${path}' matches several keys (${matching.join(', ')}). help: make the patterns exclusive, or add the exact path '${path}' as a key.`);
    }
    return matching.length === 1 ? (this.map.get(matching[0]) as Optimizer) : this.defaultOptimizer;
  }

  /** Routes the variables at `key` (a path or a regex) to `optimizer`; a key can be set once. */
  set(key: string, optimizer: Optimizer): this {
    if (typeof key !== 'string') throw new ValueError(`OptimizerMap: a key must be a string (a variable path or a regex), got ${describe(key)}. help: e.g. 'encoder/.*'.`);
    if (this.map.has(key)) throw new ValueError(`OptimizerMap: '${key}' is already mapped to ${this.map.get(key)?.name}. help: use each key once (delete it first to replace it).`);
    if (!(optimizer instanceof Optimizer)) throw new ValueError(`OptimizerMap: the value for '${key}' must be an optimizer, got ${describe(optimizer)}. help: map it to e.g. new k.optimizers.Adam().`);
    checkInner(optimizer, `the value for '${key}'`);
    this.map.set(key, optimizer);
    return this;
  }

  delete(key: string): boolean {
    return this.map.delete(key);
  }
  get size(): number {
    return this.map.size;
  }
  keys(): string[] {
    return [...this.map.keys()];
  }
  /** The mapped optimizers, in key order (the default is not among them). */
  values(): Optimizer[] {
    return [...this.map.values()];
  }

  /** `{defaultOptimizer, optimizerMap}`, each optimizer as `{className, config}`. */
  getConfig(): Record<string, unknown> {
    const spec = (o: Optimizer): Record<string, unknown> => ({ className: o.className, config: o.getConfig() });
    return { defaultOptimizer: spec(this.defaultOptimizer), optimizerMap: Object.fromEntries([...this.map].map(([key, o]) => [key, spec(o)])) };
  }
}

/** Keras refuses a LossScaleOptimizer or a MultiOptimizer inside a MultiOptimizer. */
export function checkInner(opt: Optimizer, what: string): void {
  if (opt.className === 'LossScaleOptimizer' || opt.className === 'MultiOptimizer') {
    throw new ValueError(`OptimizerMap: ${what} is a ${opt.className}, which cannot be inside a MultiOptimizer. help: map plain optimizers, and give the MultiOptimizer a lossScaleFactor instead.`);
  }
}

function fullMatch(pattern: string, path: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`).test(path);
  } catch {
    return false; // not a regex: only its exact path matches
  }
}

function describe(x: unknown): string {
  if (x === null || x === undefined) return String(x);
  return typeof x === 'object' ? (x.constructor?.name ?? 'an object') : JSON.stringify(x) ?? typeof x;
}
