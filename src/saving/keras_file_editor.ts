/**
 * Keras's `keras.saving.KerasFileEditor`, the inspecting half: opens a .keras file (a path or its
 * bytes) and gives its config, metadata and every stored array by object path ('layers/dense/vars'
 * -> {'0': kernel, '1': bias}), `summary()` of them, and `compare(model)` of their shapes with a
 * model's weights. The editing half of Keras's class (rename_object, delete_object, add_object,
 * add_weights, save) is not here: keras-ts writes .keras files from models only; edit a loaded
 * model and save it instead.
 */
import * as fs from 'fs';
import { ValueError } from '../engine/errors';
import type { Model } from '../models/model';
import { readKerasArchive } from './formats/keras_zip';
import { H5Reader, NamedArray } from './io/h5_file';
import type { JsonObject } from './keras_json';
import { LoadBudget } from './load_budget';

/** One stored array: its shape and values (float32 weights; counters as read). */
export type StoredArray = Omit<NamedArray, 'name'>;

export interface CompareResult {
  /** 'success' when every weight of the model has a stored array of its shape, in order, and nothing is left over. */
  status: 'success' | 'error';
  /** What differs, one line each. */
  messages: string[];
}

export class KerasFileEditor {
  private constructor(
    /** The file's model config (config.json). */
    readonly config: JsonObject,
    /** Every stored array by the path of the object that owns it, then its index. Keras: `weights_dict` */
    readonly weightsDict: Record<string, Record<string, StoredArray>>,
    readonly what: string,
  ) {}

  /** Reads a .keras file (a path, or its bytes). Keras: `KerasFileEditor(filepath)` */
  static async open(source: string | Uint8Array): Promise<KerasFileEditor> {
    const what = typeof source === 'string' ? `KerasFileEditor('${source}')` : 'KerasFileEditor(bytes)';
    let bytes: Uint8Array;
    if (typeof source === 'string') {
      if (!source.toLowerCase().endsWith('.keras')) throw new ValueError(`${what}: expected a .keras file, got '${source}'. help: KerasFileEditor reads Keras 3 .keras archives (model.save('m.keras')).`);
      bytes = new Uint8Array(await fs.promises.readFile(source));
    } else if (source instanceof Uint8Array) {
      bytes = source;
    } else {
      throw new ValueError(`KerasFileEditor: expected a file path or the file's bytes, got ${typeof source}. help: await KerasFileEditor.open('model.keras').`);
    }
    const budget = new LoadBudget();
    const archive = readKerasArchive(bytes, what, budget);
    const file = await H5Reader.open(archive.weights, `${what} (model.weights.h5)`);
    try {
      file.checkDeclaredSizes(budget);
      const dict: Record<string, Record<string, StoredArray>> = {};
      collect(file, '', dict);
      return new KerasFileEditor(archive.config, dict, what);
    } finally {
      file.close();
    }
  }

  /** One line per object: its path, then each stored array's index and shape. Keras: `summary` (which prints; this returns the text) */
  summary(): string {
    const lines = [`${this.what}: ${Object.keys(this.weightsDict).length} objects with weights`];
    for (const [path, arrays] of Object.entries(this.weightsDict)) {
      lines.push(`${path}: ${Object.entries(arrays).map(([i, a]) => `${i} [${a.shape.join(', ')}]`).join(', ')}`);
    }
    return lines.join('\n');
  }

  /** Whether the file's layer weights fit `model`'s: count and shapes, layer by layer in order. Keras: `compare` */
  compare(model: Model): CompareResult {
    const stored = Object.entries(this.weightsDict).filter(([path]) => path.startsWith('layers/')).flatMap(([path, arrays]) => Object.values(arrays).map((a) => ({ path, shape: a.shape })));
    const weights = model.weights;
    const messages: string[] = [];
    if (stored.length !== weights.length) messages.push(`the file holds ${stored.length} layer weights, the model has ${weights.length}`);
    weights.forEach((w, i) => {
      const s = stored[i];
      if (s !== undefined && (s.shape.length !== w.shape.length || s.shape.some((d, j) => d !== w.shape[j]))) {
        messages.push(`weight ${i} '${w.name}' has shape [${w.shape}], the file's (${s.path}) [${s.shape}]`);
      }
    });
    return { status: messages.length === 0 ? 'success' : 'error', messages };
  }
}

/** Every group under `path` whose 'vars' group holds datasets, as Keras's H5 layout stores objects. */
function collect(file: H5Reader, path: string, out: Record<string, Record<string, StoredArray>>): void {
  for (const key of file.keys(path)) {
    const child = path === '' ? key : `${path}/${key}`;
    if (!file.isGroup(child)) continue;
    if (key === 'vars') {
      const arrays: Record<string, StoredArray> = {};
      for (const name of file.keys(child)) {
        if (!file.isDataset(`${child}/${name}`)) continue;
        const { shape, data } = file.readArray(`${child}/${name}`);
        arrays[name] = { shape, data };
      }
      if (Object.keys(arrays).length > 0) out[path] = arrays;
    } else {
      collect(file, child, out);
    }
  }
}
