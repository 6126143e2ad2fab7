/**
 * model.save to the browser's storage (io/browser_storage.ts names the schemes): a .keras or .h5
 * name under downloads:// is that Keras file, written by the same writers as in Node; anything else
 * is tfjs's layers format, which tfjs-core's IndexedDB, localStorage and downloads handlers store.
 */
import { ValueError } from '../engine/errors';
import type { Model } from '../models/model';
import { kerasArchive } from './formats/keras_zip';
import { legacyModelFile } from './formats/legacy_h5';
import type { ModelArtifacts } from './formats/tfjs_artifacts';
import { encodeTfjsModel } from './formats/tfjs_encode';
import { BrowserUrl, downloadBytes, parseBrowserUrl, saveArtifacts } from './io/browser_storage';
import type { SaveOptions } from './options';

export async function saveToBrowser(model: Model, url: BrowserUrl, options: SaveOptions, where: string): Promise<void> {
  const { scheme, name } = parseBrowserUrl(url, where);
  const withOptimizer = options.includeOptimizer ?? true;
  const file = /\.(keras|h5|hdf5)$/i.exec(name)?.[1].toLowerCase();
  if (scheme === 'downloads' && file !== undefined) {
    if (file !== 'keras' && model.isSubclassed) throw subclassed(where, model, 'legacy HDF5');
    const bytes = file === 'keras' ? await kerasArchive(model, withOptimizer, url) : await legacyModelFile(model, withOptimizer, url);
    downloadBytes(name, bytes, where);
    return;
  }
  if (file !== undefined) {
    throw new ValueError(`${where}: ${scheme}:// stores tfjs's layers format, not a .${file} file. help: name it without the extension ('${scheme}://${name.replace(/\.[^.]+$/, '')}'), or download the file with 'downloads://${name}'.`);
  }
  if (model.isSubclassed) throw subclassed(where, model, 'TensorFlow.js');
  const encoded = encodeTfjsModel(model, withOptimizer);
  const artifacts: ModelArtifacts = {
    modelTopology: encoded.modelTopology as unknown as ModelArtifacts['modelTopology'],
    weightSpecs: encoded.weightSpecs,
    weightData: encoded.weightData.buffer.slice(encoded.weightData.byteOffset, encoded.weightData.byteOffset + encoded.weightData.byteLength) as ArrayBuffer,
    format: 'layers-model',
    generatedBy: encoded.generatedBy,
    convertedBy: null,
  };
  await saveArtifacts(url, artifacts, options.overwrite ?? true, where);
}

function subclassed(where: string, model: Model, format: string): ValueError {
  return new ValueError(
    `${where}: '${model.name}' is a subclassed model; the ${format} format holds only Functional and Sequential graphs, as in Keras. ` +
      "help: download it as 'downloads://model.keras' (register its class and give it getConfig).",
  );
}
