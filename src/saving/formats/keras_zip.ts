/**
 * The Keras 3 `.keras` format: a zip archive of `config.json` (the model, and its compile config),
 * `metadata.json` and `model.weights.h5` (the variables, laid out by keras_state), written as
 * Keras's saving_lib writes it in three plain stages.
 */
import { FileFormatError, ValueError } from '../../engine/errors';
import type { Model } from '../../models/model';
import { H5Reader, H5Writer } from '../io/h5_file';
import { readZip, writeZip } from '../io/files';
import { Json, JsonObject } from '../keras_json';
import { loadState, saveState } from '../keras_state';
import { layerToKeras } from '../serialize_layers';
import { compileToKeras } from '../serialize_training';
import { H5StoreReader, H5StoreWriter } from './h5_store';
import { KERAS_VERSION, KERAS_TS_VERSION } from './versions';

const CONFIG = 'config.json';
const METADATA = 'metadata.json';
const WEIGHTS = 'model.weights.h5';

/** The model's config.json object (Keras 3 dialect), with its compile config when asked. */
export function kerasConfig(model: Model, includeCompile: boolean): JsonObject {
  const config = layerToKeras(model, 'keras3') as unknown as JsonObject;
  const args = model.compileArgs;
  if (includeCompile && args !== null) config.compile_config = compileToKeras(args, model.optimizer, 'keras3');
  return config;
}

/** Keras 3's .weights.h5 bytes: every layer's variables (and the optimizer's, when asked). */
export async function weightsH5(model: Model, includeOptimizer: boolean, what: string): Promise<Uint8Array> {
  return H5Writer.bytes(what, (file) => saveState(model, new H5StoreWriter(file), includeOptimizer));
}

export async function kerasArchive(model: Model, includeOptimizer: boolean, what: string): Promise<Uint8Array> {
  const metadata = { keras_version: KERAS_VERSION, date_saved: new Date().toISOString().replace('T', '@').slice(0, 19), generated_by: `keras-ts ${KERAS_TS_VERSION}` };
  return writeZip({
    [METADATA]: JSON.stringify(metadata),
    [CONFIG]: JSON.stringify(kerasConfig(model, includeOptimizer)),
    [WEIGHTS]: await weightsH5(model, includeOptimizer, `${what} (${WEIGHTS})`),
  });
}

export interface KerasArchive {
  config: JsonObject;
  weights: Uint8Array;
}

/** The config and the weights' bytes of a .keras archive, checked. */
export function readKerasArchive(bytes: Uint8Array, what: string): KerasArchive {
  const entries = readZip(bytes, what);
  const configBytes = entries.get(CONFIG);
  if (configBytes === undefined) throw new FileFormatError(`${what}: the archive has no ${CONFIG} (entries: ${[...entries.keys()].slice(0, 10).join(', ')}). help: pass a .keras file written by model.save.`);
  const weights = entries.get(WEIGHTS);
  if (weights === undefined) {
    const other = [...entries.keys()].find((k) => k.startsWith('model.weights'));
    throw new FileFormatError(`${what}: the archive has no ${WEIGHTS}${other ? ` (it has ${other}: keras-ts reads only the HDF5 weights format)` : ''}. help: save it with Keras's default weights format.`);
  }
  return { config: parseJsonObject(configBytes, `${what} (${CONFIG})`), weights };
}

export function parseJsonObject(bytes: Uint8Array | string, what: string): JsonObject {
  let parsed: Json;
  try {
    parsed = JSON.parse(typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8')) as Json;
  } catch (e) {
    throw new FileFormatError(`${what}: not valid JSON (${(e as Error).message}). help: the file is corrupt or truncated.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new FileFormatError(`${what}: expected a JSON object. help: the file is corrupt.`);
  return parsed;
}

/** Loads Keras 3 weights bytes (.weights.h5 or an archive's model.weights.h5) into `model`. */
export async function loadWeightsH5(model: Model, bytes: Uint8Array, what: string, loadOptimizer: boolean): Promise<void> {
  const file = await H5Reader.open(bytes, what);
  try {
    if (!file.isGroup('layers') && (file.hasAttr('', 'layer_names') || file.isGroup('model_weights'))) {
      throw new ValueError(`${what}: this is a legacy (Keras 2) weights file, not a Keras 3 one. help: load it from a file ending in .h5.`);
    }
    loadState(model, new H5StoreReader(file), what, loadOptimizer);
  } finally {
    file.close();
  }
}
