/**
 * What compile was given, to Keras's JSON and back: Keras 3's `compile_config` (optimizer object,
 * loss, metrics, loss_weights) and Keras 2's `training_config` (`optimizer_config`, ...). Losses and
 * metrics are written by their Keras names; user functions and classes by their registered names.
 */
import { ValueError } from '../engine/errors';
import * as losses from '../losses';
import { Loss } from '../losses';
import * as metrics from '../metrics';
import { Metric } from '../metrics';
import type { CompileArgs } from '../models/compile_config';
import type { Optimizer } from '../optimizers';
import { LearningRateSchedule } from '../optimizers/schedules';
import { MultiOptimizer } from '../optimizers/multi_optimizer';
import { OptimizerMap } from '../optimizers/optimizer_map';
import { configFromKeras, Dialect, isKerasObject, Json, JsonObject, objectToKeras, valueFromKeras } from './keras_json';
import { lookup, registeredNameOf } from './registry';
import { getLogger } from '../utils/logger';

/** Loss class names by the snake_case name their instances carry ('categorical_crossentropy' -> 'CategoricalCrossentropy'). */
let lossClassNames: Map<string, string> | null = null;

function lossClassName(loss: Loss): string {
  if (lossClassNames === null) {
    lossClassNames = new Map();
    for (const [name, cls] of Object.entries(losses)) {
      if (typeof cls === 'function' && cls.prototype instanceof Loss) lossClassNames.set(new (cls as new () => Loss)().className, name);
    }
  }
  return lossClassNames.get(loss.className) ?? loss.className;
}

function lossToKeras(loss: unknown, dialect: Dialect): Json {
  if (typeof loss === 'string') return loss;
  if (loss instanceof Loss) {
    const registered = registeredNameOf(loss.constructor);
    return objectToKeras(registered?.split('>')[1] ?? lossClassName(loss), loss.getConfig(), dialect, loss.constructor) as unknown as Json;
  }
  if (typeof loss === 'function') return functionToKeras(loss as (...a: never[]) => unknown, 'loss', dialect);
  return perOutput(loss, (v) => lossToKeras(v, dialect));
}

function functionToKeras(fn: (...a: never[]) => unknown, what: string, dialect: Dialect): Json {
  const registered = registeredNameOf(fn);
  if (registered === undefined) {
    getLogger().warn(
      `save: the ${what} function '${fn.name}' is not registered, so a loaded model cannot find it. help: k.utils.registerKerasSerializable(${fn.name || 'myFn'}) before saving and loading.\n`,
    );
  }
  if (dialect === 'keras2') return fn.name;
  return { module: null, class_name: 'function', config: fn.name, registered_name: registered ?? null };
}

/** The exported name of a keras-ts metric class ('MeanIoU'), or undefined for a user's class. */
function metricClassName(cls: unknown): string | undefined {
  return Object.entries(metrics).find(([, v]) => v === cls)?.[0];
}

/**
 * A metric's name when the name alone rebuilds it (as compile strings do: 'accuracy', 'f1_score'),
 * else, in Keras 3 files, its class and config (MeanIoU({numClasses: 3}), F1Score({average: 'macro'})).
 */
function metricInstanceToKeras(metric: Metric, dialect: Dialect): Json {
  const className = metricClassName(metric.constructor);
  if (dialect === 'keras2' || className === undefined) return metric.name;
  let byName: Metric | undefined;
  try {
    byName = metrics.getMetric(metric.name, 'save');
  } catch {
    byName = undefined;
  }
  const same = byName !== undefined && byName.constructor === metric.constructor && JSON.stringify(byName.getConfig()) === JSON.stringify(metric.getConfig());
  byName?.dispose();
  return same ? metric.name : (objectToKeras(className, metric.getConfig(), dialect, metric.constructor) as unknown as Json);
}

function metricToKeras(metric: unknown, dialect: Dialect): Json {
  if (typeof metric === 'string') return metric;
  if (metric instanceof Metric) return metricInstanceToKeras(metric, dialect);
  if (typeof metric === 'function') return functionToKeras(metric as (...a: never[]) => unknown, 'metric', dialect);
  return perOutput(metric, (v) => metricToKeras(v, dialect));
}

function perOutput(value: unknown, convert: (v: unknown) => Json): Json {
  if (Array.isArray(value)) return value.map(convert);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(v)]));
  return null;
}

export function optimizerToKeras(optimizer: Optimizer, dialect: Dialect): Json {
  if (optimizer instanceof MultiOptimizer) return multiOptimizerToKeras(optimizer, dialect);
  return objectToKeras(optimizer.className, optimizer.getConfig(), dialect, optimizer.constructor) as unknown as Json;
}

/** Keras 3's compile_config, or Keras 2's training_config. */
export function compileToKeras(args: CompileArgs, optimizer: Optimizer, dialect: Dialect): JsonObject {
  const loss = lossToKeras(args.loss, dialect);
  const metrics = args.metrics === undefined ? null : metricToKeras(args.metrics, dialect);
  const lossWeights = (args.lossWeights ?? null) as Json;
  if (dialect === 'keras2') {
    return { optimizer_config: optimizerToKeras(optimizer, dialect), loss, metrics, weighted_metrics: null, loss_weights: lossWeights, sample_weight_mode: null };
  }
  return {
    optimizer: optimizerToKeras(optimizer, dialect), loss, loss_weights: lossWeights, metrics, weighted_metrics: null,
    run_eagerly: false, steps_per_execution: 1, jit_compile: false,
  };
}

/** Optimizer keys of Keras features keras-ts does not have, dropped when they change nothing. */
const OPTIMIZER_INERT: Record<string, Json> = {
  is_legacy_optimizer: false, jit_compile: null, schedule_decay: null,
};

/** An optimizer from Keras's JSON (also Keras 2's `lr` and `decay`). */
export function optimizerFromKeras(obj: unknown, where: string, customObjects?: Record<string, unknown>): Optimizer {
  if (!isKerasObject(obj) || typeof obj.config !== 'object' || obj.config === null || Array.isArray(obj.config)) {
    throw new ValueError(`${where}: the optimizer must be {class_name, config}, got ${JSON.stringify(obj)?.slice(0, 80)}. help: the file is corrupt.`);
  }
  const raw = { ...(obj.config as JsonObject) };
  if (raw.lr !== undefined && raw.learning_rate === undefined) raw.learning_rate = raw.lr;
  delete raw.lr;
  const decay = raw.decay;
  delete raw.decay;
  for (const [key, inert] of Object.entries(OPTIMIZER_INERT)) {
    if (!(key in raw)) continue;
    if (raw[key] === null || JSON.stringify(raw[key]) === JSON.stringify(inert)) delete raw[key];
    else throw new ValueError(`${where}: the optimizer's \`${key}\` = ${JSON.stringify(raw[key])} is a Keras feature keras-ts does not have. help: load with {compile: false} and compile again.`);
  }
  const entry = lookup(obj.class_name, { where: `${where}: optimizer`, kind: 'optimizer', registeredName: obj.registered_name ?? undefined, customObjects });
  if (obj.class_name === 'MultiOptimizer') return multiOptimizerFromKeras(raw, where, customObjects);
  const inner = raw.inner_optimizer; // LossScaleOptimizer's, an optimizer of its own
  delete raw.inner_optimizer;
  const config = configFromKeras(obj.class_name, raw, { where: `${where}: optimizer ${obj.class_name}` });
  if (inner !== undefined && inner !== null) config.innerOptimizer = optimizerFromKeras(inner, `${where}: inner optimizer`, customObjects);
  delete config.name;
  const lr = config.learningRate as unknown;
  if (typeof lr === 'object' && lr !== null) {
    const spec = lr as { className: string; config: Record<string, unknown> };
    const schedule = lookup(spec.className, { where: `${where}: learning-rate schedule`, kind: 'schedule', customObjects });
    config.learningRate = new (schedule.cls as unknown as new (c: unknown) => LearningRateSchedule)(spec.config);
  } else if (typeof decay === 'number' && decay > 0 && typeof lr === 'number') {
    // Keras 2's `decay`: lr / (1 + decay · iterations), which is InverseTimeDecay with one-step periods.
    const schedules = lookup('InverseTimeDecay', { where, kind: 'schedule' }).cls as unknown as new (c: unknown) => LearningRateSchedule;
    config.learningRate = new schedules({ initialLearningRate: lr, decaySteps: 1, decayRate: decay });
  }
  try {
    return new (entry.cls as unknown as new (c: unknown) => Optimizer)(config);
  } catch (e) {
    if (e instanceof Error) e.message = `${where}: optimizer ${obj.class_name}: ${e.message}`;
    throw e;
  }
}

/** A loss or metric as compile takes it: a name, a registered function, or a Loss instance. */
function identifierFromKeras(value: unknown, kind: 'loss' | 'metric', where: string, customObjects?: Record<string, unknown>): unknown {
  if (typeof value === 'string' || value === null || value === undefined) return value ?? undefined;
  if (isKerasObject(value)) {
    if (value.class_name === 'function') {
      const name = value.config;
      if (typeof value.registered_name === 'string' && value.registered_name !== 'function' && typeof name === 'string') {
        return lookup(name, { where: `${where}: ${kind}`, kind, registeredName: value.registered_name, customObjects }).cls;
      }
      return valueFromKeras(value, where);
    }
    if (kind === 'metric') {
      const rebuilt = metricFromKeras(value.class_name, value.config, where);
      if (rebuilt !== undefined) return rebuilt;
      const name = (value.config as { name?: unknown } | null)?.name;
      return typeof name === 'string' ? name : value.class_name;
    }
    const entry = lookup(value.class_name, { where: `${where}: loss`, kind: 'loss', registeredName: value.registered_name ?? undefined, customObjects });
    const config = configFromKeras(value.class_name, value.config ?? {}, { where: `${where}: loss ${value.class_name}` });
    if (config.reduction === 'auto' || config.reduction === 'sum_over_batch_size') config.reduction = 'sum_over_batch_size';
    delete config.dtype;
    delete config.fn;
    return new (entry.cls as unknown as new (c: unknown) => Loss)(config);
  }
  if (Array.isArray(value)) return value.map((v) => identifierFromKeras(v, kind, where, customObjects));
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, identifierFromKeras(v, kind, where, customObjects)]));
  throw new ValueError(`${where}: unreadable ${kind} ${JSON.stringify(value)?.slice(0, 80)}. help: load with {compile: false}.`);
}

/**
 * A keras-ts metric class rebuilt from its config, when the config holds only options the class
 * takes (what keras-ts writes); undefined otherwise, and the metric is then found by its name as
 * before (Keras's own files carry options keras-ts's classes do not have, such as `dtype`).
 */
function metricFromKeras(className: string, config: unknown, where: string): Metric | undefined {
  const cls = (metrics as Record<string, unknown>)[className];
  if (typeof cls !== 'function' || !(cls.prototype instanceof Metric) || !Object.prototype.hasOwnProperty.call(cls, 'optionKeys')) return undefined;
  const keys = (cls as unknown as { optionKeys: readonly string[] }).optionKeys;
  let options: Record<string, unknown>;
  try {
    options = configFromKeras(className, config ?? {}, { where: `${where}: metric ${className}` });
  } catch {
    return undefined;
  }
  if (!Object.keys(options).every((k) => keys.includes(k))) return undefined;
  return new (cls as new (o: unknown) => Metric)(options);
}

/** CompileArgs from Keras 3's compile_config or Keras 2's training_config. */
export function compileFromKeras(raw: unknown, where: string, customObjects?: Record<string, unknown>): CompileArgs {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ValueError(`${where}: the training config must be an object. help: the file is corrupt; load with {compile: false}.`);
  const cfg = raw as Record<string, unknown>;
  const optimizer = optimizerFromKeras(cfg.optimizer ?? cfg.optimizer_config, where, customObjects);
  const loss = identifierFromKeras(cfg.loss, 'loss', where, customObjects);
  if (loss === undefined) throw new ValueError(`${where}: the training config has no loss. help: load with {compile: false} and compile the model yourself.`);
  const metrics = identifierFromKeras(cfg.metrics, 'metric', where, customObjects);
  const args: CompileArgs = { optimizer, loss: loss as CompileArgs['loss'] };
  if (metrics !== undefined) args.metrics = metrics as CompileArgs['metrics'];
  if (cfg.loss_weights !== null && cfg.loss_weights !== undefined) args.lossWeights = cfg.loss_weights as CompileArgs['lossWeights'];
  return args;
}

/**
 * Keras 3's MultiOptimizer config: `optimizer_map` is an OptimizerMap dict whose `optimizer_map`
 * keys are variable paths or regexes, written and read as they are (not as snake/camel-cased keys).
 */
function multiOptimizerToKeras(optimizer: MultiOptimizer, dialect: Dialect): Json {
  optimizer.getConfig(); // refuses a function map, naming the fix
  const map = optimizer.optimizerMap as OptimizerMap;
  const config: JsonObject = {
    optimizer_map: {
      module: 'keras.optimizers', class_name: 'OptimizerMap', registered_name: null,
      config: { default_optimizer: optimizerToKeras(map.defaultOptimizer, dialect), optimizer_map: Object.fromEntries(map.keys().map((key) => [key, optimizerToKeras(map.get(key), dialect)])) },
    },
    loss_scale_factor: optimizer.lossScaleFactor ?? null,
    name: optimizer.name,
  };
  return { module: 'keras.optimizers', class_name: 'MultiOptimizer', config, registered_name: null };
}

function multiOptimizerFromKeras(raw: JsonObject, where: string, customObjects?: Record<string, unknown>): Optimizer {
  const map = raw.optimizer_map;
  const mapConfig = isKerasObject(map) ? (map.config as JsonObject | null) : null;
  if (mapConfig === null || typeof mapConfig !== 'object' || mapConfig.default_optimizer === undefined) {
    throw new ValueError(`${where}: the MultiOptimizer's optimizer_map must be an OptimizerMap {class_name, config: {default_optimizer, optimizer_map}}, got ${JSON.stringify(map)?.slice(0, 80)}. help: the file is corrupt, or its map was a function (not savable).`);
  }
  const entries = Object.entries((mapConfig.optimizer_map ?? {}) as JsonObject);
  const mapped = Object.fromEntries(entries.map(([key, o]) => [key, optimizerFromKeras(o, `${where}: MultiOptimizer['${key}']`, customObjects)]));
  const optimizerMap = new OptimizerMap(optimizerFromKeras(mapConfig.default_optimizer, `${where}: MultiOptimizer default`, customObjects), mapped);
  const lossScaleFactor = typeof raw.loss_scale_factor === 'number' ? raw.loss_scale_factor : undefined;
  return new MultiOptimizer({ optimizerMap, lossScaleFactor, name: typeof raw.name === 'string' ? raw.name : undefined });
}
