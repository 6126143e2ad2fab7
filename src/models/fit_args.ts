/** The options of fit, evaluate and predict, checked; and the data they are given, prepared. */
import * as tfc from '@tensorflow/tfjs-core';
import type { Callback } from '../callbacks/callback';
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
  /** [x, y] to validate on at the end of each epoch (takes precedence over validationSplit). */
  validationData?: [DataInput, DataInput];
  /** Shuffle the training samples before each epoch. @default true */
  shuffle?: boolean;
  /** Epoch to start at (to resume a run). @default 0 */
  initialEpoch?: number;
}

export interface EvaluateArgs {
  /** @default 32 */
  batchSize?: number;
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

export function checkFitArgs(args: FitArgs): Required<FitArgs> {
  const out: Required<FitArgs> = {
    batchSize: checkBatchSize(args.batchSize ?? 32, 'fit'),
    epochs: args.epochs ?? 1,
    verbose: args.verbose ?? 1,
    callbacks: args.callbacks ?? [],
    validationSplit: args.validationSplit ?? 0,
    validationData: args.validationData as [DataInput, DataInput],
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
  if (out.validationData !== undefined && (!Array.isArray(out.validationData) || out.validationData.length < 2)) {
    throw new ValueError('fit: `validationData` must be [xVal, yVal]. help: pass e.g. {validationData: [xTest, yTest]}.');
  }
  return out;
}

/** Tensors for the model's inputs and outputs; `owned` are the ones created here. */
export interface PreparedData {
  xs: tfc.Tensor[];
  ys: tfc.Tensor[];
  owned: tfc.Tensor[];
}

/** Converts and checks x and y: shapes that fit the model, equal sample counts, valid labels. */
export function prepareData(model: TrainableModel, loss: CompiledLoss, x: DataInput, y: DataInput, where: string): PreparedData {
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
    return { xs, ys, owned };
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

/** The training part and the validation part: validationData if given, else the last `split` of the data. */
export function splitValidation(
  data: PreparedData,
  split: number,
  validationData: [DataInput, DataInput] | undefined,
  model: TrainableModel,
  loss: CompiledLoss,
): { train: PreparedData; val: PreparedData | undefined } {
  if (validationData !== undefined) {
    return { train: { ...data, owned: [] }, val: prepareData(model, loss, validationData[0], validationData[1], 'fit: validationData') };
  }
  if (split === 0) return { train: { ...data, owned: [] }, val: undefined };
  const n = data.xs[0].shape[0];
  const at = Math.floor(n * (1 - split));
  if (at === 0 || at === n) {
    throw new ValueError(`fit: validationSplit ${split} of ${n} samples leaves ${at === 0 ? 'no training' : 'no validation'} samples. help: use more data or another split.`);
  }
  const part = (from: number, size: number): tfc.Tensor[][] => [data.xs, data.ys].map((list) => list.map((t) => tfc.slice(t, from, size)));
  const [tx, ty] = part(0, at);
  const [vx, vy] = part(at, n - at);
  return { train: { xs: tx, ys: ty, owned: [...tx, ...ty] }, val: { xs: vx, ys: vy, owned: [...vx, ...vy] } };
}
