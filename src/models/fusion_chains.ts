/**
 * Chain fusion, the graph pass's second half (fusion.ts fuses within one layer): a convolution
 * (Conv2D or DepthwiseConv2D, linear, its output read only by the next layer) followed by a
 * BatchNormalization running on its moving statistics (inference, or a frozen layer), and
 * optionally by ReLU(6) / ReLU / Activation('relu' | 'relu6'), runs as ONE fused convolution: the
 * normalization folded into the kernel and bias (kernel · a, bias · a + b, with a = gamma /
 * sqrt(moving variance + epsilon) and b = beta - moving mean · a, per output channel), the
 * activation fused. That is MobileNet's, EfficientNet's and ResNet's conv-BN-ReLU block: the
 * BatchNormalization and the activation stop reading and writing the whole activation tensor.
 * A ZeroPadding2D read only by a 'valid' conv (MobileNet's and ResNet's downsampling) belongs to the
 * chain too: with no tape recording the folded conv pads its input itself (explicit padding), and
 * the padded map is never written. The fold is computed with tfjs ops from the variables, so
 * gradients through it are exact; a frozen chain's fold is kept between calls (folded_weights.ts). A
 * BatchNormalization that trains (batch statistics) cannot fold: there the activation after it runs
 * inside its normalization instead (BatchNormalization.callTraining; on 'native' one kernel each way,
 * ops/batch_norm.ts), so the activation map is not written, read and differentiated once more.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { CallContext, Layer } from '../engine/layer';
import { hasMask } from '../engine/masking';
import type { Node } from '../engine/node';
import type { Weight } from '../engine/weight';
import { Activation } from '../layers/activation';
import { ReLU } from '../layers/activation_layers';
import { Conv2D, Padding } from '../layers/conv';
import { DepthwiseConv2D } from '../layers/depthwise_conv';
import { BatchNormalization } from '../layers/normalization';
import { ZeroPadding2D } from '../layers/spatial';
import { hasKernel, FusedKernel } from '../engine/fused_kernels';
import { conv2dLayer, ExplicitPadding } from '../ops/conv_layer';
import { depthwiseConv2dLayer } from '../ops/depthwise_layer';
import type { FusedCall } from './fusion';
import type { FoldedWeights } from './folded_weights';

/**
 * A conv node, the BatchNormalization node after it, and the activation node after that (if any);
 * `pad`: a ZeroPadding2D node read only by a 'valid' conv, whose padding the folded conv can apply itself.
 */
export interface Chain {
  pad: Node | null;
  conv: Node;
  norm: Node;
  act: Node | null;
  activation: 'linear' | 'relu' | 'relu6';
}

/** What a node's single output is read by, in this graph. */
export type Readers = Map<Node, Node[]>;

const plain = (layer: Layer, cls: { prototype: { call: unknown } }): boolean => (layer as { call: unknown }).call === cls.prototype.call;

function isConv(layer: Layer): layer is Conv2D | DepthwiseConv2D {
  if (layer.activityRegularizer !== undefined) return false;
  if (layer instanceof Conv2D) return plain(layer, Conv2D) && layer.groups === 1 && layer.activation === 'linear' && layer.rank === 2;
  return layer instanceof DepthwiseConv2D && plain(layer, DepthwiseConv2D) && layer.activation === 'linear' && layer.dilationRate.every((d) => d === 1);
}

function isFoldableNorm(layer: Layer): layer is BatchNormalization {
  return layer instanceof BatchNormalization && plain(layer, BatchNormalization) && !layer.synchronized && layer.activityRegularizer === undefined && (layer.axis === -1 || layer.axis === 3);
}

function isPlainPad(layer: Layer): layer is ZeroPadding2D {
  return layer instanceof ZeroPadding2D && plain(layer, ZeroPadding2D) && layer.activityRegularizer === undefined;
}

/** The fused activation an activation layer computes, or null. */
function activationOf(layer: Layer): 'relu' | 'relu6' | null {
  if (layer.activityRegularizer !== undefined) return null;
  if (layer instanceof ReLU && plain(layer, ReLU) && layer.threshold === 0 && layer.negativeSlope === 0) {
    return layer.maxValue === undefined ? 'relu' : layer.maxValue === 6 ? 'relu6' : null;
  }
  if (layer instanceof Activation && plain(layer, Activation) && (layer.activation === 'relu' || layer.activation === 'relu6')) return layer.activation;
  return null;
}

/** The chains of `nodes` (each node in at most one); `outputs`: nodes whose output the model returns. */
export function findChains(nodes: Node[], outputs: Set<Node>): Chain[] {
  const readers: Readers = new Map();
  for (const node of nodes) for (const t of node.inputs) readers.set(t.node, [...(readers.get(t.node) ?? []), node]);
  const only = (node: Node): Node | null => {
    const r = readers.get(node) ?? [];
    return r.length === 1 && node.outputs.length === 1 && !outputs.has(node) && r[0].inputs.length === 1 ? r[0] : null;
  };
  const chains: Chain[] = [];
  for (const conv of nodes) {
    if (!isConv(conv.layer)) continue;
    const norm = only(conv);
    if (norm === null || !isFoldableNorm(norm.layer)) continue;
    const next = only(norm);
    const activation = next === null ? null : activationOf(next.layer);
    const before = conv.inputs[0].node;
    const pad = (conv.layer as Conv2D | DepthwiseConv2D).padding === 'valid' && isPlainPad(before.layer) && only(before) === conv ? before : null;
    chains.push({ pad, conv, norm, act: activation === null ? null : next, activation: activation ?? 'linear' });
  }
  return chains;
}

/** Whether the chain's BatchNormalization uses its moving statistics in this call (and so folds). */
export function folds(chain: Chain, ctx: CallContext): boolean {
  return !(ctx.training && chain.norm.layer.trainable) && !hasMask(ctx.mask);
}

/** Whether both layers of the chain are frozen: its fold does not change from call to call (folded_weights.ts). */
export function frozen(chain: Chain): boolean {
  return !chain.conv.layer.trainable && !chain.norm.layer.trainable;
}

/**
 * Whether the folded conv also applies the chain's ZeroPadding2D (explicit padding) in this call: on
 * a backend with keras-ts's convolution kernels, with no tape recording (their gradients are taken
 * on the padded map, as the layers compute it).
 */
export function foldsPad(chain: Chain): boolean {
  return chain.pad !== null && !tfc.engine().isTapeOn() && hasKernel(FusedKernel.ConvGrad);
}

/** Whether the chain's BatchNormalization trains in this call, with its activation fused into it (trainingChainCall). */
export function fusesInTraining(chain: Chain, ctx: CallContext): boolean {
  return chain.act !== null && ctx.training === true && chain.norm.layer.trainable && !hasMask(ctx.mask);
}

/** The BatchNormalization layer's training call with the chain's activation after it. */
export function trainingChainCall(chain: Chain): FusedCall {
  const norm = chain.norm.layer as BatchNormalization;
  return (x, ctx) => norm.callTraining(x as tfc.Tensor, ctx, chain.activation);
}

/**
 * The conv layer's computation with the chain's normalization folded in and its activation fused;
 * `withPad`: its input is the ZeroPadding2D's, padded by the convolution itself. A frozen chain's
 * fold is kept in `folds` between calls.
 */
export function chainCall(chain: Chain, folds: FoldedWeights, withPad = false): FusedCall {
  const conv = chain.conv.layer as Conv2D | DepthwiseConv2D;
  const norm = chain.norm.layer as BatchNormalization;
  const margins = withPad ? (chain.pad?.layer as ZeroPadding2D).padding : null;
  const padding: Padding | ExplicitPadding = margins === null ? (conv.padding as Padding) : [[0, 0], margins[0], margins[1], [0, 0]];
  return (x) => {
    const [filter, foldedBias] = folds.get(chain, [...conv.weights, ...norm.weights], frozen(chain), () => foldedWeights(conv, norm));
    const strides: [number, number] = [conv.strides[0], conv.strides[1]];
    if (conv instanceof DepthwiseConv2D) return depthwiseConv2dLayer(x as tfc.Tensor4D, filter, foldedBias, { strides, padding, activation: chain.activation });
    const dilation: [number, number] = [conv.dilationRate[0], conv.dilationRate[1]];
    return conv2dLayer(x as tfc.Tensor4D, filter, foldedBias, { strides, padding, dilation, activation: chain.activation, inputGradient: true });
  };
}

/** The conv's kernel and bias with the normalization folded in: kernel · a, bias · a + b (per output channel). */
function foldedWeights(conv: Conv2D | DepthwiseConv2D, norm: BatchNormalization): [tfc.Tensor4D, tfc.Tensor1D] {
  const [a, b] = foldFactors(norm);
  const kernel = (conv.kernel as Weight).value as tfc.Tensor4D;
  const bias = conv.bias?.value;
  const foldedBias = (bias === undefined ? b : tfc.add(tfc.mul(bias, a), b)) as tfc.Tensor1D;
  if (conv instanceof DepthwiseConv2D) {
    const [, , channels, multiplier] = kernel.shape;
    return [tfc.mul(kernel, tfc.reshape(a, [1, 1, channels, multiplier])) as tfc.Tensor4D, foldedBias];
  }
  return [tfc.mul(kernel, tfc.reshape(a, [1, 1, 1, -1])) as tfc.Tensor4D, foldedBias];
}

/** a = gamma / sqrt(moving variance + epsilon), b = beta - moving mean · a: y = x · a + b. */
function foldFactors(norm: BatchNormalization): [tfc.Tensor1D, tfc.Tensor1D] {
  let a = tfc.rsqrt(tfc.add((norm.movingVariance as Weight).value, norm.epsilon)) as tfc.Tensor1D;
  if (norm.gamma) a = tfc.mul(a, norm.gamma.value);
  let b = tfc.neg(tfc.mul((norm.movingMean as Weight).value, a)) as tfc.Tensor1D;
  if (norm.beta) b = tfc.add(b, norm.beta.value);
  return [a, b];
}
