/**
 * Wrapper, as Keras's abstract base class: a layer that holds one other layer (`layer`) and
 * changes how it is applied. The base builds the inner layer on the wrapper's input shape, owns
 * its weights (the wrapper's weights are the inner layer's; frozen with the wrapper), disposes
 * it, and saves it in the config as `layer`, rebuilt by name through saving's one registry. A
 * subclass writes `call` (and computeOutputShape when the shape changes).
 */
import { ValueError } from '../engine/errors';
import { Layer, LAYER_KEYS, LayerArgs, LayerConfig } from '../engine/layer';
import { optionKeys } from '../engine/options';
import { rebuildLayer } from '../engine/rebuild';
import type { Shape } from '../engine/symbolic_tensor';
import type { Weight } from '../engine/weight';

export interface WrapperArgs extends LayerArgs {
  /** The wrapped layer. Keras: `layer` */
  layer: Layer;
}

export const WRAPPER_KEYS = optionKeys<WrapperArgs>()('layer', ...LAYER_KEYS);

export abstract class Wrapper extends Layer {
  static override readonly optionKeys: readonly string[] = WRAPPER_KEYS;
  static override readonly positional: readonly string[] = ['layer'];
  readonly layer: Layer;

  constructor(args: WrapperArgs, given: unknown = args) {
    const { layer, ...rest } = args ?? ({} as WrapperArgs);
    super(rest, given);
    if (!(layer instanceof Layer)) {
      throw new ValueError(`${new.target.name} '${this.name}': \`layer\` must be a Layer, got ${String(layer)}. help: e.g. new ${new.target.name}({layer: new Dense({units: 8})}).`);
    }
    this.layer = layer;
  }

  /** The inner layer checks its own axes. */
  protected override get fixedAxes(): null {
    return null;
  }

  override build(inputShape: Shape | Shape[]): void {
    this.layer.ensureBuilt(inputShape);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return this.layer.computeOutputShape(inputShape);
  }

  override get trainableWeights(): Weight[] {
    return this.trainable ? this.layer.trainableWeights : [];
  }

  override get nonTrainableWeights(): Weight[] {
    return this.trainable ? this.layer.nonTrainableWeights : this.layer.weights;
  }

  override dispose(): void {
    this.layer.dispose();
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), layer: { className: this.layer.className, config: this.layer.getConfig() } };
  }

  /** The inner layer comes as a config, rebuilt through the registry. */
  static override fromConfig<T extends Layer>(this: new (options: never) => T, config: LayerConfig): T {
    return new this({ ...config, layer: rebuildLayer(config.layer, `${this.name}.fromConfig`) } as never);
  }
}
