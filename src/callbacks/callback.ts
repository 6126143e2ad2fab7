import type { Tensor, Variable } from '@tensorflow/tfjs-core';

/**
 * Callbacks: objects with any of the hooks below, called by fit, evaluate and predict. Logs are
 * plain numbers: { loss: 0.31, accuracy: 0.91, val_loss: ... }.
 */
export type Logs = Record<string, number>;

/** What a callback learns about the run before it starts. */
export interface TrainingParams {
  epochs: number;
  /** Batches per epoch, when known. */
  steps: number | undefined;
  /** Training samples per epoch, when known (array data). */
  samples: number | undefined;
  verbose: 0 | 1 | 2;
  batchSize: number;
  /** The epoch fit starts at (0-based); BackupAndRestore moves it forward in onTrainBegin when it resumes a run. */
  initialEpoch: number;
}

/** The part of a model a callback may use: stopping training, its weights, its optimizer. */
export interface CallbackModel {
  stopTraining: boolean;
  readonly name: string;
  getWeights(): Tensor[];
  setWeights(values: Tensor[]): void;
  /** The compiled optimizer (its learningRate can be read and set between epochs). */
  readonly optimizer: { learningRate: number };
  /** Saves the whole model (ModelCheckpoint); the format follows the file name. */
  save?(filepath: string, options?: { overwrite?: boolean; includeOptimizer?: boolean }): Promise<void>;
  /** Saves the weights (with the optimizer's state in a .weights.h5 file). */
  saveWeights?(filepath: string, options?: { overwrite?: boolean; includeOptimizer?: boolean }): Promise<void>;
  /** Loads weights (and the optimizer's state) saved by saveWeights. */
  loadWeights?(filepath: string): Promise<void>;
  /** The weights the optimizer trains (SwapEMAWeights swaps them with their moving averages). */
  readonly trainableWeights?: ReadonlyArray<{ readonly value: Variable }>;
}

export interface Callback {
  /**
   * In a data-parallel run (several processes), only process 0 runs this callback: it writes files
   * or the terminal. The built-in writers (progress bar, TensorBoard, ModelCheckpoint,
   * BackupAndRestore, CSVLogger) set it; callbacks that stop training or change the learning
   * rate must run on every process and leave it unset.
   */
  readonly rankZeroOnly?: boolean;
  /** Set by fit before training starts. */
  setModel?(model: CallbackModel): void;
  setParams?(params: TrainingParams): void;
  onTrainBegin?(logs: Logs): void | Promise<void>;
  onTrainEnd?(logs: Logs): void | Promise<void>;
  /**
   * Called once when fit ends, however it ends: after onTrainEnd, or after a step or a callback
   * threw. Gives back what the callback took for the run (the terminal, signal listeners). Synchronous.
   */
  onTrainExit?(): void;
  onEpochBegin?(epoch: number, logs: Logs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: Logs): void | Promise<void>;
  onBatchBegin?(batch: number, logs: Logs): void | Promise<void>;
  onBatchEnd?(batch: number, logs: Logs): void | Promise<void>;
  /** Before fit's validation pass (Keras's on_test_begin inside fit). */
  onTestBegin?(logs: Logs): void | Promise<void>;
  /** After fit's validation pass. */
  onTestEnd?(logs: Logs): void | Promise<void>;
  /**
   * Like onBatchEnd, but given a function that reads the logs from the device only if called.
   * The progress bar uses it to read values only when it redraws.
   */
  onBatchEndLazy?(batch: number, readLogs: () => Logs): void;
}

/** A base class for callbacks that keep the model and params, as Keras's Callback does. */
export class BaseCallback implements Callback {
  model: CallbackModel | null = null;
  params: TrainingParams | null = null;
  setModel(model: CallbackModel): void {
    this.model = model;
  }
  setParams(params: TrainingParams): void {
    this.params = params;
  }
}

/**
 * Keras's `keras.callbacks.Callback` base class: `class MyCallback extends k.callbacks.Callback`.
 * The same class as BaseCallback; as a type, `Callback` is the interface above (any object with
 * some of the hooks is a callback).
 */
export const Callback = BaseCallback;
