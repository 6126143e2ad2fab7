/**
 * Pipeline, as Keras's: a list of layers applied in order to one input, each getting the
 * previous one's output and mask and the call's training flag (Keras meant it for preprocessing
 * and augmentation stacks that run outside a model). Its weights are its layers'; its config is
 * `layers` (each saved by class and config, rebuilt through the registry) and `name`.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { CallContext, Layer, LAYER_KEYS, LayerArgs, LayerConfig, optionsOf } from '../engine/layer';
import { firstMask, MaskArg } from '../engine/masking';
import { optionKeys } from '../engine/options';
import { layerArgs } from '../engine/positional';
import { rebuildLayer } from '../engine/rebuild';
import type { Shape } from '../engine/symbolic_tensor';
import type { Weight } from '../engine/weight';

export interface PipelineArgs extends LayerArgs {
  /** The layers, applied in this order. Keras: `layers` */
  layers: Layer[];
}

export class Pipeline extends Layer {
  static override readonly optionKeys: readonly string[] = optionKeys<PipelineArgs>()('layers', ...LAYER_KEYS);
  static override readonly positional = ['layers'];
  readonly className = 'Pipeline';
  readonly layers: Layer[];
  override supportsMasking = true;
  /** Called alone, its layers run in training mode, as Keras's Pipeline.call(training=True). */
  protected override readonly trainingWhenAlone = true;

  constructor(layers: Layer[], options?: Omit<PipelineArgs, 'layers'>);
  constructor(args: PipelineArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<PipelineArgs>(new.target, given);
    const { layers, ...rest } = args ?? ({} as PipelineArgs);
    super(rest, args);
    if (!Array.isArray(layers) || !layers.every((l) => l instanceof Layer)) {
      throw new ValueError(`Pipeline '${this.name}': \`layers\` must be a list of layers, got ${String(layers)}. help: e.g. new Pipeline([new RandomFlip(), new RandomRotation(0.1)]).`);
    }
    this.layers = [...layers];
  }

  protected override get fixedAxes(): null {
    return null;
  }

  override build(inputShape: Shape | Shape[]): void {
    this.layers.reduce<Shape | Shape[]>((shape, layer) => {
      layer.ensureBuilt(shape);
      return layer.computeOutputShape(shape);
    }, inputShape);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return this.layers.reduce<Shape | Shape[]>((shape, layer) => layer.computeOutputShape(shape), inputShape);
  }

  call(x: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    let out = x;
    let mask: MaskArg = firstMask(ctx.mask);
    for (const layer of this.layers) {
      const run = layer.callMasked(out, { ...ctx, trainingUnset: undefined, mask: layer.supportsMasking ? mask : null, args: {} });
      [out] = run.outputs;
      mask = run.masks[0] ?? null;
    }
    return out;
  }

  override computeMask(x: tfc.Tensor, mask: MaskArg | undefined): MaskArg {
    let m: MaskArg = firstMask(mask);
    for (const layer of this.layers) m = layer.supportsMasking ? firstMask(layer.computeMask(x, m)) : null;
    return m;
  }

  override get trainableWeights(): Weight[] {
    return this.trainable ? this.layers.flatMap((l) => l.trainableWeights) : [];
  }

  override get nonTrainableWeights(): Weight[] {
    return this.trainable ? this.layers.flatMap((l) => l.nonTrainableWeights) : this.layers.flatMap((l) => l.weights);
  }

  override dispose(): void {
    this.layers.forEach((l) => l.dispose());
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), layers: this.layers.map((l) => ({ className: l.className, config: l.getConfig() })) };
  }

  /** The layers come as configs, rebuilt through the registry. */
  static override fromConfig<T extends Layer>(this: new (options: never) => T, config: LayerConfig): T {
    const options = optionsOf(config);
    if (!Array.isArray(options.layers)) {
      throw new ValueError(`Pipeline.fromConfig: the config must hold \`layers\`, a list of serialized layers, got ${JSON.stringify(options.layers)?.slice(0, 80)}. help: the file is corrupt.`);
    }
    return new this({ ...options, layers: options.layers.map((l) => rebuildLayer(l, 'Pipeline.fromConfig')) } as never);
  }
}
