/**
 * The TensorFlow.js layers format on disk: a folder with model.json (`modelTopology`: the Keras 2
 * model config; `weightsManifest`: groups of shard files and the weights they hold, in order) and
 * binary shards of at most 4 MB. Written as float32; read (through tfjs_artifacts, which also
 * decodes URLs and in-memory artifacts) also with uint8/uint16/float16 quantization. Every shard
 * path is checked to stay inside the folder, and every group's byte length against its weights'
 * shapes and dtypes, before anything is used.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Model } from '../../models/model';
import { FileFormatError } from '../../engine/errors';
import type { NamedArray } from '../io/h5_file';
import { LoadBudget } from '../load_budget';
import { pathInside, readFileBytes, regularFileSize, writeFileAtomic } from '../io/files';
import { checkGroupBytes, concatBytes, decodeWeights, manifestGroups, parseModelJson, TfjsModel, tfjsTopology } from './tfjs_artifacts';
import { encodeTfjsModel } from './tfjs_encode';

/** tfjs-converter's default shard size. */
export const SHARD_BYTES = 4 * 1024 * 1024;

/**
 * Writes model.json and its shards into `dir` so that a crash at any point leaves the old model or
 * the new one, never a mix: the new shards never overwrite files the old model.json lists (they get
 * fresh names when tfjs's usual ones are taken), each is written atomically and flushed, then
 * model.json is renamed into place (the commit), and only then are the old shards removed.
 */
export function saveTfjs(model: Model, dir: string, includeTraining: boolean): void {
  const { modelTopology, weightSpecs, weightData: buffer, generatedBy } = encodeTfjsModel(model, includeTraining);
  const total = buffer.length;
  const shards = Math.max(1, Math.ceil(total / SHARD_BYTES));
  fs.mkdirSync(dir, { recursive: true });
  const old = oldShards(dir);
  let paths = Array.from({ length: shards }, (_, i) => `group1-shard${i + 1}of${shards}.bin`);
  if (paths.some((p) => old.has(p))) {
    const id = Math.random().toString(36).slice(2, 10);
    paths = paths.map((p) => p.replace(/\.bin$/, `.${id}.bin`));
  }
  paths.forEach((p, i) => writeFileAtomic(path.join(dir, p), buffer.subarray(i * SHARD_BYTES, Math.min(total, (i + 1) * SHARD_BYTES))));
  const modelJson = {
    format: 'layers-model',
    generatedBy,
    convertedBy: null,
    modelTopology,
    weightsManifest: [{ paths, weights: weightSpecs }],
  };
  writeFileAtomic(path.join(dir, 'model.json'), JSON.stringify(modelJson));
  const kept = new Set(paths);
  for (const p of old) {
    const file = path.join(dir, p);
    if (!kept.has(p) && fs.lstatSync(file, { throwIfNoEntry: false })?.isFile()) fs.rmSync(file);
  }
}

/** The shard files the folder's current model.json lists (plain names inside the folder only). */
function oldShards(dir: string): Set<string> {
  const out = new Set<string>();
  try {
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')) as { weightsManifest?: Array<{ paths?: unknown[] }> };
    for (const g of json.weightsManifest ?? []) {
      for (const p of g.paths ?? []) if (typeof p === 'string' && /^\w[\w.-]*$/.test(p) && !p.includes('..') && p !== 'model.json') out.add(p);
    }
  } catch {
    // no model.json (or not ours to read): nothing to keep or remove
  }
  return out;
}

/** A folder, a path ending in a separator, or a model.json: the tfjs layers format. */
export function isTfjsTarget(filepath: string): boolean {
  return filepath.endsWith('/') || filepath.endsWith(path.sep) || path.basename(filepath) === 'model.json' || (fs.existsSync(filepath) && fs.statSync(filepath).isDirectory());
}

/** The model.json path for a folder or a model.json path. */
export function modelJsonPath(target: string): string {
  return fs.existsSync(target) && fs.statSync(target).isDirectory() ? path.join(target, 'model.json') : target;
}

/**
 * Reads a tfjs layers model from its folder (or its model.json path): model.json, then each
 * group's shards, each path checked to stay inside the folder and each group's size against its
 * weights before a byte is read; decoded by tfjs_artifacts.
 */
export function readTfjsFolder(target: string, budget: LoadBudget = new LoadBudget()): TfjsModel {
  const file = modelJsonPath(target);
  const dir = path.dirname(file);
  const json = parseModelJson(readFileBytes(file, 'loadModel', budget), file);
  const { modelConfig, trainingConfig } = tfjsTopology(json, file);
  const groups = manifestGroups(json, file);
  // Every path checked, every shard distinct and every size known before a byte of weights is read.
  const seen = new Map<string, unknown>();
  const files = groups.map((group) =>
    group.paths.map((p) => {
      const real = pathInside(dir, p, file);
      if (seen.has(real)) throw new FileFormatError(`${file}: the shard '${String(p)}' is listed twice in weightsManifest (as '${String(seen.get(real))}' too). help: the file is corrupt or hostile.`);
      seen.set(real, p);
      return real;
    }),
  );
  budget.spend(groups.reduce((n, g) => n + g.bytes, 0), `${file}: weightsManifest`);
  groups.forEach((group, gi) => checkGroupBytes(group, gi, files[gi].reduce((n, f) => n + regularFileSize(f, file), 0), file));
  const weights = new Map<string, NamedArray>();
  groups.forEach((group, gi) => {
    const bytes = concatBytes(files[gi].map((f) => readFileBytes(f, file)));
    checkGroupBytes(group, gi, bytes.length, file); // a shard changed while read
    decodeWeights(group.entries, bytes, weights, file);
    budget.checkTime(file);
  });
  return { modelConfig, trainingConfig, weights };
}
