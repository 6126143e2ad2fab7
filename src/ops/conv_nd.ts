/**
 * One convolution for 1, 2 or 3 spatial axes, channels last: x [N, ...spatial, C], kernel in
 * Keras's layout [...k, C, F]. A dilated kernel is spread explicitly (so its gradient exists on
 * every backend); a 1-D convolution runs as a 2-D one over a unit height.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { spreadAxes } from './conv';

export interface ConvNdOptions {
  strides: number[];
  padding: 'valid' | 'same';
  dilationRate: number[];
}

export function convNd(x: tfc.Tensor, kernel: tfc.Tensor, { strides, padding, dilationRate }: ConvNdOptions): tfc.Tensor {
  const rank = kernel.rank - 2;
  const k = spreadAxes(kernel, [...Array(rank).keys()], dilationRate);
  if (rank === 1) {
    const y = tfc.conv2d(tfc.expandDims(x, 1) as tfc.Tensor4D, tfc.expandDims(k, 0) as tfc.Tensor4D, [1, strides[0]], padding);
    return tfc.squeeze(y, [1]);
  }
  if (rank === 2) return tfc.conv2d(x as tfc.Tensor4D, k as tfc.Tensor4D, strides as [number, number], padding);
  return tfc.conv3d(x as tfc.Tensor5D, k as tfc.Tensor5D, strides as [number, number, number], padding);
}
