/**
 * textDatasetFromDirectory: Keras's keras.utils.text_dataset_from_directory. Indexes the folder as
 * the image loader does (./index_directory: sorted class subfolders, .txt files only, one seeded
 * shuffle of the file list, the split taken from it) and returns a k.data.Dataset of [texts, labels]
 * (or texts alone without labels): texts a string tensor [batch] (a scalar unbatched), labels as
 * ./labels makes them. Each file's bytes are the string as they are, with no decoding (as
 * tf.io.read_file); maxLength cuts each to its first maxLength bytes (tf.strings.substr's unit).
 *
 * The pipeline: file indices, shuffled each epoch for the training subset (seeded, a buffer of
 * batchSize * 8 or 1024, as Keras), batched, each batch's files read at once, prefetched. The
 * validation subset keeps its order (as imageDatasetFromDirectory). Files are read while the
 * dataset is iterated; the dataset holds no tensor.
 */
import * as fs from 'fs';
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';
import { Dataset } from '../../data/dataset/dataset';
import { datasetFromDirectory } from './from_directory';
import { IndexedFiles, IndexKind, TEXT_FORMATS } from './index_directory';
import { checkLabelArgs, LabelMode, labelTensor } from './labels';

/** Options of {@link textDatasetFromDirectory}. */
export interface TextDatasetOptions {
  /** 'inferred' (from the subfolders), null (no labels) or one integer label per file, in the sorted order of the file paths. Keras: `labels`. @default 'inferred' */
  labels?: 'inferred' | null | number[];
  /** 'int' (int32), 'categorical' (float32 one-hot), 'binary' (two classes, float32 [batch, 1]) or null (no labels). Keras: `label_mode`. @default 'int' */
  labelMode?: LabelMode | null;
  /** The classes, in label order, when labels is 'inferred' (subfolder names; a subset of them may be given). Keras: `class_names`. @default null (all subfolders, sorted) */
  classNames?: string[] | null;
  /** Elements per batch; null yields single elements. Keras: `batch_size`. @default 32 */
  batchSize?: number | null;
  /** Cut each text to its first maxLength bytes (as tf.strings.substr). Keras: `max_length`. @default null (whole files) */
  maxLength?: number | null;
  /** Shuffle the file list (once, with the seed) and the training subset's order each epoch; false keeps the sorted order. Keras: `shuffle`. @default true */
  shuffle?: boolean;
  /** The seed of the shuffles; required with validationSplit and shuffle. Keras: `seed`. @default undefined (from k.utils.setRandomSeed's generator) */
  seed?: number;
  /** The share of the files (0..1) held out for validation, taken from the end of the shuffled list. Keras: `validation_split`. @default null */
  validationSplit?: number | null;
  /** Which part to return with validationSplit: 'training', 'validation' or 'both' ([training, validation]). Keras: `subset`. @default null */
  subset?: 'training' | 'validation' | 'both' | null;
  /** Enter subfolders that are symbolic links. Keras: `follow_links`. @default false */
  followLinks?: boolean;
  /** Print how many files were found (and used by each subset) through k.utils' logger. Keras: `verbose`. @default true */
  verbose?: boolean;
}

/** The dataset of a folder of texts: a k.data.Dataset with the class names and the paths of its files, in the (shuffled) order used. */
export type TextDataset = Dataset & {
  /** The class names, in label order (null without labels). Keras: `class_names`. */
  readonly classNames: string[] | null;
  /** The text files of this dataset, in the order of the shuffled list (Keras's text loader does not expose them). */
  readonly filePaths: string[];
};

const WHERE = 'textDatasetFromDirectory';
const KIND: IndexKind = { where: WHERE, formats: TEXT_FORMATS, noun: 'text' };

interface Resolved {
  labelMode: LabelMode | null;
  batchSize: number | null;
  maxLength: number | null;
}

/**
 * A dataset of the .txt files in `directory`'s class subfolders (see the module header); with
 * `subset: 'both'`, the pair [training, validation].
 */
export async function textDatasetFromDirectory(directory: string, options: TextDatasetOptions & { subset: 'both' }): Promise<[TextDataset, TextDataset]>;
export async function textDatasetFromDirectory(directory: string, options?: TextDatasetOptions & { subset?: 'training' | 'validation' | null }): Promise<TextDataset>;
export async function textDatasetFromDirectory(directory: string, options?: TextDatasetOptions): Promise<TextDataset | [TextDataset, TextDataset]>;
export async function textDatasetFromDirectory(directory: string, options: TextDatasetOptions = {}): Promise<TextDataset | [TextDataset, TextDataset]> {
  return datasetFromDirectory(directory, options, {
    kind: KIND,
    resolve: (labels, classNames) => resolve(options, labels, classNames),
    empty: (part) => noTexts(directory, part === '' ? '' : `${part} `),
    make: toDataset,
  });
}

function noTexts(directory: string, which: string): ValueError {
  return new ValueError(
    `${WHERE}: no ${which}text files found in '${directory}' (allowed format: .txt). ` +
      'help: put the .txt files of each class in a subfolder named after the class (or pass labels: null for texts without labels)' +
      (which === '' ? '.' : ', or change validationSplit.'),
  );
}

/** The options checked and resolved, with Keras's errors. */
function resolve(o: TextDatasetOptions, labels: 'inferred' | null | number[], classNames: string[] | null): Resolved {
  const labelMode = checkLabelArgs({ labels, classNames, labelMode: o.labelMode }, KIND);
  const batchSize = o.batchSize === undefined ? 32 : o.batchSize;
  if (batchSize !== null && !(Number.isInteger(batchSize) && batchSize > 0)) throw new ValueError(`${WHERE}: batchSize must be a positive integer or null, got ${batchSize}. help: e.g. {batchSize: 32}, or null for single texts.`);
  const maxLength = o.maxLength ?? null;
  if (maxLength !== null && !(Number.isInteger(maxLength) && maxLength >= 0)) throw new ValueError(`${WHERE}: maxLength must be a non-negative integer (bytes) or null, got ${maxLength}. help: e.g. {maxLength: 1000}, or null for whole files.`);
  return { labelMode, batchSize, maxLength };
}

/** The pipeline over `files`: indices (shuffled each epoch from `shuffleSeed`; null keeps the order) -> batches of indices -> each batch's files read -> prefetch. */
function toDataset(files: IndexedFiles, r: Resolved, shuffleSeed: number | null): TextDataset {
  const { filePaths, labels } = files;
  const numClasses = files.classNames?.length ?? 0;
  let indices = Dataset.range(filePaths.length);
  if (shuffleSeed !== null) indices = indices.shuffle(r.batchSize !== null ? r.batchSize * 8 : 1024, { seed: shuffleSeed });
  const batched = r.batchSize !== null;
  const source: Dataset<tfc.Tensor> = batched ? indices.batch(r.batchSize!) : indices;
  const ds = source.map(
    async (i: tfc.Tensor) => {
      const picked = Array.from(await i.data());
      const texts = await Promise.all(picked.map((index) => readText(filePaths[index], r.maxLength)));
      const x = tfc.tensor(texts, batched ? [texts.length] : [], 'string');
      return labels === null ? x : [x, labelTensor(picked.map((index) => labels[index]), batched, r.labelMode!, numClasses)];
    },
    { numParallelCalls: 2 },
  );
  return Object.assign(ds.prefetch(2) as unknown as Dataset, { classNames: files.classNames, filePaths });
}

/** A file's bytes (its first maxLength bytes), as a string tensor holds them. */
async function readText(file: string, maxLength: number | null): Promise<Uint8Array> {
  let bytes: Buffer;
  try {
    bytes = await fs.promises.readFile(file);
  } catch (e) {
    throw new ValueError(`${WHERE}: cannot read '${file}': ${(e as Error).message}. help: check that the file still exists and is readable.`);
  }
  const length = maxLength === null ? bytes.length : Math.min(maxLength, bytes.length);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, length);
}
