/**
 * The gradient of Conv2D written as two forward convolutions, for backends whose backprop kernels
 * are missing or slow and whose forward convolution is fast. tfjs-backend-wasm has no
 * Conv2DBackpropFilter kernel, and its Conv2DBackpropInput is a slow loop, while its Conv2D
 * (XNNPACK) is fast; tfjs-backend-cpu's backprop kernels are plain loops too. Measured here on a
 * small CNN step at batch 32 on wasm: 8.7 s with the filter gradient on the CPU fallback, against
 * milliseconds for the forward pass. The cpu and wasm profiles use it; backends with native
 * backprop kernels (native, cuda) keep tfjs-core's gradient.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { filterGradient, inputGradient } from '../ops/conv';
import type { GradientOverride } from './profile';

type ConvAttrs = {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number;
  dataFormat: 'NHWC' | 'NCHW';
  dilations: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};

export const conv2dGradientAsConvolutions: GradientOverride = {
  inputsToSave: ['x', 'filter'],
  gradFunc: (dy, saved, attrs, original) => {
    const a = attrs as unknown as ConvAttrs;
    const dilated = (Array.isArray(a.dilations) ? a.dilations : [a.dilations, a.dilations]).some((d) => d !== 1);
    if (a.dataFormat !== 'NHWC' || dilated || a.dimRoundingMode !== undefined) {
      return original(dy, saved, attrs);
    }
    const [x, filter] = saved as [tfc.Tensor4D, tfc.Tensor4D];
    const info = tfc.backend_util.computeConv2DInfo(x.shape, filter.shape, a.strides, a.dilations, a.pad);
    const g = dy as tfc.Tensor4D;
    return { x: () => inputGradient(g, filter, info), filter: () => filterGradient(x, g, info) };
  },
};
