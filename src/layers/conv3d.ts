/**
 * Conv3D: a convolution over (depth, height, width), channels last. Kernel [kd, kh, kw, inChannels,
 * filters] as Keras's; a dilated kernel is spread explicitly, so its gradient exists on every backend.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { Weight } from '../engine/weight';
import { layerArgs } from '../engine/positional';
import { spreadAxes } from '../ops/conv';
import { BaseConv, ConvArgs, CONV_KEYS, Padding } from './conv';

export class Conv3D extends BaseConv {
  static override readonly optionKeys = CONV_KEYS;
  readonly className = 'Conv3D';
  static override readonly positional = ['filters', 'kernelSize'];

  constructor(filters: number, kernelSize: number | number[], options?: Omit<ConvArgs, 'filters' | 'kernelSize'>);
  constructor(args: ConvArgs);
  constructor(...given: unknown[]) {
    super(3, layerArgs<ConvArgs>(new.target, given));
  }

  call(x: tfc.Tensor): tfc.Tensor {
    const kernel = spreadAxes((this.kernel as Weight).value as tfc.Tensor5D, [0, 1, 2], this.dilationRate);
    return this.finish(tfc.conv3d(x as tfc.Tensor5D, kernel, this.strides as [number, number, number], this.padding as Padding));
  }
}
