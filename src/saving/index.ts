/** k.models: loading, cloning and building models from saved files and Keras JSON. */
export { loadModel, modelFromJson, cloneModel, saveModel } from './model_io';
export type { SaveOptions, LoadWeightsOptions, LoadModelOptions } from './options';
