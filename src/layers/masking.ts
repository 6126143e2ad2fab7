import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { CallContext, Layer, LAYER_KEYS, LayerArgs, LayerConfig } from '../engine/layer';
import type { MaskArg } from '../engine/masking';
import { optionKeys } from '../engine/options';
import { layerArgs } from '../engine/positional';

export interface MaskingArgs extends LayerArgs {
  /** A step whose every feature equals this value is padding. Keras: `mask_value` @default 0 */
  maskValue?: number;
}

/**
 * Marks padding steps: a step (the second axis) whose features all equal `maskValue` is masked,
 * so the layers after it that support masking skip it, and it is zeroed in the output.
 */
export class Masking extends Layer {
  static override readonly optionKeys: readonly string[] = optionKeys<MaskingArgs>()('maskValue', ...LAYER_KEYS);
  readonly className = 'Masking';
  readonly maskValue: number;
  override supportsMasking = true;

  static override readonly positional = ['maskValue'];

  constructor(maskValue: number, options?: Omit<MaskingArgs, 'maskValue'>);
  constructor(args?: MaskingArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<MaskingArgs>(new.target, given) ?? {};
    super(args);
    this.maskValue = args.maskValue ?? 0;
    if (typeof this.maskValue !== 'number' || Number.isNaN(this.maskValue)) {
      throw new ValueError(`Masking '${this.name}': \`maskValue\` must be a number, got ${String(args.maskValue)}. help: e.g. {maskValue: 0}.`);
    }
  }

  /** Any rank from (batch, steps, features) up. */
  protected override get fixedAxes(): null {
    return null;
  }

  private keep(x: tfc.Tensor, keepDims: boolean): tfc.Tensor {
    return tfc.any(tfc.notEqual(x, this.maskValue), -1, keepDims);
  }

  call(x: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    void ctx;
    return tfc.mul(x, tfc.cast(this.keep(x, true), x.dtype));
  }

  override computeMask(x: tfc.Tensor): MaskArg {
    return this.keep(x, false);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), maskValue: this.maskValue };
  }
}
