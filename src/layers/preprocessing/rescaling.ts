import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';
import { CallContext, Layer, LAYER_KEYS, LayerArgs, LayerConfig } from '../../engine/layer';
import { optionKeys } from '../../engine/options';
import type { Shape } from '../../engine/symbolic_tensor';
import { layerArgs } from '../../engine/positional';

export interface RescalingArgs extends LayerArgs {
  /** The factor, e.g. 1 / 255, or one per channel (broadcast over the last axis). Keras: `scale` */
  scale: number | number[];
  /** Added after scaling, one number or one per channel. Keras: `offset` @default 0 */
  offset?: number | number[];
}

/** inputs · scale + offset (e.g. pixels in [0, 255] to [0, 1]). */
export class Rescaling extends Layer {
  static override readonly optionKeys: readonly string[] = optionKeys<RescalingArgs>()(...LAYER_KEYS, 'scale', 'offset');
  readonly className = 'Rescaling';
  readonly scale: number | number[];
  readonly offset: number | number[];
  override supportsMasking = true;

  static override readonly positional = ['scale'];

  constructor(scale: number, options?: Omit<RescalingArgs, 'scale'>);
  constructor(args: RescalingArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<RescalingArgs>(new.target, given);
    super(args);
    this.scale = args?.scale;
    this.offset = args.offset ?? 0;
    const finite = (v: unknown) => (Array.isArray(v) ? v.length > 0 && v.every(Number.isFinite) : Number.isFinite(v));
    if (!finite(this.scale) || !finite(this.offset)) {
      throw new ValueError(`Rescaling '${this.name}': \`scale\` and \`offset\` must be finite numbers, got ${args?.scale} and ${args?.offset}. help: e.g. {scale: 1 / 255}.`);
    }
  }

  protected override get fixedAxes(): null {
    return null;
  }

  /** The output has the input's shape (declared, so no shape inference runs the layer on zeros). */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  call(x: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    void ctx;
    const y = tfc.mul(x.dtype === 'float32' ? x : tfc.cast(x, 'float32'), this.scale);
    return this.offset === 0 ? y : tfc.add(y, this.offset);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), scale: this.scale, offset: this.offset };
  }
}
