/**
 * audioDatasetFromDirectory: Keras's keras.utils.audio_dataset_from_directory. Indexes the folder
 * as the text and image loaders do (./index_directory: sorted class subfolders, .wav files only,
 * one seeded shuffle of the file list, the split taken from it) and returns a k.data.Dataset of
 * [audio, labels] (or audio alone without labels): audio float32 [batch, length, channels] in
 * [-1, 1) (tf.audio.decode_wav's scaling; ./wav.ts reads PCM 8/16/24/32-bit and float32 WAV),
 * each clip cut or zero-padded to outputSequenceLength, or zero-padded to the batch's longest.
 * keras-ts does not resample: with samplingRate, a file of another rate is refused (Keras needs
 * tensorflow-io for that too); ragged output is refused (tfjs-core has no ragged tensors).
 * The pipeline is the text loader's: shuffled indices (training subset), batches, files read
 * while the dataset is iterated, prefetched; the dataset holds no tensor.
 */
import * as fs from 'fs';
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';
import { Dataset } from '../../data/dataset/dataset';
import { datasetFromDirectory } from './from_directory';
import { IndexedFiles, IndexKind } from './index_directory';
import { checkLabelArgs, LabelMode, labelTensor } from './labels';
import { decodeWav, Wav } from './wav';

/** Options of {@link audioDatasetFromDirectory}. */
export interface AudioDatasetOptions {
  /** 'inferred' (from the subfolders), null (no labels) or one integer label per file, in the sorted order of the file paths. Keras: `labels`. @default 'inferred' */
  labels?: 'inferred' | null | number[];
  /** 'int' (int32), 'categorical' (float32 one-hot), 'binary' (two classes, float32 [batch, 1]) or null (no labels). Keras: `label_mode`. @default 'int' */
  labelMode?: LabelMode | null;
  /** The classes, in label order, when labels is 'inferred'. Keras: `class_names`. @default null (all subfolders, sorted) */
  classNames?: string[] | null;
  /** Clips per batch; null yields single clips [length, channels]. Keras: `batch_size`. @default 32 */
  batchSize?: number | null;
  /** The sampling rate every file must have (keras-ts does not resample). Keras: `sampling_rate`. @default null (any) */
  samplingRate?: number | null;
  /** Cut or zero-pad every clip to this many samples. Keras: `output_sequence_length`. @default null (pad to the batch's longest) */
  outputSequenceLength?: number | null;
  /** Ragged output; refused (tfjs-core has no ragged tensors). Keras: `ragged`. @default false */
  ragged?: boolean;
  /** Shuffle the file list (once, with the seed) and the training subset's order each epoch. Keras: `shuffle`. @default true */
  shuffle?: boolean;
  /** The seed of the shuffles; required with validationSplit and shuffle. Keras: `seed`. @default undefined (from k.utils.setRandomSeed's generator) */
  seed?: number;
  /** The share of the files (0..1) held out for validation. Keras: `validation_split`. @default null */
  validationSplit?: number | null;
  /** 'training', 'validation' or 'both' ([training, validation]). Keras: `subset`. @default null */
  subset?: 'training' | 'validation' | 'both' | null;
  /** Enter subfolders that are symbolic links. Keras: `follow_links`. @default false */
  followLinks?: boolean;
  /** Print how many files were found through k.utils' logger. Keras: `verbose`. @default true */
  verbose?: boolean;
}

/** The dataset of a folder of WAV files, with the class names and the paths of its files, in the (shuffled) order used. */
export type AudioDataset = Dataset & {
  /** The class names, in label order (null without labels). Keras: `class_names`. */
  readonly classNames: string[] | null;
  /** The WAV files of this dataset, in the order used. */
  readonly filePaths: string[];
};

const WHERE = 'audioDatasetFromDirectory';
const KIND: IndexKind = { where: WHERE, formats: ['.wav'], noun: 'audio' };

interface Resolved {
  labelMode: LabelMode | null;
  batchSize: number | null;
  length: number | null;
  rate: number | null;
}

/** A dataset of the .wav files in `directory`'s class subfolders (see the module header); with `subset: 'both'`, [training, validation]. */
export async function audioDatasetFromDirectory(directory: string, options: AudioDatasetOptions & { subset: 'both' }): Promise<[AudioDataset, AudioDataset]>;
export async function audioDatasetFromDirectory(directory: string, options?: AudioDatasetOptions & { subset?: 'training' | 'validation' | null }): Promise<AudioDataset>;
export async function audioDatasetFromDirectory(directory: string, options?: AudioDatasetOptions): Promise<AudioDataset | [AudioDataset, AudioDataset]>;
export async function audioDatasetFromDirectory(directory: string, options: AudioDatasetOptions = {}): Promise<AudioDataset | [AudioDataset, AudioDataset]> {
  return datasetFromDirectory(directory, options, {
    kind: KIND,
    resolve: (labels, classNames) => resolve(options, labels, classNames),
    empty: (part) => noAudio(directory, part === '' ? '' : `${part} `),
    make: toDataset,
  });
}

function noAudio(directory: string, which: string): ValueError {
  return new ValueError(
    `${WHERE}: no ${which}audio files found in '${directory}' (allowed format: .wav). ` +
      'help: put the .wav files of each class in a subfolder named after the class (or pass labels: null for clips without labels)' +
      (which === '' ? '.' : ', or change validationSplit.'),
  );
}

/** The options checked and resolved, with Keras's errors. */
function resolve(o: AudioDatasetOptions, labels: 'inferred' | null | number[], classNames: string[] | null): Resolved {
  const labelMode = checkLabelArgs({ labels, classNames, labelMode: o.labelMode }, KIND);
  const batchSize = o.batchSize === undefined ? 32 : o.batchSize;
  if (batchSize !== null && !(Number.isInteger(batchSize) && batchSize > 0)) throw new ValueError(`${WHERE}: batchSize must be a positive integer or null, got ${batchSize}. help: e.g. {batchSize: 32}, or null for single clips.`);
  const length = o.outputSequenceLength ?? null;
  if (length !== null && !(Number.isInteger(length) && length > 0)) throw new ValueError(`${WHERE}: outputSequenceLength must be a positive integer or null, got ${length}. help: e.g. {outputSequenceLength: 16000}.`);
  const rate = o.samplingRate ?? null;
  if (rate !== null && !(Number.isInteger(rate) && rate > 0)) throw new ValueError(`${WHERE}: samplingRate must be a positive integer or null, got ${rate}. help: e.g. {samplingRate: 16000}.`);
  if (o.ragged === true) throw new ValueError(`${WHERE}: ragged output needs ragged tensors, which tfjs-core does not have. help: leave ragged out; clips are zero-padded to the batch's longest, or set outputSequenceLength.`);
  return { labelMode, batchSize, length, rate };
}

/** The pipeline over `files`: indices (shuffled each epoch from `shuffleSeed`) -> batches -> each batch's files read and padded -> prefetch. */
function toDataset(files: IndexedFiles, r: Resolved, shuffleSeed: number | null): AudioDataset {
  const { filePaths, labels } = files;
  const numClasses = files.classNames?.length ?? 0;
  let indices = Dataset.range(filePaths.length);
  if (shuffleSeed !== null) indices = indices.shuffle(r.batchSize !== null ? r.batchSize * 8 : 1024, { seed: shuffleSeed });
  const batched = r.batchSize !== null;
  const source: Dataset<tfc.Tensor> = batched ? indices.batch(r.batchSize!) : indices;
  const ds = source.map(
    async (i: tfc.Tensor) => {
      const picked = Array.from(await i.data());
      const clips = await Promise.all(picked.map((index) => readWav(filePaths[index], r.rate)));
      const x = clipsTensor(clips, picked.map((index) => filePaths[index]), r.length, batched);
      return labels === null ? x : [x, labelTensor(picked.map((index) => labels[index]), batched, r.labelMode!, numClasses)];
    },
    { numParallelCalls: 2 },
  );
  return Object.assign(ds.prefetch(2) as unknown as Dataset, { classNames: files.classNames, filePaths });
}

/** The clips as one float32 tensor [batch, length, channels] (or [length, channels] unbatched), cut or zero-padded. */
function clipsTensor(clips: Wav[], paths: string[], fixed: number | null, batched: boolean): tfc.Tensor {
  const channels = clips[0].channels;
  const odd = clips.findIndex((c) => c.channels !== channels);
  if (odd >= 0) {
    throw new ValueError(`${WHERE}: '${paths[odd]}' has ${clips[odd].channels} channels, '${paths[0]}' has ${channels}; a batch needs one channel count. help: convert the files to the same number of channels.`);
  }
  const length = fixed ?? Math.max(...clips.map((c) => c.frames));
  const out = new Float32Array(clips.length * length * channels);
  clips.forEach((c, b) => out.set(c.samples.subarray(0, Math.min(c.frames, length) * channels), b * length * channels));
  return tfc.tensor(out, batched ? [clips.length, length, channels] : [length, channels], 'float32');
}

async function readWav(file: string, rate: number | null): Promise<Wav> {
  let bytes: Buffer;
  try {
    bytes = await fs.promises.readFile(file);
  } catch (e) {
    throw new ValueError(`${WHERE}: cannot read '${file}': ${(e as Error).message}. help: check that the file still exists and is readable.`);
  }
  const wav = decodeWav(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), `${WHERE}: '${file}'`);
  if (rate !== null && wav.sampleRate !== rate) {
    throw new ValueError(`${WHERE}: '${file}' is sampled at ${wav.sampleRate} Hz, not the samplingRate ${rate}; keras-ts does not resample. help: resample the files (e.g. ffmpeg -ar ${rate}), or leave samplingRate out.`);
  }
  return wav;
}
