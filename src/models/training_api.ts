/**
 * The training API every Model has, as Keras's Trainer (the class Keras's Model inherits compile,
 * fit, evaluate and predict from): compile, the steps (trainStep, testStep, predictStep: override
 * them to change what fit does), fit, evaluate, predict and the on-batch calls. The model owns its
 * steps; the loop that calls them is composed in (trainer.ts after compile, predict_loop.ts), not
 * inherited; data_entry.ts and predictEntry check the data and build the model from it first:
 *
 *   fit(x, y)      -> data/adapter.ts batches -> this.trainStep(data) -> this.optimizer
 *   evaluate(x, y) -> the same batches        -> this.testStep(data)
 *   predict(x)     -> the same batches        -> this.predictStep(data), concatenated
 *
 * `data` is Keras's {x, y, sampleWeight}: a tensor per input and output (a plain tensor when there is
 * one). x may be arrays, tensors, iterables or async iterables of batches (predict of an async
 * iterable returns a Promise). What the model computes (forward, its names and shapes) is model.ts's.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { History } from '../callbacks/history';
import type { Logs } from '../callbacks/callback';
import type { DataInput } from '../data/convert';
import type { Dataset, PredictElement } from '../data/sources';
import { asList, StepData, structured } from '../data/step_data';
import { ValueError } from '../engine/errors';
import type { CallContext } from '../engine/layer';
import type { Mask } from '../engine/masking';
import { MultiInputLayer } from '../engine/multi_input_layer';
import { checkOptions } from '../engine/options';
import type { Shape } from '../engine/symbolic_tensor';
import type { Weight } from '../engine/weight';
import type { Metric } from '../metrics';
import { CompileArgs, COMPILE_KEYS } from './compile_config';
import type { LossInputs, StepLogs } from './compiled_step';
import { CompiledState } from './compiled_state';
import { DataEntry, evaluateEntry, fitEntry } from './data_entry';
import type { EvaluateArgs, FitArgs, PredictArgs } from './fit_args';
import { predictEntry } from './predict_loop';
import { buildFromData } from './subclass_data';
import type { TrainableModel } from './trainable_model';
import type { OnBatchArgs, Trainer } from './trainer';
import { applyConstraints, weightPenalty } from './weight_updates';

export abstract class TrainingApi extends MultiInputLayer implements TrainableModel {
  /** Set true (by a callback) to end fit after the current batch. */
  stopTraining = false;
  /** The Trainer after compile (compiled_state.ts). */
  protected readonly training = new CompiledState(this);

  abstract readonly isSubclassed: boolean;
  abstract readonly inputNames: string[];
  abstract readonly outputNames: string[];
  abstract readonly inputShapes: Shape[];
  abstract readonly outputShapes: Shape[];
  abstract forward(xs: tfc.Tensor[], ctx: CallContext): tfc.Tensor[];
  abstract forwardMasked(xs: tfc.Tensor[], ctx: CallContext): { outputs: tfc.Tensor[]; masks: Mask[] };
  abstract forwardUntapedFirst(xs: tfc.Tensor[], ctx: CallContext, variables: tfc.Variable[]): () => { outputs: tfc.Tensor[]; masks: Mask[] };

  /** The sum of the weight regularizers' penalties (a scalar), or null when no weight has one. */
  weightPenalty(): tfc.Scalar | null {
    return weightPenalty(this.trainableWeights);
  }

  /** Projects every trainable weight (or each of `weights`) that has a constraint (after an optimizer step). */
  applyConstraints(weights: Weight[] = this.trainableWeights): void {
    applyConstraints(weights);
  }

  /** Configures training: the optimizer, the loss (per output if several) and the metrics. */
  compile(args: CompileArgs): void {
    this.assertUsable('compile');
    if (args === undefined) throw new ValueError("compile: give {optimizer, loss}, e.g. {optimizer: 'adam', loss: 'mse'}.");
    checkOptions('compile', args, COMPILE_KEYS);
    this.training.compile(args);
  }

  private get compiled(): Trainer {
    return this.training.trainer;
  }

  /** What compile was given, or null before compile. */
  get compileArgs(): CompileArgs | null {
    return this.training.args;
  }

  /** The optimizer given to compile. */
  get optimizer(): Trainer['optimizer'] {
    return this.compiled.optimizer;
  }

  /** The variables fit updates (those of the trainable weights), for a custom trainStep. */
  get trainableVariables(): tfc.Variable[] {
    return this.trainableWeights.map((w) => w.value);
  }

  /**
   * One training step on one batch, as Keras's `train_step`: the forward pass and loss under the
   * gradient tape, the optimizer's update, the constraints, then the running loss and metrics. fit
   * and trainOnBatch call it; override it to change what fit does. With compile's jitCompile the
   * forward pass, gradients and update are a captured step (backend/capture/step_capture.ts): replayed
   * kernel calls where it can be captured. Return the values to log (e.g.
   * `this.computeMetrics(...)`), or nothing to log the compiled loss and metrics.
   */
  trainStep(data: StepData): StepLogs | void {
    const step = this.compiled.step;
    const weights = this.trainableWeights; // gathered once a step: the update and the constraints use the same list
    const variables = weights.map((w) => w.value);
    const forward = step.trainForward(data, variables, this.optimizer.lossScale, (grads) => {
      this.optimizer.applyGradients(variables.map((v) => [grads[v.name], v]));
      this.applyConstraints(weights);
    });
    step.updateMetrics(data, forward);
  }

  /** One evaluation step on one batch (evaluate, validation, testOnBatch); override it as Keras's `test_step`. */
  testStep(data: StepData): StepLogs | void {
    const step = this.compiled.step;
    step.updateMetrics(data, step.forward(data, false));
  }

  /** The outputs for one batch's x (predict); override it as Keras's `predict_step`. Needs no compile. */
  predictStep(data: StepData): tfc.Tensor | tfc.Tensor[] {
    return structured(this.forward(asList(data.x), { training: false }));
  }

  /**
   * The compiled loss of `yPred` for `y`, plus the weight regularizers' penalties: what the built-in
   * step minimizes. (Activity regularizers are added by the built-in step's forward pass.)
   */
  computeLoss(args: LossInputs): tfc.Scalar {
    return this.compiled.step.computeLoss(args);
  }

  /** Updates the compiled metrics with this batch and returns every metric's value ({loss, accuracy, ...}). */
  computeMetrics(args: LossInputs): Record<string, tfc.Tensor> {
    return this.compiled.step.computeMetrics(args);
  }

  /** The loss tracker(s) and compiled metrics; a subclass adds its own here so fit resets them each epoch. */
  get metrics(): Metric[] {
    return this.training.metrics;
  }

  /**
   * Trains for a number of epochs; returns the History of every epoch's logs. Takes arrays
   * (`fit(x, y, options)`) or a dataset of batches (`fit(dataset, options)`).
   */
  async fit(dataset: Dataset, args?: FitArgs): Promise<History>;
  async fit(x: DataInput, y: DataInput, args?: FitArgs): Promise<History>;
  async fit(x: DataInput | Dataset, yOrArgs?: DataInput | FitArgs, args: FitArgs = {}): Promise<History> {
    this.assertUsable('fit');
    return fitEntry(this.entry, x, yOrArgs, args);
  }

  /** The loss and metrics on the given data: [loss, ...metrics], or a record with returnDict. */
  async evaluate(x: DataInput | Dataset, y: DataInput | undefined, args: EvaluateArgs & { returnDict: true }): Promise<Logs>;
  async evaluate(x: DataInput | Dataset, y?: DataInput, args?: EvaluateArgs): Promise<number[]>;
  async evaluate(x: DataInput | Dataset, y?: DataInput, args: EvaluateArgs = {}): Promise<number[] | Logs> {
    this.assertUsable('evaluate');
    return evaluateEntry(this.entry, x, y, args);
  }

  /** One optimizer step on exactly this batch; returns the running loss and metrics. */
  trainOnBatch(x: DataInput, y: DataInput, args: OnBatchArgs & { returnDict: true }): Logs;
  trainOnBatch(x: DataInput, y: DataInput, args?: OnBatchArgs): number[];
  trainOnBatch(x: DataInput, y: DataInput, args: OnBatchArgs = {}): number[] | Logs {
    this.assertUsable('trainOnBatch');
    this.buildFromData(x);
    return this.compiled.trainOnBatch(x, y, args);
  }

  /** The loss and metrics on exactly this batch (added to the running values). */
  testOnBatch(x: DataInput, y: DataInput, args: OnBatchArgs & { returnDict: true }): Logs;
  testOnBatch(x: DataInput, y: DataInput, args?: OnBatchArgs): number[];
  testOnBatch(x: DataInput, y: DataInput, args: OnBatchArgs = {}): number[] | Logs {
    this.assertUsable('testOnBatch');
    this.buildFromData(x);
    return this.compiled.testOnBatch(x, y, args);
  }

  /** The outputs for exactly this batch, owned by the caller. */
  predictOnBatch(x: DataInput): tfc.Tensor | tfc.Tensor[] {
    return this.predict(x, { batchSize: Number.MAX_SAFE_INTEGER });
  }

  /** Zeroes the running loss and metrics (trainOnBatch and testOnBatch accumulate until then). */
  resetMetrics(): void {
    this.compiled.resetState();
  }

  /**
   * The outputs for x, computed in batches: a Tensor (or one per output), owned by the caller.
   * Arrays, tensors and iterables of batches give the outputs at once; an async iterable (an async
   * generator, a k.data pipeline) gives a Promise of them. Dataset elements are x alone, [x, ...]
   * or {xs, ...}; labels in them are ignored.
   */
  predict(x: AsyncIterable<PredictElement>, args?: PredictArgs): Promise<tfc.Tensor | tfc.Tensor[]>;
  predict(x: DataInput | Iterable<PredictElement>, args?: PredictArgs): tfc.Tensor | tfc.Tensor[];
  predict(x: DataInput | Dataset, args?: PredictArgs): tfc.Tensor | tfc.Tensor[] | Promise<tfc.Tensor | tfc.Tensor[]>;
  predict(x: DataInput | Dataset | Iterable<PredictElement> | AsyncIterable<PredictElement>, args: PredictArgs = {}): tfc.Tensor | tfc.Tensor[] | Promise<tfc.Tensor | tfc.Tensor[]> {
    this.assertUsable('predict');
    return predictEntry(this.entry, x, args);
  }

  /** How fit, evaluate and predict reach the model (data_entry.ts, predict_loop.ts). */
  private get entry(): DataEntry {
    return { model: this, training: this.training, buildFromData: (x) => this.buildFromData(x) };
  }

  /** A subclassed model (and a Sequential) builds from the first data it sees; a functional model is always built. */
  protected buildFromData(x: DataInput): void {
    buildFromData(this, x);
  }
}
