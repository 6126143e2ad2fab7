/**
 * Callbacks: objects with any of the hooks below, called by fit, evaluate and predict. Logs are
 * plain numbers: { loss: 0.31, accuracy: 0.91, val_loss: ... }.
 */
export type Logs = Record<string, number>;

/** What a callback learns about the run before it starts. */
export interface TrainingParams {
  epochs: number;
  /** Batches per epoch. */
  steps: number;
  /** Training samples per epoch. */
  samples: number;
  verbose: 0 | 1 | 2;
  batchSize: number;
}

/** The part of a model a callback may use (stopping training, reading weights). */
export interface CallbackModel {
  stopTraining: boolean;
}

export interface Callback {
  /** Set by fit before training starts. */
  setModel?(model: CallbackModel): void;
  setParams?(params: TrainingParams): void;
  onTrainBegin?(logs: Logs): void | Promise<void>;
  onTrainEnd?(logs: Logs): void | Promise<void>;
  onEpochBegin?(epoch: number, logs: Logs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: Logs): void | Promise<void>;
  onBatchBegin?(batch: number, logs: Logs): void | Promise<void>;
  onBatchEnd?(batch: number, logs: Logs): void | Promise<void>;
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
