/**
 * Checking the keys of an options object. In plain JavaScript a misspelt option (`batch_size`,
 * `validation_split`, `learningrate`) would otherwise be ignored without a word; every options
 * object in keras-ts is checked here, once, and an unknown key is refused with the valid names and
 * the one the user most likely meant.
 */
import { ValueError } from './errors';

/**
 * The keys of an options interface, checked by the compiler against it: a key the interface lacks
 * is a type error, and so is a key of the interface missing from the list.
 *
 *   const FIT_KEYS = optionKeys<FitArgs>()('batchSize', 'epochs', ...);
 */
export function optionKeys<T>() {
  return <const K extends ReadonlyArray<keyof T & string>>(
    ...keys: K & (Exclude<keyof T & string, K[number]> extends never ? unknown : { missing: Exclude<keyof T & string, K[number]> })
  ): K => keys;
}

/**
 * Checks `args` against the keys listed in the static `optionKeys` of the class being constructed
 * (`new.target`). A subclass that lists none of its own (a user's layer that takes options of its
 * own) is not checked.
 */
export function checkClassOptions(ctor: abstract new (...args: never[]) => unknown, where: string, args: unknown): void {
  if (!Object.prototype.hasOwnProperty.call(ctor, 'optionKeys')) return;
  checkOptions(where, args, (ctor as unknown as { optionKeys: readonly string[] }).optionKeys);
}

/**
 * Refuses `given` unless it is undefined or a plain object whose keys are all in `allowed`.
 * `where` names the object in the message ("fit", "Dense 'dense_1'").
 */
export function checkOptions(where: string, given: unknown, allowed: readonly string[]): void {
  if (given === undefined) return;
  if (given === null || typeof given !== 'object' || Array.isArray(given)) {
    throw new ValueError(`${where}: options must be an object, got ${describe(given)}. help: pass e.g. {${allowed[0] ?? ''}: ...}.`);
  }
  const unknown = Object.keys(given).filter((k) => !allowed.includes(k));
  if (unknown.length === 0) return;
  const key = unknown[0];
  const guess = didYouMean(key, allowed);
  throw new ValueError(
    `${where}: unknown option '${key}'${unknown.length > 1 ? ` (and ${unknown.slice(1).map((k) => `'${k}'`).join(', ')})` : ''}.` +
      (guess ? ` Did you mean '${guess}'?` : '') +
      ` help: the options are ${[...allowed].sort().join(', ')}.`,
  );
}

/** The allowed name closest to `key`: its camelCase form, a case-insensitive match, a prefix either way, or one within a small edit distance. */
export function didYouMean(key: string, allowed: readonly string[]): string | undefined {
  const camel = key.replace(/[_-]+([a-zA-Z0-9])/g, (_m, c: string) => c.toUpperCase());
  if (allowed.includes(camel)) return camel;
  const plain = (s: string): string => s.replace(/[_-]/g, '').toLowerCase();
  const same = allowed.find((a) => plain(a) === plain(key));
  if (same !== undefined) return same;
  const prefix = allowed.find((a) => Math.min(a.length, key.length) >= 3 && (plain(key).startsWith(plain(a)) || plain(a).startsWith(plain(key))));
  if (prefix !== undefined) return prefix;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const a of allowed) {
    const d = editDistance(plain(key), plain(a));
    if (d < bestDistance) [best, bestDistance] = [a, d];
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(key.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  return typeof x === 'string' ? `the string ${JSON.stringify(x)}` : typeof x;
}
