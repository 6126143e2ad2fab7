/**
 * The registry: the class a saved file may name (`class_name`, or Keras 3's `registered_name`
 * 'package>Name') -> the class that rebuilds it. Built from what the framework exports, so a new
 * layer registers itself by being exported from src/layers/index.ts; users add their own classes
 * with `registerKerasSerializable`. Nothing else is ever looked up: a file cannot make keras-ts run
 * code it does not already have (Keras 3's safe mode, always on).
 */
import { ValueError } from '../engine/errors';
import { Layer } from '../engine/layer';
import * as layers from '../layers';
import * as optimizers from '../optimizers';
import * as losses from '../losses';
import * as metrics from '../metrics';
import * as initializers from '../initializers';
import * as regularizers from '../regularizers';
import * as constraints from '../constraints';
import * as schedules from '../optimizers/schedules';
import { Model } from '../models/model';
import { Sequential } from '../models/sequential';
import type { SerializableClass } from './options';

export type Kind = 'layer' | 'optimizer' | 'loss' | 'metric' | 'initializer' | 'regularizer' | 'constraint' | 'schedule' | 'function';

export interface Registered {
  kind: Kind;
  /** The name files use for it: the class name, or 'package>Name' for a user's class. */
  registeredName: string;
  /** The Keras 3 module it is written with ('keras.layers', ...); null for a user's class. */
  module: string | null;
  cls: SerializableClass | ((...args: never[]) => unknown);
}

const BASES: Array<[Kind, string, abstract new (...args: never[]) => unknown]> = [
  ['layer', 'keras.layers', Layer],
  ['optimizer', 'keras.optimizers', optimizers.Optimizer],
  ['loss', 'keras.losses', losses.Loss],
  ['metric', 'keras.metrics', metrics.Metric],
  ['initializer', 'keras.initializers', initializers.Initializer],
  ['regularizer', 'keras.regularizers', regularizers.Regularizer],
  ['constraint', 'keras.constraints', constraints.Constraint],
  ['schedule', 'keras.optimizers.schedules', schedules.LearningRateSchedule],
];

function kindOf(cls: unknown): [Kind, string] | null {
  if (typeof cls !== 'function' || cls.prototype === undefined) return null;
  for (const [kind, module, base] of BASES) if (cls.prototype instanceof base) return [kind, module];
  return null;
}

/** The framework's own classes, by exported name. */
function builtins(): Map<string, Registered> {
  const table = new Map<string, Registered>();
  const add = (name: string, cls: unknown): void => {
    const found = kindOf(cls);
    if (found === null || table.has(name)) return;
    table.set(name, { kind: found[0], registeredName: name, module: found[1], cls: cls as SerializableClass });
  };
  for (const source of [layers, optimizers, losses, metrics, initializers, regularizers, constraints, schedules]) {
    for (const [name, value] of Object.entries(source)) add(name, value);
  }
  table.set('Functional', { kind: 'layer', registeredName: 'Functional', module: 'keras', cls: Model as unknown as SerializableClass });
  table.set('Model', { kind: 'layer', registeredName: 'Model', module: 'keras', cls: Model as unknown as SerializableClass });
  table.set('Sequential', { kind: 'layer', registeredName: 'Sequential', module: 'keras', cls: Sequential as unknown as SerializableClass });
  return table;
}

let builtin: Map<string, Registered> | null = null;
const user = new Map<string, Registered>();
/** Keras's global custom objects (k.saving.getCustomObjects(), editable) and the open CustomObjectScopes, innermost last. */
export const globalCustomObjects: Record<string, unknown> = {};
export const customObjectScopes: Array<Record<string, unknown>> = [];

/** The custom objects every lookup sees besides its own: the global ones, then the open scopes (inner ones win). */
function ambientCustomObjects(): Record<string, unknown> {
  return Object.assign({}, globalCustomObjects, ...customObjectScopes) as Record<string, unknown>;
}

/** A class or function registered under `name` ('package>Name' or its bare name), or undefined. */
export function userRegistered(name: string): Registered | undefined {
  return user.get(name);
}

/** A built-in class by its exported name ('Dense', 'Adam'), or undefined. */
export function builtinRegistered(name: string): Registered | undefined {
  builtin ??= builtins();
  return builtin.get(name);
}
const userNames = new WeakMap<object, string>();

export interface RegisterOptions {
  /** The package part of the registered name (`package>name`). Keras: `package` @default 'Custom' */
  package?: string;
  /** The name files use. Keras: `name` @default the class (or function) name */
  name?: string;
}

type Registrable = SerializableClass | ((...args: never[]) => unknown);

/**
 * Registers a user class (a layer, loss, metric, optimizer, initializer, regularizer, constraint
 * or schedule) or a function (a loss or metric) under 'package>name', so saved models that use it
 * load again. Use it as a call, `registerKerasSerializable(MyLayer)`, or as a class decorator,
 * `@registerKerasSerializable({package: 'my_pkg'})`.
 */
export function registerKerasSerializable<T extends Registrable>(target: T, options?: RegisterOptions): T;
export function registerKerasSerializable(options?: RegisterOptions): <T extends Registrable>(target: T, context?: unknown) => T;
export function registerKerasSerializable<T extends Registrable>(
  targetOrOptions?: T | RegisterOptions,
  maybeOptions: RegisterOptions = {},
): T | (<U extends Registrable>(target: U, context?: unknown) => U) {
  if (typeof targetOrOptions !== 'function') {
    const options = targetOrOptions ?? {};
    return <U extends Registrable>(target: U) => registerKerasSerializable(target, options);
  }
  const target = targetOrOptions;
  const pkg = maybeOptions.package ?? 'Custom';
  const name = maybeOptions.name ?? target.name;
  if (typeof name !== 'string' || name === '' || name.includes('>') || pkg.includes('>')) {
    throw new ValueError(`registerKerasSerializable: give a name without '>' (got package ${JSON.stringify(pkg)}, name ${JSON.stringify(name)}). help: e.g. registerKerasSerializable(MyLayer, {package: 'my_pkg'}).`);
  }
  const kind: Kind = kindOf(target)?.[0] ?? 'function';
  if (kind === 'function' && /^class\b/.test(Function.prototype.toString.call(target))) {
    throw new ValueError(`registerKerasSerializable: ${name} is not a Layer, Loss, Metric, Optimizer, Initializer, Regularizer, Constraint or schedule class. help: extend one of those, or register a loss/metric function.`);
  }
  const registeredName = `${pkg}>${name}`;
  const entry: Registered = { kind, registeredName, module: null, cls: target };
  user.set(registeredName, entry);
  user.set(name, entry);
  userNames.set(target, registeredName);
  return target;
}

/** 'package>Name' for a registered user class, or undefined for the framework's own. */
export function registeredNameOf(cls: unknown): string | undefined {
  return typeof cls === 'function' ? userNames.get(cls) : undefined;
}

/** The Keras 3 module of a built-in class name, or null. */
export function moduleOf(className: string): string | null {
  builtin ??= builtins();
  return builtin.get(className)?.module ?? null;
}

export interface LookupOptions {
  /** Where the name was found, for messages (the file, the layer). */
  where: string;
  kind: Kind;
  /** Keras 3's registered_name, tried first. */
  registeredName?: string | null;
  customObjects?: Record<string, unknown>;
}

/** Names Keras uses for code a file would run: refused always. */
const CODE_CLASSES = new Set(['Lambda', '__lambda__', 'TFOpLambda', 'SlicingOpLambda']);

/** The class for `className`, or a ValueError that says how to register it. */
export function lookup(className: unknown, opts: LookupOptions): Registered {
  builtin ??= builtins();
  if (typeof className !== 'string' || className === '') {
    throw new ValueError(`${opts.where}: expected a class name, got ${JSON.stringify(className)?.slice(0, 80)}. help: the file is corrupt.`);
  }
  if (CODE_CLASSES.has(className)) {
    throw new ValueError(
      `${opts.where}: the file holds a ${className} layer, whose computation is Python code stored in the file; keras-ts never runs code from a file (safe mode). ` +
        'help: write the layer as a TypeScript Layer class, register it with k.utils.registerKerasSerializable(MyLayer), and name it in the model in place of the Lambda.',
    );
  }
  const given = { ...ambientCustomObjects(), ...(opts.customObjects ?? {}) };
  const custom = given[className] ?? (opts.registeredName ? given[opts.registeredName] : undefined);
  if (custom !== undefined) {
    return { kind: kindOf(custom)?.[0] ?? 'function', registeredName: className, module: null, cls: custom as SerializableClass };
  }
  const found = (opts.registeredName ? user.get(opts.registeredName) : undefined) ?? user.get(className) ?? builtin.get(className);
  if (found !== undefined && (found.kind === opts.kind || (found.kind === 'function' && (opts.kind === 'loss' || opts.kind === 'metric')))) return found;
  const what = opts.registeredName && opts.registeredName !== className ? `'${className}' (registered as '${opts.registeredName}')` : `'${className}'`;
  const [pkg, name] = opts.registeredName?.includes('>') ? opts.registeredName.split('>') : ['Custom', className];
  const known = [...builtin.values()].filter((e) => e.kind === opts.kind).map((e) => e.registeredName);
  throw new ValueError(
    `${opts.where}: unknown ${opts.kind} class ${what}. keras-ts builds only classes it knows, and never runs code from a file. ` +
      `help: if it is your own class, register it before loading: k.utils.registerKerasSerializable(${name}, {package: '${pkg}'}); ` +
      `the ${opts.kind} classes keras-ts has are ${known.slice(0, 60).join(', ')}${known.length > 60 ? ', ...' : ''}.`,
  );
}
