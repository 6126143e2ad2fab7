/**
 * A Conv2D layer's convolution, bias and activation as one differentiable op. Where the backend has
 * keras-ts's ConvGrad kernel (the native CPU backend), the forward pass is one kernel (FusedConv2D:
 * oneDNN applies the bias and activation as it writes the output) and the backward pass another
 * (the activation's derivative, the filter and bias gradients, and the input gradient only where
 * something needs it), instead of a convolution, a broadcast add and an activation each taped with
 * its own gradient over the whole activation map. Elsewhere it is tfjs's conv2d on the filter
 * dilated explicitly (ops/conv.ts), then the bias and the activation as ops.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { FusedKernel, hasKernel, runFused } from '../engine/fused_kernels';
import { dilateFilter } from './conv';
import { outlivesStep, saveForGradient } from './gradient_saves';

/** Activations fused into the convolution. */
export const CONV_ACTIVATIONS = ['linear', 'relu', 'relu6', 'elu'] as const;
export type ConvActivation = (typeof CONV_ACTIVATIONS)[number];

/** Padding given per side, as tfjs takes it: [[0, 0], [top, bottom], [left, right], [0, 0]] (a ZeroPadding2D folded into the conv). */
export type ExplicitPadding = [[number, number], [number, number], [number, number], [number, number]];

export interface ConvLayerArgs {
  strides: [number, number];
  padding: 'same' | 'valid' | ExplicitPadding;
  dilation: [number, number];
  activation: ConvActivation;
  /** False when x is the batch's data: its gradient is then zeros instead of a convolution nobody reads. */
  inputGradient: boolean;
}

type CustomGradientFunc = Parameters<typeof tfc.customGrad>[0];

function unfused(x: tfc.Tensor4D, kernel: tfc.Tensor4D, bias: tfc.Tensor | undefined, a: ConvLayerArgs): tfc.Tensor4D {
  const padded = typeof a.padding === 'string' ? x : (tfc.pad(x, a.padding) as tfc.Tensor4D);
  const pad = typeof a.padding === 'string' ? a.padding : 'valid';
  let y: tfc.Tensor = tfc.conv2d(padded, dilateFilter(kernel, a.dilation[0], a.dilation[1]), a.strides, pad);
  if (bias !== undefined) y = tfc.add(y, bias);
  if (a.activation === 'relu') y = tfc.relu(y);
  else if (a.activation === 'relu6') y = tfc.relu6(y);
  else if (a.activation === 'elu') y = tfc.elu(y);
  return y as tfc.Tensor4D;
}

export function conv2dLayer(x: tfc.Tensor4D, kernel: tfc.Tensor4D, bias: tfc.Tensor | undefined, a: ConvLayerArgs): tfc.Tensor4D {
  if (!hasKernel(FusedKernel.ConvGrad)) return unfused(x, kernel, bias, a);
  const hasBias = bias !== undefined;
  const attrs = { strides: a.strides, pad: a.padding, dataFormat: 'NHWC', dilations: a.dilation, activation: a.activation };
  // With no tape recording nothing takes a gradient: the kernel alone, without customGrad's scope.
  if (!tfc.engine().isTapeOn()) return runFused(tfc.FusedConv2D, hasBias ? { x, filter: kernel, bias: bias as tfc.Tensor } : { x, filter: kernel }, attrs)[0] as tfc.Tensor4D;
  const forward = (input: tfc.Tensor4D, filter: tfc.Tensor4D, b: tfc.Tensor | undefined, save: tfc.GradSaveFunc) => {
    const y = runFused(tfc.FusedConv2D, b === undefined ? { x: input, filter } : { x: input, filter, bias: b }, attrs)[0] as tfc.Tensor4D;
    // A variable outlives the step, and so does the batch's own data: no saved copy of those.
    const restore = saveForGradient(save, [input, filter, y], [outlivesStep(input, !a.inputGradient), outlivesStep(filter), false]);
    const gradFunc = (dy: tfc.Tensor, saved: tfc.Tensor[]): tfc.Tensor[] => {
      const [sx, sf, sy] = restore(saved);
      return runFused(FusedKernel.ConvGrad, { dy, x: sx, filter: sf, y: sy }, { ...attrs, inputGradient: a.inputGradient, hasBias });
    };
    return { value: y, gradFunc };
  };
  if (!hasBias) {
    const op = tfc.customGrad(((input: tfc.Tensor4D, filter: tfc.Tensor4D, save: tfc.GradSaveFunc) => forward(input, filter, undefined, save)) as unknown as CustomGradientFunc);
    return op(x, kernel) as tfc.Tensor4D;
  }
  return tfc.customGrad(forward as unknown as CustomGradientFunc)(x, kernel, bias as tfc.Tensor) as tfc.Tensor4D;
}
