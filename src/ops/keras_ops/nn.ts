/**
 * Keras 3's neural-network ops (keras/src/ops/nn.py) that are activations: the same functions as
 * k.activations, with ops.nn's signatures (`relu(x)` takes no options; `gelu` defaults to the tanh
 * approximation, as `keras.ops.gelu` does, unlike `keras.activations.gelu`).
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as A from '../../activations/functions';
import type { TensorInput } from './tensor_input';

export const relu = (x: TensorInput): tfc.Tensor => A.relu(x);
export const relu6 = (x: TensorInput): tfc.Tensor => A.relu6(x);
export const sigmoid = (x: TensorInput): tfc.Tensor => A.sigmoid(x);
export const softplus = (x: TensorInput): tfc.Tensor => A.softplus(x);
export const softsign = (x: TensorInput): tfc.Tensor => A.softsign(x);
export const silu = (x: TensorInput): tfc.Tensor => A.silu(x);
export const swish = silu;
export const selu = (x: TensorInput): tfc.Tensor => A.selu(x);
export const hardSigmoid = (x: TensorInput): tfc.Tensor => A.hardSigmoid(x);
export const hardSilu = (x: TensorInput): tfc.Tensor => A.hardSilu(x);
export const logSigmoid = (x: TensorInput): tfc.Tensor => A.logSigmoid(x);
export const elu = (x: TensorInput, alpha = 1): tfc.Tensor => A.elu(x, alpha);
export const leakyRelu = (x: TensorInput, negativeSlope = 0.2): tfc.Tensor => A.leakyRelu(x, negativeSlope);
export const gelu = (x: TensorInput, approximate = true): tfc.Tensor => A.gelu(x, approximate);
export const softmax = (x: TensorInput, axis = -1): tfc.Tensor => A.softmax(x, axis);
export const logSoftmax = (x: TensorInput, axis = -1): tfc.Tensor => A.logSoftmax(x, axis);
export const celu = (x: TensorInput, alpha = 1): tfc.Tensor => A.celu(x, alpha);
export const glu = (x: TensorInput, axis = -1): tfc.Tensor => A.glu(x, axis);
export const hardShrink = (x: TensorInput, threshold = 0.5): tfc.Tensor => A.hardShrink(x, threshold);
export const hardTanh = (x: TensorInput): tfc.Tensor => A.hardTanh(x);
export const softShrink = (x: TensorInput, threshold = 0.5): tfc.Tensor => A.softShrink(x, threshold);
export const sparsePlus = (x: TensorInput): tfc.Tensor => A.sparsePlus(x);
export const sparseSigmoid = (x: TensorInput): tfc.Tensor => A.sparseSigmoid(x);
export const sparsemax = (x: TensorInput, axis = -1): tfc.Tensor => A.sparsemax(x, axis);
export const squareplus = (x: TensorInput, b = 4): tfc.Tensor => A.squareplus(x, b);
export const tanhShrink = (x: TensorInput): tfc.Tensor => A.tanhShrink(x);
export const threshold = (x: TensorInput, thresholdValue: number, defaultValue: number): tfc.Tensor => A.threshold(x, thresholdValue, defaultValue);
