/**
 * Keras 3's `serialize_keras_object` / `deserialize_keras_object`: any keras-ts object (layer,
 * model, optimizer, loss, metric, initializer, regularizer, constraint, schedule, registered
 * function, tensor) to Keras's JSON dict `{module, class_name, config, registered_name}` and back,
 * through the one registry (saving/registry.ts): a dict can name only classes keras-ts has or the
 * user registered or passes as custom objects, never code (safe mode).
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { Layer } from '../engine/layer';
import { isKerasObject, Json, JsonObject, KerasObject, configFromKeras, objectToKeras, valueToKeras } from './keras_json';
import { builtinRegistered, lookup, registeredNameOf, Kind } from './registry';
import { layerFromConfig, layerToKeras, specFromKeras, withLoadContext } from './serialize_layers';
import { optimizerFromKeras, optimizerToKeras } from './serialize_training';
import { MultiOptimizer } from '../optimizers/multi_optimizer';
import { Optimizer } from '../optimizers/optimizer';
import { getRegisteredObject } from './custom_objects';

interface Configurable {
  className: string;
  getConfig(): Record<string, unknown>;
}

function isConfigurable(x: unknown): x is Configurable {
  return typeof x === 'object' && x !== null && typeof (x as Configurable).getConfig === 'function' && typeof (x as Configurable).className === 'string';
}

/** `obj` as Keras's JSON: objects as `{module, class_name, config, registered_name}`, plain values as they are. Keras: `serialize_keras_object` */
export function serializeKerasObject(obj: unknown): Json {
  if (obj === null || obj === undefined) return null;
  if (typeof obj === 'number' || typeof obj === 'string' || typeof obj === 'boolean') return obj;
  if (Array.isArray(obj)) return obj.map(serializeKerasObject);
  if (obj instanceof tfc.Tensor) {
    return { class_name: '__tensor__', config: { value: obj.arraySync() as Json, dtype: obj.dtype } };
  }
  if (obj instanceof Layer) return layerToKeras(obj, 'keras3') as unknown as Json;
  if (typeof obj === 'function') {
    const registered = registeredNameOf(obj);
    return { module: null, class_name: 'function', config: obj.name, registered_name: registered ?? obj.name };
  }
  if (obj instanceof MultiOptimizer) return optimizerToKeras(obj, 'keras3'); // its map's keys are paths, written as they are
  if (isConfigurable(obj)) {
    const registered = registeredNameOf(obj.constructor);
    const name = registered?.split('>')[1] ?? (builtinRegistered(obj.className) ? obj.className : obj.constructor.name);
    return objectToKeras(name, obj.getConfig(), 'keras3', obj.constructor) as unknown as Json;
  }
  if (typeof obj === 'object') return valueToKeras(Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, serializeKerasObject(v)])), 'keras3');
  throw new ValueError(`serializeKerasObject: cannot serialize a ${typeof obj}. help: pass a keras-ts object, a registered function, a tensor or plain JSON values.`);
}

export interface DeserializeOptions {
  /** Classes and functions the dict may name, beyond the registered ones. Keras: `custom_objects` @default undefined */
  customObjects?: Record<string, unknown>;
}

/** The object a dict of serializeKerasObject (Keras 3's form) or keras-ts's `{className, config}` describes. Keras: `deserialize_keras_object` */
export function deserializeKerasObject(config: unknown, options: DeserializeOptions = {}): unknown {
  const where = 'deserializeKerasObject';
  if (config === null || config === undefined || typeof config !== 'object') return config;
  if (Array.isArray(config)) return config.map((c) => deserializeKerasObject(c, options));
  if (isKerasTsSpec(config)) return fromKerasTsSpec(config, options, where);
  if (!isKerasObject(config)) return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, deserializeKerasObject(v, options)]));
  const obj = config as KerasObject;
  if (obj.class_name === '__tensor__') {
    const { value, dtype } = obj.config as { value: number[]; dtype: tfc.DataType };
    return tfc.tensor(value, undefined, dtype);
  }
  if (obj.class_name === 'function') return functionFrom(obj, options, where);
  const named = getRegisteredObject(obj.registered_name ?? obj.class_name, options.customObjects) ?? getRegisteredObject(obj.class_name, options.customObjects);
  const kind = kindOf(named);
  if (named === undefined || kind === null) {
    lookup(obj.class_name, { where, kind: 'layer', registeredName: obj.registered_name ?? undefined, customObjects: options.customObjects }); // throws, naming the fix
  }
  if (kind === 'layer') {
    const ctx = { where, customObjects: options.customObjects };
    return withLoadContext(ctx, () => layerFromConfig(specFromKeras(obj, ctx), where));
  }
  if (kind === 'optimizer') return optimizerFromKeras(obj, where, options.customObjects);
  const entry = lookup(obj.class_name, { where, kind: kind as Kind, registeredName: obj.registered_name ?? undefined, customObjects: options.customObjects });
  const values = configFromKeras(obj.class_name, obj.config ?? {}, { where: `${where}: ${obj.class_name}` });
  delete values.dtype; // Keras writes the dtype of losses and metrics; keras-ts's compute in float32
  if (kind === 'schedule') delete values.name; // Keras's schedules carry a name; keras-ts's take none
  const cls = entry.cls as { fromConfig?: (c: unknown) => unknown; nullableKeys?: readonly string[] } & (new (c: unknown) => unknown);
  for (const key of cls.nullableKeys ?? []) if ((obj.config as Record<string, unknown> | null)?.[key] === null) values[key] = null; // null meant, not "not set"
  return typeof cls.fromConfig === 'function' ? cls.fromConfig(values) : new cls(values);
}

function isKerasTsSpec(x: object): x is { className: string; config: Record<string, unknown> } {
  const o = x as { className?: unknown; class_name?: unknown; config?: unknown };
  return typeof o.className === 'string' && o.class_name === undefined && typeof o.config === 'object' && o.config !== null;
}

/** keras-ts's `{className, config}` (camelCase config, as layers.getConfig and serializeLoss give it). */
function fromKerasTsSpec(spec: { className: string; config: Record<string, unknown> }, options: DeserializeOptions, where: string): unknown {
  const named = getRegisteredObject(spec.className, options.customObjects);
  const kind = kindOf(named);
  if (named === undefined || kind === null) lookup(spec.className, { where, kind: 'layer', customObjects: options.customObjects }); // throws, naming the fix
  if (kind === 'layer') return withLoadContext({ where, customObjects: options.customObjects }, () => layerFromConfig(spec as never, where));
  const cls = named as { fromConfig?: (c: unknown) => unknown } & (new (c: unknown) => unknown);
  return typeof cls.fromConfig === 'function' ? cls.fromConfig(spec.config) : new cls(spec.config);
}

function kindOf(x: unknown): Kind | null {
  if (typeof x !== 'function' || x.prototype === undefined) return null;
  if (x.prototype instanceof Layer || x === Layer) return 'layer';
  if (x.prototype instanceof Optimizer) return 'optimizer';
  const found = builtinRegistered(x.name);
  if (found !== undefined && found.cls === x) return found.kind;
  // The registry tells a user class's kind from its base class (Loss, Metric, ...); 'function' is no class.
  const kind = lookup(x.name, { where: 'deserializeKerasObject', kind: 'layer', customObjects: { [x.name]: x } }).kind;
  return kind === 'function' ? null : kind;
}

function functionFrom(obj: KerasObject, options: DeserializeOptions, where: string): unknown {
  const name = obj.registered_name ?? obj.config;
  const fn = typeof name === 'string' ? getRegisteredObject(name, options.customObjects) ?? getRegisteredObject(String(obj.config), options.customObjects) : undefined;
  if (typeof fn !== 'function') {
    throw new ValueError(
      `${where}: the function ${JSON.stringify(name)} is not registered; keras-ts never runs code from a file. ` +
        `help: register it first, k.saving.registerKerasSerializable(${typeof obj.config === 'string' ? obj.config : 'myFn'}), or pass {customObjects}.`,
    );
  }
  return fn;
}

export type { JsonObject };
