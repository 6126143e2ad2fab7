/**
 * LayerScale (ConvNeXt's, Keras's `keras.applications.convnext.LayerScale`): multiplies each
 * channel (the last axis) by a learned factor `gamma`, initialised to `initValues`.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { CallContext, LAYER_KEYS, LayerArgs, LayerConfig } from '../engine/layer';
import { optionKeys } from '../engine/options';
import { layerArgs } from '../engine/positional';
import { ShapePreservingLayer } from '../engine/shape_preserving_layer';
import type { Shape } from '../engine/symbolic_tensor';
import type { Weight } from '../engine/weight';
import { Constant } from '../initializers/constant';

export interface LayerScaleArgs extends LayerArgs {
  /** The initial value of every factor (ConvNeXt: 1e-6). Keras: `init_values` */
  initValues: number;
  /** The number of channels (the input's last axis). Keras: `projection_dim` */
  projectionDim: number;
}

/** x · gamma, gamma one trainable factor per channel. */
export class LayerScale extends ShapePreservingLayer {
  static override readonly optionKeys = optionKeys<LayerScaleArgs>()(...LAYER_KEYS, 'initValues', 'projectionDim');
  readonly className = 'LayerScale';
  static override readonly positional = ['initValues', 'projectionDim'];
  readonly initValues: number;
  readonly projectionDim: number;
  gamma: Weight | null = null;

  constructor(initValues: number, projectionDim: number, options?: Omit<LayerScaleArgs, 'initValues' | 'projectionDim'>);
  constructor(args: LayerScaleArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<LayerScaleArgs>(new.target, given);
    super(args);
    const owner = `LayerScale '${this.name}'`;
    if (args === undefined || typeof args.initValues !== 'number' || !Number.isFinite(args.initValues)) {
      throw new ValueError(`${owner}: \`initValues\` must be a finite number, got ${String(args?.initValues)}. help: e.g. {initValues: 1e-6, projectionDim: 96}.`);
    }
    if (!Number.isInteger(args.projectionDim) || args.projectionDim < 1) {
      throw new ValueError(`${owner}: \`projectionDim\` must be a positive integer, got ${String(args.projectionDim)}. help: the input's channel count, e.g. 96.`);
    }
    this.initValues = args.initValues;
    this.projectionDim = args.projectionDim;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    const channels = shape[shape.length - 1];
    if (channels !== this.projectionDim) {
      throw new ValueError(`${this.name} (LayerScale): the input's last axis has ${channels} channels, projectionDim is ${this.projectionDim}. help: pass projectionDim: ${channels}.`);
    }
    this.gamma = this.addWeight({ name: 'gamma', shape: [this.projectionDim], initializer: new Constant({ value: this.initValues }), trainable: true });
  }

  call(x: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    void ctx;
    return tfc.mul(x, (this.gamma as Weight).value);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), initValues: this.initValues, projectionDim: this.projectionDim };
  }
}
