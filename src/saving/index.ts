/** k.models: loading, cloning and building models from saved files, bytes, URLs, tfjs artifacts and Keras JSON. */
export { loadModel, modelFromJson, cloneModel, saveModel } from './model_io';
export { MAX_DOWNLOAD_BYTES } from './io/http';
export type { SaveOptions, LoadWeightsOptions, LoadModelOptions } from './options';
export type { HttpUrl, ModelSource } from './load_source';
export type { BrowserUrl } from './io/browser_storage';
export type { ModelArtifacts } from './formats/tfjs_artifacts';
