/**
 * A model as tfjs's layers format holds it, in memory: `modelTopology` (the Keras 2 model config,
 * and the training config when asked), `weightSpecs` (name, shape, dtype: float32, in Keras's
 * order, each weight once) and `weightData` (their bytes, one buffer). tfjs_layers.ts writes it to
 * a folder in shards; the browser stores (browser_storage.ts) hand it to tfjs-core's IndexedDB,
 * localStorage and downloads handlers, so tfjs-layers and keras-ts read each other's models there.
 */
import type { Model } from '../../models/model';
import { Json, JsonObject, renameLegacyActivations } from '../keras_json';
import { kerasOrder } from '../keras_state';
import { layerToKeras } from '../serialize_layers';
import { compileToKeras } from '../serialize_training';
import { readWeight } from '../weights';
import { KERAS2_VERSION, KERAS_TS_VERSION } from './versions';

export interface EncodedTfjsModel {
  modelTopology: JsonObject;
  weightSpecs: Array<{ name: string; shape: number[]; dtype: 'float32' }>;
  weightData: Uint8Array;
  /** model.json's `generatedBy`. */
  generatedBy: string;
}

/** The model's config, training config (with `includeTraining`) and weights, as tfjs's layers format. */
export function encodeTfjsModel(model: Model, includeTraining: boolean): EncodedTfjsModel {
  const arrays = [...new Set(model.layers.flatMap((l) => kerasOrder(l)))].map(readWeight);
  const weightData = new Uint8Array(arrays.reduce((n, a) => n + a.data.byteLength, 0));
  let offset = 0;
  for (const a of arrays) {
    weightData.set(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength), offset);
    offset += a.data.byteLength;
  }
  const modelConfig = renameLegacyActivations(layerToKeras(model, 'keras2') as unknown as Json, 'write');
  const modelTopology: JsonObject = { keras_version: KERAS2_VERSION, backend: 'tensor_flow.js', model_config: modelConfig };
  const args = model.compileArgs;
  if (includeTraining && args !== null) modelTopology.training_config = compileToKeras(args, model.optimizer, 'keras2');
  return {
    modelTopology,
    weightSpecs: arrays.map((a) => ({ name: a.name, shape: a.shape, dtype: 'float32' })),
    weightData,
    generatedBy: `keras-ts ${KERAS_TS_VERSION}`,
  };
}
