/**
 * A layer from its { className, config }, for the layers that hold other layers (TimeDistributed,
 * Bidirectional, RNN's cell): the class is looked up among the layers this folder exports, so
 * nothing but a known class is ever built. (The saving registry resolves the same names.)
 */
import { ValueError } from '../engine/errors';
import type { Layer, LayerConfig } from '../engine/layer';
import * as all from './index';

export interface LayerSpec {
  className: string;
  config: LayerConfig;
}

type FromConfig = { fromConfig?: (config: LayerConfig) => Layer };

export function layerFromConfig(spec: LayerSpec, where: string): Layer {
  const cls = spec && typeof spec.className === 'string' ? (all as unknown as Record<string, FromConfig>)[spec.className] : undefined;
  if (typeof cls?.fromConfig !== 'function') {
    throw new ValueError(
      `${where}: no layer class ${JSON.stringify(spec?.className)} to rebuild from the config. ` +
        'help: built-in layers are rebuilt by name; for a custom layer, create the wrapper with the layer object.',
    );
  }
  return cls.fromConfig(spec.config);
}
