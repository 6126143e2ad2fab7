import * as tfc from '@tensorflow/tfjs-core';
import { CallContext } from '../engine/layer';
import { Shape } from '../engine/symbolic_tensor';
import { Weight } from '../engine/weight';
import { layerArgs } from '../engine/positional';
import { dilateFilter, inputGradient } from '../ops/conv';
import { BaseConv, ConvArgs, Padding, CONV_KEYS } from './conv';

/** Keras's deconv_output_length: the size a transposed convolution produces along one axis. */
function transposedLength(length: number | null, kernel: number, padding: string, stride: number, dilation: number): number | null {
  if (length === null) return null;
  const k = (kernel - 1) * dilation + 1;
  return padding === 'valid' ? length * stride + Math.max(k - stride, 0) : length * stride;
}

/**
 * The transpose of a 2-D convolution ("deconvolution"): spreads each input pixel over a window,
 * upsampling by the stride. Kernel shape [kh, kw, filters, inChannels], as in Keras. Computed as
 * the input-gradient of the matching convolution, written with forward convolutions.
 */
export class Conv2DTranspose extends BaseConv {
  static override readonly optionKeys = CONV_KEYS;
  readonly className = 'Conv2DTranspose';
  static override readonly positional = ['filters', 'kernelSize'];

  constructor(filters: number, kernelSize: number | number[], options?: Omit<ConvArgs, 'filters' | 'kernelSize'>);
  constructor(args: ConvArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<ConvArgs>(new.target, given);
    super(2, args);
  }

  protected override kernelShape(channels: number): number[] {
    return [...this.kernelSize, this.filters, channels];
  }

  protected override checkKernelFits(): void {
    // A transposed convolution grows its input: any kernel fits.
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = this.checkRank(inputShape as Shape);
    const spatial = [1, 2].map((a, i) => transposedLength(shape[a], this.kernelSize[i], this.padding, this.strides[i], this.dilationRate[i]));
    return [shape[0], ...spatial, this.filters];
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
