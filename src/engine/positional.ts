/**
 * Keras's positional first arguments, for every layer, in one place:
 *
 *   new Dense(10, {activation: 'relu'})  is  new Dense({units: 10, activation: 'relu'})
 *   new Conv2D(32, 3, {strides: 2})      is  new Conv2D({filters: 32, kernelSize: 3, strides: 2})
 *
 * A layer lists, as `static positional`, the options Keras 3's `__init__` takes first: its required
 * parameters in order (Dense: units; Conv2D: filters, kernel_size; Embedding: input_dim,
 * output_dim), or, where every parameter has a default, the first one (MaxPooling2D: pool_size;
 * Masking: mask_value), but never a data_format or a boolean flag. Its constructor overloads type
 * both forms and its body starts with `const args = layerArgs<DenseArgs>(new.target, given)`.
 * One plain object alone is the options, so `fromConfig`'s `new this(config)` is unchanged. The
 * values are only placed under their option names: the layer checks them as it checks options.
 */
import { ValueError } from './errors';

/** A layer class as this file reads it: its name and the options Keras takes positionally. */
export interface PositionalClass {
  readonly name: string;
  readonly positional: readonly string[];
}

/**
 * The options object for `new ctor(...given)`: leading values placed under `ctor.positional`'s names,
 * merged with a trailing options object. Refuses more values than names, a name given both ways,
 * and anything after the options object, naming the layer and its signature.
 */
export function layerArgs<A>(ctor: PositionalClass, given: readonly unknown[]): A {
  const args = trimUndefined(given);
  if (args.length === 0) return undefined as A;
  if (args.length === 1 && isOptionsObject(args[0])) return args[0] as A;
  const at = args.findIndex(isOptionsObject);
  const values = at === -1 ? args : args.slice(0, at);
  const options = at === -1 ? {} : (args[at] as Record<string, unknown>);
  if (at !== -1 && at < args.length - 1) {
    throw new ValueError(
      `${ctor.name}: the options object must come last, got ${describeAll(args.slice(at + 1))} after it. help: ${usage(ctor)}.`,
    );
  }
  refuseExtra(ctor, values);
  const placed: Record<string, unknown> = {};
  values.forEach((v, i) => {
    if (v === undefined) return;
    const key = ctor.positional[i];
    if (key in options) {
      throw new ValueError(
        `${ctor.name}: \`${key}\` is given twice, ${describe(v)} as an argument and ${describe(options[key])} in the options. ` +
          `help: give it once: ${usage(ctor)}.`,
      );
    }
    placed[key] = v;
  });
  return { ...placed, ...options } as A;
}

/** Refuses `given` (what a layer without positional arguments got instead of an options object) unless it is options. */
export function refuseNonOptions(ctor: PositionalClass, given: unknown): void {
  if (given === undefined || isOptionsObject(given)) return;
  refuseExtra(ctor, [given]);
  throw new ValueError(`${ctor.name}: options must be an object, got ${describe(given)}. help: ${usage(ctor)}.`);
}

/** Whether `v` is an options object: a plain object, not an array, a tensor, a layer or a function. */
export function isOptionsObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as { constructor?: { name?: string } } | null;
  return proto === null || proto === Object.prototype || proto.constructor?.name === 'Object';
}

function refuseExtra(ctor: PositionalClass, values: readonly unknown[]): void {
  const names = ctor.positional;
  if (values.length <= names.length) return;
  const takes = names.length === 0 ? 'takes no arguments before its options' : `takes at most ${names.length} argument${names.length > 1 ? 's' : ''} (${names.join(', ')}) before its options`;
  throw new ValueError(`${ctor.name}: ${takes}, got ${values.length}: ${describeAll(values)}. help: ${usage(ctor)}.`);
}

/** `new Dense(units, options?) or new Dense({units, ...options})`. */
function usage(ctor: PositionalClass): string {
  const names = ctor.positional;
  if (names.length === 0) return `pass the options object: new ${ctor.name}({...options})`;
  return `write new ${ctor.name}(${names.join(', ')}, options?) or new ${ctor.name}({${names.join(', ')}, ...options})`;
}

function describeAll(values: readonly unknown[]): string {
  return values.map(describe).join(', ');
}

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'function') return `a function${v.name ? ` (${v.name})` : ''}`;
  if (Array.isArray(v)) return `[${v.map(describe).join(', ')}]`;
  if (typeof v === 'object' && v !== null) return isOptionsObject(v) ? 'an options object' : `a ${v.constructor?.name ?? 'object'}`;
  return String(v);
}

function trimUndefined(given: readonly unknown[]): readonly unknown[] {
  let end = given.length;
  while (end > 0 && given[end - 1] === undefined) end--;
  return given.slice(0, end);
}
