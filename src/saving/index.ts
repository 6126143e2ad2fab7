/**
 * k.models: the Model and Sequential classes (Keras's keras.models.Model / Sequential), and
 * loading, cloning and building models from saved files, bytes, URLs, tfjs artifacts and Keras JSON.
 */
export { Model } from '../models/model';
export { Sequential } from '../models/sequential';
export { loadModel, modelFromJson, cloneModel, saveModel } from './model_io';
export { MAX_DOWNLOAD_BYTES } from './io/http';
export type { SaveOptions, LoadWeightsOptions, LoadModelOptions } from './options';
export type { HttpUrl, ModelSource } from './load_source';
export type { ModelArtifacts } from './formats/tfjs_artifacts';
