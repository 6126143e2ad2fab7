import type * as tfc from '@tensorflow/tfjs-core';
import type { CallbackModel } from '../callbacks/callback';
import type { CallContext } from '../engine/layer';
import type { Mask } from '../engine/masking';
import type { Shape } from '../engine/symbolic_tensor';
import type { Weight } from '../engine/weight';
import type { Metric } from '../metrics';
import type { StepData } from '../data/step_data';
import type { StepLogs } from './compiled_step';

/** What the training engine needs from a model (callbacks see the CallbackModel part). */
export interface TrainableModel extends CallbackModel {
  readonly inputNames: string[];
  readonly outputNames: string[];
  readonly inputShapes: Shape[];
  readonly outputShapes: Shape[];
  readonly trainableWeights: Weight[];
  readonly nonTrainableWeights: Weight[];
  /** Every weight (trainable and not), layer by layer. */
  readonly weights: Weight[];
  /** Runs the model on one batch: one tensor per input in, one per output out. */
  forward(xs: tfc.Tensor[], ctx: CallContext): tfc.Tensor[];
  /** As forward, with each output's mask (null where none), which the losses and metrics honour. */
  forwardMasked(xs: tfc.Tensor[], ctx: CallContext): { outputs: tfc.Tensor[]; masks: Mask[] };
  /** The forward pass of a training step: the part no variable of `variables` reaches runs now, the rest when the returned function is called (under the tape). */
  forwardUntapedFirst(xs: tfc.Tensor[], ctx: CallContext, variables: tfc.Variable[]): () => { outputs: tfc.Tensor[]; masks: Mask[] };
  /** The weight regularizers' total penalty, or null. */
  weightPenalty(): tfc.Scalar | null;
  /** Projects constrained weights (the trainable ones, or `weights`) after an update. */
  applyConstraints(weights?: Weight[]): void;
  /** One training step on one batch (overridable, as Keras's train_step); may return the values to log. */
  trainStep(data: StepData): StepLogs | void;
  /** One evaluation step on one batch (overridable, as Keras's test_step). */
  testStep(data: StepData): StepLogs | void;
  /** The outputs for one batch's x (overridable, as Keras's predict_step). */
  predictStep(data: StepData): tfc.Tensor | tfc.Tensor[];
  /** Every metric fit resets at the start of each epoch: the loss tracker, the compiled metrics, a subclass's own. */
  readonly metrics: Metric[];
}
