import * as tfc from '@tensorflow/tfjs-core';
import { Constraint, getConstraint, serializeConstraint } from '../constraints';
import { ValueError } from '../engine/errors';
import type { CallContext, LayerConfig } from '../engine/layer';
import { formatShape, Shape } from '../engine/symbolic_tensor';
import { Weight } from '../engine/weight';
import { getInitializer, Initializer, serializeInitializer } from '../initializers';
import { dilateFilter } from '../ops/conv';
import { getRegularizer, Regularizer, serializeRegularizer } from '../regularizers';
import { positiveInt } from './args';
import { LAYER_KEYS } from '../engine/layer';
import { optionKeys } from '../engine/options';
import { layerArgs } from '../engine/positional';
import { BaseConv, ConvArgs, CONV_KEYS, Padding } from './conv';

export interface DepthwiseConv2DArgs extends Omit<ConvArgs, 'filters' | 'kernelInitializer' | 'kernelRegularizer' | 'kernelConstraint'> {
  /** Output channels per input channel. Keras: `depth_multiplier` @default 1 */
  depthMultiplier?: number;
  /** Initializer of the depthwise kernel. Keras: `depthwise_initializer` @default 'glorot_uniform' */
  depthwiseInitializer?: ConvArgs['kernelInitializer'];
  /**
   * A penalty on the depthwise kernel, added to the loss in fit. Keras: `depthwise_regularizer`
   * @default undefined (none)
   */
  depthwiseRegularizer?: ConvArgs['kernelRegularizer'];
  /**
   * A projection of the depthwise kernel after each update. Keras: `depthwise_constraint`
   * @default undefined (none)
   */
  depthwiseConstraint?: ConvArgs['kernelConstraint'];
}

/** The depthwise part, shared by DepthwiseConv2D and SeparableConv2D. */
function depthwise(x: tfc.Tensor4D, kernel: tfc.Tensor4D, conv: BaseConv): tfc.Tensor4D {
  const k = dilateFilter(kernel, conv.dilationRate[0], conv.dilationRate[1]);
  return tfc.depthwiseConv2d(x, k, [conv.strides[0], conv.strides[1]], conv.padding as Padding);
}

/** Convolves each input channel with its own filters. Kernel [kh, kw, inChannels, depthMultiplier]. */
export class DepthwiseConv2D extends BaseConv {
  static override readonly optionKeys = optionKeys<DepthwiseConv2DArgs>()(
    ...LAYER_KEYS, 'activation', 'useBias', 'biasInitializer', 'biasRegularizer', 'biasConstraint', 'kernelSize', 'strides', 'padding',
    'dataFormat', 'dilationRate', 'depthMultiplier', 'depthwiseInitializer', 'depthwiseRegularizer', 'depthwiseConstraint',
  );
  readonly className = 'DepthwiseConv2D';
  readonly depthMultiplier: number;

  static override readonly positional = ['kernelSize'];

  constructor(kernelSize: number | number[], options?: Omit<DepthwiseConv2DArgs, 'kernelSize'>);
  constructor(args: DepthwiseConv2DArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<DepthwiseConv2DArgs>(new.target, given);
    const multiplier = positiveInt(args?.depthMultiplier ?? 1, 'depthMultiplier', 'DepthwiseConv2D', 2);
    super(2, {
      ...args, filters: 1, kernelInitializer: args?.depthwiseInitializer,
      kernelRegularizer: args?.depthwiseRegularizer, kernelConstraint: args?.depthwiseConstraint,
    } as ConvArgs, args);
    this.depthMultiplier = multiplier;
  }

  private channels(shape: Shape): number {
    const c = shape[shape.length - 1];
    if (c === null) throw new ValueError(`${this.name} (DepthwiseConv2D): the channel dimension must be known, got ${formatShape(shape)}.`);
    return c;
  }

  protected override kernelShape(channels: number): number[] {
    return [...this.kernelSize, channels, this.depthMultiplier];
  }

  override build(inputShape: Shape | Shape[]): void {
    const channels = this.channels(this.checkRank(inputShape as Shape));
    this.checkKernelFits(inputShape as Shape);
    this.addKernelAndBias(this.kernelShape(channels), channels * this.depthMultiplier, 'depthwise_kernel');
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const out = super.computeOutputShape(inputShape);
    const c = (inputShape as Shape)[(inputShape as Shape).length - 1];
    return [...out.slice(0, -1), c === null ? null : c * this.depthMultiplier];
  }

  call(input: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    void ctx;
    const x = input as tfc.Tensor4D;
    return this.finish(depthwise(x, (this.kernel as Weight).value as tfc.Tensor4D, this));
  }

  override getConfig(): LayerConfig {
    const { filters, kernelInitializer, kernelRegularizer, kernelConstraint, ...rest } = super.getConfig();
    void filters;
    return {
      ...rest, depthMultiplier: this.depthMultiplier, depthwiseInitializer: kernelInitializer,
      depthwiseRegularizer: kernelRegularizer, depthwiseConstraint: kernelConstraint,
    } as LayerConfig;
  }
}

export interface SeparableConv2DArgs extends ConvArgs {
  /** Depthwise output channels per input channel. Keras: `depth_multiplier` @default 1 */
  depthMultiplier?: number;
  /** Initializer of the depthwise kernel. Keras: `depthwise_initializer` @default 'glorot_uniform' */
  depthwiseInitializer?: ConvArgs['kernelInitializer'];
  /** Initializer of the 1×1 pointwise kernel. Keras: `pointwise_initializer` @default 'glorot_uniform' */
  pointwiseInitializer?: ConvArgs['kernelInitializer'];
  /**
   * A penalty on the depthwise kernel, added to the loss in fit. Keras: `depthwise_regularizer`
   * @default undefined (none)
   */
  depthwiseRegularizer?: ConvArgs['kernelRegularizer'];
  /**
   * A penalty on the pointwise kernel, added to the loss in fit. Keras: `pointwise_regularizer`
   * @default undefined (none)
   */
  pointwiseRegularizer?: ConvArgs['kernelRegularizer'];
  /**
   * A projection of the depthwise kernel after each update. Keras: `depthwise_constraint`
   * @default undefined (none)
   */
  depthwiseConstraint?: ConvArgs['kernelConstraint'];
  /**
   * A projection of the pointwise kernel after each update. Keras: `pointwise_constraint`
   * @default undefined (none)
   */
  pointwiseConstraint?: ConvArgs['kernelConstraint'];
}

/** A depthwise convolution followed by a 1×1 (pointwise) convolution to `filters` channels. */
export class SeparableConv2D extends BaseConv {
  static override readonly optionKeys = optionKeys<SeparableConv2DArgs>()(
    ...CONV_KEYS, 'depthMultiplier', 'depthwiseInitializer', 'pointwiseInitializer', 'depthwiseRegularizer', 'pointwiseRegularizer',
    'depthwiseConstraint', 'pointwiseConstraint',
  );
  readonly className = 'SeparableConv2D';
  readonly depthMultiplier: number;
  readonly pointwiseInitializer: Initializer;
  readonly pointwiseRegularizer: Regularizer | undefined;
  readonly pointwiseConstraint: Constraint | undefined;
  pointwiseKernel: Weight | null = null;

  static override readonly positional = ['filters', 'kernelSize'];

  constructor(filters: number, kernelSize: number | number[], options?: Omit<SeparableConv2DArgs, 'filters' | 'kernelSize'>);
  constructor(args: SeparableConv2DArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<SeparableConv2DArgs>(new.target, given);
    super(2, { ...args, kernelInitializer: args?.depthwiseInitializer, kernelRegularizer: args?.depthwiseRegularizer, kernelConstraint: args?.depthwiseConstraint }, args);
    const owner = `SeparableConv2D '${this.name}'`;
    this.depthMultiplier = positiveInt(args.depthMultiplier ?? 1, 'depthMultiplier', owner, 2);
    this.pointwiseInitializer = getInitializer(args.pointwiseInitializer ?? 'glorot_uniform', owner);
    this.pointwiseRegularizer = getRegularizer(args.pointwiseRegularizer, owner);
    this.pointwiseConstraint = getConstraint(args.pointwiseConstraint, owner);
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = this.checkRank(inputShape as Shape);
    const channels = shape[3];
    if (channels === null) throw new ValueError(`${this.name} (SeparableConv2D): the channel dimension must be known, got ${formatShape(shape)}.`);
    this.checkKernelFits(shape);
    this.kernel = this.addWeight({
      name: 'depthwise_kernel', shape: [...this.kernelSize, channels, this.depthMultiplier], initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer, constraint: this.kernelConstraint,
    });
    this.pointwiseKernel = this.addWeight({
      name: 'pointwise_kernel', shape: [1, 1, channels * this.depthMultiplier, this.filters], initializer: this.pointwiseInitializer,
      regularizer: this.pointwiseRegularizer, constraint: this.pointwiseConstraint,
    });
    if (this.useBias) {
      this.bias = this.addWeight({
        name: 'bias', shape: [this.filters], initializer: this.biasInitializer, regularizer: this.biasRegularizer, constraint: this.biasConstraint,
      });
    }
  }

  call(input: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    void ctx;
    const x = input as tfc.Tensor4D;
    const d = depthwise(x, (this.kernel as Weight).value as tfc.Tensor4D, this);
    return this.finish(tfc.conv2d(d, (this.pointwiseKernel as Weight).value as tfc.Tensor4D, 1, 'valid'));
  }

  override getConfig(): LayerConfig {
    const { kernelInitializer, kernelRegularizer, kernelConstraint, ...rest } = super.getConfig();
    return {
      ...rest,
      depthMultiplier: this.depthMultiplier,
      depthwiseInitializer: kernelInitializer,
      depthwiseRegularizer: kernelRegularizer,
      depthwiseConstraint: kernelConstraint,
      pointwiseInitializer: serializeInitializer(this.pointwiseInitializer),
      pointwiseRegularizer: serializeRegularizer(this.pointwiseRegularizer),
      pointwiseConstraint: serializeConstraint(this.pointwiseConstraint),
    } as LayerConfig;
  }
}
