/**
 * k.applications: Keras's pre-built image models, one file per family, each exporting its
 * application functions and its Keras module's `preprocessInput` / `decodePredictions`; the module
 * namespaces are the camelCase of Keras's module names (`k.applications.mobilenetV2`).
 */
export * as imagenetUtils from './imagenet_utils';
export type { ApplicationOptions } from './common';
export type { WeightFiles } from './weights';
export type { PreprocessMode, PreprocessOptions, DecodedPrediction, ImageBatch } from './imagenet_utils';
