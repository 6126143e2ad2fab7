import type * as tfc from '@tensorflow/tfjs-core';
import type { Shape } from '../engine/symbolic_tensor';
import type { Weight } from '../engine/weight';

/** What the training engine needs from a model. */
export interface TrainableModel {
  readonly name: string;
  readonly inputNames: string[];
  readonly outputNames: string[];
  readonly inputShapes: Shape[];
  readonly outputShapes: Shape[];
  readonly trainableWeights: Weight[];
  /** Set by callbacks to end fit after the current batch. */
  stopTraining: boolean;
  /** Runs the model on one batch: one tensor per input in, one per output out. */
  forward(xs: tfc.Tensor[], training: boolean): tfc.Tensor[];
}
