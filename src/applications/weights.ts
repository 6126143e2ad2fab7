/**
 * An application's weights, as Keras's `weights` argument means them: `null` keeps the random
 * initialisation; a path loads that Keras weights file (.h5 by the order of the weighted layers,
 * as Keras; .weights.h5 / .keras as saved); `'imagenet'` loads Keras's own file (`files`: its name, origin and hash, facts from
 * Keras's source) from Keras's cache folder, `$KERAS_HOME/models` or `~/.keras/models`.
 * `imagenetWeightsPath` is the one place that resolves an 'imagenet' file.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ValueError } from '../engine/errors';
import type { Model } from '../models/model';
import { getFile, kerasHome } from '../utils/files/get_file';

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

/**
 * The local path of Keras's pre-trained file `fileName` in Keras's cache (`kerasHome()/models`, where
 * Keras keeps it: a file a Keras user already has is used as it is). When it is not there,
 * k.utils.getFile downloads it from `origin` + `urlName` and checks Keras's hash; offline, the error
 * names that URL and the exact path to place the file at by hand. A file placed there by hand is
 * trusted as it is (Keras would check its hash and download it again on a mismatch).
 */
export async function imagenetWeightsPath(fileName: string, origin: string, fileHash: string, urlName = fileName): Promise<string> {
  const cached = path.join(kerasHome(), 'models', fileName);
  if (fs.existsSync(cached)) return cached;
  return getFile(fileName, { origin: `${origin}${urlName}`, fileHash, cacheSubdir: 'models' });
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
  // As Keras's model.load_weights: a legacy .h5 file by the order of the layers with weights (Keras's
  // own files name some layers by a process counter, 'conv2d_1'..., which names cannot match).
  await model.loadWeights(file);
}
