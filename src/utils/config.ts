/**
 * Keras's `keras.utils.Config`: a dict-like container of named values, read and written as
 * properties (`config.learningRate = 0.1`) or by `get`/`set`, that can be frozen against changes
 * and written as JSON. Unknown names read as an error that suggests the closest known name.
 */
import { ValueError } from '../engine/errors';

const OWN = new Set(['frozen', 'freeze', 'unfreeze', 'asDict', 'toJson', 'keys', 'values', 'items', 'pop', 'update', 'get', 'set', 'has', 'constructor']);

export class Config {
  [name: string]: unknown;
  private readonly values_: Record<string, unknown>;
  private frozen_ = false;

  constructor(values: Record<string, unknown> = {}) {
    this.values_ = { ...values };
    return new Proxy(this, {
      get: (target, prop, receiver) => {
        if (typeof prop !== 'string' || OWN.has(prop) || prop in target) return Reflect.get(target, prop, receiver);
        if (prop in target.values_) return target.values_[prop];
        if (prop === 'then' || prop === 'toJSON') return undefined; // not a promise; JSON.stringify uses toJson's form below
        throw new ValueError(`Config: unknown attribute '${prop}'.${closest(prop, Object.keys(target.values_))} help: set it first, config.${prop} = value.`);
      },
      set: (target, prop, value) => {
        if (typeof prop !== 'string' || prop in target) return Reflect.set(target, prop, value);
        target.set(prop, value);
        return true;
      },
      has: (target, prop) => (typeof prop === 'string' && prop in target.values_) || prop in target,
    });
  }

  /** Whether changes are refused. Keras: `frozen` */
  get frozen(): boolean {
    return this.frozen_;
  }
  freeze(): void {
    this.frozen_ = true;
  }
  unfreeze(): void {
    this.frozen_ = false;
  }
  get(name: string, fallback?: unknown): unknown {
    return name in this.values_ ? this.values_[name] : fallback;
  }
  set(name: string, value: unknown): void {
    this.checkNotFrozen(name);
    this.values_[name] = value;
  }
  pop(name: string, fallback?: unknown): unknown {
    this.checkNotFrozen(name);
    const value = this.get(name, fallback);
    delete this.values_[name];
    return value;
  }
  update(values: Record<string, unknown>): void {
    this.checkNotFrozen(Object.keys(values).join(', '));
    Object.assign(this.values_, values);
  }
  keys(): string[] {
    return Object.keys(this.values_);
  }
  values(): unknown[] {
    return Object.values(this.values_);
  }
  items(): Array<[string, unknown]> {
    return Object.entries(this.values_);
  }
  /** A shallow copy as a plain object. Keras: `as_dict` */
  asDict(): Record<string, unknown> {
    return { ...this.values_ };
  }
  /** Keras: `to_json` */
  toJson(): string {
    return JSON.stringify(this.values_);
  }

  private checkNotFrozen(what: string): void {
    if (this.frozen_) throw new ValueError(`Config: cannot change '${what}' because the config is frozen. help: call config.unfreeze() first.`);
  }
}

function closest(name: string, known: string[]): string {
  const lower = name.toLowerCase();
  const hit = known.find((k) => k.toLowerCase() === lower) ?? known.find((k) => k.toLowerCase().startsWith(lower.slice(0, 3)));
  return hit === undefined ? '' : ` Did you mean '${hit}'?`;
}
