/** The options of fit, evaluate and predict, checked. */
import type { Callback } from '../callbacks/callback';
import type { Dataset } from '../data/sources';
import type { DataInput } from '../data/convert';
import { ValueError } from '../engine/errors';
import { checkOptions, optionKeys } from '../engine/options';

export type Verbosity = 0 | 1 | 2 | 'auto';

export interface FitArgs {
  /**
   * Samples per gradient step (ignored for a dataset, which yields its own batches). Keras: `batch_size` @default 32
   */
  batchSize?: number;
  /** Index of the last epoch (training runs epochs initialEpoch..epochs-1). Keras: `epochs` @default 1 */
  epochs?: number;
  /** 0 silent, 1 progress bar, 2 one line per epoch; 'auto' is 1, as in Keras. Keras: `verbose` @default 'auto' */
  verbose?: Verbosity;
  /**
   * Callbacks called at each stage of training (a History and, when verbose, a ProgbarLogger are added).
   * Keras: `callbacks` @default [] (none)
   */
  callbacks?: Callback[];
  /**
   * Fraction of the data, taken from the end before shuffling, to validate on (arrays only). Keras:
   * `validation_split` @default 0
   */
  validationSplit?: number;
  /**
   * [x, y] or [x, y, sampleWeight] to validate on at the end of each epoch, or a dataset (takes
   * precedence over validationSplit). Keras: `validation_data` @default undefined (no validation)
   */
  validationData?: [DataInput, DataInput] | [DataInput, DataInput, DataInput] | Dataset;
  /** Validate every N epochs, or at the listed (1-based) epochs. Keras: `validation_freq` @default 1 */
  validationFreq?: number | number[];
  /**
   * Weight of each sample in the loss and metrics: one array for every output, or one per output. Keras:
   * `sample_weight` @default undefined (every sample weighs 1)
   */
  sampleWeight?: DataInput;
  /**
   * Weight of each class (single-output models): {0: 1, 1: 5} multiplies the loss of class-1 samples by 5.
   * Keras: `class_weight` @default undefined (every class weighs 1)
   */
  classWeight?: Record<number, number>;
  /**
   * With a dataset: batches per epoch (the next epoch continues the same iterator, so an endless
   * generator works). Without it, each epoch iterates the dataset afresh to its end; a generator object has nothing
   * left for a second epoch, and training stops there with Keras's warning.
   * Keras: `steps_per_epoch` @default undefined (each epoch runs to the end of the data)
   */
  stepsPerEpoch?: number;
  /**
   * With a validation dataset: batches per validation (each validation continues the same iterator).
   * Keras: `validation_steps` @default undefined (each validation runs to the end of the data)
   */
  validationSteps?: number;
  /**
   * Shuffle the training samples before each epoch (arrays only; a dataset keeps its order). Keras: `shuffle`
   * @default true
   */
  shuffle?: boolean;
  /** Epoch to start at (to resume a run). Keras: `initial_epoch` @default 0 */
  initialEpoch?: number;
}

export interface EvaluateArgs {
  /** Samples per batch (ignored for a dataset). Keras: `batch_size` @default 32 */
  batchSize?: number;
  /**
   * Weight of each sample in the loss and metrics, as in fit. Keras: `sample_weight` @default undefined (every
   * sample weighs 1)
   */
  sampleWeight?: DataInput;
  /** With a dataset: how many batches to evaluate. Keras: `steps` @default undefined (to the end of the data) */
  steps?: number;
  /** 1 (or 'auto') prints the results. Keras: `verbose` (Keras's default is 'auto', a progress bar) @default 0 */
  verbose?: 0 | 1 | 'auto';
  /** Return { loss, accuracy, ... } instead of [loss, accuracy, ...]. Keras: `return_dict` @default false */
  returnDict?: boolean;
}

export interface PredictArgs {
  /** Samples per batch (ignored for a dataset). Keras: `batch_size` @default 32 */
  batchSize?: number;
  /**
   * 1 (or 'auto') prints a line with the number of batches and the time taken. Keras: `verbose` (Keras's default
   * is 'auto', a progress bar) @default 0
   */
  verbose?: 0 | 1 | 'auto';
}

export const FIT_KEYS = optionKeys<FitArgs>()(
  'batchSize', 'epochs', 'verbose', 'callbacks', 'validationSplit', 'validationData', 'validationFreq', 'sampleWeight', 'classWeight',
  'stepsPerEpoch', 'validationSteps', 'shuffle', 'initialEpoch',
);
export const EVALUATE_KEYS = optionKeys<EvaluateArgs>()('batchSize', 'sampleWeight', 'steps', 'verbose', 'returnDict');
export const PREDICT_KEYS = optionKeys<PredictArgs>()('batchSize', 'verbose');

/** The verbosity as a number: 'auto' is 1. */
export function checkVerbose(verbose: unknown, allowed: readonly number[], fallback: number, where: string): number {
  const v = verbose === undefined ? fallback : verbose === 'auto' ? 1 : verbose;
  if (typeof v !== 'number' || !allowed.includes(v)) {
    throw new ValueError(`${where}: \`verbose\` must be ${allowed.join(', ')} or 'auto', got ${JSON.stringify(verbose)}. help: e.g. {verbose: 0} for silence.`);
  }
  return v;
}

export function checkBatchSize(batchSize: unknown, where: string): number {
  if (typeof batchSize !== 'number' || !Number.isInteger(batchSize) || batchSize <= 0) {
    throw new ValueError(`${where}: \`batchSize\` must be a positive integer, got ${String(batchSize)}. help: pass e.g. {batchSize: 32}.`);
  }
  return batchSize;
}

export type CheckedFitArgs = Required<Omit<FitArgs, 'validationData' | 'sampleWeight' | 'classWeight' | 'stepsPerEpoch' | 'validationSteps' | 'verbose'>> &
  Pick<FitArgs, 'validationData' | 'sampleWeight' | 'classWeight' | 'stepsPerEpoch' | 'validationSteps'> & { verbose: 0 | 1 | 2 };

export function checkFitArgs(args: FitArgs): CheckedFitArgs {
  checkOptions('fit', args, FIT_KEYS);
  const out: CheckedFitArgs = {
    ...args,
    batchSize: checkBatchSize(args.batchSize ?? 32, 'fit'),
    epochs: args.epochs ?? 1,
    verbose: checkVerbose(args.verbose, [0, 1, 2], 1, 'fit') as 0 | 1 | 2,
    callbacks: args.callbacks ?? [],
    validationSplit: args.validationSplit ?? 0,
    validationFreq: args.validationFreq ?? 1,
    shuffle: args.shuffle ?? true,
    initialEpoch: args.initialEpoch ?? 0,
  };
  if (!Number.isInteger(out.epochs) || out.epochs < 0) {
    throw new ValueError(`fit: \`epochs\` must be a non-negative integer, got ${args.epochs}. help: pass e.g. {epochs: 10}.`);
  }
  if (!Number.isInteger(out.initialEpoch) || out.initialEpoch < 0) {
    throw new ValueError(`fit: \`initialEpoch\` must be a non-negative integer, got ${args.initialEpoch}.`);
  }
  const split = out.validationSplit;
  if (typeof split !== 'number' || !(split >= 0 && split < 1)) {
    throw new ValueError(`fit: \`validationSplit\` must be a number in [0, 1), got ${String(split)}. help: pass e.g. {validationSplit: 0.1}.`);
  }
  if (!Array.isArray(out.callbacks)) throw new ValueError('fit: `callbacks` must be a list of callback objects.');
  const freq = out.validationFreq;
  const freqOk = Array.isArray(freq) ? freq.every((e) => Number.isInteger(e) && e > 0) : Number.isInteger(freq) && freq > 0;
  if (!freqOk) {
    throw new ValueError(`fit: \`validationFreq\` must be a positive integer or a list of 1-based epochs, got ${JSON.stringify(freq)}. help: e.g. 2 or [1, 5, 10].`);
  }
  for (const key of ['stepsPerEpoch', 'validationSteps'] as const) {
    const v = out[key];
    if (v !== undefined && (!Number.isInteger(v) || v <= 0)) {
      throw new ValueError(`fit: \`${key}\` must be a positive integer, got ${String(v)}.`);
    }
  }
  if (out.classWeight !== undefined) checkClassWeight(out.classWeight);
  return out;
}

function checkClassWeight(cw: Record<number, number>): void {
  if (typeof cw !== 'object' || cw === null || Array.isArray(cw)) {
    throw new ValueError(`fit: \`classWeight\` must be a record of class index to weight, got ${JSON.stringify(cw)}. help: e.g. {0: 1, 1: 5}.`);
  }
  for (const [key, w] of Object.entries(cw)) {
    if (!/^\d+$/.test(key)) throw new ValueError(`fit: \`classWeight\` keys must be class indices (0, 1, ...), got '${key}'. help: e.g. {0: 1, 1: 5}.`);
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      throw new ValueError(`fit: \`classWeight\` for class ${key} must be a non-negative number, got ${String(w)}. help: e.g. {0: 1, 1: 5}.`);
    }
  }
}

/** Whether epoch (0-based) is one where validation runs. */
export function validatesAt(epoch: number, freq: number | number[]): boolean {
  return Array.isArray(freq) ? freq.includes(epoch + 1) : (epoch + 1) % freq === 0;
}
