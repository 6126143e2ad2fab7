/**
 * k.layers.serialize / deserialize, as Keras's (`keras.layers.serialize` is
 * `serialize_keras_object`): a layer as Keras 3's dict `{module, class_name, config,
 * registered_name}` (snake_case config, nested objects as dicts; JSON.stringify gives what Keras
 * writes), and back from that dict or from keras-ts's `{className, config}`. Both directions are
 * saving's (serializeKerasObject / deserializeKerasObject), reached through engine/rebuild's hooks
 * because layers may not import saving; the layers a layer holds come back with it.
 */
import { ValueError } from '../engine/errors';
import { Layer, LayerConfig } from '../engine/layer';
import { rebuildLayer, serializeLayer } from '../engine/rebuild';

/** A layer as Keras 3's dict (what `keras.layers.serialize` returns). Keras: `serialize` */
export function serialize(layer: Layer): Record<string, unknown> {
  if (!(layer instanceof Layer)) throw new ValueError(`layers.serialize: expected a layer, got ${String(layer)}. help: pass a layer, e.g. serialize(new Dense(3)).`);
  return serializeLayer(layer, 'layers.serialize');
}

/** A new layer from Keras 3's dict or keras-ts's `{className, config}` (its weights are created when it is built). Keras: `deserialize` */
export function deserialize(spec: Record<string, unknown> | { className: string; config: LayerConfig }): Layer {
  const s = spec as { className?: unknown; class_name?: unknown };
  if (typeof spec !== 'object' || spec === null || (typeof s.className !== 'string' && typeof s.class_name !== 'string')) {
    throw new ValueError(`layers.deserialize: expected {className, config} or Keras's {class_name, config}, got ${JSON.stringify(spec)?.slice(0, 80)}. help: pass what layers.serialize returned.`);
  }
  if (typeof s.className === 'string') return rebuildLayer({ className: s.className, config: (spec as { config?: LayerConfig }).config ?? {} }, 'layers.deserialize');
  return rebuildLayer(spec, 'layers.deserialize');
}
