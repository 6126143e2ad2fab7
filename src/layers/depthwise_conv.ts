/**
 * Depthwise and separable convolutions over 1 or 2 spatial axes, channels last (the 1-D ones run
 * as 2-D with a height of 1). Kernels: depthwise [...kernelSize, inChannels, depthMultiplier],
 * pointwise [...ones, inChannels · depthMultiplier, filters], as Keras's.
 */
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

/** A 1-D input [n, steps, c] as a 2-D one [n, 1, steps, c]. */
const as2d = (x: tfc.Tensor, rank: number): tfc.Tensor4D => (rank === 1 ? tfc.expandDims(x, 1) : x) as tfc.Tensor4D;

/** A weight's 1-D kernel [k, ...] as a 2-D one [1, k, ...]. */
const kernel2d = (w: Weight, rank: number): tfc.Tensor4D => (rank === 1 ? tfc.expandDims(w.value, 0) : w.value) as tfc.Tensor4D;

/** The depthwise part, shared by the depthwise and separable convolutions: x and kernel 2-D. */
function depthwise(x: tfc.Tensor4D, kernel: tfc.Tensor4D, conv: BaseConv): tfc.Tensor4D {
  const [dh, dw] = conv.rank === 1 ? [1, conv.dilationRate[0]] : conv.dilationRate;
  const strides: [number, number] = conv.rank === 1 ? [1, conv.strides[0]] : [conv.strides[0], conv.strides[1]];
  return tfc.depthwiseConv2d(x, dilateFilter(kernel, dh, dw), strides, conv.padding as Padding);
}

const DEPTHWISE_KEYS = optionKeys<DepthwiseConv2DArgs>()(
  ...LAYER_KEYS, 'activation', 'useBias', 'biasInitializer', 'biasRegularizer', 'biasConstraint', 'kernelSize', 'strides', 'padding',
  'dataFormat', 'dilationRate', 'depthMultiplier', 'depthwiseInitializer', 'depthwiseRegularizer', 'depthwiseConstraint',
);

/** Convolves each input channel with its own filters. Kernel [...kernelSize, inChannels, depthMultiplier]. */
abstract class BaseDepthwiseConv extends BaseConv {
  readonly depthMultiplier: number;

  constructor(rank: 1 | 2, args: DepthwiseConv2DArgs) {
    const multiplier = positiveInt(args?.depthMultiplier ?? 1, 'depthMultiplier', new.target.name, 2);
    super(rank, {
      ...args, filters: 1, kernelInitializer: args?.depthwiseInitializer,
      kernelRegularizer: args?.depthwiseRegularizer, kernelConstraint: args?.depthwiseConstraint,
    } as ConvArgs, args);
    this.depthMultiplier = multiplier;
  }

  private channels(shape: Shape): number {
    const c = shape[shape.length - 1];
    if (c === null) throw new ValueError(`${this.name} (${this.className}): the channel dimension must be known, got ${formatShape(shape)}.`);
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
    const y = depthwise(as2d(input, this.rank), kernel2d(this.kernel as Weight, this.rank), this);
    return this.finish(this.rank === 1 ? tfc.squeeze(y, [1]) : y);
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

/** Convolves each input channel of an image with its own filters. Kernel [kh, kw, inChannels, depthMultiplier]. */
export class DepthwiseConv2D extends BaseDepthwiseConv {
  static override readonly optionKeys = DEPTHWISE_KEYS;
  readonly className = 'DepthwiseConv2D';
  static override readonly positional = ['kernelSize'];

  constructor(kernelSize: number | number[], options?: Omit<DepthwiseConv2DArgs, 'kernelSize'>);
  constructor(args: DepthwiseConv2DArgs);
  constructor(...given: unknown[]) {
    super(2, layerArgs<DepthwiseConv2DArgs>(new.target, given));
  }
}

/** Convolves each input channel of a sequence with its own filters. Kernel [k, inChannels, depthMultiplier]. */
export class DepthwiseConv1D extends BaseDepthwiseConv {
  static override readonly optionKeys = DEPTHWISE_KEYS;
  readonly className = 'DepthwiseConv1D';
  static override readonly positional = ['kernelSize'];

  constructor(kernelSize: number | number[], options?: Omit<DepthwiseConv2DArgs, 'kernelSize'>);
  constructor(args: DepthwiseConv2DArgs);
  constructor(...given: unknown[]) {
    super(1, layerArgs<DepthwiseConv2DArgs>(new.target, given));
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

const SEPARABLE_KEYS = optionKeys<SeparableConv2DArgs>()(
  ...CONV_KEYS, 'depthMultiplier', 'depthwiseInitializer', 'pointwiseInitializer', 'depthwiseRegularizer', 'pointwiseRegularizer',
  'depthwiseConstraint', 'pointwiseConstraint',
);

/** A depthwise convolution followed by a pointwise (1×1) convolution to `filters` channels. */
abstract class BaseSeparableConv extends BaseConv {
  readonly depthMultiplier: number;
  readonly pointwiseInitializer: Initializer;
  readonly pointwiseRegularizer: Regularizer | undefined;
  readonly pointwiseConstraint: Constraint | undefined;
  pointwiseKernel: Weight | null = null;

  constructor(rank: 1 | 2, args: SeparableConv2DArgs) {
    super(rank, { ...args, kernelInitializer: args?.depthwiseInitializer, kernelRegularizer: args?.depthwiseRegularizer, kernelConstraint: args?.depthwiseConstraint }, args);
    const owner = `${new.target.name} '${this.name}'`;
    this.depthMultiplier = positiveInt(args.depthMultiplier ?? 1, 'depthMultiplier', owner, 2);
    this.pointwiseInitializer = getInitializer(args.pointwiseInitializer ?? 'glorot_uniform', owner);
    this.pointwiseRegularizer = getRegularizer(args.pointwiseRegularizer, owner);
    this.pointwiseConstraint = getConstraint(args.pointwiseConstraint, owner);
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = this.checkRank(inputShape as Shape);
    const channels = shape[shape.length - 1];
    if (channels === null) throw new ValueError(`${this.name} (${this.className}): the channel dimension must be known, got ${formatShape(shape)}.`);
    this.checkKernelFits(shape);
    this.kernel = this.addWeight({
      name: 'depthwise_kernel', shape: [...this.kernelSize, channels, this.depthMultiplier], initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer, constraint: this.kernelConstraint,
    });
    this.pointwiseKernel = this.addWeight({
      name: 'pointwise_kernel', shape: [...this.kernelSize.map(() => 1), channels * this.depthMultiplier, this.filters], initializer: this.pointwiseInitializer,
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
    const d = depthwise(as2d(input, this.rank), kernel2d(this.kernel as Weight, this.rank), this);
    const y = tfc.conv2d(d, kernel2d(this.pointwiseKernel as Weight, this.rank), 1, 'valid');
    return this.finish(this.rank === 1 ? tfc.squeeze(y, [1]) : y);
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

/** A depthwise convolution of an image, then a 1×1 convolution to `filters` channels. */
export class SeparableConv2D extends BaseSeparableConv {
  static override readonly optionKeys = SEPARABLE_KEYS;
  readonly className = 'SeparableConv2D';
  static override readonly positional = ['filters', 'kernelSize'];

  constructor(filters: number, kernelSize: number | number[], options?: Omit<SeparableConv2DArgs, 'filters' | 'kernelSize'>);
  constructor(args: SeparableConv2DArgs);
  constructor(...given: unknown[]) {
    super(2, layerArgs<SeparableConv2DArgs>(new.target, given));
  }
}

/** A depthwise convolution of a sequence, then a size-1 convolution to `filters` channels. */
export class SeparableConv1D extends BaseSeparableConv {
  static override readonly optionKeys = SEPARABLE_KEYS;
  readonly className = 'SeparableConv1D';
  static override readonly positional = ['filters', 'kernelSize'];

  constructor(filters: number, kernelSize: number | number[], options?: Omit<SeparableConv2DArgs, 'filters' | 'kernelSize'>);
  constructor(args: SeparableConv2DArgs);
  constructor(...given: unknown[]) {
    super(1, layerArgs<SeparableConv2DArgs>(new.target, given));
  }
}
