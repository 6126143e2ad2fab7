/** The options of fit, evaluate and predict, checked; and the data they are given, prepared. */
import * as tfc from '@tensorflow/tfjs-core';
import type { Callback } from '../callbacks/callback';
import type { Dataset } from '../data/sources';
import { checkShapes, DataInput, toTensors } from '../data/adapter';
import { ValueError } from '../engine/errors';
import type { CompiledLoss } from './compile_config';
import type { TrainableModel } from './trainable_model';

export interface FitArgs {
  /** Samples per gradient step. @default 32 */
  batchSize?: number;
  /** Index of the last epoch (training runs epochs initialEpoch..epochs-1). @default 1 */
  epochs?: number;
  /** 0 silent, 1 progress bar, 2 one line per epoch. @default 1 */
  verbose?: 0 | 1 | 2;
  callbacks?: Callback[];
  /** Fraction of the data, taken from the end before shuffling, to validate on. @default 0 */
  validationSplit?: number;
  /** [x, y] or [x, y, sampleWeight] to validate on at the end of each epoch, or a dataset (takes precedence over validationSplit). */
  validationData?: [DataInput, DataInput] | [DataInput, DataInput, DataInput] | Dataset;
  /** Validate every N epochs, or at the listed (1-based) epochs. @default 1 */
  validationFreq?: number | number[];
  /** Weight of each sample in the loss and metrics: one array for every output, or one per output. */
  sampleWeight?: DataInput;
  /** Weight of each class (single-output models): {0: 1, 1: 5} multiplies the loss of class-1 samples by 5. */
  classWeight?: Record<number, number>;
  /** With a dataset: batches per epoch (the next epoch continues the same iterator). */
  stepsPerEpoch?: number;
  /** With a validation dataset: batches per validation. */
  validationSteps?: number;
  /** Shuffle the training samples before each epoch. @default true */
  shuffle?: boolean;
  /** Epoch to start at (to resume a run). @default 0 */
  initialEpoch?: number;
}

export interface EvaluateArgs {
  /** @default 32 */
  batchSize?: number;
  sampleWeight?: DataInput;
  /** With a dataset: how many batches to evaluate. */
  steps?: number;
  /** 1 prints the results. @default 0 */
  verbose?: 0 | 1;
  /** Return { loss, accuracy, ... } instead of [loss, accuracy, ...]. @default false */
  returnDict?: boolean;
}

export interface PredictArgs {
  /** @default 32 */
  batchSize?: number;
}

export function checkBatchSize(batchSize: unknown, where: string): number {
  if (typeof batchSize !== 'number' || !Number.isInteger(batchSize) || batchSize <= 0) {
    throw new ValueError(`${where}: \`batchSize\` must be a positive integer, got ${String(batchSize)}. help: pass e.g. {batchSize: 32}.`);
  }
  return batchSize;
}

export type CheckedFitArgs = Required<Omit<FitArgs, 'validationData' | 'sampleWeight' | 'classWeight' | 'stepsPerEpoch' | 'validationSteps'>> &
  Pick<FitArgs, 'validationData' | 'sampleWeight' | 'classWeight' | 'stepsPerEpoch' | 'validationSteps'>;

export function checkFitArgs(args: FitArgs): CheckedFitArgs {
  const out: CheckedFitArgs = {
    ...args,
    batchSize: checkBatchSize(args.batchSize ?? 32, 'fit'),
    epochs: args.epochs ?? 1,
    verbose: args.verbose ?? 1,
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
  if (![0, 1, 2].includes(out.verbose)) throw new ValueError(`fit: \`verbose\` must be 0, 1 or 2, got ${String(args.verbose)}.`);
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

/** Tensors for the model's inputs and outputs; `owned` are the ones created here. */
export interface PreparedData {
  xs: tfc.Tensor[];
  ys: tfc.Tensor[];
  /** One weight per sample, per output, when sample or class weights were given. */
  sw?: tfc.Tensor[];
  owned: tfc.Tensor[];
}

export interface WeightArgs {
  sampleWeight?: DataInput;
  classWeight?: Record<number, number>;
}

/** Converts and checks x and y: shapes that fit the model, equal sample counts, valid labels. */
export function prepareData(
  model: TrainableModel,
  loss: CompiledLoss,
  x: DataInput,
  y: DataInput,
  where: string,
  weights: WeightArgs = {},
): PreparedData {
  const owned: tfc.Tensor[] = [];
  try {
    const xOpts = { what: 'x', names: model.inputNames, shapes: model.inputShapes };
    const xc = toTensors(x, xOpts);
    owned.push(...xc.owned);
    const n = checkShapes(xc.tensors, { ...xOpts, strict: true });
    const yOpts = { what: 'y', names: model.outputNames, shapes: model.outputShapes, samples: n };
    const yc = toTensors(y, yOpts);
    owned.push(...yc.owned);
    const ny = checkShapes(yc.tensors, { ...yOpts, strict: false });
    if (ny !== n) {
      throw new ValueError(`${where}: x has ${n} samples but y has ${ny}. help: pass the same number of samples in x and y.`);
    }
    yc.tensors.forEach((t, i) => checkLabels(t, loss, i, model, where));
    const xs = xc.tensors.map((t) => castOwned(t, 'float32', owned));
    const ys = yc.tensors.map((t, i) => castOwned(matchLabelShape(t, loss, i, model, owned), 'float32', owned));
    const sw = sampleWeights(model, ys, n, weights, where, owned);
    return { xs, ys, sw, owned };
  } catch (e) {
    owned.forEach((t) => t.dispose());
    throw e;
  }
}

/**
 * Labels for a non-sparse loss must have the output's shape; labels one rank short (n,) for an
 * output (None, 1) are given the last axis, as Keras does.
 */
function matchLabelShape(y: tfc.Tensor, loss: CompiledLoss, i: number, model: TrainableModel, owned: tfc.Tensor[]): tfc.Tensor {
  if (loss.losses[i].className === 'sparse_categorical_crossentropy') return y;
  const want = model.outputShapes[i];
  let out = y;
  if (y.rank === want.length - 1 && want[want.length - 1] === 1) {
    out = tfc.expandDims(y, -1);
    owned.push(out);
  }
  const fits = out.rank === want.length && want.every((d, j) => j === 0 || d === null || d === out.shape[j]);
  if (!fits) {
    const name = model.outputNames[i];
    throw new ValueError(
      `y: labels of shape (${y.shape.join(', ')}) do not fit output '${name}' of shape (${want.map((d) => d ?? 'None').join(', ')}) ` +
        `for loss '${loss.losses[i].className}'. help: give labels of the output's shape ` +
        '(e.g. one-hot with k.utils.toCategorical), or use sparse_categorical_crossentropy for class indices.',
    );
  }
  return out;
}

/** Per-output sample weights from sampleWeight and classWeight (multiplied when both are given). */
function sampleWeights(model: TrainableModel, ys: tfc.Tensor[], n: number, args: WeightArgs, where: string, owned: tfc.Tensor[]): tfc.Tensor[] | undefined {
  if (args.sampleWeight === undefined && args.classWeight === undefined) return undefined;
  let sw: tfc.Tensor[] = ys.map(() => ones(n, owned));
  if (args.sampleWeight !== undefined) {
    const perOutput = isPerOutput(args.sampleWeight);
    const names = perOutput ? model.outputNames : ['sampleWeight'];
    const given = toTensors(args.sampleWeight, { what: 'sampleWeight', names, shapes: names.map(() => [null]), samples: n });
    owned.push(...given.owned);
    const flat = given.tensors.map((t) => {
      if (t.size !== n || t.shape[0] !== n) {
        throw new ValueError(`${where}: sampleWeight has shape [${t.shape}] for ${n} samples. help: give one weight per sample, e.g. an array of ${n} numbers.`);
      }
      return castOwned(reshapeOwned(t, [n], owned), 'float32', owned);
    });
    sw = ys.map((_, i) => flat[perOutput ? i : 0]);
  }
  if (args.classWeight !== undefined) {
    if (ys.length !== 1) {
      throw new ValueError(`${where}: \`classWeight\` is only supported for models with one output; this one has ${ys.length}. help: use sampleWeight per output.`);
    }
    const cw = fromClassWeight(ys[0], args.classWeight);
    const both = tfc.mul(sw[0], cw);
    owned.push(cw, both);
    sw = [both];
  }
  return sw;
}

/** A list of arrays or a record by output name gives one weight array per output. */
function isPerOutput(sw: DataInput): boolean {
  if (sw instanceof tfc.Tensor || ArrayBuffer.isView(sw)) return false;
  if (Array.isArray(sw)) return sw.length > 0 && (Array.isArray(sw[0]) || sw[0] instanceof tfc.Tensor || ArrayBuffer.isView(sw[0]));
  return true;
}

function ones(n: number, owned: tfc.Tensor[]): tfc.Tensor {
  const t = tfc.ones([n]);
  owned.push(t);
  return t;
}

function reshapeOwned(t: tfc.Tensor, shape: number[], owned: tfc.Tensor[]): tfc.Tensor {
  if (t.rank === 1) return t;
  const r = tfc.reshape(t, shape);
  owned.push(r);
  return r;
}

/** Each sample's weight from its class: argmax of one-hot labels, else the label rounded; 1 for unlisted classes. */
function fromClassWeight(y: tfc.Tensor, classWeight: Record<number, number>): tfc.Tensor {
  const classes = tfc.tidy(() => {
    const c = y.rank > 1 && y.shape[y.rank - 1] !== 1 ? tfc.argMax(y, -1) : tfc.round(tfc.reshape(y, [y.shape[0]]));
    return c.dataSync();
  });
  const w = Float32Array.from(classes, (c) => classWeight[c] ?? 1);
  return tfc.tensor1d(w);
}

function castOwned(t: tfc.Tensor, dtype: tfc.DataType, owned: tfc.Tensor[]): tfc.Tensor {
  if (t.dtype === dtype) return t;
  const c = tfc.cast(t, dtype);
  owned.push(c);
  return c;
}

/** Sparse labels must be integers in [0, classes); read once, before training starts. */
function checkLabels(y: tfc.Tensor, loss: CompiledLoss, i: number, model: TrainableModel, where: string): void {
  if (loss.losses[i].className !== 'sparse_categorical_crossentropy') return;
  const shape = model.outputShapes[i];
  const classes = shape[shape.length - 1] as number;
  const values = y.dataSync();
  for (let j = 0; j < values.length; j++) {
    const v = values[j];
    if (!(Number.isInteger(v) && v >= 0 && v < classes)) {
      throw new ValueError(
        `${where}: sparse label y[${j}] = ${v} for output '${model.outputNames[i]}' is not an integer in [0, ${classes}). ` +
          `help: labels must be class indices 0..${classes - 1}; for one-hot labels use 'categorical_crossentropy'.`,
      );
    }
  }
}

/** The training part and the validation part: the last `split` of the samples, as Keras takes it. */
export function splitValidation(data: PreparedData, split: number): { train: PreparedData; val: PreparedData | undefined } {
  if (split === 0) return { train: { ...data, owned: [] }, val: undefined };
  const n = data.xs[0].shape[0];
  const at = Math.floor(n * (1 - split));
  if (at === 0 || at === n) {
    throw new ValueError(`fit: validationSplit ${split} of ${n} samples leaves ${at === 0 ? 'no training' : 'no validation'} samples. help: use more data or another split.`);
  }
  const part = (list: tfc.Tensor[] | undefined, from: number, size: number): tfc.Tensor[] | undefined => list?.map((t) => tfc.slice(t, from, size));
  const piece = (from: number, size: number): PreparedData => {
    const xs = part(data.xs, from, size) as tfc.Tensor[];
    const ys = part(data.ys, from, size) as tfc.Tensor[];
    const sw = part(data.sw, from, size);
    return { xs, ys, sw, owned: [...xs, ...ys, ...(sw ?? [])] };
  };
  return { train: piece(0, at), val: piece(at, n - at) };
}
