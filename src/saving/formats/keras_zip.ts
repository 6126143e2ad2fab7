/**
 * The Keras 3 `.keras` format: a zip archive of `config.json` (the model, and its compile config),
 * `metadata.json` and `model.weights.h5` (the variables, laid out by keras_state), written as
 * Keras's saving_lib writes it in three plain stages.
 */
import { FileFormatError, ValueError } from '../../engine/errors';
import type { Model } from '../../models/model';
import { H5Reader, H5Writer } from '../io/h5_file';
import { writeZip } from '../io/files';
import { ZipArchive } from '../io/zip_archive';
import { LoadBudget } from '../load_budget';
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

/** config.json is read only up to this size (a 1,000-layer model's config takes about 1 MB). */
const MAX_CONFIG_BYTES = 64 * 2 ** 20;

/**
 * The config and the weights' bytes of a .keras archive, checked: only these two entries are
 * inflated (others, e.g. assets, are never read), each within its declared size and the budget,
 * each CRC-checked.
 */
export function readKerasArchive(bytes: Uint8Array, what: string, budget: LoadBudget = new LoadBudget()): KerasArchive {
  const zip = ZipArchive.open(bytes, what);
  if (!zip.has(CONFIG)) throw new FileFormatError(`${what}: the archive has no ${CONFIG} (entries: ${zip.names().slice(0, 10).join(', ')}). help: pass a .keras file written by model.save.`);
  if (!zip.has(WEIGHTS)) {
    const other = zip.names().find((k) => k.startsWith('model.weights'));
    throw new FileFormatError(`${what}: the archive has no ${WEIGHTS}${other ? ` (it has ${other}: keras-ts reads only the HDF5 weights format)` : ''}. help: save it with Keras's default weights format.`);
  }
  const config = parseJsonObject(zip.read(CONFIG, MAX_CONFIG_BYTES, `config.json's limit of ${MAX_CONFIG_BYTES} bytes`), `${what} (${CONFIG})`);
  if (!zip.isStored(WEIGHTS)) budget.spend(zip.sizeOf(WEIGHTS) as number, `${what}: the zip entry '${WEIGHTS}'`);
  return { config, weights: zip.read(WEIGHTS, budget.maxBytes, 'the load\'s maxBytes') };
}

export function parseJsonObject(bytes: Uint8Array | string, what: string): JsonObject {
  let parsed: Json;
  try {
    parsed = JSON.parse(typeof bytes === 'string' ? bytes : new TextDecoder().decode(bytes)) as Json;
  } catch (e) {
    throw new FileFormatError(`${what}: not valid JSON (${(e as Error).message}). help: the file is corrupt or truncated.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new FileFormatError(`${what}: expected a JSON object. help: the file is corrupt.`);
  return parsed;
}

/**
 * Opens Keras 3 weights bytes (.weights.h5 or an archive's model.weights.h5) and checks, before any
 * model is built or weight read, that every size they declare fits in the file and the budget.
 */
export async function openWeightsH5(bytes: Uint8Array, what: string, budget: LoadBudget): Promise<H5Reader> {
  const file = await H5Reader.open(bytes, what);
  try {
    if (!file.isGroup('layers') && (file.hasAttr('', 'layer_names') || file.isGroup('model_weights'))) {
      throw new ValueError(`${what}: this is a legacy (Keras 2) weights file, not a Keras 3 one. help: load it from a file ending in .h5.`);
    }
    file.checkDeclaredSizes(budget);
    return file;
  } catch (e) {
    file.close();
    throw e;
  }
}

/** Loads Keras 3 weights from an opened file into `model`, and closes the file. */
export function loadWeightsH5(model: Model, file: H5Reader, what: string, loadOptimizer: boolean): void {
  try {
    loadState(model, new H5StoreReader(file), what, loadOptimizer);
  } finally {
    file.close();
  }
}
