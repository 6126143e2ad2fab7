/**
 * Activation functions by Keras name, for layers' `activation` option, and (re-exported from
 * functions.ts) the same functions to call on tensors: `k.activations.mish(x)`.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { NameTable } from '../utils/names';
import * as fn from './functions';

export * from './functions';

export type ActivationFn = (x: tfc.Tensor) => tfc.Tensor;

/** Keras snake_case names; camelCase and the aliases below are accepted too. */
export type ActivationName =
  | 'linear' | 'sigmoid' | 'softmax' | 'relu' | 'tanh' | 'elu' | 'selu' | 'softplus' | 'softsign'
  | 'gelu' | 'swish' | 'silu' | 'relu6' | 'leaky_relu' | 'leakyRelu' | 'hard_sigmoid' | 'hardSigmoid' | 'hard_sigmoid_keras2'
  | 'exponential' | 'log_softmax' | 'logSoftmax' | 'hard_silu' | 'hard_swish' | 'hardSilu' | 'hardSwish'
  | 'celu' | 'glu' | 'hard_shrink' | 'hardShrink' | 'hard_tanh' | 'hardTanh' | 'log_sigmoid' | 'logSigmoid' | 'mish'
  | 'soft_shrink' | 'softShrink' | 'sparse_plus' | 'sparsePlus' | 'sparse_sigmoid' | 'sparseSigmoid' | 'sparsemax'
  | 'squareplus' | 'tanh_shrink' | 'tanhShrink';

// Each with Keras's default parameters. `threshold` has no name: Keras gives its two parameters no defaults.
const ACTIVATIONS: Record<string, ActivationFn> = {
  linear: (x) => x,
  sigmoid: (x) => fn.sigmoid(x),
  softmax: (x) => fn.softmax(x),
  log_softmax: (x) => fn.logSoftmax(x),
  relu: (x) => fn.relu(x),
  tanh: (x) => fn.tanh(x),
  elu: (x) => fn.elu(x),
  selu: (x) => fn.selu(x),
  softplus: (x) => fn.softplus(x),
  softsign: (x) => fn.softsign(x),
  // Keras 3 default: the exact form, 0.5 x (1 + erf(x / sqrt(2))).
  gelu: (x) => fn.gelu(x),
  swish: (x) => fn.silu(x),
  relu6: (x) => fn.relu6(x),
  // Keras 3: negative_slope 0.2.
  leaky_relu: (x) => fn.leakyRelu(x),
  // Keras 3: relu6(x + 3) / 6.
  hard_sigmoid: (x) => fn.hardSigmoid(x),
  // Keras 2 and tfjs-layers: clip(0.2 x + 0.5, 0, 1); what 'hard_sigmoid' means in their files.
  hard_sigmoid_keras2: (x) => tfc.clipByValue(tfc.add(tfc.mul(x, 0.2), 0.5), 0, 1),
  exponential: (x) => fn.exponential(x),
  // Keras 3: x * relu6(x + 3) / 6 (MobileNetV3's activation).
  hard_silu: (x) => fn.hardSilu(x),
  celu: (x) => fn.celu(x),
  glu: (x) => fn.glu(x),
  hard_shrink: (x) => fn.hardShrink(x),
  hard_tanh: (x) => fn.hardTanh(x),
  log_sigmoid: (x) => fn.logSigmoid(x),
  mish: (x) => fn.mish(x),
  soft_shrink: (x) => fn.softShrink(x),
  sparse_plus: (x) => fn.sparsePlus(x),
  sparse_sigmoid: (x) => fn.sparseSigmoid(x),
  sparsemax: (x) => fn.sparsemax(x),
  squareplus: (x) => fn.squareplus(x),
  tanh_shrink: (x) => fn.tanhShrink(x),
};

const TABLE = new NameTable('activation', ACTIVATIONS, { silu: 'swish', none: 'linear', hard_swish: 'hard_silu' });

/** Every accepted activation name, for docs and messages. */
export function activationNames(): string[] {
  return TABLE.names();
}

/** The primary snake_case name for an accepted name ('leakyRelu' -> 'leaky_relu'). */
export function canonicalActivation(name: string, context: string): string {
  const value = TABLE.get(name, context);
  return Object.keys(ACTIVATIONS).find((k) => ACTIVATIONS[k] === value) as string;
}

export function getActivation(name: string, context: string): ActivationFn {
  return TABLE.get(name, context);
}

/** Keras's serialized form of an activation: its snake_case name. */
export type SerializedActivation = string | { class_name: 'function'; config: string };

/**
 * The Keras name of an activation function (`serialize(k.activations.mish)` is 'mish'), for one of
 * the functions here or one returned by getActivation; what Keras 3's `activations.serialize` writes.
 */
export function serialize(activation: ActivationFn | ((x: tfc.Tensor, ...rest: never[]) => tfc.Tensor)): string {
  const fromTable = Object.keys(ACTIVATIONS).find((name) => ACTIVATIONS[name] === activation);
  if (fromTable !== undefined) return fromTable;
  const exported = Object.entries(fn).find(([, value]) => value === activation);
  if (exported !== undefined && typeof exported[1] === 'function') {
    return exported[1] === fn.silu ? 'silu' : exported[1] === fn.hardSilu ? 'hard_silu' : exported[0].replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  }
  throw new ValueError(`activations.serialize: ${activation.name || 'this function'} is not one of keras-ts's activations. help: pass a function from k.activations, or keep a custom activation's name yourself.`);
}

/**
 * The activation (with Keras's default parameters) for a name or Keras's `{class_name: 'function',
 * config: name}`; what Keras 3's `activations.deserialize` returns. `'threshold'` has no defaults, so no name.
 */
export function deserialize(config: SerializedActivation): ActivationFn {
  const name = typeof config === 'string' ? config : config?.config;
  return TABLE.get(name, 'activations.deserialize');
}
