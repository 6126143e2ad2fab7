/**
 * Kernel fusion, decided in one place: a pass over a model's graph. Layers compute with plain ops
 * (Dense: matMul, add, activation; Conv2D: conv2d, add, activation), so a layer author never sees
 * fusion. When a model runs its graph, the layers this pass knows run instead as one fused op:
 *
 * - Dense: matmul + bias + activation in one kernel, and in training one op whose backward pass is
 *   written out (ops/dense.ts: one DenseGrad kernel where the backend has it).
 * - Conv2D: convolution + bias + activation in one kernel each way (ops/conv_layer.ts); a 2-D
 *   DepthwiseConv2D likewise in one kernel forward (ops/depthwise_layer.ts).
 * - In a training step neither computes the gradient for the batch's own data (`ctx.dataInputs`):
 *   nothing reads it.
 * - A sigmoid Dense whose output is a model output keeps its activation apart in training, so that
 *   its output remembers its logits and binary cross-entropy takes its gradient from them (as
 *   softmax always does); a hidden one fuses it.
 *
 * Only a layer of exactly that computation is fused: a subclass that overrides `call` runs its own.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { getActivation } from '../activations/activations';
import type { CallContext, Layer } from '../engine/layer';
import { Conv2D, Padding } from '../layers/conv';
import { Dense } from '../layers/dense';
import { DepthwiseConv2D } from '../layers/depthwise_conv';
import { dense, DenseActivation } from '../ops/dense';
import { CONV_ACTIVATIONS, ConvActivation, conv2dLayer } from '../ops/conv_layer';
import { depthwiseConv2dLayer } from '../ops/depthwise_layer';

/**
 * Computes a layer's outputs in place of its `call` (the layer's build, checks and masks still apply);
 * like `call`, it receives what the base gives a single-input layer: one tensor.
 */
export type FusedCall = (inputs: tfc.Tensor | tfc.Tensor[], ctx: CallContext) => tfc.Tensor;

/** Activations tfjs-core fuses into its matmul kernel (its fused names equal our canonical ones). */
const DENSE_FUSED = new Set(['linear', 'relu', 'relu6', 'elu', 'sigmoid']);

/** The fused computation for `layer`, or undefined where its plain call runs. `isOutput`: its output is one of the model's. */
export function fusedCall(layer: Layer, isOutput: boolean): FusedCall | undefined {
  if (layer instanceof Dense && layer.call === Dense.prototype.call) return (x, ctx) => fusedDense(layer, x as tfc.Tensor, ctx, isOutput);
  if (layer instanceof Conv2D && layer.call === Conv2D.prototype.call && layer.groups === 1 && (CONV_ACTIVATIONS as readonly string[]).includes(layer.activation)) {
    return (x, ctx) => fusedConv2D(layer, x as tfc.Tensor4D, ctx);
  }
  if (layer instanceof DepthwiseConv2D && layer.call === DepthwiseConv2D.prototype.call && layer.rank === 2 && layer.dilationRate.every((d) => d === 1) &&
    (CONV_ACTIVATIONS as readonly string[]).includes(layer.activation)) {
    return (x) => depthwiseConv2dLayer(x as tfc.Tensor4D, layer.kernel?.value as tfc.Tensor4D, layer.bias?.value, {
      strides: [layer.strides[0], layer.strides[1]], padding: layer.padding as Padding, activation: layer.activation as ConvActivation,
    });
  }
  return undefined;
}

function fusedDense(layer: Dense, x: tfc.Tensor, ctx: CallContext, isOutput: boolean): tfc.Tensor {
  const kernel = layer.kernel?.value as tfc.Tensor2D;
  const bias = layer.bias?.value;
  const fuse = DENSE_FUSED.has(layer.activation) && !(ctx.training && isOutput && layer.activation === 'sigmoid');
  const activation = (fuse ? layer.activation : 'linear') as DenseActivation;
  let y: tfc.Tensor;
  if (ctx.training) {
    y = dense(x, kernel, bias, activation, !ctx.dataInputs?.has(x)); // any rank: the reshapes are inside the op
  } else {
    const flat = (x.rank === 2 ? x : tfc.reshape(x, [-1, x.shape[x.rank - 1]])) as tfc.Tensor2D;
    y = tfc.fused.matMul({ a: flat, b: kernel, bias, activation: activation === 'linear' ? undefined : activation });
    if (x.rank !== 2) y = tfc.reshape(y, [...x.shape.slice(0, -1), layer.units]);
  }
  return fuse ? y : getActivation(layer.activation, layer.name)(y);
}

function fusedConv2D(layer: Conv2D, x: tfc.Tensor4D, ctx: CallContext): tfc.Tensor {
  const [strides, dilation] = [[layer.strides[0], layer.strides[1]], [layer.dilationRate[0], layer.dilationRate[1]]] as [number, number][];
  return conv2dLayer(x, layer.kernel?.value as tfc.Tensor4D, layer.bias?.value, {
    strides, padding: layer.padding as Padding, dilation, activation: layer.activation as ConvActivation, inputGradient: !ctx.dataInputs?.has(x),
  });
}
