/**
 * What a layer's `addWeight` takes, checked and resolved into a Weight: Keras's string names for
 * the initializer, regularizer and constraint are accepted as well as objects.
 */
import type * as tfc from '@tensorflow/tfjs-core';
import { ConstraintIdentifier, getConstraint } from '../constraints';
import { getInitializer, InitializerIdentifier } from '../initializers';
import type { Initializer } from '../initializers/initializer';
import { getRegularizer, Regularizer, RegularizerIdentifier } from '../regularizers';
import { ValueError } from './errors';
import { checkOptions, optionKeys } from './options';
import { checkShape } from './shape_utils';
import { Weight } from './weight';

/** A layer's weight, with names or objects for its initializer, regularizer and constraint. */
export interface AddWeightArgs {
  /** The weight's name within the layer ('kernel', 'bias'); the Weight is named `layer/name`. Keras: `name` */
  name: string;
  /** The weight's full shape, every dimension known (compute it from inputShape in build()). Keras: `shape` */
  shape: number[];
  /**
   * A name ('glorot_uniform', 'zeros', ...) or an Initializer. Keras: `initializer`
   * @default 'glorot_uniform' ('zeros' for int32), as Keras
   */
  initializer?: InitializerIdentifier | Initializer;
  /** Whether fit updates the weight. Keras: `trainable` @default true */
  trainable?: boolean;
  /** The weight's dtype. Keras: `dtype` (Keras's default is the layer's dtype policy) @default 'float32' */
  dtype?: tfc.DataType;
  /**
   * A penalty on the weight, added to the loss in fit: 'l1', 'l2' or a Regularizer. Keras: `regularizer`
   * @default undefined (none)
   */
  regularizer?: RegularizerIdentifier | Regularizer;
  /**
   * A projection applied after each optimizer update: 'non_neg', 'unit_norm' or a Constraint. Keras: `constraint`
   * @default undefined (none)
   */
  constraint?: ConstraintIdentifier;
}

const ADD_WEIGHT_KEYS = optionKeys<AddWeightArgs>()('name', 'shape', 'initializer', 'trainable', 'dtype', 'regularizer', 'constraint');

/** The Weight `layerName` asks for with `args`; every option is checked before anything is made. */
export function makeWeight(layerName: string, args: AddWeightArgs): Weight {
  const where = `${layerName}.addWeight`;
  checkOptions(where, args, ADD_WEIGHT_KEYS);
  if (typeof args.name !== 'string' || args.name.length === 0) {
    throw new ValueError(`${where}: \`name\` must be a non-empty string, got ${JSON.stringify(args.name)}. help: e.g. {name: 'kernel', shape: [4, 8]}.`);
  }
  const shape = checkShape(args.shape, layerName, `addWeight '${args.name}' shape`);
  if (shape.some((d) => d === null)) {
    throw new ValueError(`${where}: the shape of '${args.name}' must be fully known, got ${JSON.stringify(args.shape)}. help: compute it from inputShape in build().`);
  }
  const dtype = args.dtype ?? 'float32';
  const context = `${where} '${args.name}'`;
  return new Weight({
    name: `${layerName}/${args.name}`, shape: shape as number[], dtype, trainable: args.trainable,
    initializer: getInitializer(args.initializer ?? (dtype === 'int32' ? 'zeros' : 'glorot_uniform'), context),
    regularizer: getRegularizer(args.regularizer, context), constraint: getConstraint(args.constraint, context),
  });
}
