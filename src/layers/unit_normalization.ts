/** UnitNormalization: scales each sample to unit L2 norm over `axis`: x / sqrt(max(sum(x²), 1e-24)), as Keras 3. No weights. */
import * as tfc from '@tensorflow/tfjs-core';
import { LAYER_KEYS, LayerArgs, LayerConfig } from '../engine/layer';
import { optionKeys } from '../engine/options';
import { layerArgs } from '../engine/positional';
import { ShapePreservingLayer } from '../engine/shape_preserving_layer';
import { Shape } from '../engine/symbolic_tensor';
import { resolveAxes } from './rms_normalization';

export interface UnitNormalizationArgs extends LayerArgs {
  /** The axis or axes whose L2 norm becomes 1. Keras: `axis` @default -1 */
  axis?: number | number[];
}

export class UnitNormalization extends ShapePreservingLayer {
  static override readonly optionKeys = optionKeys<UnitNormalizationArgs>()(...LAYER_KEYS, 'axis');
  readonly className = 'UnitNormalization';
  readonly axis: number | number[];
  override supportsMasking = true;

  static override readonly positional = ['axis'];

  constructor(axis: number | number[], options?: Omit<UnitNormalizationArgs, 'axis'>);
  constructor(args?: UnitNormalizationArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<UnitNormalizationArgs>(new.target, given) ?? {};
    super(args);
    this.axis = args.axis ?? -1;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    resolveAxes(this.axis, inputShape as Shape, `${this.name} (UnitNormalization)`);
    return inputShape as Shape;
  }

  call(x: tfc.Tensor): tfc.Tensor {
    const axes = resolveAxes(this.axis, x.shape, `${this.name} (UnitNormalization)`);
    return tfc.mul(x, tfc.rsqrt(tfc.maximum(tfc.sum(tfc.square(x), axes, true), 1e-24)));
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), axis: this.axis };
  }
}
