/**
 * A model's state laid out as Keras 3's saving_lib lays it out, through one small store
 * interface (as Keras's H5IOStore): each object with variables gets a path, `layers/<name>` for a
 * layer (the snake_case class name, numbered `dense`, `dense_1`, ... in the model's layer order;
 * nested models recurse as `layers/functional/layers/...`) and `optimizer` for the optimizer, and
 * the store keeps that object's variables in order under the path.
 */
import { FileFormatError } from '../engine/errors';
import type { Layer } from '../engine/layer';
import { toSnakeCase } from '../engine/naming';
import type { Weight } from '../engine/weight';
import { Model } from '../models/model';
import type { StateArray } from '../optimizers/optimizer';
import { MultiOptimizer } from '../optimizers/multi_optimizer';
import type { NamedArray } from './io/h5_file';
import { assignAll, readWeight } from './weights';
import { getLogger } from '../utils/logger';

/** Where the variables of each object are written: one implementation per file format. */
export interface VariableWriter {
  /** Keeps `arrays`, in order, as the variables of the object at `path`. */
  put(path: string, arrays: NamedArray[]): void;
}

/** Where they are read back from. */
export interface VariableReader {
  /** How many variables the file holds for `path` (0 when it holds none). */
  count(path: string): number;
  /** The variables at `path`, each checked to have the shape given, in order. */
  get(path: string, shapes: number[][]): NamedArray[];
}

/** A layer's weights in Keras's order: trainable ones first, each group in creation order. */
export function kerasOrder(layer: Layer): Weight[] {
  const weights = layer.weights;
  return [...weights.filter((w) => w.trainable), ...weights.filter((w) => !w.trainable)];
}

/** Every layer with weights and its store path, recursing into nested models. */
export function layerPaths(model: Model, prefix = ''): Array<[Layer, string]> {
  const used = new Map<string, number>();
  const out: Array<[Layer, string]> = [];
  for (const layer of model.layers) {
    const base = toSnakeCase(layer.className);
    const n = used.get(base) ?? 0;
    used.set(base, n + 1);
    const path = `${prefix}layers/${n === 0 ? base : `${base}_${n}`}`;
    if (layer instanceof Model) out.push(...layerPaths(layer, `${path}/`));
    else if (layer.weights.length > 0) out.push([layer, path]);
  }
  return out;
}

/** The optimizer's variables: the model's trainable weights, named as in files. */
export function optimizerVariables(model: Model): Array<{ name: string; variable: import('@tensorflow/tfjs-core').Variable }> {
  return model.trainableWeights.map((w) => ({ name: w.name, variable: w.value }));
}

/**
 * A layer whose Keras counterpart keeps its variables in sublayers (MultiHeadAttention's
 * `_query_dense`, ...): each group's path under the layer's, with its weights in order.
 */
export interface NestedVariableLayout {
  kerasVariableGroups(): Array<[string, Weight[]]>;
}

/** The store paths and weights of one layer: its own path, or its sublayers' as Keras lays them out. */
function variableGroups(layer: Layer, path: string): Array<[string, Weight[]]> {
  const nested = (layer as Partial<NestedVariableLayout>).kerasVariableGroups;
  return typeof nested === 'function' ? nested.call(layer).map(([sub, ws]): [string, Weight[]] => [`${path}/${sub}`, ws]) : [[path, kerasOrder(layer)]];
}

export function saveState(model: Model, store: VariableWriter, includeOptimizer: boolean): void {
  for (const [layer, path] of layerPaths(model)) for (const [p, ws] of variableGroups(layer, path)) store.put(p, ws.map(readWeight));
  if (includeOptimizer && model.compileArgs !== null) {
    store.put('optimizer', model.optimizer.getState(optimizerVariables(model)) as NamedArray[]);
  }
}

/** Loads every layer's weights (all checked before any is set) and, when asked, the optimizer's state. */
export function loadState(model: Model, store: VariableReader, what: string, loadOptimizer: boolean): void {
  const pairs: Array<[Weight, NamedArray]> = [];
  for (const [layer, path] of layerPaths(model)) {
    // keras-ts files before the nested layout kept every weight at the layer's own path: still read.
    const flat = kerasOrder(layer);
    const groups = store.count(path) === flat.length ? [[path, flat] as [string, Weight[]]] : variableGroups(layer, path);
    for (const [p, weights] of groups) {
      const count = store.count(p);
      if (count !== weights.length) {
        throw new FileFormatError(
          `${what}: layer '${layer.name}' (${layer.className}, at '${p}') has ${weights.length} weights but the file holds ${count}. ` +
            'help: load weights saved from a model with the same architecture.',
        );
      }
      store.get(p, weights.map((w) => w.shape)).forEach((a, i) => pairs.push([weights[i], a]));
    }
  }
  assignAll(pairs, what);
  if (loadOptimizer && model.compileArgs !== null && store.count('optimizer') > 0) loadOptimizerState(model, store, what);
}

function loadOptimizerState(model: Model, store: VariableReader, what: string): void {
  const variables = optimizerVariables(model);
  const optimizer = model.optimizer;
  const count = store.count('optimizer');
  if (optimizer instanceof MultiOptimizer) optimizer.build(variables.map(({ variable }) => variable)); // its state's shapes follow its routing
  const full = optimizer.stateShapes(variables.map(({ variable }) => variable.shape));
  const fresh = optimizer.stateShapes(null);
  const shapes = count === full.length ? full : count === fresh.length ? fresh : null;
  const ok = shapes !== null && optimizer.setState(variables, store.get('optimizer', shapes) as StateArray[]);
  if (!ok) {
    getLogger().warn(
      `${what}: skipping the optimizer's state: the file holds ${count} optimizer variables, which do not fit this ${optimizer.className} ` +
        `and its ${variables.length} trainable weights. Training continues with a fresh optimizer.\n`,
    );
  }
}
