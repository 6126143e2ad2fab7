/**
 * Saving and loading whole models and their weights, in every format keras-ts knows: the file
 * name chooses the format when writing, the file's own signature when reading.
 *   .keras          Keras 3 archive (config, metadata, weights with the optimizer's state)
 *   .weights.h5     Keras 3 weights (with the optimizer's state)
 *   .h5 / .hdf5     legacy HDF5 (Keras 2 / tf.keras; a full model from save, weights from saveWeights)
 *   dir/, model.json  TensorFlow.js layers format
 *   indexeddb://, localstorage://, downloads://  the browser's storage (browser_save.ts)
 * loadModel also reads a Keras file's bytes (or a File/Blob), an http(s) URL, a browser store and tfjs's in-memory artifacts
 * (load_source.ts reads each source; this file builds the model from what was read).
 */
import * as fs from 'fs';
import * as path from 'path';
import { FileFormatError, KerasError, ValueError } from '../engine/errors';
import { checkOptions } from '../engine/options';
import { ensureBackend } from '../backend/backend';
import { Model } from '../models/model';
import { Sequential } from '../models/sequential';
import { H5Reader, isHdf5 } from './io/h5_file';
import { readFileBytes, statPath, writeFileAtomic } from './io/files';
import { isLegacyKerasVersion, Json, JsonObject, renameLegacyActivations } from './keras_json';
import { kerasArchive, kerasConfig, loadWeightsH5, openWeightsH5, parseJsonObject, readKerasArchive, weightsH5 } from './formats/keras_zip';
import { LoadBudget } from './load_budget';
import { legacyConfigs, legacyModelFile, legacyWeightsFile, loadLegacyOptimizer, loadLegacyWeights } from './formats/legacy_h5';
import { assignTfjsWeights } from './formats/tfjs_artifacts';
import type { ModelArtifacts, TfjsModel } from './formats/tfjs_artifacts';
import { isTfjsTarget, modelJsonPath, readTfjsFolder, saveTfjs } from './formats/tfjs_layers';
import { describeSource, readSource } from './load_source';
import type { HttpUrl, ModelSource } from './load_source';
import { LOAD_MODEL_KEYS, LOAD_WEIGHTS_KEYS, SAVE_KEYS } from './options';
import type { LoadModelOptions, LoadWeightsOptions, SaveOptions } from './options';
import { checkSubclassSavable, layerFromConfig, LoadContext, specFromKeras, withLoadContext } from './serialize_layers';
import { compileFromKeras } from './serialize_training';
import { saveToBrowser } from './browser_save';
import { isBrowserUrl } from './io/browser_storage';
import type { BrowserUrl } from './io/browser_storage';
import { getLogger } from '../utils/logger';

export { layerFromConfig };

type Target = 'keras' | 'weights.h5' | 'h5' | 'tfjs';

function targetOf(filepath: string, where: string): Target {
  if (typeof filepath !== 'string' || filepath === '') throw new ValueError(`${where}: give a file path, got ${JSON.stringify(filepath)}. help: e.g. 'model.keras'.`);
  const lower = filepath.toLowerCase();
  const named = /\.(keras|h5|hdf5)$/.test(lower);
  if (named && statPath(filepath)?.isDirectory()) {
    throw new ValueError(`${where}: '${filepath}' is an existing folder, but its name asks for a ${path.extname(lower)} file. help: remove or rename the folder, or give another file name (a TensorFlow.js save goes to a path ending in '/').`);
  }
  if (isTfjsTarget(filepath)) {
    const dir = tfjsDir(filepath);
    if (statPath(dir)?.isFile()) {
      throw new ValueError(`${where}: '${dir}' is an existing file, but a TensorFlow.js model is a folder. help: remove the file, or save to a '.keras' file.`);
    }
    return 'tfjs';
  }
  if (lower.endsWith('.keras')) return 'keras';
  if (lower.endsWith('.weights.h5')) return 'weights.h5';
  if (lower.endsWith('.h5') || lower.endsWith('.hdf5')) return 'h5';
  throw new ValueError(
    `${where}: cannot tell the format of '${filepath}'. help: use 'model.keras' (Keras 3), 'model.h5' (Keras 2 HDF5), ` +
      "'w.weights.h5' (weights), or a folder 'tfjs-model/' (TensorFlow.js).",
  );
}

function checkOverwrite(filepath: string, options: SaveOptions, where: string): void {
  if (options.overwrite === false && fs.existsSync(filepath)) {
    throw new ValueError(`${where}: '${filepath}' exists and overwrite is false. help: pass {overwrite: true} or another path.`);
  }
}

export async function saveModel(model: Model, filepath: string, options: SaveOptions = {}): Promise<void> {
  const where = `${model.name}.save`;
  checkOptions(where, options, SAVE_KEYS);
  if (isBrowserUrl(filepath)) return saveToBrowser(model, filepath, options, where);
  const target = targetOf(filepath, where);
  checkOverwrite(target === 'tfjs' ? path.join(tfjsDir(filepath), 'model.json') : filepath, options, where);
  if (model.isSubclassed && (target === 'h5' || target === 'tfjs')) {
    throw new ValueError(
      `${where}: '${model.name}' is a subclassed model; the ${target === 'h5' ? 'legacy HDF5' : 'TensorFlow.js'} format holds only Functional and Sequential graphs, as in Keras. ` +
        "help: save it as '.keras' (register its class and give it getConfig), or its weights with model.saveWeights('model.weights.h5').",
    );
  }
  checkSubclassSavable(model, where);
  const withOptimizer = options.includeOptimizer ?? true;
  if (target === 'keras') writeFileAtomic(filepath, await kerasArchive(model, withOptimizer, filepath));
  else if (target === 'h5') writeFileAtomic(filepath, await legacyModelFile(model, withOptimizer, filepath));
  else if (target === 'tfjs') saveTfjs(model, tfjsDir(filepath), withOptimizer);
  else {
    throw new ValueError(`${where}: '${filepath}' names a weights file; save writes a whole model. help: use model.saveWeights('${filepath}'), or save to a '.keras' file.`);
  }
}

function tfjsDir(filepath: string): string {
  return path.basename(filepath) === 'model.json' ? path.dirname(filepath) : filepath;
}

export async function saveWeights(model: Model, filepath: string, options: SaveOptions = {}): Promise<void> {
  checkOptions(`${model.name}.saveWeights`, options, SAVE_KEYS);
  const where = `${model.name}.saveWeights`;
  const target = targetOf(filepath, where);
  checkOverwrite(filepath, options, where);
  if (target === 'weights.h5') writeFileAtomic(filepath, await weightsH5(model, options.includeOptimizer ?? true, filepath));
  else if (target === 'h5') writeFileAtomic(filepath, await legacyWeightsFile(model, filepath));
  else {
    throw new ValueError(`${where}: weights go to a '.weights.h5' file (Keras 3) or a '.h5' file (Keras 2 layout), got '${filepath}'. help: e.g. model.saveWeights('model.weights.h5').`);
  }
}

/** Loads weights into `model` from any weights-bearing file: .weights.h5, .h5, .keras, or a tfjs folder. */
export async function loadWeights(model: Model, filepath: string, options: LoadWeightsOptions = {}): Promise<void> {
  checkOptions(`${model.name}.loadWeights`, options, LOAD_WEIGHTS_KEYS);
  return asFileError(`${model.name}.loadWeights('${filepath}')`, () => loadWeightsFrom(model, filepath, options));
}

async function loadWeightsFrom(model: Model, filepath: string, options: LoadWeightsOptions): Promise<void> {
  const budget = new LoadBudget(options.maxBytes, options.timeoutSeconds);
  if (isTfjsTarget(filepath)) {
    assignTfjsWeights(model, readTfjsFolder(filepath, budget).weights, modelJsonPath(filepath));
    return;
  }
  const bytes = readFileBytes(filepath, `${model.name}.loadWeights`, budget);
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
    const what = `${filepath} (model.weights.h5)`;
    loadWeightsH5(model, await openWeightsH5(readKerasArchive(bytes, filepath, budget).weights, what, budget), what, true);
    return;
  }
  const file = await H5Reader.open(bytes, filepath);
  let legacy = false;
  try {
    legacy = !(file.isGroup('layers') || file.isGroup('vars')) && (file.isGroup('model_weights') || file.stringListAttr('', 'layer_names') !== undefined);
    if (legacy) {
      file.checkDeclaredSizes(budget);
      loadLegacyWeights(model, file, options);
      loadLegacyOptimizer(model, file);
    }
  } finally {
    file.close();
  }
  if (!legacy) loadWeightsH5(model, await openWeightsH5(bytes, filepath, budget), filepath, true);
}

/** Builds the model a Keras JSON object describes (Keras 2, Keras 3 or tfjs), with fresh weights. */
function buildModel(modelConfig: JsonObject, ctx: LoadContext): Model {
  const spec = specFromKeras(modelConfig, ctx);
  const model = withLoadContext(ctx, () => layerFromConfig(spec, ctx.where));
  if (!(model instanceof Model)) throw new ValueError(`${ctx.where}: the file describes a ${spec.className} layer, not a model. help: pass a saved model.`);
  return model;
}

function compileFrom(model: Model, trainingConfig: unknown, ctx: LoadContext): boolean {
  if (trainingConfig === null || trainingConfig === undefined) return false;
  try {
    model.compile(compileFromKeras(trainingConfig, ctx.where, ctx.customObjects));
    return true;
  } catch (e) {
    getLogger().warn(`${ctx.where}: the model was not compiled (${(e as Error).message}). Compile it yourself before fit.\n`);
    return false;
  }
}

/**
 * Loads a whole model saved by Keras, tf.keras, tfjs or keras-ts: compiled, with its optimizer's
 * state, unless {compile: false}. From any source, the file's own signature tells its format, no
 * code from it runs, and every path and size in it is checked before it is used.
 *
 * This form fetches an http(s) URL (redirects followed): a .keras/.h5 file, told by its bytes, or a
 * tfjs model.json, then its shards resolved beside it as tfjs's io.http does (a shard path that
 * leaves model.json's folder or origin is refused before anything is fetched). One load downloads
 * at most MAX_DOWNLOAD_BYTES (1 GiB); errors name the URL and the HTTP status.
 */
export function loadModel(url: HttpUrl, options?: LoadModelOptions): Promise<Model>;
/** Loads a model from a file: a `.keras` archive, a legacy `.h5`, or a tfjs folder (or its model.json); also a `file://` URL. */
export function loadModel(path: string, options?: LoadModelOptions): Promise<Model>;
/** Loads a model from the bytes of a `.keras` or `.h5` file (a Node Buffer is a Uint8Array), e.g. fetched or read by the caller. */
export function loadModel(bytes: Uint8Array | ArrayBuffer, options?: LoadModelOptions): Promise<Model>;
/** Loads a model from a `.keras` or `.h5` File (an `<input type=file>`'s) or Blob. */
export function loadModel(file: Blob, options?: LoadModelOptions): Promise<Model>;
/**
 * Loads a model a page stored with model.save('indexeddb://name') or 'localstorage://name' (or
 * tfjs-layers did), through tfjs-core's handlers. In a page, a path that is not a URL is fetched
 * relative to the page.
 */
export function loadModel(store: BrowserUrl, options?: LoadModelOptions): Promise<Model>;
/**
 * Loads a model from tfjs's in-memory artifacts, as `tf.io.fromMemory` takes them (or an IOHandler's
 * `load()` returns them): {modelTopology, weightSpecs, weightData}, weightData one ArrayBuffer or a
 * list of them in order; compiled from modelTopology.training_config or trainingConfig.
 */
export function loadModel(artifacts: ModelArtifacts, options?: LoadModelOptions): Promise<Model>;
/** Loads a model from any of the sources above. */
export function loadModel(source: ModelSource, options?: LoadModelOptions): Promise<Model>;
export async function loadModel(source: ModelSource, options: LoadModelOptions = {}): Promise<Model> {
  checkOptions('loadModel', options, LOAD_MODEL_KEYS);
  await ensureBackend(); // the weights are made on the default backend, as fit would use
  const where = describeSource(source);
  const ctx: LoadContext = { where, customObjects: options.customObjects };
  const compile = options.compile ?? true;
  return asFileError(where, async () => {
    const budget = new LoadBudget(options.maxBytes, options.timeoutSeconds);
    const read = await readSource(source, where, budget);
    return 'tfjs' in read ? modelFromTfjs(read.tfjs, ctx, compile) : modelFromBytes(read.bytes, read.file, ctx, compile, budget);
  });
}

/** Fills a freshly built model (weights, compile); a refusal disposes it, so a bad file leaves no tensors behind. */
async function filled(model: Model, fill: () => unknown): Promise<Model> {
  try {
    await fill();
    return model;
  } catch (e) {
    model.dispose();
    throw e;
  }
}

function modelFromTfjs(tfjs: TfjsModel, ctx: LoadContext, compile: boolean): Promise<Model> {
  const model = buildModel(tfjs.modelConfig, ctx);
  return filled(model, () => {
    assignTfjsWeights(model, tfjs.weights, ctx.where);
    if (compile) compileFrom(model, tfjs.trainingConfig, ctx);
  });
}

/** A model from a .keras or .h5 file's bytes; `file` is the path they were read from, if any. */
async function modelFromBytes(bytes: Uint8Array, file: string | undefined, ctx: LoadContext, compile: boolean, budget: LoadBudget): Promise<Model> {
  const what = file ?? ctx.where;
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
    const archive = readKerasArchive(bytes, what, budget);
    const weightsWhat = `${what} (model.weights.h5)`;
    const weights = await openWeightsH5(archive.weights, weightsWhat, budget); // sizes checked before the model is built
    let model: Model;
    try {
      model = buildModel(archive.config, ctx);
    } catch (e) {
      weights.close();
      throw e;
    }
    return filled(model, async () => {
      const compiled = compile && compileFrom(model, archive.config.compile_config, ctx);
      loadWeightsH5(model, weights, weightsWhat, compiled);
    });
  }
  if (!isHdf5(bytes)) {
    throw new ValueError(
      file === undefined
        ? `${ctx.where}: the bytes are neither a .keras archive (zip) nor an HDF5 file. help: pass the bytes of a file written by model.save.`
        : `${ctx.where}: the file is neither a .keras archive (zip), an HDF5 file, nor a tfjs folder. help: pass a file written by model.save.`,
    );
  }
  const h5 = await H5Reader.open(bytes, what);
  try {
    h5.checkDeclaredSizes(budget);
    const { modelConfig, trainingConfig } = legacyConfigs(h5);
    const model = buildModel(modelConfig, ctx);
    return await filled(model, () => {
      loadLegacyWeights(model, h5);
      if (compile && compileFrom(model, trainingConfig, ctx)) loadLegacyOptimizer(model, h5);
    });
  } finally {
    h5.close();
  }
}

/** A model (fresh weights) from Keras's JSON: model.to_json() of Keras 2 or 3, a tfjs model.json, or keras-ts's toJSON. */
export function modelFromJson(json: string | object, options: LoadModelOptions = {}): Model {
  checkOptions('modelFromJson', options, LOAD_MODEL_KEYS);
  try {
    return modelFromJsonUnchecked(json, options);
  } catch (e) {
    throw fileError('modelFromJson', e);
  }
}

function modelFromJsonUnchecked(json: string | object, options: LoadModelOptions): Model {
  const ctx: LoadContext = { where: 'modelFromJson', customObjects: options.customObjects };
  let obj = typeof json === 'string' ? parseJsonObject(json, ctx.where) : (json as JsonObject);
  if (typeof obj !== 'object' || obj === null) throw new ValueError(`${ctx.where}: expected a JSON string or object, got ${String(json)}.`);
  const legacy = obj.modelTopology !== undefined || isLegacyKerasVersion(obj.keras_version ?? (obj.modelTopology as JsonObject | undefined)?.keras_version);
  if (obj.modelTopology !== undefined) obj = obj.modelTopology as JsonObject;
  if (obj.model_config !== undefined) obj = obj.model_config as JsonObject;
  return buildModel(legacy ? (renameLegacyActivations(obj, 'read') as JsonObject) : obj, ctx);
}

/** The model's architecture as Keras 3's JSON (what model.to_json() gives in Keras). */
export function modelToJson(model: Model): string {
  return JSON.stringify(kerasConfig(model, false) as Json);
}

/** A new model with the same architecture and layer names, and fresh weights (Keras's clone_model). */
export function cloneModel(model: Model): Model {
  const config = model.getConfig();
  if (model.isSubclassed) {
    // Keras's clone_model of a subclassed model: its class from its config, built for the same inputs.
    const clone = (model.constructor as typeof Model).fromConfig(config);
    if (model.built) clone.build(model.inputShapes);
    return clone;
  }
  return model instanceof Sequential ? Sequential.fromConfig(config) : Model.fromConfig(config);
}

/**
 * A file's content can make any step of loading fail in unforeseen ways (a string where a number
 * belongs, ...). Those failures are reported as FileFormatError, with what failed; KerasErrors pass.
 */
function fileError(where: string, e: unknown): Error {
  if (e instanceof KerasError || !(e instanceof Error)) return e as Error;
  const err = new FileFormatError(`${where}: the file holds values keras-ts cannot use (${e.name}: ${e.message}). help: the file is corrupt, or not a Keras model.`);
  (err as Error & { cause?: unknown }).cause = e;
  return err;
}

async function asFileError<T>(where: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw fileError(where, e);
  }
}
