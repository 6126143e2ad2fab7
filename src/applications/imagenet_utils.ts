/**
 * Keras's `keras.applications.imagenet_utils`: `preprocessInput` in Keras's three modes ('caffe':
 * RGB to BGR then ImageNet's mean pixel subtracted; 'tf': scaled to -1..1; 'torch': scaled to 0..1
 * then normalised by ImageNet's mean and std), on a tensor, a nested number array or a flat
 * channels-last typed array (each returned as the same kind), and `decodePredictions`, the top
 * classes of each row of a [batch, 1000] prediction with ImageNet's class index
 * (imagenet_class_index.json, shipped beside this file: see README.md there).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import { ensureRegistered } from '../backend/backend';
import { ValueError } from '../engine/errors';
import { checkOptions, optionKeys } from '../engine/options';

/** Keras's preprocessing modes. */
export type PreprocessMode = 'caffe' | 'tf' | 'torch';

/** The images `preprocessInput` takes: a tensor, a nested array, or a flat channels-last typed array. */
export type ImageBatch = tfc.Tensor | number[] | number[][] | number[][][] | number[][][][] | Float32Array | Uint8Array | Uint8ClampedArray;

/** The options of `preprocessInput`. */
export interface PreprocessOptions {
  /**
   * 'caffe' (BGR, mean subtracted), 'tf' (-1..1) or 'torch' (0..1, ImageNet mean and std).
   * Keras: `mode` @default 'caffe'
   */
  mode?: PreprocessMode;
  /**
   * Where the 3 colour channels are: the last axis, or axis 0 of one image / 1 of a batch.
   * Keras: `data_format` @default 'channels_last'
   */
  dataFormat?: 'channels_last' | 'channels_first';
}

const PREPROCESS_KEYS = optionKeys<PreprocessOptions>()('mode', 'dataFormat');

const CAFFE_MEAN = [103.939, 116.779, 123.68];
const TORCH_MEAN = [0.485, 0.456, 0.406];
const TORCH_STD = [0.229, 0.224, 0.225];

/**
 * Preprocesses images with values in 0..255 (Keras's `imagenet_utils.preprocess_input`), returning
 * float32 values of the same kind as given (a new tensor, array or Float32Array; the input is kept).
 */
export function preprocessInput<T extends ImageBatch>(x: T, options?: PreprocessOptions): T extends tfc.Tensor ? tfc.Tensor : T extends number[] | number[][] | number[][][] | number[][][][] ? T : Float32Array;
export function preprocessInput(x: ImageBatch, options: PreprocessOptions = {}): ImageBatch {
  checkOptions('preprocessInput', options, PREPROCESS_KEYS);
  const { mode = 'caffe', dataFormat = 'channels_last' } = options;
  if (mode !== 'caffe' && mode !== 'tf' && mode !== 'torch') {
    throw new ValueError(`preprocessInput: mode must be 'caffe', 'tf' or 'torch', got ${JSON.stringify(mode)}. help: e.g. {mode: 'tf'}.`);
  }
  if (dataFormat !== 'channels_last' && dataFormat !== 'channels_first') {
    throw new ValueError(`preprocessInput: dataFormat must be 'channels_last' or 'channels_first', got ${JSON.stringify(dataFormat)}. help: drop it for channels_last.`);
  }
  ensureRegistered();
  if (x instanceof tfc.Tensor) return tfc.tidy(() => preprocessTensor(x, mode, dataFormat));
  if (ArrayBuffer.isView(x)) {
    if (dataFormat !== 'channels_last' || x.length % 3 !== 0) {
      throw new ValueError(
        `preprocessInput: a flat typed array must hold channels-last RGB pixels (a length divisible by 3), got length ${x.length} with ${dataFormat}. help: pass a tensor or a nested array with its shape.`,
      );
    }
    const t = tfc.tensor2d(Float32Array.from(x), [x.length / 3, 3]);
    const y = tfc.tidy(() => preprocessTensor(t, mode, dataFormat));
    const out = y.dataSync() as Float32Array;
    tfc.dispose([t, y]);
    return Float32Array.from(out);
  }
  if (!Array.isArray(x)) {
    throw new ValueError(`preprocessInput: expected a tensor, a nested number array or a Float32Array, got ${typeof x}. help: pass images with values in 0..255.`);
  }
  const t = tfc.tensor(x as number[], undefined, 'float32');
  const y = tfc.tidy(() => preprocessTensor(t, mode, dataFormat));
  const out = y.arraySync() as number[];
  tfc.dispose([t, y]);
  return out;
}

function preprocessTensor(x: tfc.Tensor, mode: PreprocessMode, dataFormat: 'channels_last' | 'channels_first'): tfc.Tensor {
  const channelAxis = dataFormat === 'channels_last' ? x.rank - 1 : x.rank === 3 ? 0 : 1;
  if (x.rank < 1 || x.shape[channelAxis] !== 3) {
    throw new ValueError(`preprocessInput: the channel axis (${channelAxis}) of an image of shape [${x.shape}] must have 3 colours. help: pass RGB images, ${dataFormat}.`);
  }
  const f = tfc.cast(x, 'float32');
  if (mode === 'tf') return tfc.sub(tfc.div(f, 127.5), 1);
  const perChannel = (values: number[]): tfc.Tensor => {
    const shape = x.shape.map((_, i) => (i === channelAxis ? 3 : 1));
    return tfc.tensor(values, shape, 'float32');
  };
  if (mode === 'torch') return tfc.div(tfc.sub(tfc.div(f, 255), perChannel(TORCH_MEAN)), perChannel(TORCH_STD));
  const bgr = tfc.reverse(f, channelAxis);
  return tfc.sub(bgr, perChannel(CAFFE_MEAN));
}

/** One guess: [WordNet id, class name, score], as Keras's tuples. */
export type DecodedPrediction = [classId: string, className: string, score: number];

let classIndex: Array<[string, string]> | undefined;

/** ImageNet's 1000 classes, index -> [WordNet id, name], read once from the shipped file. */
export function imagenetClassIndex(): ReadonlyArray<readonly [string, string]> {
  if (classIndex === undefined) {
    const raw = JSON.parse(fs.readFileSync(path.join(__dirname, 'imagenet_class_index.json'), 'utf8')) as Record<string, [string, string]>;
    classIndex = Array.from({ length: 1000 }, (_, i) => raw[String(i)]);
  }
  return classIndex;
}

/**
 * The `top` most likely ImageNet classes of each row of `preds` ([batch, 1000]), best first:
 * `[[[classId, className, score], ...], ...]` (Keras's `decode_predictions`).
 */
export function decodePredictions(preds: tfc.Tensor | number[][] | Float32Array[], top = 5): DecodedPrediction[][] {
  const shape = preds instanceof tfc.Tensor ? preds.shape : [preds.length, preds[0]?.length ?? 0];
  const rows = preds instanceof tfc.Tensor ? preds.arraySync() : preds;
  if (shape.length !== 2 || shape[1] !== 1000 || !Array.isArray(rows) || rows.some((r) => (r as ArrayLike<number>).length !== 1000)) {
    throw new ValueError(
      `decodePredictions: expects a batch of predictions of shape [samples, 1000], got shape [${shape}]. help: pass the output of an ImageNet classifier (includeTop: true, 1000 classes).`,
    );
  }
  if (!Number.isInteger(top) || top < 1) {
    throw new ValueError(`decodePredictions: top must be a positive integer, got ${JSON.stringify(top)}. help: e.g. decodePredictions(preds, 5).`);
  }
  const index = imagenetClassIndex();
  return (rows as ArrayLike<number>[]).map((row) => {
    const order = Array.from({ length: 1000 }, (_, i) => i).sort((a, b) => row[b] - row[a] || b - a);
    return order.slice(0, top).map((i): DecodedPrediction => [index[i][0], index[i][1], row[i]]);
  });
}
