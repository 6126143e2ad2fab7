/**
 * The steps every `*DatasetFromDirectory` shares (images, texts, audio), as Keras's
 * image/text/audio_dataset_from_directory do: resolve `labels` (labelMode null means none), check
 * the split options, list the files with one seeded shuffle, drop the labels when asked, check them,
 * then split into training and validation (`subset: 'both'` gives both) and build each part. The
 * validation part is never reshuffled. A caller gives what differs: its file kind, its own options
 * resolved, the error for an empty part, and how a part becomes a dataset.
 */
import { ensureRegistered } from '../../backend/backend';
import type { ValueError } from '../../engine/errors';
import { nextSeed } from '../random';
import { checkSplitArgs, indexDirectory, IndexedFiles, IndexKind, splitFiles } from './index_directory';
import { checkFoundLabels, LabelMode } from './labels';

/** The options every folder loader takes (each documents them with Keras's names). */
export interface DirectoryOptions {
  labels?: 'inferred' | null | number[];
  labelMode?: LabelMode | null;
  classNames?: string[] | null;
  shuffle?: boolean;
  seed?: number;
  validationSplit?: number | null;
  subset?: 'training' | 'validation' | 'both' | null;
  followLinks?: boolean;
  verbose?: boolean;
}

/** What one loader adds to the shared steps. */
export interface DirectoryLoader<R extends { labelMode: LabelMode | null }, D> {
  kind: IndexKind;
  /** Its own options checked (before any file is read), with the resolved labels and class names. */
  resolve(labels: 'inferred' | null | number[], classNames: string[] | null): R;
  /** The error when the folder ('') or a split part ('training', 'validation') has no files. */
  empty(part: '' | 'training' | 'validation', files: IndexedFiles): ValueError;
  /** A part as a dataset; shuffled each epoch with `shuffleSeed` unless it is null. */
  make(files: IndexedFiles, r: R, shuffleSeed: number | null): D;
}

export async function datasetFromDirectory<R extends { labelMode: LabelMode | null }, D>(
  directory: string,
  options: DirectoryOptions,
  loader: DirectoryLoader<R, D>,
): Promise<D | [D, D]> {
  ensureRegistered();
  // As Keras: labelMode null means no labels at all (the whole tree is listed, no class names).
  const labels = options.labelMode === null ? null : options.labels === undefined ? 'inferred' : options.labels;
  const classNames = options.classNames ?? null;
  const shuffle = options.shuffle ?? true;
  const verbose = options.verbose ?? true;
  const validationSplit = options.validationSplit ?? null;
  const subset = options.subset ?? null;
  const r = loader.resolve(labels, classNames);
  checkSplitArgs({ validationSplit, subset, shuffle, seed: options.seed }, loader.kind.where);
  const seed = options.seed ?? nextSeed();
  const files = await indexDirectory(directory, labels, loader.kind, { classNames, shuffle, seed, followLinks: options.followLinks ?? false, verbose });
  if (files.filePaths.length === 0) throw loader.empty('', files);
  if (r.labelMode === null) files.labels = null;
  checkFoundLabels(files, r.labelMode, loader.kind.where);
  const part = (which: 'training' | 'validation'): IndexedFiles => {
    const p = splitFiles(files, validationSplit, which, verbose);
    if (p.filePaths.length === 0) throw loader.empty(which, files);
    return p;
  };
  if (subset === 'both') return [loader.make(part('training'), r, shuffle ? seed : null), loader.make(part('validation'), r, null)];
  if (subset === null) return loader.make(files, r, shuffle ? seed : null);
  return loader.make(part(subset), r, shuffle && subset !== 'validation' ? seed : null);
}
