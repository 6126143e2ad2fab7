import type * as tfc from '@tensorflow/tfjs-core';
import type { CallbackModel } from '../callbacks/callback';
import type { CallContext } from '../engine/layer';
import type { Mask } from '../engine/masking';
import type { Shape } from '../engine/symbolic_tensor';
import type { Weight } from '../engine/weight';

/** What the training engine needs from a model (callbacks see the CallbackModel part). */
export interface TrainableModel extends CallbackModel {
  readonly inputNames: string[];
  readonly outputNames: string[];
  readonly inputShapes: Shape[];
  readonly outputShapes: Shape[];
  readonly trainableWeights: Weight[];
  /** Runs the model on one batch: one tensor per input in, one per output out. */
  forward(xs: tfc.Tensor[], ctx: CallContext): tfc.Tensor[];
  /** As forward, with each output's mask (null where none), which the losses and metrics honour. */
  forwardMasked(xs: tfc.Tensor[], ctx: CallContext): { outputs: tfc.Tensor[]; masks: Mask[] };
  /** The weight regularizers' total penalty, or null. */
  weightPenalty(): tfc.Scalar | null;
  /** Projects constrained weights after an update. */
  applyConstraints(): void;
}
