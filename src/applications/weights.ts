/**
 * An application's weights, as Keras's `weights` argument means them: `null` keeps the random
 * initialisation; a path loads that Keras weights file (.h5 by layer name, .weights.h5 / .keras
 * as saved); `'imagenet'` loads Keras's own file (`files`: its name, origin and hash, facts from
 * Keras's source) from Keras's cache folder, `$KERAS_HOME/models` or `~/.keras/models`.
 * `imagenetWeightsPath` is the one place that resolves an 'imagenet' file.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ValueError } from '../engine/errors';
import type { Model } from '../models/model';

/** Keras's pre-trained files of one application: where they are served and their names and hashes. */
export interface WeightFiles {
  /** The URL folder the files are served from, ending in '/'. */
  origin: string;
  /**
   * The file with the classifier, and its hash as Keras's source gives it; a third element when the
   * file's name at `origin` differs from its name in the cache (NASNet: `NASNet-mobile.h5` is cached
   * as `nasnet_mobile.h5`).
   */
  top?: [fileName: string, fileHash: string, urlName?: string];
  /** The file without the classifier (includeTop: false), and its hash (and name at `origin`, as `top`). */
  notop?: [fileName: string, fileHash: string, urlName?: string];
}

/** Keras's cache folder: `$KERAS_HOME`, else `~/.keras` (Keras's `get_file` default). */
export function kerasHome(): string {
  const home = process.env.KERAS_HOME;
  return home !== undefined && home !== '' ? home : path.join(os.homedir(), '.keras');
}

/**
 * The local path of Keras's pre-trained file `fileName` (cache subfolder 'models'): the path when
 * the file is there; otherwise an error naming the URL to download and the exact path to place it at.
 */
export async function imagenetWeightsPath(fileName: string, origin: string, fileHash: string, urlName = fileName): Promise<string> {
  void fileHash; // checked by k.utils.getFile once downloads go through it
  const file = path.join(kerasHome(), 'models', fileName);
  if (fs.existsSync(file)) return file;
  throw new ValueError(
    `weights 'imagenet': Keras's file ${fileName} is not in Keras's cache (${file}). ` +
      `help: download ${origin}${urlName} and place the file there by hand (set KERAS_HOME to use another cache folder), or pass weights: null or a path.`,
  );
}

/**
 * Loads `weights` into `model`: null does nothing; 'imagenet' takes the top or no-top file of
 * `files` from Keras's cache; any other string is a weights file's path.
 */
export async function loadApplicationWeights(model: Model, weights: string | null, includeTop: boolean, files: WeightFiles): Promise<void> {
  if (weights === null) return;
  let file = weights;
  if (weights === 'imagenet') {
    const entry = includeTop ? files.top : files.notop;
    if (entry === undefined) {
      throw new ValueError(
        `${model.name}: Keras publishes no 'imagenet' weights ${includeTop ? 'with' : 'without'} the top for this model. ` +
          `help: pass includeTop: ${!includeTop}, or weights: null.`,
      );
    }
    file = await imagenetWeightsPath(entry[0], files.origin, entry[1], entry[2]);
  } else if (!fs.existsSync(weights)) {
    throw new ValueError(
      `${model.name}: weights must be 'imagenet', null or the path of a weights file; no file at '${weights}'. help: check the path, or pass weights: null.`,
    );
  }
  const legacyH5 = /\.(h5|hdf5)$/i.test(file) && !/\.weights\.h5$/i.test(file);
  await model.loadWeights(file, legacyH5 ? { byName: true } : {});
}
