/**
 * The model's side of the data adapter (data/adapter.ts): what fit, evaluate, predict and
 * trainOnBatch are given, as tensors for the model's inputs and outputs, converted, checked against
 * the model (shapes, sample counts, labels, values) and weighted. `modelConverter` is the function
 * the adapter calls for whole arrays and for each dataset batch.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { Converter } from '../data/adapter';
import { checkShapes, DataInput, toTensors } from '../data/convert';
import type { PreparedData } from '../data/step_data';
import { checkFinite, checkNumeric } from '../data/values';
import { ValueError } from '../engine/errors';
import type { CompiledLoss } from './compile_config';
import type { TrainableModel } from './trainable_model';

/**
 * How the adapter converts data for this model: x and y (and weights) checked against the compiled
 * loss, or, without a loss (predict), x alone.
 */
export function modelConverter(model: TrainableModel, loss: CompiledLoss | null, classWeight?: Record<number, number>): Converter {
  return ({ x, y, sampleWeight }, { where, checkValues }) => {
    if (loss === null) return { ...prepareInputs(model, x, where), ys: [] };
    return prepareData(model, loss, { x, y: y as DataInput, sampleWeight, classWeight, where, checkValues });
  };
}

export interface WeightArgs {
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
}

export interface DataArgs extends WeightArgs {
  x: DataInput;
  y: DataInput;
  /** The call, for messages: 'fit', 'evaluate', 'fit: validationData'. */
  where: string;
  /**
   * Read the values to refuse NaN and Infinity: once per fit or evaluate on whole arrays, not on
   * each batch of a dataset or trainOnBatch call. @default true
   */
  checkValues?: boolean;
}

/** Tensors for the model's inputs (predict): numbers of the inputs' shapes, as float32; `owned` are those made here. */
export function prepareInputs(model: TrainableModel, x: DataInput, where: string): { xs: tfc.Tensor[]; owned: tfc.Tensor[] } {
  const opts = { what: 'x', names: model.inputNames, shapes: model.inputShapes };
  const { tensors, owned } = toTensors(x, opts);
  try {
    tensors.forEach((t, i) => checkNumeric(t, label(opts, i), where));
    checkNotEmpty(tensors, opts, where);
    checkShapes(tensors, { ...opts, strict: true });
    return { xs: tensors.map((t) => castOwned(t, 'float32', owned)), owned };
  } catch (e) {
    owned.forEach((t) => t.dispose());
    throw e;
  }
}

/** Converts and checks x and y: numbers, shapes that fit the model, equal sample counts, valid labels, finite values. */
export function prepareData(model: TrainableModel, loss: CompiledLoss, args: DataArgs): PreparedData {
  const { x, y, where } = args;
  const owned: tfc.Tensor[] = [];
  try {
    const xOpts = { what: 'x', names: model.inputNames, shapes: model.inputShapes };
    const xc = toTensors(x, xOpts);
    owned.push(...xc.owned);
    xc.tensors.forEach((t, i) => checkNumeric(t, label(xOpts, i), where));
    checkNotEmpty(xc.tensors, xOpts, where);
    const n = checkShapes(xc.tensors, { ...xOpts, strict: true });
    const yOpts = { what: 'y', names: model.outputNames, shapes: model.outputShapes, samples: n };
    const yc = toTensors(y, yOpts);
    owned.push(...yc.owned);
    yc.tensors.forEach((t, i) => checkNumeric(t, label(yOpts, i), where));
    const ny = checkShapes(yc.tensors, { ...yOpts, strict: false });
    if (ny !== n) {
      throw new ValueError(`${where}: x has ${n} samples but y has ${ny}. help: pass the same number of samples in x and y.`);
    }
    yc.tensors.forEach((t, i) => checkLabels(t, loss, i, model, where));
    if (args.checkValues ?? true) {
      xc.tensors.forEach((t, i) => checkFinite(t, label(xOpts, i), where));
      yc.tensors.forEach((t, i) => checkFinite(t, label(yOpts, i), where));
    }
    const xs = xc.tensors.map((t) => castOwned(t, 'float32', owned));
    const ys = yc.tensors.map((t, i) => castOwned(matchLabelShape(t, loss, i, model, owned), 'float32', owned));
    const sw = sampleWeights(model, ys, n, args, where, owned);
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
      checkNumeric(t, 'sampleWeight', where);
      checkFinite(t, 'sampleWeight', where);
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

/** `x`, or `x['image']` for a model with several inputs. */
function label(opts: { what: string; names: string[] }, i: number): string {
  return opts.names.length > 1 ? `${opts.what}['${opts.names[i]}']` : opts.what;
}

/**
 * Sparse labels are class indices: one per sample (per timestep for sequence outputs), integers in
 * [0, classes); read once, before training starts.
 */
function checkLabels(y: tfc.Tensor, loss: CompiledLoss, i: number, model: TrainableModel, where: string): void {
  if (loss.losses[i].className !== 'sparse_categorical_crossentropy') return;
  const shape = model.outputShapes[i];
  const classes = shape[shape.length - 1] as number;
  const oneShort = y.rank === shape.length - 1;
  const lastIsOne = y.rank === shape.length && y.shape[y.rank - 1] === 1;
  if (!oneShort && !lastIsOne) {
    const oneHot = y.rank === shape.length && y.shape[y.rank - 1] === classes;
    throw new ValueError(
      `${where}: labels of shape [${y.shape}] for output '${model.outputNames[i]}' ` +
        (oneHot ? `look one-hot (${classes} columns), but the loss is sparse_categorical_crossentropy, which takes class indices. ` : `are not class indices of shape [${[y.shape[0], ...shape.slice(1, -1)]}]. `) +
        "help: use loss 'categorical_crossentropy' for one-hot labels, or pass class indices (e.g. argMax of the one-hot rows).",
    );
  }
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

/** Refuses inputs with no samples (an empty array) before their shape is compared with the model's. */
function checkNotEmpty(tensors: tfc.Tensor[], opts: { what: string; names: string[] }, where: string): void {
  tensors.forEach((t, i) => {
    if (t.rank > 0 && t.shape[0] === 0) {
      throw new ValueError(`${where}: ${label(opts, i)} is empty (0 samples, shape [${t.shape}]). help: pass at least one sample.`);
    }
  });
}
