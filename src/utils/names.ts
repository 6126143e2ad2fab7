/**
 * Resolving string identifiers. Every string a user may pass (optimizer, loss, metric, activation,
 * initializer) accepts the Keras snake_case name, the camelCase name and the usual aliases; this is
 * the one place that decides how.
 */
import { ValueError } from '../engine/errors';

/** 'categorical_crossentropy', 'categoricalCrossentropy', 'CategoricalCrossentropy' -> 'categoricalcrossentropy' */
export function canonicalName(name: string): string {
  return name.replace(/[_\-\s]/g, '').toLowerCase();
}

/**
 * A lookup table keyed by canonical names. `entries` maps each primary (snake_case) name to its
 * value; `aliases` maps extra names to a primary name.
 */
export class NameTable<T> {
  private readonly byCanonical = new Map<string, T>();
  private readonly primary: string[];

  constructor(
    private readonly what: string,
    entries: Record<string, T>,
    private readonly aliases: Record<string, string> = {},
  ) {
    this.primary = Object.keys(entries);
    for (const [name, value] of Object.entries(entries)) this.byCanonical.set(canonicalName(name), value);
    for (const [alias, target] of Object.entries(aliases)) {
      const value = entries[target];
      if (value === undefined) throw new Error(`NameTable(${what}): alias '${alias}' points to unknown '${target}'.`);
      this.byCanonical.set(canonicalName(alias), value);
    }
  }

  has(name: string): boolean {
    return this.byCanonical.has(canonicalName(name));
  }

  /** The value for `name`, or a ValueError that lists every valid name. */
  get(name: string, context: string): T {
    const value = typeof name === 'string' ? this.byCanonical.get(canonicalName(name)) : undefined;
    if (value === undefined) {
      throw new ValueError(`${context}: unknown ${this.what} ${typeof name === 'string' ? `'${name}'` : JSON.stringify(name)}. help: use one of ${this.names().join(', ')}.`);
    }
    return value;
  }

  /** Every accepted primary name followed by its aliases, for messages and docs. */
  names(): string[] {
    return [...this.primary, ...Object.keys(this.aliases)].map((n) => `'${n}'`);
  }
}
