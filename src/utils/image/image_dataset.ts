/**
 * imageDatasetFromDirectory: Keras's keras.utils.image_dataset_from_directory. Indexes the folder
 * (../dataset/index_directory: sorted class subfolders, Keras's allowed extensions, one seeded shuffle of the
 * file list, the split taken from it) and returns a k.data.Dataset of [images, labels] (or images
 * alone without labels), batched unless batchSize is null, carrying `classNames` and `filePaths`.
 *
 * Files are decoded while the dataset is iterated. Each batch's files go to a pool of worker threads
 * (./image_workers, `workers` of them, os.availableParallelism() (at most 8) by default), which read
 * and decode them (./load_bilinear: the native addon's JPEG and PNG decoders where it loads, else
 * sharp; small PNGs and BMPs in JS), convert them as PIL's convert and resize them as TensorFlow's
 * half-pixel tf.image.resize (bilinear or nearest) to float32 0..255 straight into the batch's
 * SharedArrayBuffer: the main thread only posts a few messages and makes one tensor per batch. With
 * `workers: 0` the same code runs on the main thread, with the same bits. The pipeline is Dataset
 * ops: file indices, shuffled each epoch for the training subset (seeded, a buffer over the list as
 * Keras's), batched, then each batch decoded at once into one buffer (two batches in flight) and
 * prefetched, so decoding overlaps the training step. The validation subset keeps its order.
 * Labels: 'int' int32, 'categorical' float32 one-hot, 'binary' float32 [1] (two classes only).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';
import { Dataset } from '../../data/dataset/dataset';
import { datasetFromDirectory } from '../dataset/from_directory';
import { IMAGE_FORMATS, IndexedFiles, IndexKind } from '../dataset/index_directory';
import { checkLabelArgs, labelTensor, LabelMode } from '../dataset/labels';
import type { DecodeHint } from './decode';
import type { ImageMode } from './keras_image';
import { defaultImageWorkers, imageWorkers } from './image_workers';
import { loadBilinearBatch } from './load_bilinear';

/** Options of {@link imageDatasetFromDirectory}. */
export interface ImageDatasetOptions {
  /** 'inferred' (from the subfolders), null (no labels) or one integer label per file, in the sorted order of the file paths. Keras: `labels`. @default 'inferred' */
  labels?: 'inferred' | null | number[];
  /** 'int', 'categorical' (one-hot), 'binary' (two classes, float32 [1]) or null (no labels). Keras: `label_mode`. @default 'int' */
  labelMode?: 'int' | 'categorical' | 'binary' | null;
  /** The classes, in label order, when labels is 'inferred' (subfolder names; a subset of them may be given). Keras: `class_names`. @default null (all subfolders, sorted) */
  classNames?: string[] | null;
  /** The channels of the images: 'grayscale' (1), 'rgb' (3) or 'rgba' (4). Keras: `color_mode`. @default 'rgb' */
  colorMode?: 'grayscale' | 'rgb' | 'rgba';
  /** Elements per batch; null yields single elements. Keras: `batch_size`. @default 32 */
  batchSize?: number | null;
  /** [height, width] every image is resized to. Keras: `image_size`. @default [256, 256] */
  imageSize?: [number, number];
  /** Shuffle the file list (once, with the seed) and the training subset's order each epoch. Keras: `shuffle`. @default true */
  shuffle?: boolean;
  /** The seed of the shuffles; required with validationSplit and shuffle. Keras: `seed`. @default undefined (from k.utils.setRandomSeed's generator) */
  seed?: number;
  /** The share of the files (0..1) held out for validation, taken from the end of the shuffled list. Keras: `validation_split`. @default null */
  validationSplit?: number | null;
  /** Which part to return with validationSplit: 'training', 'validation' or 'both' ([training, validation]). Keras: `subset`. @default null */
  subset?: 'training' | 'validation' | 'both' | null;
  /** The resize's interpolation, TensorFlow's rule: 'bilinear' or 'nearest' (Keras's others are not available). Keras: `interpolation`. @default 'bilinear' */
  interpolation?: 'bilinear' | 'nearest';
  /** Enter subfolders that are symbolic links. Keras: `follow_links`. @default false */
  followLinks?: boolean;
  /** Crop each image to the target's aspect ratio before resizing (smartResize). Keras: `crop_to_aspect_ratio`. @default false */
  cropToAspectRatio?: boolean;
  /** Pad each image with black to the target's aspect ratio before resizing. Keras: `pad_to_aspect_ratio`. @default false */
  padToAspectRatio?: boolean;
  /** Print how many files were found (and used by each subset) through k.utils' logger. Keras: `verbose`. @default true */
  verbose?: boolean;
  /** Worker threads that decode, convert and resize the images; 0 does it all on the main thread, with the same values. Keras: none (tf.data's `num_parallel_calls`). @default os.availableParallelism(), at most 8 */
  workers?: number;
}

/** The dataset of a folder of images: a k.data.Dataset with the class names and the paths of its files, in the (shuffled) order used. */
export type ImageDataset = Dataset & {
  /** The class names, in label order (null without labels). Keras: `class_names`. */
  readonly classNames: string[] | null;
  /** The image files of this dataset, in the order of the shuffled list. Keras: `file_paths`. */
  readonly filePaths: string[];
};

const WHERE = 'imageDatasetFromDirectory';
const KIND: IndexKind = { where: WHERE, formats: IMAGE_FORMATS, noun: 'image' };
const MODES: Record<string, ImageMode> = { grayscale: 'L', rgb: 'RGB', rgba: 'RGBA' };
const CHANNELS: Record<string, number> = { L: 1, RGB: 3, RGBA: 4 };

interface Resolved {
  labelMode: LabelMode | null;
  mode: ImageMode;
  batchSize: number | null;
  imageSize: [number, number];
  interpolation: 'bilinear' | 'nearest';
  crop: boolean;
  pad: boolean;
  hint: DecodeHint;
  /** Image workers; 0 when the images are made on the main thread. */
  workers: number;
}

/**
 * A dataset of the images in `directory`'s class subfolders (see the module header); with
 * `subset: 'both'`, the pair [training, validation].
 */
export async function imageDatasetFromDirectory(directory: string, options: ImageDatasetOptions & { subset: 'both' }): Promise<[ImageDataset, ImageDataset]>;
export async function imageDatasetFromDirectory(directory: string, options?: ImageDatasetOptions & { subset?: 'training' | 'validation' | null }): Promise<ImageDataset>;
export async function imageDatasetFromDirectory(directory: string, options?: ImageDatasetOptions): Promise<ImageDataset | [ImageDataset, ImageDataset]>;
export async function imageDatasetFromDirectory(directory: string, options: ImageDatasetOptions = {}): Promise<ImageDataset | [ImageDataset, ImageDataset]> {
  const split = options.validationSplit ?? null;
  return datasetFromDirectory(directory, options, {
    kind: KIND,
    resolve: (labels, classNames) => resolve(options, labels, classNames),
    empty: (part, files) => {
      if (part === '') return noImages(directory, options.labelMode === null ? null : options.labels ?? 'inferred');
      if (part === 'training') return new ValueError(`${WHERE}: no training images left in '${directory}' with validationSplit ${split}. help: lower validationSplit or add images.`);
      return new ValueError(`${WHERE}: no validation images in '${directory}' with validationSplit ${split} of ${files.filePaths.length} files. help: raise validationSplit or add images.`);
    },
    make: (files, r, shuffleSeed) => toDataset(files, r, shuffleSeed),
  });
}

function noImages(directory: string, labels: 'inferred' | null | number[]): ValueError {
  const hasSubfolders = fs.readdirSync(directory, { withFileTypes: true }).some((e) => e.isDirectory() && !e.name.startsWith('.'));
  const where = labels === 'inferred' && !hasSubfolders ? `'${directory}' has no class subfolders` : `no image files found in '${directory}'`;
  const help = labels === 'inferred' && !hasSubfolders ? 'put the images of each class in a subfolder named after the class, or pass labels: null for images without labels' : `add images with one of the extensions ${IMAGE_FORMATS.join(' ')}`;
  return new ValueError(`${WHERE}: ${where} (allowed formats: ${IMAGE_FORMATS.join(', ')}). help: ${help}.`);
}

/** The options checked and resolved, with Keras's errors. */
function resolve(o: ImageDatasetOptions, labels: 'inferred' | null | number[], classNames: string[] | null): Resolved {
  const labelMode = checkLabelArgs({ labels, classNames, labelMode: o.labelMode }, KIND);
  const colorMode = o.colorMode ?? 'rgb';
  if (MODES[colorMode] === undefined) throw new ValueError(`${WHERE}: colorMode must be 'grayscale', 'rgb' or 'rgba', got ${JSON.stringify(colorMode)}. help: e.g. {colorMode: 'grayscale'}.`);
  const batchSize = o.batchSize === undefined ? 32 : o.batchSize;
  if (batchSize !== null && !(Number.isInteger(batchSize) && batchSize > 0)) throw new ValueError(`${WHERE}: batchSize must be a positive integer or null, got ${batchSize}. help: e.g. {batchSize: 32}, or null for single images.`);
  const imageSize = o.imageSize ?? [256, 256];
  if (!(Array.isArray(imageSize) && imageSize.length === 2 && imageSize.every((v) => Number.isInteger(v) && v > 0))) {
    throw new ValueError(`${WHERE}: imageSize must be [height, width] of positive integers, got ${JSON.stringify(imageSize)}. help: e.g. {imageSize: [224, 224]}.`);
  }
  const interpolation = o.interpolation ?? 'bilinear';
  if (interpolation !== 'bilinear' && interpolation !== 'nearest') {
    throw new ValueError(`${WHERE}: interpolation ${JSON.stringify(interpolation)} is not available (tfjs-core resizes with TensorFlow's bilinear and nearest only). help: use 'bilinear' or 'nearest'.`);
  }
  const crop = o.cropToAspectRatio ?? false;
  const pad = o.padToAspectRatio ?? false;
  if (crop && pad) throw new ValueError(`${WHERE}: cropToAspectRatio and padToAspectRatio cannot both be true. help: pick one way to keep the aspect ratio.`);
  const workers = o.workers ?? defaultImageWorkers();
  if (!(Number.isInteger(workers) && workers >= 0)) throw new ValueError(`${WHERE}: workers must be a non-negative integer, got ${workers}. help: e.g. {workers: 4}, or 0 to decode on the main thread.`);
  return { labelMode, mode: MODES[colorMode], batchSize, imageSize, interpolation, crop, pad, hint: { smallPng: false }, workers };
}

/**
 * The pipeline over `files`: file indices (shuffled each epoch with the seed) -> batches of indices
 * -> each batch decoded into one buffer (its files decoded at once, two batches in flight) ->
 * prefetch. Decoding into the batch's buffer spares stacking per-image tensors.
 */
function toDataset(files: IndexedFiles, r: Resolved, shuffleSeed: number | null): ImageDataset {
  const { filePaths, labels } = files;
  const numClasses = files.classNames?.length ?? 0;
  const [height, width] = r.imageSize;
  const pixels = height * width * CHANNELS[r.mode];
  let indices = Dataset.range(filePaths.length);
  if (shuffleSeed !== null) indices = indices.shuffle(r.batchSize !== null ? r.batchSize * 8 : 1024, { seed: shuffleSeed });
  const batched = r.batchSize !== null;
  const source: Dataset<tfc.Tensor> = batched ? indices.batch(r.batchSize!) : indices;
  const ds = source.map(
    async (i: tfc.Tensor) => {
      const picked = Array.from(await i.data());
      const out = decodeBatch(picked.map((index) => filePaths[index]), r, pixels);
      await out.done;
      const shape = [height, width, CHANNELS[r.mode]];
      const images = tfc.tensor(out.pixels, batched ? [picked.length, ...shape] : shape, 'float32');
      return labels === null ? images : [images, labelTensor(picked.map((index) => labels[index]), batched, r.labelMode!, numClasses)];
    },
    { numParallelCalls: batched ? 2 : Math.max(2, Math.min(8, os.cpus().length)) },
  );
  return Object.assign(ds.prefetch(2) as unknown as Dataset, { classNames: files.classNames, filePaths });
}

/** The files' images into one buffer, one after the other: in the image workers (a SharedArrayBuffer they write into) or on this thread. */
function decodeBatch(files: string[], r: Resolved, pixels: number): { pixels: Float32Array; done: Promise<unknown> } {
  const offsets = files.map((_, j) => j * pixels);
  if (r.workers === 0) {
    const out = new Float32Array(files.length * pixels);
    return { pixels: out, done: loadBilinearBatch(files, r, WHERE, out, offsets) };
  }
  const out = new Float32Array(new SharedArrayBuffer(files.length * pixels * 4));
  return { pixels: out, done: imageWorkers().loadMany(files, r, WHERE, out, offsets, r.workers) };
}
