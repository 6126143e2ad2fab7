/**
 * Config keys and nested objects between keras-ts (camelCase, `{className, config}`) and Keras's
 * JSON (snake_case, `{class_name, config}` plus Keras 3's `module` and `registered_name`). The
 * conversion is generic, so a new layer needs no saving code: keys are renamed camelCase <->
 * snake_case, with a small table for the keys whose Keras names differ. Two dialects are written:
 * 'keras3' (the .keras format) and 'keras2' (legacy .h5 and tfjs model.json, which tfjs-layers reads).
 */
import { ValueError } from '../engine/errors';
import { moduleOf, registeredNameOf } from './registry';

export type Dialect = 'keras3' | 'keras2';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** A serialized object as Keras writes it. */
export interface KerasObject {
  module?: string | null;
  class_name: string;
  config: Json;
  registered_name?: string | null;
  [key: string]: Json | undefined;
}

/** Keys whose Keras name is not the plain snake_case of ours, everywhere. */
const KEYS_OUT: Record<string, string> = { beta1: 'beta_1', beta2: 'beta_2', adamBeta1: 'adam_beta_1', adamBeta2: 'adam_beta_2', beta2Decay: 'beta_2_decay', epsilon1: 'epsilon_1', epsilon2: 'epsilon_2' };

/** Keys whose Keras name depends on the class and the dialect. */
const CLASS_KEYS: Record<string, { keras3: Record<string, string>; keras2: Record<string, string>; read: Record<string, string> }> = {
  InputLayer: {
    keras3: { batchShape: 'batch_shape' },
    keras2: { batchShape: 'batch_input_shape' },
    read: { batch_input_shape: 'batchShape', batch_shape: 'batchShape' },
  },
  LeakyReLU: { keras3: { negativeSlope: 'negative_slope' }, keras2: { negativeSlope: 'alpha' }, read: { alpha: 'negativeSlope' } },
};

/**
 * Keys Keras writes for features keras-ts does not have, with the value at which they change
 * nothing: dropped at that value, refused otherwise (unless the class declares the key).
 */
const INERT_KEYS: Record<string, Json> = {
  groups: 1,
  data_format: 'channels_last',
  sparse: false,
  ragged: false,
  autocast: true,
  synchronized: false,
  lora_rank: null,
  lora_alpha: null,
  quantization_config: null,
  renorm: false,
  fused: null,
  virtual_batch_size: null,
  adjustment: null,
};

export function toSnake(key: string): string {
  return KEYS_OUT[key] ?? key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase();
}

export function toCamel(key: string): string {
  return key.replace(/_+([a-zA-Z0-9])/g, (_m, c: string) => c.toUpperCase());
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `{className, config}` as produced by serializeInitializer and friends. */
function isSerialized(v: unknown): v is { className: string; config: Record<string, unknown> } {
  return isPlainObject(v) && typeof v.className === 'string' && isPlainObject(v.config) && Object.keys(v).length === 2;
}

/** A value of a config, to Keras's JSON: nested `{className, config}` objects become Keras objects. */
export function valueToKeras(value: unknown, dialect: Dialect): Json {
  if (value === undefined) return null;
  if (Array.isArray(value)) return value.map((v) => valueToKeras(v, dialect));
  if (isSerialized(value)) return objectToKeras(value.className, value.config, dialect) as unknown as Json;
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [toSnake(k), valueToKeras(v, dialect)]));
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value as Json;
}

/** A config (camelCase) to Keras's snake_case keys, with the class's own key names. */
export function configToKeras(className: string, config: Record<string, unknown>, dialect: Dialect): JsonObject {
  const renames = CLASS_KEYS[className]?.[dialect] ?? {};
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined) continue;
    out[renames[key] ?? toSnake(key)] = valueToKeras(value, dialect);
  }
  return out;
}

/** `{class_name, config}` (with Keras 3's module and registered_name in that dialect). */
export function objectToKeras(className: string, config: Record<string, unknown> | Json, dialect: Dialect, cls?: unknown): KerasObject {
  const keras = isPlainObject(config) ? configToKeras(className, config, dialect) : (config as Json);
  if (dialect === 'keras2') return { class_name: className, config: keras };
  const registered = registeredNameOf(cls);
  return { module: registered ? null : moduleOf(className), class_name: className, config: keras, registered_name: registered ?? null };
}

/**
 * Keras 3 writes a layer's dtype as a DTypePolicy object (tf.keras 2 a Policy object for mixed
 * policies): read as the policy's name, which the layer takes as its dtype (a mixed policy computes
 * in float32 here, and is saved again under its name).
 */
function dtypeFromKeras(value: unknown, where: string): unknown {
  if (!isPlainObject(value)) return value;
  const name = isPlainObject(value.config) ? value.config.name : undefined;
  if (typeof name !== 'string') throw new ValueError(`${where}: unreadable dtype ${JSON.stringify(value).slice(0, 80)}. help: the file is corrupt.`);
  return name;
}

/** A layer's dtype (a policy name) as Keras writes it: a DTypePolicy object (Keras 3), a name or a mixed Policy object (Keras 2). */
export function dtypePolicyToKeras(obj: KerasObject, dialect: Dialect): void {
  const config = obj.config;
  if (!isPlainObject(config) || typeof config.dtype !== 'string') return;
  const name = config.dtype;
  if (dialect === 'keras3') config.dtype = { module: 'keras', class_name: 'DTypePolicy', config: { name }, registered_name: null };
  else if (name.startsWith('mixed_')) config.dtype = { class_name: 'Policy', config: { name } };
}

export interface FromKerasContext {
  /** Where this config is, for messages ("model.h5: layer 'dense_1' (Dense)"). */
  where: string;
  /** The keys the class declares (its optionKeys), if it declares them. */
  knownKeys?: readonly string[];
}

/** A Keras config (snake_case) to keras-ts's camelCase, with Keras-only keys checked and dropped. */
export function configFromKeras(className: string, config: unknown, ctx: FromKerasContext): Record<string, unknown> {
  if (!isPlainObject(config)) throw new ValueError(`${ctx.where}: the config of a ${className} must be an object, got ${JSON.stringify(config)?.slice(0, 80)}. help: the file is corrupt.`);
  const renames = CLASS_KEYS[className]?.read ?? {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === null || value === undefined) continue; // Keras's "not set"
    const camel = renames[key] ?? toCamel(key);
    if (key in INERT_KEYS && !ctx.knownKeys?.includes(camel)) {
      if (JSON.stringify(value) !== JSON.stringify(INERT_KEYS[key])) {
        throw new ValueError(`${ctx.where}: \`${key}\` = ${JSON.stringify(value)} is a Keras feature keras-ts does not have. help: save the model without it (${key} = ${JSON.stringify(INERT_KEYS[key])}).`);
      }
      continue;
    }
    out[camel] = camel === 'dtype' ? dtypeFromKeras(value, ctx.where) : valueFromKeras(value, ctx.where);
  }
  return out;
}

/** Whether `v` looks like a serialized Keras object. */
export function isKerasObject(v: unknown): v is KerasObject {
  return isPlainObject(v) && typeof v.class_name === 'string' && 'config' in v;
}

/** A value from Keras's JSON: nested Keras objects become `{className, config}`; plain dicts get camelCase keys. */
export function valueFromKeras(value: unknown, where: string): unknown {
  if (Array.isArray(value)) return value.map((v) => valueFromKeras(v, where));
  if (isKerasObject(value)) {
    if (value.class_name === 'function' || value.class_name === '__lambda__') return functionName(value, where);
    const className = value.class_name === 'VarianceScaling' ? 'VarianceScaling' : value.class_name;
    const config = configFromKeras(className, value.config ?? {}, { where: `${where} (${className})` });
    if (className === 'VarianceScaling' && (config.distribution === 'normal' || config.distribution === 'truncatedNormal')) config.distribution = 'truncated_normal';
    return { className, config };
  }
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [toCamel(k), valueFromKeras(v, where)]));
  return value;
}

/** Keras 3 writes built-in functions (activations) as {class_name: 'function', config: 'relu'}; code is refused. */
function functionName(value: KerasObject, where: string): string {
  if (value.class_name === '__lambda__' || typeof value.config !== 'string') {
    throw new ValueError(`${where}: the file holds Python code (a lambda); keras-ts never runs code from a file (safe mode). help: use a named, built-in function, or a registered TypeScript class.`);
  }
  return value.config;
}

const ACTIVATION_KEYS = new Set(['activation', 'recurrent_activation']);

/**
 * 'hard_sigmoid' in a file of Keras 1/2, tf.keras 2 or tfjs-layers means clip(0.2x + 0.5, 0, 1);
 * Keras 3 (and keras-ts's 'hard_sigmoid') mean relu6(x + 3) / 6. Reading such a file, the name
 * becomes keras-ts's 'hard_sigmoid_keras2'; writing the Keras 2 dialect, it goes back.
 */
export function renameLegacyActivations(json: Json, direction: 'read' | 'write'): Json {
  const [from, to] = direction === 'read' ? ['hard_sigmoid', 'hard_sigmoid_keras2'] : ['hard_sigmoid_keras2', 'hard_sigmoid'];
  const walk = (v: Json): Json => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => {
      if (!ACTIVATION_KEYS.has(k)) return [k, walk(x as Json)];
      if (direction === 'write' && x === 'hard_sigmoid') {
        throw new ValueError(
          "saving in a Keras 2 format (.h5, tfjs): the model uses Keras 3's 'hard_sigmoid' (relu6(x + 3) / 6), which those formats cannot express " +
            "(their 'hard_sigmoid' is clip(0.2x + 0.5, 0, 1)). help: save as '.keras', or use 'hard_sigmoid_keras2'.",
        );
      }
      return [k, x === from ? to : x];
    }));
  };
  return walk(json);
}

/** Whether a keras_version attribute names Keras 1 or 2 (whose 'hard_sigmoid' is the legacy one). */
export function isLegacyKerasVersion(version: unknown): boolean {
  return typeof version === 'string' && /^[12]\./.test(version);
}
