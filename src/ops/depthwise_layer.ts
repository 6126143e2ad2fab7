/**
 * A depthwise convolution with its bias and activation as one differentiable op (ops/conv_layer.ts
 * does the same for Conv2D). tfjs's fused depthwise op splits into a convolution, a broadcast add and
 * an activation while a gradient tape records, each taped over the whole activation map. Where the
 * backend has keras-ts's ConvGrad kernel (the native CPU backend) this op stays one FusedDepthwiseConv2D
 * kernel under the tape, and its backward pass is the activation's derivative (one ActivationGrad
 * kernel), the bias gradient, and the backend's own depthwise input and filter gradients. Elsewhere
 * it is tfjs's fused.depthwiseConv2d. Dilation 1 only (the graph passes use it for that case).
 */
import * as tfc from '@tensorflow/tfjs-core';
import { FusedKernel, hasKernel, runFused } from '../engine/fused_kernels';
import { outlivesStep, saveForGradient } from './gradient_saves';
import type { ConvActivation, ExplicitPadding } from './conv_layer';

export interface DepthwiseLayerArgs {
  strides: [number, number];
  padding: 'same' | 'valid' | ExplicitPadding;
  activation: ConvActivation;
}

type CustomGradientFunc = Parameters<typeof tfc.customGrad>[0];

export function depthwiseConv2dLayer(x: tfc.Tensor4D, filter: tfc.Tensor4D, bias: tfc.Tensor | undefined, a: DepthwiseLayerArgs): tfc.Tensor4D {
  if (!hasKernel(FusedKernel.ConvGrad)) {
    const padded = typeof a.padding === 'string' ? x : (tfc.pad(x, a.padding) as tfc.Tensor4D);
    return tfc.fused.depthwiseConv2d({ x: padded, filter, strides: a.strides, pad: typeof a.padding === 'string' ? a.padding : 'valid', bias, activation: a.activation === 'linear' ? undefined : a.activation });
  }
  const attrs = { strides: a.strides, pad: a.padding, dilations: [1, 1], dimRoundingMode: undefined, activation: a.activation };
  // With no tape recording nothing takes a gradient: the kernel alone, without customGrad's scope.
  if (!tfc.engine().isTapeOn()) return runFused(tfc.FusedDepthwiseConv2D, bias === undefined ? { x, filter } : { x, filter, bias }, attrs)[0] as tfc.Tensor4D;
  const forward = (input: tfc.Tensor4D, f: tfc.Tensor4D, b: tfc.Tensor | undefined, save: tfc.GradSaveFunc) => {
    const y = runFused(tfc.FusedDepthwiseConv2D, b === undefined ? { x: input, filter: f } : { x: input, filter: f, bias: b }, attrs)[0] as tfc.Tensor4D;
    const restore = saveForGradient(save, [input, f, y], [false, outlivesStep(f), false]); // a variable filter: no saved copy
    const gradFunc = (dy: tfc.Tensor, saved: tfc.Tensor[]): tfc.Tensor[] => {
      const [sx, sf, sy] = restore(saved);
      const dz = a.activation === 'linear' ? dy : runFused(FusedKernel.ActivationGrad, { dy, y: sy }, { activation: a.activation })[0];
      const dx = runFused(tfc.DepthwiseConv2dNativeBackpropInput, { dy: dz, filter: sf }, { ...attrs, inputShape: sx.shape })[0];
      const dfilter = runFused(tfc.DepthwiseConv2dNativeBackpropFilter, { x: sx, dy: dz }, { ...attrs, filterShape: sf.shape })[0];
      return b === undefined ? [dx, dfilter] : [dx, dfilter, tfc.sum(dz, [0, 1, 2])];
    };
    return { value: y, gradFunc };
  };
  if (bias === undefined) {
    const op = tfc.customGrad(((input: tfc.Tensor4D, f: tfc.Tensor4D, save: tfc.GradSaveFunc) => forward(input, f, undefined, save)) as unknown as CustomGradientFunc);
    return op(x, filter) as tfc.Tensor4D;
  }
  return tfc.customGrad(forward as unknown as CustomGradientFunc)(x, filter, bias) as tfc.Tensor4D;
}
