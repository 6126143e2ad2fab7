/**
 * Convolutions over 1 or 2 spatial axes (Conv1D, Conv2D), channels last, and the base every
 * convolution shares (Conv3D, the transposed, depthwise and separable ones). A dilated filter is
 * spread explicitly (src/ops/conv.ts), so the gradient exists for every dilation on every backend.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { getActivation } from '../activations/activations';
import { ValueError } from '../engine/errors';
import { CallContext, LayerConfig } from '../engine/layer';
import { formatShape, Shape } from '../engine/symbolic_tensor';
import { Weight } from '../engine/weight';
import { dilateFilter } from '../ops/conv';
import { channelsLast, convOutputLength, DataFormat, intTuple, oneOf, positiveInt } from './args';
import { optionKeys } from '../engine/options';
import { layerArgs } from '../engine/positional';
import { KERNEL_LAYER_KEYS, KernelLayer, KernelLayerArgs } from './kernel_layer';

export type Padding = 'valid' | 'same';

export interface ConvArgs extends KernelLayerArgs {
  /** Number of output channels. Keras: `filters` */
  filters: number;
  /** Window size: an integer or one per spatial axis. Keras: `kernel_size` */
  kernelSize: number | number[];
  /** Step of the window: an integer or one per spatial axis. Keras: `strides` @default 1 */
  strides?: number | number[];
  /**
   * 'valid' (no padding), 'same' (output size = ceil(input / stride)); Conv1D also 'causal'. Keras: `padding`
   * @default 'valid'
   */
  padding?: Padding | 'causal';
  /**
   * Where the channels are; only 'channels_last' is supported. Keras: `data_format` @default 'channels_last'
   * (Keras's default is the `image_data_format` setting, 'channels_last' unless changed)
   */
  dataFormat?: DataFormat;
  /** Spacing between the window's taps (atrous convolution). Keras: `dilation_rate` @default 1 */
  dilationRate?: number | number[];
}

/** What every convolution layer shares: the options, the kernel and bias, the output shape. */
export const CONV_KEYS = optionKeys<ConvArgs>()(...KERNEL_LAYER_KEYS, 'filters', 'kernelSize', 'strides', 'padding', 'dataFormat', 'dilationRate');

export abstract class BaseConv extends KernelLayer {
  /** Whether padding may be 'causal' (Conv1D only, as Keras). */
  static readonly allowsCausal: boolean = false;
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: Padding | 'causal';
  readonly dilationRate: number[];

  constructor(
    readonly rank: 1 | 2 | 3,
    args: ConvArgs,
    given: unknown = args,
  ) {
    super(args, given);
    const owner = `${new.target.name} '${this.name}'`;
    if (args === undefined) throw new ValueError(`${new.target.name}: give {filters, kernelSize}. help: e.g. {filters: 32, kernelSize: 3}.`);
    this.filters = positiveInt(args.filters, 'filters', owner);
    this.kernelSize = intTuple(args.kernelSize, rank, NaN, 'kernelSize', owner);
    this.strides = intTuple(args.strides, rank, 1, 'strides', owner);
    this.dilationRate = intTuple(args.dilationRate, rank, 1, 'dilationRate', owner);
    this.padding = oneOf(args.padding, (new.target as typeof BaseConv).allowsCausal ? ['valid', 'same', 'causal'] : ['valid', 'same'], 'valid', 'padding', owner);
    channelsLast(args.dataFormat, owner);
  }

  /** The kernel's shape for `channels` input channels. */
  protected kernelShape(channels: number): number[] {
    return [...this.kernelSize, channels, this.filters];
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = this.checkRank(inputShape as Shape);
    const channels = shape[shape.length - 1];
    if (channels === null) {
      throw new ValueError(`${this.name} (${this.className}): the channel dimension (last) must be known, got input shape ${formatShape(shape)}.`);
    }
    this.checkKernelFits(shape);
    this.addKernelAndBias(this.kernelShape(channels), this.filters);
  }

  protected checkRank(shape: Shape): Shape {
    if (shape.length !== this.rank + 2) {
      const example = ['(batch, steps, channels)', '(batch, height, width, channels)', '(batch, depth, height, width, channels)'][this.rank - 1];
      throw new ValueError(
        `${this.name} (${this.className}): expected input of rank ${this.rank + 2} ${example}, got shape ${formatShape(shape)}. ` +
          (shape.length === this.rank + 1 ? 'help: add a channel axis, e.g. Reshape({targetShape: [28, 28, 1]}).' : 'help: reshape the input.'),
      );
    }
    return shape;
  }

  /** With 'valid' padding the (dilated) window must fit inside the input. */
  protected checkKernelFits(shape: Shape): void {
    if (this.padding !== 'valid') return;
    this.kernelSize.forEach((k, i) => {
      const size = shape[i + 1];
      const effective = (k - 1) * this.dilationRate[i] + 1;
      if (size !== null && effective > size) {
        throw new ValueError(
          `${this.name} (${this.className}): the kernel (${this.kernelSize.join('×')}, dilated to ${effective} along axis ${i + 1}) ` +
            `is larger than the input ${formatShape(shape)}. help: use a smaller kernelSize, or padding: 'same'.`,
        );
      }
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = this.checkRank(inputShape as Shape);
    const spatial = shape.slice(1, -1).map((len, i) => {
      const pad = this.padding === 'causal' ? 'same' : this.padding;
      return convOutputLength(len, this.kernelSize[i], pad, this.strides[i], this.dilationRate[i]);
    });
    return [shape[0], ...spatial, this.filters];
  }

  /** Adds the bias and applies the activation. */
  protected finish(y: tfc.Tensor): tfc.Tensor {
    const biased = this.bias ? tfc.add(y, this.bias.value) : y;
    return getActivation(this.activation, this.name)(biased);
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      dataFormat: 'channels_last',
      dilationRate: this.dilationRate,
    };
  }
}

/** Conv2D's options: a convolution's, and its channel groups. */
export interface Conv2DArgs extends ConvArgs {
  /**
   * Channel groups: the input and output channels are split into `groups` parts, each convolved
   * apart (groups = input channels = filters is a depthwise convolution with a bias, as ConvNeXt's).
   * Keras: `groups` @default 1
   */
  groups?: number;
}

/** 2-D convolution over (height, width). Kernel shape [kh, kw, inChannels / groups, filters]. */
export class Conv2D extends BaseConv {
  static override readonly optionKeys = optionKeys<Conv2DArgs>()(...CONV_KEYS, 'groups');
  readonly className = 'Conv2D';
  static override readonly positional = ['filters', 'kernelSize'];
  readonly groups: number;

  constructor(filters: number, kernelSize: number | number[], options?: Omit<Conv2DArgs, 'filters' | 'kernelSize'>);
  constructor(args: Conv2DArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<Conv2DArgs>(new.target, given);
    super(2, args);
    this.groups = positiveInt(args.groups ?? 1, 'groups', `Conv2D '${this.name}'`);
    if (this.filters % this.groups !== 0) {
      throw new ValueError(`Conv2D '${this.name}': filters (${this.filters}) must be a multiple of groups (${this.groups}). help: e.g. {filters: ${this.groups * 2}, groups: ${this.groups}}.`);
    }
  }

  protected override kernelShape(channels: number): number[] {
    if (channels % this.groups !== 0) {
      throw new ValueError(`Conv2D '${this.name}': the input's ${channels} channels must be a multiple of groups (${this.groups}). help: pick groups dividing the channels.`);
    }
    return [...this.kernelSize, channels / this.groups, this.filters];
  }

  call(x: tfc.Tensor): tfc.Tensor {
    const kernel = dilateFilter((this.kernel as Weight).value as tfc.Tensor4D, this.dilationRate[0], this.dilationRate[1]);
    const strides: [number, number] = [this.strides[0], this.strides[1]];
    const padding = this.padding as Padding;
    if (this.groups === 1) return this.finish(tfc.conv2d(x as tfc.Tensor4D, kernel, strides, padding));
    const [kh, kw, perGroup] = kernel.shape;
    if (perGroup === 1) {
      // One input channel per group: a depthwise convolution whose multiplier is filters / groups.
      const depthwise = tfc.reshape(kernel, [kh, kw, this.groups, this.filters / this.groups]) as tfc.Tensor4D;
      return this.finish(tfc.depthwiseConv2d(x as tfc.Tensor4D, depthwise, strides, padding));
    }
    const inputs = tfc.split(x as tfc.Tensor4D, this.groups, 3);
    const kernels = tfc.split(kernel, this.groups, 3);
    return this.finish(tfc.concat(inputs.map((xi, g) => tfc.conv2d(xi as tfc.Tensor4D, kernels[g] as tfc.Tensor4D, strides, padding)), 3));
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), groups: this.groups };
  }
}

/** 1-D convolution over steps. Kernel shape [k, inChannels, filters]; padding may be 'causal'. */
export class Conv1D extends BaseConv {
  static override readonly optionKeys = CONV_KEYS;
  static override readonly allowsCausal = true;
  readonly className = 'Conv1D';
  static override readonly positional = ['filters', 'kernelSize'];

  constructor(filters: number, kernelSize: number | number[], options?: Omit<ConvArgs, 'filters' | 'kernelSize'>);
  constructor(args: ConvArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<ConvArgs>(new.target, given);
    super(1, args);
  }

  call(input: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    void ctx;
    let x = input as tfc.Tensor3D;
    const d = this.dilationRate[0];
    let padding = this.padding;
    if (padding === 'causal') {
      x = tfc.pad(x, [[0, 0], [(this.kernelSize[0] - 1) * d, 0], [0, 0]]);
      padding = 'valid';
    }
    const kernel = dilateFilter(tfc.expandDims((this.kernel as Weight).value, 0) as tfc.Tensor4D, 1, d);
    const y = tfc.conv2d(tfc.expandDims(x, 1) as tfc.Tensor4D, kernel, [1, this.strides[0]], padding as Padding);
    return this.finish(tfc.squeeze(y, [1]));
  }
}
