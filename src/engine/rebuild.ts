/**
 * A layer rebuilt from `{className, config}` by name, for the layers that hold layers
 * (TimeDistributed, Bidirectional, RNN and its stacked cells). Every name goes through one
 * registry, saving's (the built-in classes and the user's, from registerKerasSerializable), so a
 * custom layer reloads inside a wrapper as it does at the top of a model. Layers may not import
 * saving (layers -> engine), so saving installs its resolver here when it is loaded; keras-ts's
 * index loads it, so the hook is in place whenever the package is.
 */
import { ValueError } from './errors';
import { Layer, LayerConfig } from './layer';

export interface LayerSpec {
  className: string;
  config: LayerConfig;
  /** Keras 3's 'package>Name' of a registered class. */
  registeredName?: string;
}

export type LayerResolver = (spec: LayerSpec, where: string) => Layer;
/** A layer as Keras 3's dict `{module, class_name, config, registered_name}`. */
export type LayerSerializer = (layer: Layer) => Record<string, unknown>;

let resolver: LayerResolver | null = null;
let serializer: LayerSerializer | null = null;

/** Installs saving's writer of Keras 3's dict (saving does, when loaded). */
export function setLayerSerializer(fn: LayerSerializer): void {
  serializer = fn;
}

/** `layer` as Keras 3's dict, written by saving (serializeKerasObject's own path). */
export function serializeLayer(layer: Layer, where: string): Record<string, unknown> {
  if (serializer === null) {
    throw new ValueError(`${where}: serializing a layer needs keras-ts's registry, which is not loaded. help: import keras-ts (its index), not a single file under src/layers.`);
  }
  return serializer(layer);
}

/** Installs the registry's resolver (saving does, when loaded). */
export function setLayerResolver(fn: LayerResolver): void {
  resolver = fn;
}

/** The layer a config names (a Layer given as is passes through), built through the registry. */
export function rebuildLayer(spec: unknown, where: string): Layer {
  if (spec instanceof Layer) return spec;
  if (resolver === null) {
    throw new ValueError(`${where}: rebuilding a layer by name needs keras-ts's registry, which is not loaded. help: import keras-ts (its index), not a single file under src/layers.`);
  }
  return resolver(spec as LayerSpec, where);
}
