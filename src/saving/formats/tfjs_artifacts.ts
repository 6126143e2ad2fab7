/**
 * Decoding a TensorFlow.js layers model, wherever its parts came from (a folder, a URL, or
 * tfjs's in-memory `ModelArtifacts`): the model.json object gives the Keras model config, the
 * training config and the weight specs; the weight bytes, once gathered, are checked against the
 * specs (dtype, quantization, byte length) and decoded to float32 arrays. Nothing here reads a file
 * or the network: tfjs_layers.ts reads folders, load_source.ts URLs.
 */
import type * as tfc from '@tensorflow/tfjs-core';
import { FileFormatError, ValueError } from '../../engine/errors';
import type { Weight } from '../../engine/weight';
import type { Model } from '../../models/model';
import { float16ToNumber } from '../io/h5_file';
import type { NamedArray } from '../io/h5_file';
import { JsonObject, renameLegacyActivations } from '../keras_json';
import { kerasOrder } from '../keras_state';
import { assignAll } from '../weights';

/** tfjs's in-memory model (what `tf.io.fromMemory` takes and an IOHandler's `load()` returns). */
export type ModelArtifacts = tfc.io.ModelArtifacts;

/** A tfjs layers model, decoded: the Keras config, the training config and every weight by name. */
export interface TfjsModel {
  modelConfig: JsonObject;
  trainingConfig: JsonObject | null;
  weights: Map<string, NamedArray>;
}

export interface WeightEntry {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; scale?: number; min?: number };
}

/** A weightsManifest group: its shard paths (unchecked: the reader checks them) and its weights. */
export interface WeightGroup {
  paths: unknown[];
  entries: WeightEntry[];
  /** The bytes its weights take by their shapes and dtypes. */
  bytes: number;
}

/** An ArrayBuffer of any realm (a Node Buffer's, a test sandbox's), which `instanceof` misses. */
export function isArrayBuffer(x: unknown): x is ArrayBuffer {
  return Object.prototype.toString.call(x) === '[object ArrayBuffer]';
}

/** Whether `x` has the shape of tfjs's ModelArtifacts (as opposed to a path or bytes). */
export function isArtifacts(x: unknown): x is ModelArtifacts {
  return typeof x === 'object' && x !== null && !ArrayBuffer.isView(x) && !isArrayBuffer(x) && ('modelTopology' in x || 'weightSpecs' in x);
}

/** Decodes tfjs's in-memory ModelArtifacts with the checks a folder's model.json gets. */
export function decodeArtifacts(artifacts: ModelArtifacts, what: string): TfjsModel {
  const { modelConfig, trainingConfig } = tfjsTopology(artifacts as unknown as JsonObject, what);
  const specs: unknown = artifacts.weightSpecs ?? [];
  if (!Array.isArray(specs)) throw new FileFormatError(`${what}: weightSpecs must be a list of weight specs, got ${typeof specs}. help: pass the artifacts' weightSpecs as tfjs writes them.`);
  const { entries, bytes: need } = checkEntries(specs, what);
  const data = artifactBytes(artifacts, what);
  if (data.length !== need) {
    throw new FileFormatError(
      `${what}: weightSpecs need ${need} bytes by their shapes and dtypes, but weightData holds ${data.length}. ` +
        "help: pass the weight bytes that belong to these specs (a Node Buffer's .buffer may be a larger shared pool: use buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)).",
    );
  }
  const weights = new Map<string, NamedArray>();
  decodeWeights(entries, data, weights, what);
  return { modelConfig, trainingConfig, weights };
}

/** weightData (one ArrayBuffer or a list of them, concatenated in order) as one byte array. */
function artifactBytes(artifacts: ModelArtifacts, what: string): Uint8Array {
  const data: unknown = artifacts.weightData;
  if (data === undefined) {
    if (artifacts.getWeightStream !== undefined) throw new ValueError(`${what}: the artifacts stream their weights (getWeightStream), which keras-ts does not read. help: load them without streamWeights, so they carry weightData.`);
    return new Uint8Array(0);
  }
  const parts = Array.isArray(data) ? data : [data];
  return concatBytes(
    parts.map((p: unknown, i) => {
      if (isArrayBuffer(p)) return new Uint8Array(p);
      if (ArrayBuffer.isView(p)) return new Uint8Array(p.buffer, p.byteOffset, p.byteLength);
      const name = Array.isArray(data) ? `weightData[${i}]` : 'weightData';
      throw new FileFormatError(`${what}: ${name} is ${p === null ? 'null' : typeof p}, not an ArrayBuffer. help: pass an ArrayBuffer or a list of them, as tf.io.fromMemory takes.`);
    }),
  );
}

/** model.json's bytes as a JSON object, refusing graph models. */
export function parseModelJson(bytes: Uint8Array, what: string): JsonObject {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new FileFormatError(`${what}: not valid JSON (${(e as Error).message}). help: the file is corrupt or truncated.`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new FileFormatError(`${what}: model.json must hold a JSON object. help: the file is corrupt.`);
  return json as JsonObject;
}

/** The Keras model config and training config of a model.json object or of ModelArtifacts. */
export function tfjsTopology(obj: JsonObject, what: string): { modelConfig: JsonObject; trainingConfig: JsonObject | null } {
  if (obj.format === 'graph-model' || isArrayBuffer(obj.modelTopology)) {
    throw new ValueError(`${what}: a tfjs graph model (a TensorFlow graph, not Keras layers) cannot be loaded as a Keras model. help: convert the Keras model with --output_format tfjs_layers_model.`);
  }
  let topology = obj.modelTopology as JsonObject | undefined;
  if (typeof topology !== 'object' || topology === null || Array.isArray(topology)) throw new FileFormatError(`${what}: no modelTopology object. help: pass a tfjs layers model.json.`);
  const training = (topology.training_config ?? obj.trainingConfig ?? null) as JsonObject | null;
  if (topology.model_config !== undefined) topology = topology.model_config as JsonObject;
  if (typeof topology !== 'object' || topology === null || Array.isArray(topology)) throw new FileFormatError(`${what}: model_config is not an object. help: the file is corrupt.`);
  // tfjs-layers's 'hard_sigmoid' is Keras 2's
  return { modelConfig: renameLegacyActivations(topology, 'read') as JsonObject, trainingConfig: training };
}

/** The largest finite float32. */
const FLOAT32_MAX = 3.4028234663852886e38;

const BYTES: Record<string, number> = { float32: 4, int32: 4, uint8: 1, uint16: 2, float16: 2 };

/** Decodes one weight from its bytes (which hold exactly its values). */
function decode(entry: WeightEntry, bytes: Uint8Array, count: number, what: string): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(count);
  const q = entry.quantization;
  if (q === undefined) {
    if (entry.dtype === 'float32') for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
    else for (let i = 0; i < count; i++) out[i] = view.getInt32(i * 4, true);
    return out;
  }
  if (q.dtype === 'float16') {
    for (let i = 0; i < count; i++) out[i] = float16ToNumber(view.getUint16(i * 2, true));
    const bad = out.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new FileFormatError(`${what}: weight '${entry.name}': its float16 value at index ${bad} is ${out[bad]}. help: the file is corrupt; quantized weights must be finite.`);
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
  if (q !== undefined && q.dtype !== 'float16') {
    const scale = q.scale ?? 1;
    const min = q.min ?? 0;
    const top = min + (q.dtype === 'uint8' ? 255 : 65535) * scale;
    if (!(typeof scale === 'number' && typeof min === 'number' && Math.abs(min) <= FLOAT32_MAX && Math.abs(top) <= FLOAT32_MAX)) {
      throw new FileFormatError(`${what}: weight '${entry.name}' is quantized as ${q.dtype} with scale ${scale} and min ${min}, which de-quantize to values beyond float32 (up to ${top}). help: the file is corrupt.`);
    }
  }
  return entry;
}

function entryBytes(e: WeightEntry): number {
  return e.shape.reduce((a, b) => a * b, 1) * BYTES[e.quantization?.dtype ?? e.dtype];
}

/** Checks a list of weight specs and returns them with the bytes they take. */
export function checkEntries(specs: unknown[], what: string): { entries: WeightEntry[]; bytes: number } {
  const entries = specs.map((e) => checkEntry(e, what));
  return { entries, bytes: entries.reduce((n, e) => n + entryBytes(e), 0) };
}

/** model.json's weightsManifest, every group and weight spec checked (the shard paths are the reader's to check). */
export function manifestGroups(json: JsonObject, what: string): WeightGroup[] {
  const manifest = json.weightsManifest;
  if (!Array.isArray(manifest)) throw new FileFormatError(`${what}: no weightsManifest list. help: pass a tfjs layers model.json with its weights.`);
  const groups = manifest.map((g, gi) => {
    const group = g as { paths?: unknown; weights?: unknown };
    if (typeof group !== 'object' || group === null || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw new FileFormatError(`${what}: weightsManifest group ${gi + 1} needs \`paths\` and \`weights\` lists. help: the file is corrupt.`);
    }
    return { paths: group.paths, ...checkEntries(group.weights, what) };
  });
  const names = new Set<string>();
  for (const g of groups) {
    for (const e of g.entries) {
      if (names.has(e.name)) throw new FileFormatError(`${what}: the weight '${e.name}' appears twice in weightsManifest. help: the file is corrupt.`);
      names.add(e.name);
    }
  }
  return groups;
}

/** Refuses a group whose shards do not hold exactly the bytes its weights need. */
export function checkGroupBytes(group: WeightGroup, index: number, have: number, what: string): void {
  if (have !== group.bytes) {
    throw new FileFormatError(
      `${what}: the weights of group ${index + 1} need ${group.bytes} bytes by their shapes and dtypes, but its shard files (${group.paths.join(', ')}) hold ${have}. help: a shard is truncated or missing; copy the model again.`,
    );
  }
}

/** Decodes `entries` from `bytes` (exactly their total length, checked by the caller) into `out`, by name. */
export function decodeWeights(entries: WeightEntry[], bytes: Uint8Array, out: Map<string, NamedArray>, what: string): void {
  let offset = 0;
  for (const e of entries) {
    const count = e.shape.reduce((a, b) => a * b, 1);
    const length = entryBytes(e);
    if (out.has(e.name)) throw new FileFormatError(`${what}: the weight '${e.name}' appears twice. help: the file is corrupt.`);
    out.set(e.name, { name: e.name, shape: e.shape, data: decode(e, bytes.subarray(offset, offset + length), count, what) });
    offset += length;
  }
}

/** One buffer of `parts`' bytes, in order. */
export function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Assigns the decoded weights to `model`, matched by weight name as tfjs-layers does; every weight must be there, and no other. */
export function assignTfjsWeights(model: Model, arrays: Map<string, NamedArray>, what: string): void {
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
