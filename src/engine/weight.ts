/**
 * A layer's weight: its name, shape, initializer and trainable flag, and the tfjs-core Variable that
 * holds its value. The variable is created on first use, on the backend active then, so a model
 * can be defined before a backend is chosen.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from './errors';
import { ensureRegistered } from '../backend/backend';
import type { Initializer } from '../initializers/initializer';
import type { Regularizer } from '../regularizers';
import type { Constraint } from '../constraints';

let nextId = 0;

export interface WeightArgs {
  /** The weight's full name (`layer/kernel`). Keras: `name` */
  name: string;
  /** The weight's shape, every dimension known. Keras: `shape` */
  shape: number[];
  /** Makes the weight's first value. Keras: `initializer` */
  initializer: Initializer;
  /** Whether fit updates the weight. Keras: `trainable` @default true */
  trainable?: boolean;
  /** The variable's dtype. Keras: `dtype` @default 'float32' */
  dtype?: tfc.DataType;
  /**
   * A penalty on the weight, added to the loss in fit. Keras: `regularizer` (set by `add_weight`) @default undefined
   * (none)
   */
  regularizer?: Regularizer;
  /** A projection applied to the weight after each optimizer update. Keras: `constraint` @default undefined (none) */
  constraint?: Constraint;
}

export class Weight {
  readonly name: string;
  readonly shape: number[];
  readonly dtype: tfc.DataType;
  trainable: boolean;
  readonly regularizer: Regularizer | undefined;
  readonly constraint: Constraint | undefined;
  private readonly initializer: Initializer;
  private variable: tfc.Variable | null = null;
  /** A process-unique name for the variable (tfjs requires unique variable names). */
  private readonly uniqueName: string;

  constructor(args: WeightArgs) {
    ensureRegistered(); // see Layer's constructor
    this.name = args.name;
    this.shape = args.shape;
    this.dtype = args.dtype ?? 'float32';
    this.trainable = args.trainable ?? true;
    this.initializer = args.initializer;
    this.regularizer = args.regularizer;
    this.constraint = args.constraint;
    this.uniqueName = `${args.name}#${nextId++}`;
  }

  /** The variable holding the value; created from the initializer on first access. */
  get value(): tfc.Variable {
    if (this.variable === null) {
      const init = tfc.tidy(() => this.initializer.call(this.shape, this.dtype));
      this.variable = tfc.variable(init, this.trainable, this.uniqueName, this.dtype);
      init.dispose();
    }
    return this.variable;
  }

  get size(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }

  /** Replaces the value (copied; the caller keeps ownership of `value`). */
  assign(value: tfc.Tensor): void {
    if (!tfc.util.arraysEqual(value.shape, this.shape)) {
      throw new ValueError(
        `Weight '${this.name}': cannot assign a value of shape [${value.shape}] to a weight of shape [${this.shape}]. ` +
          'help: pass values in the order and shapes that getWeights() returns.',
      );
    }
    if (value.dtype === this.dtype) {
      this.value.assign(value);
      return;
    }
    const cast = tfc.cast(value, this.dtype);
    this.value.assign(cast);
    cast.dispose();
  }

  /** A copy of the current value, owned by the caller. */
  read(): tfc.Tensor {
    return tfc.clone(this.value);
  }

  dispose(): void {
    this.variable?.dispose();
    this.variable = null;
  }
}
