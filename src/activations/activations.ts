/**
 * Activation functions by Keras name. Each is a pure function of a tensor built from tfjs-core ops.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { NameTable } from '../utils/names';
import { rememberLogits } from './logits';

export type ActivationFn = (x: tfc.Tensor) => tfc.Tensor;

/** Keras snake_case names; camelCase and the aliases below are accepted too. */
export type ActivationName =
  | 'linear' | 'sigmoid' | 'softmax' | 'relu' | 'tanh' | 'elu' | 'selu' | 'softplus' | 'softsign'
  | 'gelu' | 'swish' | 'silu' | 'relu6' | 'leaky_relu' | 'leakyRelu' | 'hard_sigmoid' | 'hardSigmoid' | 'hard_sigmoid_keras2'
  | 'exponential' | 'log_softmax' | 'logSoftmax' | 'hard_silu' | 'hard_swish';

const SQRT1_2 = Math.SQRT1_2;

const ACTIVATIONS: Record<string, ActivationFn> = {
  linear: (x) => x,
  sigmoid: (x) => rememberLogits(tfc.sigmoid(x), x, 'sigmoid'),
  softmax: (x) => rememberLogits(tfc.softmax(x, -1), x, 'softmax'),
  log_softmax: (x) => tfc.logSoftmax(x, -1),
  relu: (x) => tfc.relu(x),
  tanh: (x) => tfc.tanh(x),
  elu: (x) => tfc.elu(x),
  selu: (x) => tfc.selu(x),
  softplus: (x) => tfc.softplus(x),
  softsign: (x) => tfc.div(x, tfc.add(tfc.abs(x), 1)),
  // Keras 3 default: the exact form, 0.5 x (1 + erf(x / sqrt(2))).
  gelu: (x) => tfc.mul(tfc.mul(x, 0.5), tfc.add(tfc.erf(tfc.mul(x, SQRT1_2)), 1)),
  swish: (x) => tfc.mul(x, tfc.sigmoid(x)),
  relu6: (x) => tfc.relu6(x),
  // Keras 3: negative_slope 0.2.
  leaky_relu: (x) => tfc.leakyRelu(x, 0.2),
  // Keras 3: relu6(x + 3) / 6.
  hard_sigmoid: (x) => tfc.div(tfc.relu6(tfc.add(x, 3)), 6),
  // Keras 2 and tfjs-layers: clip(0.2 x + 0.5, 0, 1); what 'hard_sigmoid' means in their files.
  hard_sigmoid_keras2: (x) => tfc.clipByValue(tfc.add(tfc.mul(x, 0.2), 0.5), 0, 1),
  exponential: (x) => tfc.exp(x),
  // Keras 3: x * relu6(x + 3) / 6 (MobileNetV3's activation).
  hard_silu: (x) => tfc.mul(x, tfc.div(tfc.relu6(tfc.add(x, 3)), 6)),
};

const TABLE = new NameTable('activation', ACTIVATIONS, { silu: 'swish', none: 'linear', hard_swish: 'hard_silu' });

/** Every accepted activation name, for docs and messages. */
export function activationNames(): string[] {
  return TABLE.names();
}

/** The primary snake_case name for an accepted name ('leakyRelu' -> 'leaky_relu'). */
export function canonicalActivation(name: string, context: string): string {
  const fn = TABLE.get(name, context);
  return Object.keys(ACTIVATIONS).find((k) => ACTIVATIONS[k] === fn) as string;
}

export function getActivation(name: string, context: string): ActivationFn {
  return TABLE.get(name, context);
}
