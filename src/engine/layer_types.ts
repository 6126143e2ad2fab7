/** The types a layer is written with: its options, a call's context, apply's options, a config. */
import type * as tfc from '@tensorflow/tfjs-core';
import type { CallArgs } from './call_args';
import type { MaskArg } from './masking';
import { optionKeys } from './options';
import type { Shape, SymbolicTensor } from './symbolic_tensor';
import type { RegularizerIdentifier } from '../regularizers';
import type { PolicyIdentifier } from '../mixed_precision/dtype_policy';

export interface LayerArgs {
  /** Unique name. Keras: `name` @default the snake_case class name with a counter (dense, dense_1, ...), as Keras */
  name?: string;
  /** Whether fit updates this layer's weights. Keras: `trainable` @default true */
  trainable?: boolean;
  /**
   * Shape of one sample, for the first layer of a Sequential model (e.g. [784]). Keras: `input_shape`
   * (Keras 3 prefers a `keras.Input` first) @default undefined (the shape comes from the layer's first input)
   */
  inputShape?: Shape;
  /**
   * Shape including the batch dimension (null for any), as an alternative to inputShape.
   * Keras: `batch_input_shape` (Keras 2; Keras 3's `Input(batch_shape=...)`) @default undefined (the shape comes from
   * the layer's first input)
   */
  batchInputShape?: Shape;
  /**
   * The dtype of the layer's weights and computation, or a dtype policy or its name ('mixed_float16':
   * float32 here, tfjs-core having no float16). Keras: `dtype` (a dtype policy or its name)
   * @default the global policy (k.mixedPrecision.globalPolicy(), 'float32' unless set)
   */
  dtype?: PolicyIdentifier;
  /**
   * The layer's dtype policy (the same option as `dtype`; give one of them).
   * Keras: `dtype` (as a DTypePolicy) @default the global policy
   */
  dtypePolicy?: PolicyIdentifier;
  /**
   * A penalty on the layer's output, added to the loss in fit. Keras: `activity_regularizer`
   * @default undefined (none)
   */
  activityRegularizer?: RegularizerIdentifier;
}

/** What a call needs besides its inputs. */
export interface CallContext {
  /** True inside fit: Dropout drops, BatchNormalization uses batch statistics. */
  training: boolean;
  /**
   * Set when no caller gave `training` (a model or layer called alone): each layer then runs with its
   * own default (Layer.trainingWhenAlone), as Keras resolves `training=None` per layer.
   */
  trainingUnset?: true;
  /** Where layers put the losses they add during the call (activity regularization). */
  losses?: tfc.Tensor[];
  /** The batch's input data in a training step: no gradient is needed with respect to these (read by models/fusion.ts). */
  dataInputs?: Set<tfc.Tensor>;
  /** The inputs' mask (one per input for a list of inputs; null where none), as Keras's `mask`. */
  mask?: MaskArg;
  /** The call's own options besides training and mask (see callOptionKeys), tensors resolved. */
  args?: CallArgs;
}

/** A computation run in place of a layer's `call` (a graph's fused kernel, models/fusion.ts). */
export type LayerCompute = (inputs: tfc.Tensor | tfc.Tensor[], ctx: CallContext) => tfc.Tensor | tfc.Tensor[];

type AnyTensor = tfc.Tensor | SymbolicTensor;


/** What apply takes besides the inputs: the training flag, a mask, and the layer's own call options. */
export interface ApplyOptions {
  /**
   * Run as in training (Dropout drops, BatchNormalization uses batch statistics). Keras: `training`
   * (Keras's None inherits the outer call's flag) @default false
   */
  training?: boolean;
  /**
   * The inputs' mask, instead of the one carried from the layers before. Keras: `mask` @default the mask the inputs
   * carry (none for tensors)
   */
  mask?: AnyTensor | null | Array<AnyTensor | null>;
  /** A layer's own call options (e.g. MultiHeadAttention's `returnAttentionScores`). */
  [option: string]: unknown;
}

export type LayerConfig = Record<string, unknown> & { name: string; trainable: boolean };

/** The options every layer takes; a layer class lists its own in `static optionKeys`, checked on construction. */
export const LAYER_KEYS = optionKeys<LayerArgs>()('name', 'trainable', 'inputShape', 'batchInputShape', 'dtype', 'dtypePolicy', 'activityRegularizer');

/** A config as constructor options: keys whose value is null (Keras's "not set") are left out. */
export function optionsOf(config: LayerConfig): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).filter(([, v]) => v !== null));
}
