/**
 * k.layers.serialize / deserialize, as Keras's: a layer as `{className, config}` and back,
 * rebuilt by name through saving's one registry (built-in classes and registered ones), with the
 * layers it holds. For Keras's JSON form ({class_name, config} with snake_case keys) load a model
 * file or use k.models.modelFromJson.
 */
import { ValueError } from '../engine/errors';
import { Layer, LayerConfig } from '../engine/layer';
import { rebuildLayer } from '../engine/rebuild';

/** A layer's class name and config (`deserialize` rebuilds it). */
export function serialize(layer: Layer): { className: string; config: LayerConfig } {
  if (!(layer instanceof Layer)) throw new ValueError(`layers.serialize: expected a layer, got ${String(layer)}. help: pass a layer, e.g. serialize(new Dense(3)).`);
  return { className: layer.className, config: layer.getConfig() };
}

/** A new layer from `{className, config}` (its weights are created when it is built). */
export function deserialize(spec: { className: string; config: LayerConfig }): Layer {
  if (typeof spec !== 'object' || spec === null || typeof spec.className !== 'string') {
    throw new ValueError(`layers.deserialize: expected {className, config}, got ${JSON.stringify(spec)?.slice(0, 80)}. help: pass what layers.serialize returned.`);
  }
  return rebuildLayer({ className: spec.className, config: spec.config ?? {} }, 'layers.deserialize');
}
