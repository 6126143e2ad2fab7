/**
 * k.saving: Keras 3's keras.saving names. Saving and loading models and weights (the same
 * functions as `k.models.saveModel` / `model.saveWeights`), the custom-object table and scopes,
 * registration, and Keras's JSON form of any object.
 */
import type { Model } from '../models/model';
import { loadWeights as loadModelWeights, saveWeights as saveModelWeights } from './model_io';
import type { LoadWeightsOptions, SaveOptions } from './options';

export { loadModel, saveModel } from './model_io';
export { registerKerasSerializable } from './registry';
export type { RegisterOptions } from './registry';
export { CustomObjectScope, getCustomObjects, getRegisteredName, getRegisteredObject } from './custom_objects';
export { serializeKerasObject, deserializeKerasObject } from './keras_object';
export type { DeserializeOptions } from './keras_object';

/** Saves `model`'s weights to a '.weights.h5' (or Keras 2 '.h5') file: `model.saveWeights(filepath)`. Keras: `save_weights` */
export function saveWeights(model: Model, filepath: string, options?: SaveOptions): Promise<void> {
  return saveModelWeights(model, filepath, options);
}

/** Loads weights into `model` from a .weights.h5, .h5, .keras file or tfjs folder: `model.loadWeights(filepath)`. Keras: `load_weights` */
export function loadWeights(model: Model, filepath: string, options?: LoadWeightsOptions): Promise<void> {
  return loadModelWeights(model, filepath, options);
}
export { KerasFileEditor } from './keras_file_editor';
export type { CompareResult, StoredArray } from './keras_file_editor';
