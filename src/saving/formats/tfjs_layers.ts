/**
 * The TensorFlow.js layers format: a folder with model.json (`modelTopology`: the Keras 2 model
 * config; `weightsManifest`: groups of shard files and the weights they hold, in order) and binary
 * shards of at most 4 MB. Written as float32; read also with uint8/uint16/float16 quantization.
 * Every shard path is checked to stay inside the folder, and every weight's byte length against its
 * shape and dtype, before anything is used.
 */
import * as fs from 'fs';
import * as path from 'path';
import { FileFormatError, ValueError } from '../../engine/errors';
import type { Weight } from '../../engine/weight';
import type { Model } from '../../models/model';
import type { NamedArray } from '../io/h5_file';
import { pathInside, readFileBytes, writeFileAtomic } from '../io/files';
import { Json, JsonObject, renameLegacyActivations } from '../keras_json';
import { kerasOrder } from '../keras_state';
import { layerToKeras } from '../serialize_layers';
import { compileToKeras } from '../serialize_training';
import { assignAll, readWeight } from '../weights';
import { KERAS2_VERSION, KERAS_TS_VERSION } from './versions';

/** tfjs-converter's default shard size. */
export const SHARD_BYTES = 4 * 1024 * 1024;

/** Writes model.json and its shards into `dir` (each file atomically; model.json last). */
export function saveTfjs(model: Model, dir: string, includeTraining: boolean): void {
  const weights = model.layers.flatMap((l) => kerasOrder(l));
  const unique = [...new Set(weights)];
  const arrays = unique.map(readWeight);
  const total = arrays.reduce((n, a) => n + a.data.length * 4, 0);
  const buffer = new Uint8Array(total);
  let offset = 0;
  for (const a of arrays) {
    buffer.set(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength), offset);
    offset += a.data.byteLength;
  }
  const shards = Math.max(1, Math.ceil(total / SHARD_BYTES));
  const paths = Array.from({ length: shards }, (_, i) => `group1-shard${i + 1}of${shards}.bin`);
  fs.mkdirSync(dir, { recursive: true });
  paths.forEach((p, i) => writeFileAtomic(path.join(dir, p), buffer.subarray(i * SHARD_BYTES, Math.min(total, (i + 1) * SHARD_BYTES))));
  const modelConfig = renameLegacyActivations(layerToKeras(model, 'keras2') as unknown as Json, 'write');
  const topology: JsonObject = { keras_version: KERAS2_VERSION, backend: 'tensor_flow.js', model_config: modelConfig };
  const args = model.compileArgs;
  if (includeTraining && args !== null) topology.training_config = compileToKeras(args, model.optimizer, 'keras2');
  const modelJson = {
    format: 'layers-model',
    generatedBy: `keras-ts ${KERAS_TS_VERSION}`,
    convertedBy: null,
    modelTopology: topology,
    weightsManifest: [{ paths, weights: arrays.map((a) => ({ name: a.name, shape: a.shape, dtype: 'float32' })) }],
  };
  writeFileAtomic(path.join(dir, 'model.json'), JSON.stringify(modelJson));
}

interface WeightEntry {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; scale?: number; min?: number };
}

/** The model.json path for a folder or a model.json path. */
export function modelJsonPath(target: string): string {
  return fs.existsSync(target) && fs.statSync(target).isDirectory() ? path.join(target, 'model.json') : target;
}

/** model.json's model config (the Keras object) and training config, checked to be a layers model. */
export function readModelJson(file: string): { json: JsonObject; modelConfig: JsonObject; trainingConfig: JsonObject | null } {
  const what = file;
  const text = Buffer.from(readFileBytes(file, 'loadModel')).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new FileFormatError(`${what}: not valid JSON (${(e as Error).message}). help: the file is corrupt or truncated.`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new FileFormatError(`${what}: model.json must hold a JSON object. help: the file is corrupt.`);
  const obj = json as JsonObject;
  if (obj.format === 'graph-model') {
    throw new ValueError(`${what}: a tfjs graph model (a TensorFlow graph, not Keras layers) cannot be loaded as a Keras model. help: convert the Keras model with --output_format tfjs_layers_model.`);
  }
  let topology = obj.modelTopology as JsonObject | undefined;
  if (typeof topology !== 'object' || topology === null || Array.isArray(topology)) throw new FileFormatError(`${what}: no modelTopology object. help: pass a tfjs layers model.json.`);
  const training = (topology.training_config ?? obj.trainingConfig ?? null) as JsonObject | null;
  if (topology.model_config !== undefined) topology = topology.model_config as JsonObject;
  if (typeof topology !== 'object' || topology === null || Array.isArray(topology)) throw new FileFormatError(`${what}: model_config is not an object. help: the file is corrupt.`);
  // tfjs-layers's 'hard_sigmoid' is Keras 2's
  return { json: obj, modelConfig: renameLegacyActivations(topology, 'read') as JsonObject, trainingConfig: training };
}

const BYTES: Record<string, number> = { float32: 4, int32: 4, uint8: 1, uint16: 2, float16: 2 };

function float16(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

/** Decodes one weight from its bytes (which hold exactly its values). */
function decode(entry: WeightEntry, bytes: Uint8Array, count: number): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(count);
  const q = entry.quantization;
  if (q === undefined) {
    if (entry.dtype === 'float32') for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
    else for (let i = 0; i < count; i++) out[i] = view.getInt32(i * 4, true);
    return out;
  }
  if (q.dtype === 'float16') {
    for (let i = 0; i < count; i++) out[i] = float16(view.getUint16(i * 2, true));
    return out;
  }
  const scale = q.scale ?? 1;
  const min = q.min ?? 0;
  for (let i = 0; i < count; i++) out[i] = (q.dtype === 'uint8' ? view.getUint8(i) : view.getUint16(i * 2, true)) * scale + min;
  return out;
}

function checkEntry(e: unknown, what: string): WeightEntry {
  const entry = e as WeightEntry;
  const ok =
    typeof entry === 'object' && entry !== null && typeof entry.name === 'string' && Array.isArray(entry.shape) &&
    entry.shape.every((d) => Number.isInteger(d) && d >= 0 && d < 2 ** 31) && typeof entry.dtype === 'string';
  if (!ok) throw new FileFormatError(`${what}: a weight entry is malformed: ${JSON.stringify(e)?.slice(0, 120)}. help: the file is corrupt.`);
  const q = entry.quantization;
  const storage = q === undefined ? entry.dtype : q?.dtype;
  if (!(entry.dtype === 'float32' || entry.dtype === 'int32') || BYTES[storage] === undefined || (q !== undefined && (typeof q !== 'object' || !['uint8', 'uint16', 'float16'].includes(q.dtype)))) {
    throw new FileFormatError(`${what}: weight '${entry.name}' has dtype ${JSON.stringify(entry.dtype)}${q ? ` quantized as ${JSON.stringify(q.dtype)}` : ''}; keras-ts reads float32/int32, quantized as uint8, uint16 or float16. help: convert the model without other quantization.`);
  }
  if (q !== undefined && q.dtype !== 'float16' && !(Number.isFinite(q.scale ?? 1) && Number.isFinite(q.min ?? 0))) {
    throw new FileFormatError(`${what}: weight '${entry.name}' has a bad quantization scale/min. help: the file is corrupt.`);
  }
  return entry;
}

/** Every weight in the manifest, decoded, with shard paths kept inside `dir` and byte lengths checked. */
export function readManifestWeights(json: JsonObject, dir: string, what: string): Map<string, NamedArray> {
  const manifest = json.weightsManifest;
  if (!Array.isArray(manifest)) throw new FileFormatError(`${what}: no weightsManifest list. help: pass a tfjs layers model.json with its weights.`);
  const out = new Map<string, NamedArray>();
  manifest.forEach((g, gi) => {
    const group = g as { paths?: unknown; weights?: unknown };
    if (typeof group !== 'object' || group === null || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw new FileFormatError(`${what}: weightsManifest group ${gi + 1} needs \`paths\` and \`weights\` lists. help: the file is corrupt.`);
    }
    const entries = group.weights.map((e) => checkEntry(e, what));
    const need = entries.reduce((n, e) => n + e.shape.reduce((a, b) => a * b, 1) * BYTES[e.quantization?.dtype ?? e.dtype], 0);
    const files = group.paths.map((p) => pathInside(dir, p, what));
    const sizes = files.map((f) => fs.statSync(f).size);
    const have = sizes.reduce((a, b) => a + b, 0);
    if (have !== need) {
      throw new FileFormatError(
        `${what}: the weights of group ${gi + 1} need ${need} bytes by their shapes and dtypes, but its shard files (${group.paths.join(', ')}) hold ${have}. help: a shard is truncated or missing; copy the model again.`,
      );
    }
    const bytes = new Uint8Array(have);
    let at = 0;
    files.forEach((f) => {
      const b = readFileBytes(f, what);
      bytes.set(b.subarray(0, Math.min(b.length, have - at)), at);
      at += b.length;
    });
    let offset = 0;
    for (const e of entries) {
      const count = e.shape.reduce((a, b) => a * b, 1);
      const length = count * BYTES[e.quantization?.dtype ?? e.dtype];
      if (out.has(e.name)) throw new FileFormatError(`${what}: the weight '${e.name}' appears twice. help: the file is corrupt.`);
      out.set(e.name, { name: e.name, shape: e.shape, data: decode(e, bytes.subarray(offset, offset + length), count) });
      offset += length;
    }
  });
  return out;
}

/** Loads the manifest's weights into `model`, matched by weight name as tfjs-layers does. */
export function loadTfjsWeights(model: Model, json: JsonObject, dir: string, what: string): void {
  const arrays = readManifestWeights(json, dir, what);
  const weights: Weight[] = [...new Set(model.layers.flatMap((l) => kerasOrder(l)))];
  const missing = weights.filter((w) => !arrays.has(w.name));
  if (missing.length > 0) {
    throw new FileFormatError(
      `${what}: the file has no values for weights ${missing.slice(0, 5).map((w) => `'${w.name}'`).join(', ')}${missing.length > 5 ? ', ...' : ''} ` +
        `(it has ${[...arrays.keys()].slice(0, 5).join(', ')}${arrays.size > 5 ? ', ...' : ''}). help: load weights saved from the same architecture.`,
    );
  }
  const used = new Set(weights.map((w) => w.name));
  const extra = [...arrays.keys()].filter((n) => !used.has(n));
  if (extra.length > 0) throw new FileFormatError(`${what}: the file has weights the model does not: ${extra.slice(0, 5).join(', ')}. help: load weights saved from the same architecture.`);
  assignAll(weights.map((w) => [w, arrays.get(w.name) as NamedArray]), what);
}
