/**
 * The legacy HDF5 format, as Keras 2 / tf.keras write it (and Keras 3's legacy writer):
 *   attributes  keras_version, backend, model_config (JSON), training_config (JSON)
 *   model_weights/            attribute layer_names (every layer, in model order)
 *     <layer>/                attribute weight_names (paths relative to the group, in order)
 *       <layer>/kernel:0      Keras 2 names ('dense/kernel' without ':0' in Keras 3's layout)
 *   optimizer_weights/        attribute weight_names
 * A weights-only file has model_weights' contents at its root. Strings may be fixed-length byte
 * strings or variable-length, and long lists may be split into name0, name1, ... (all read).
 */
import { FileFormatError, ValueError } from '../../engine/errors';
import type { Layer } from '../../engine/layer';
import type { Weight } from '../../engine/weight';
import type { Model } from '../../models/model';
import type { StateArray } from '../../optimizers/optimizer';
import { H5Reader, H5Writer, NamedArray } from '../io/h5_file';
import { isLegacyKerasVersion, Json, JsonObject, renameLegacyActivations } from '../keras_json';
import { kerasOrder, optimizerVariables } from '../keras_state';
import { layerToKeras } from '../serialize_layers';
import { compileToKeras } from '../serialize_training';
import { assignAll, readWeight } from '../weights';
import { KERAS2_VERSION } from './versions';
import { getLogger } from '../../utils/logger';

/** Writes the weights of every layer of `model` into group `root` (Keras 2 layout). */
function writeModelWeights(file: H5Writer, root: string, model: Model): void {
  file.group(root);
  file.stringListAttr(root, 'layer_names', model.layers.map((l) => l.name));
  file.stringAttr(root, 'backend', 'tensorflow');
  file.stringAttr(root, 'keras_version', KERAS2_VERSION);
  for (const layer of model.layers) {
    const group = root === '' ? layer.name : `${root}/${layer.name}`;
    file.group(group);
    const weights = kerasOrder(layer);
    file.stringListAttr(group, 'weight_names', weights.map((w) => `${w.name}:0`));
    for (const w of weights) {
      const a = readWeight(w);
      file.dataset(`${group}/${w.name}:0`, a.shape, a.data as Float32Array);
    }
  }
}

/** A legacy .h5 full model: config, training config, weights and (optionally) the optimizer's state. */
export async function legacyModelFile(model: Model, includeOptimizer: boolean, what: string): Promise<Uint8Array> {
  return H5Writer.bytes(what, (file) => writeLegacyModel(file, model, includeOptimizer));
}

function writeLegacyModel(file: H5Writer, model: Model, includeOptimizer: boolean): void {
  file.stringAttr('', 'backend', 'tensorflow');
  file.stringAttr('', 'keras_version', KERAS2_VERSION);
  file.stringAttr('', 'model_config', JSON.stringify(renameLegacyActivations(layerToKeras(model, 'keras2') as unknown as Json, 'write')));
  const args = model.compileArgs;
  if (includeOptimizer && args !== null) {
    file.stringAttr('', 'training_config', JSON.stringify(compileToKeras(args, model.optimizer, 'keras2')));
  }
  writeModelWeights(file, 'model_weights', model);
  if (includeOptimizer && args !== null) {
    const state = model.optimizer.getState(optimizerVariables(model));
    file.group('optimizer_weights');
    file.stringListAttr('optimizer_weights', 'weight_names', state.map((s) => `${s.name}:0`));
    for (const s of state) file.dataset(`optimizer_weights/${s.name}:0`, s.shape, Array.from(s.data), { int64: s.data instanceof Int32Array });
  }
}

/** A legacy weights-only .h5 (model.save_weights('w.h5') in Keras 2). */
export async function legacyWeightsFile(model: Model, what: string): Promise<Uint8Array> {
  return H5Writer.bytes(what, (file) => writeModelWeights(file, '', model));
}

/** The model_config and training_config of a legacy full-model file. */
export function legacyConfigs(file: H5Reader): { modelConfig: JsonObject; trainingConfig: JsonObject | null } {
  const text = file.stringAttr('', 'model_config');
  if (text === undefined) throw new ValueError(`${file.what}: no model_config attribute: this is a weights-only file. help: build the model in code, then model.loadWeights('${file.what}').`);
  const parse = (s: string, what: string): JsonObject => {
    try {
      const v = JSON.parse(s) as unknown;
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
      return v as JsonObject;
    } catch (e) {
      throw new FileFormatError(`${file.what}: its ${what} is not a JSON object (${(e as Error).message}). help: the file is corrupt.`);
    }
  };
  const training = file.stringAttr('', 'training_config');
  let modelConfig = parse(text, 'model_config');
  if (isLegacyKerasVersion(file.stringAttr('', 'keras_version'))) modelConfig = renameLegacyActivations(modelConfig, 'read') as JsonObject;
  return { modelConfig, trainingConfig: training === undefined ? null : parse(training, 'training_config') };
}

/** The group that holds the layers' weights: model_weights in a full-model file, the root in a weights file. */
export function weightsRoot(file: H5Reader): string {
  if (file.isGroup('model_weights')) return 'model_weights';
  if (file.stringListAttr('', 'layer_names') !== undefined) return '';
  throw new FileFormatError(`${file.what}: neither a model_weights group nor a layer_names attribute: not a Keras weights file. help: pass a file written by Keras's save or save_weights.`);
}

function join(root: string, name: string): string {
  return root === '' ? name : `${root}/${name}`;
}

/** The saved arrays of one layer group, in the order of its weight_names, each checked against `shapes`. */
function readLayerGroup(file: H5Reader, group: string, shapes: number[][]): NamedArray[] {
  const names = file.stringListAttr(group, 'weight_names') ?? [];
  return names.map((n, i) => file.readArray(join(group, n), shapes[i]));
}

export interface LegacyLoadOptions {
  byName?: boolean;
  skipMismatch?: boolean;
}

/** Loads a legacy file's layer weights into `model`: by order (as Keras) or by layer name. */
export function loadLegacyWeights(model: Model, file: H5Reader, opts: LegacyLoadOptions = {}): void {
  const root = weightsRoot(file);
  const names = file.stringListAttr(root, 'layer_names') ?? [];
  const withWeights = names.filter((n) => (file.stringListAttr(join(root, n), 'weight_names') ?? []).length > 0);
  const pairs: Array<[Weight, NamedArray]> = [];
  const take = (layer: Layer, groupName: string): void => {
    const weights = kerasOrder(layer);
    const group = join(root, groupName);
    const count = (file.stringListAttr(group, 'weight_names') ?? []).length;
    if (count !== weights.length) {
      if (opts.skipMismatch) return;
      throw new FileFormatError(
        `${file.what}: layer '${layer.name}' (${layer.className}) has ${weights.length} weights but the file's layer '${groupName}' has ${count}. ` +
          'help: load weights saved from a model with the same architecture (or pass {byName: true, skipMismatch: true}).',
      );
    }
    let arrays: NamedArray[];
    try {
      arrays = readLayerGroup(file, group, weights.map((w) => w.shape));
    } catch (e) {
      if (opts.skipMismatch && e instanceof FileFormatError && e.message.includes('has shape')) return;
      throw e;
    }
    arrays.forEach((a, i) => pairs.push([weights[i], a]));
  };
  if (opts.byName) {
    const available = new Set(withWeights);
    for (const layer of model.layers) if (layer.weights.length > 0 && available.has(layer.name)) take(layer, layer.name);
  } else {
    const layers = model.layers.filter((l) => l.weights.length > 0);
    if (layers.length !== withWeights.length) {
      throw new FileFormatError(
        `${file.what}: the model has ${layers.length} layers with weights (${layers.map((l) => l.name).join(', ')}) but the file has ${withWeights.length} ` +
          `(${withWeights.join(', ')}). help: load weights saved from the same architecture, or pass {byName: true}.`,
      );
    }
    layers.forEach((layer, k) => take(layer, withWeights[k]));
  }
  assignAll(pairs, file.what);
}

/** Restores the optimizer's state from optimizer_weights when it fits (it does for files keras-ts wrote). */
export function loadLegacyOptimizer(model: Model, file: H5Reader): void {
  if (!file.isGroup('optimizer_weights') || model.compileArgs === null) return;
  const names = file.stringListAttr('optimizer_weights', 'weight_names') ?? [];
  const arrays: StateArray[] = names.map((n) => file.readArray(`optimizer_weights/${n}`) as StateArray);
  const ok = model.optimizer.setState(optimizerVariables(model), arrays);
  if (!ok) {
    getLogger().warn(
      `${file.what}: skipping the optimizer's state (${arrays.length} variables, laid out as another Keras version does); training continues with a fresh optimizer.\n`,
    );
  }
}
