/**
 * Transposed convolutions over 1, 2 or 3 spatial axes (Conv1DTranspose, Conv2DTranspose,
 * Conv3DTranspose), channels last, kernel [...kernelSize, filters, inChannels] as Keras's. Each is
 * written with forward convolutions (the input-gradient of the matching convolution), so it has a
 * gradient on every backend. Keras's `output_padding` is not supported.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { CallContext } from '../engine/layer';
import { Shape } from '../engine/symbolic_tensor';
import { Weight } from '../engine/weight';
import { layerArgs } from '../engine/positional';
import { convTranspose3d, dilateFilter, inputGradient, spreadAxes } from '../ops/conv';
import { BaseConv, ConvArgs, Padding, CONV_KEYS } from './conv';

/** Keras's deconv_output_length: the size a transposed convolution produces along one axis. */
function transposedLength(length: number | null, kernel: number, padding: string, stride: number, dilation: number): number | null {
  if (length === null) return null;
  const k = (kernel - 1) * dilation + 1;
  return padding === 'valid' ? length * stride + Math.max(k - stride, 0) : length * stride;
}

/** What the transposed convolutions share: the kernel layout and the output shape. */
abstract class BaseConvTranspose extends BaseConv {
  protected override kernelShape(channels: number): number[] {
    return [...this.kernelSize, this.filters, channels];
  }

  protected override checkKernelFits(): void {
    // A transposed convolution grows its input: any kernel fits.
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = this.checkRank(inputShape as Shape);
    const spatial = this.kernelSize.map((k, i) => transposedLength(shape[i + 1], k, this.padding, this.strides[i], this.dilationRate[i]));
    return [shape[0], ...spatial, this.filters];
  }
}

/**
 * The transpose of a 2-D convolution ("deconvolution"): spreads each input pixel over a window,
 * upsampling by the stride. Kernel shape [kh, kw, filters, inChannels], as in Keras. Computed as
 * the input-gradient of the matching convolution, written with forward convolutions.
 */
export class Conv2DTranspose extends BaseConvTranspose {
  static override readonly optionKeys = CONV_KEYS;
  readonly className = 'Conv2DTranspose';
  static override readonly positional = ['filters', 'kernelSize'];

  constructor(filters: number, kernelSize: number | number[], options?: Omit<ConvArgs, 'filters' | 'kernelSize'>);
  constructor(args: ConvArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<ConvArgs>(new.target, given);
    super(2, args);
  }

  call(input: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    void ctx;
    const x = input as tfc.Tensor4D;
    const kernel = dilateFilter((this.kernel as Weight).value as tfc.Tensor4D, this.dilationRate[0], this.dilationRate[1]);
    const [, oh, ow] = this.computeOutputShape(x.shape) as number[];
    const info = tfc.backend_util.computeConv2DInfo([x.shape[0], oh, ow, this.filters], kernel.shape, [this.strides[0], this.strides[1]], 1, this.padding as Padding);
    return this.finish(inputGradient(x, kernel, info));
  }
}

/** The transpose of a 1-D convolution: each step spread over a window, upsampling by the stride. Kernel [k, filters, inChannels]. */
export class Conv1DTranspose extends BaseConvTranspose {
  static override readonly optionKeys = CONV_KEYS;
  readonly className = 'Conv1DTranspose';
  static override readonly positional = ['filters', 'kernelSize'];

  constructor(filters: number, kernelSize: number | number[], options?: Omit<ConvArgs, 'filters' | 'kernelSize'>);
  constructor(args: ConvArgs);
  constructor(...given: unknown[]) {
    super(1, layerArgs<ConvArgs>(new.target, given));
  }

  call(input: tfc.Tensor): tfc.Tensor {
    const x = tfc.expandDims(input, 1) as tfc.Tensor4D;
    const kernel = dilateFilter(tfc.expandDims((this.kernel as Weight).value, 0) as tfc.Tensor4D, 1, this.dilationRate[0]);
    const [, ow] = this.computeOutputShape(input.shape) as number[];
    const info = tfc.backend_util.computeConv2DInfo([x.shape[0], 1, ow, this.filters], kernel.shape, [1, this.strides[0]], 1, this.padding as Padding);
    return this.finish(tfc.squeeze(inputGradient(x, kernel, info), [1]));
  }
}

/** The transpose of a 3-D convolution over (depth, height, width). Kernel [kd, kh, kw, filters, inChannels]. */
export class Conv3DTranspose extends BaseConvTranspose {
  static override readonly optionKeys = CONV_KEYS;
  readonly className = 'Conv3DTranspose';
  static override readonly positional = ['filters', 'kernelSize'];

  constructor(filters: number, kernelSize: number | number[], options?: Omit<ConvArgs, 'filters' | 'kernelSize'>);
  constructor(args: ConvArgs);
  constructor(...given: unknown[]) {
    super(3, layerArgs<ConvArgs>(new.target, given));
  }

  call(input: tfc.Tensor): tfc.Tensor {
    const kernel = spreadAxes((this.kernel as Weight).value as tfc.Tensor5D, [0, 1, 2], this.dilationRate);
    const [, ...rest] = this.computeOutputShape(input.shape) as number[];
    return this.finish(convTranspose3d(input as tfc.Tensor5D, kernel, this.strides, this.padding as Padding, rest.slice(0, 3)));
  }
}
