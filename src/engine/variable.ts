/**
 * Keras's `keras.Variable`: a named, shaped value that training can update, made outside a layer.
 * The initial value is an Initializer (with a shape) or a value (a number array or a tensor, its
 * shape taken from it). `path` is the name under the open name scopes (engine/name_scope.ts), as
 * Keras's `variable.path`. It is a layer Weight, so optimizers and `minimize` take it as they take
 * `model.trainableVariables`.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ensureRegistered } from '../backend/backend';
import { ValueError } from './errors';
import { currentNamePath } from './name_scope';
import { Weight } from './weight';
import type { Initializer } from '../initializers/initializer';

export interface VariableArgs {
  /** An Initializer (then `shape` is required) or the initial value. Keras: `initializer` */
  initializer: Initializer | tfc.Tensor | number | number[] | number[][] | number[][][];
  /** The shape; taken from the value when the initializer is a value. Keras: `shape` @default the value's shape */
  shape?: number[];
  /** Keras: `dtype` @default 'float32' */
  dtype?: tfc.DataType;
  /** Whether gradients update it. Keras: `trainable` @default true */
  trainable?: boolean;
  /** Keras: `name` @default 'variable' */
  name?: string;
}

let count = 0;

export class Variable extends Weight {
  /** The name under the name scopes open when it was made ('block/kernel'). Keras: `path` */
  readonly path: string;

  constructor(args: VariableArgs) {
    const { name, shape, initializer, value } = resolve(args);
    super({ name, shape, initializer, trainable: args.trainable, dtype: args.dtype });
    this.path = joinPath(name);
    if (value !== undefined) {
      void this.value; // made now, from the given value, which is then freed
      value.dispose();
    }
  }

  /** The value as a nested array (Keras's `numpy()`). */
  numpy(): number | unknown[] {
    return this.value.arraySync() as number | unknown[];
  }
}

/** The name, shape and initializer of a Variable; `value` is the tensor a value initializer holds. */
function resolve(args: VariableArgs): { name: string; shape: number[]; initializer: Initializer; value?: tfc.Tensor } {
  ensureRegistered();
  if (typeof args !== 'object' || args === null || args.initializer === undefined) {
    throw new ValueError(`Variable: expected {initializer, shape?, dtype?, trainable?, name?}, got ${String(args)}. help: new k.Variable({initializer: [1, 2, 3]}).`);
  }
  const name = args.name ?? (count++ === 0 ? 'variable' : `variable_${count - 1}`);
  const init = args.initializer;
  if (typeof (init as Initializer).call === 'function' && !(init instanceof tfc.Tensor)) {
    if (args.shape === undefined) throw new ValueError(`Variable '${name}': an Initializer needs a \`shape\`. help: new k.Variable({initializer: new k.initializers.Zeros(), shape: [3]}).`);
    return { name, shape: args.shape, initializer: init as Initializer };
  }
  const value = tfc.tidy(() => (init instanceof tfc.Tensor ? tfc.clone(init) : tfc.tensor(init as number[])));
  if (args.shape !== undefined && !tfc.util.arraysEqual(args.shape, value.shape)) {
    const got = value.shape;
    value.dispose();
    throw new ValueError(`Variable '${name}': \`shape\` [${args.shape}] does not match the value's shape [${got}]. help: leave shape out when the initializer is a value.`);
  }
  const initializer = { className: 'Value', call: (_s: number[], dtype: tfc.DataType) => tfc.cast(value, dtype), getConfig: () => ({}) } as unknown as Initializer;
  return { name, shape: value.shape, initializer, value };
}

function joinPath(name: string): string {
  const scope = currentNamePath();
  return scope === '' ? name : `${scope}/${name}`;
}
