import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { CallContext, Layer, LAYER_KEYS, LayerArgs, LayerConfig } from '../engine/layer';
import { checkMaskShape, firstMask, MaskArg } from '../engine/masking';
import { optionKeys } from '../engine/options';
import { layerArgs } from '../engine/positional';
import { formatShape, Shape } from '../engine/symbolic_tensor';
import type { Weight } from '../engine/weight';
import { rebuildLayer } from '../engine/rebuild';

export interface TimeDistributedArgs extends LayerArgs {
  /** The layer applied to every time step (it sees inputs of shape (batch, ...features)). Keras: `layer` */
  layer: Layer;
}

/**
 * Applies a layer to every step of a sequence (the second axis) with the same weights: the batch
 * and time axes are merged, the layer runs once on (batch × steps, ...), and the axes are split
 * again. A mask passes through (and reaches the layer when it supports masking).
 */
export class TimeDistributed extends Layer {
  static override readonly optionKeys: readonly string[] = optionKeys<TimeDistributedArgs>()('layer', ...LAYER_KEYS);
  readonly className = 'TimeDistributed';
  readonly layer: Layer;
  override supportsMasking = true;

  static override readonly positional = ['layer'];

  constructor(layer: Layer, options?: Omit<TimeDistributedArgs, 'layer'>);
  constructor(args: TimeDistributedArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<TimeDistributedArgs>(new.target, given);
    super(args);
    if (!(args?.layer instanceof Layer)) {
      throw new ValueError(
        `TimeDistributed '${this.name}': \`layer\` must be a Layer, got ${String(args?.layer)}. help: e.g. new TimeDistributed({layer: new Dense({units: 10})}).`,
      );
    }
    this.layer = args.layer;
  }

  /** Any rank from 3 up; the inner layer checks its own axes. */
  protected override get fixedAxes(): null {
    return null;
  }

  private stepShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    if (Array.isArray(shape[0]) || shape.length < 3) {
      throw new ValueError(
        `${this.name} (TimeDistributed): expected one input of rank 3 or more (batch, timesteps, ...), got ${JSON.stringify(inputShape)}. ` +
          'help: give each sample a time axis first.',
      );
    }
    return [shape[0] === null || shape[1] === null ? null : shape[0] * (shape[1] as number), ...shape.slice(2)];
  }

  override build(inputShape: Shape | Shape[]): void {
    this.layer.ensureBuilt([null, ...this.stepShape(inputShape).slice(1)]);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    const inner = this.layer.computeOutputShape([null, ...this.stepShape(shape).slice(1)]);
    if (Array.isArray(inner[0])) throw new ValueError(`${this.name} (TimeDistributed): the wrapped layer must have one output, got ${(inner as Shape[]).map(formatShape).join(', ')}.`);
    return [shape[0], shape[1], ...(inner as Shape).slice(1)];
  }

  call(x: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    const [batch, steps, ...rest] = x.shape;
    const mask = firstMask(ctx.mask);
    if (mask) checkMaskShape(`${this.name} (TimeDistributed)`, x, mask);
    const flatMask = mask && this.layer.supportsMasking ? tfc.reshape(mask, [batch * steps]) : null;
    const [y] = this.layer.callOnTensors(tfc.reshape(x, [batch * steps, ...rest]), { ...ctx, mask: flatMask, args: {} });
    return tfc.reshape(y, [batch, steps, ...y.shape.slice(1)]);
  }

  override computeMask(x: tfc.Tensor, mask: MaskArg | undefined): MaskArg {
    void x;
    return firstMask(mask);
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
    return new this({ ...config, layer: rebuildLayer(config.layer, 'TimeDistributed.fromConfig') } as never);
  }
}
