/**
 * The file side of imageDatasetFromDirectory and textDatasetFromDirectory, as Keras's
 * utils/dataset_utils.py: index_directory (which files, which labels, which class names), the one
 * seeded shuffle of the file list, check_validation_split_arg, and the training / validation split
 * taken from that shuffled list (so the two subsets are disjoint, and reproducible from the seed).
 * The caller names the allowed extensions (Keras's `formats`) and itself (for messages). Keras's rules: with labels 'inferred' the classes are the sorted
 * names of the folder's subfolders (hidden ones skipped) and each class takes every allowed file
 * below its subfolder, nested folders included; files directly in the folder are ignored. Files are
 * listed folder by folder (sorted by path), names sorted, extensions compared case-insensitively.
 * Nothing here reads a file's contents.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ValueError } from '../../engine/errors';
import { getLogger } from '../logger';
import { seededPermutation } from '../random';

/** Keras's ALLOWLIST_FORMATS for images. */
export const IMAGE_FORMATS: readonly string[] = ['.bmp', '.gif', '.jpeg', '.jpg', '.png'];
/** The formats of Keras's text_dataset_from_directory. */
export const TEXT_FORMATS: readonly string[] = ['.txt'];

/** What the caller indexes: its name (for messages), the allowed extensions (lower case) and what a file holds ('image', 'text'). */
export interface IndexKind {
  where: string;
  formats: readonly string[];
  noun: string;
}

/** How to index: Keras's index_directory arguments after `labels`. */
export interface IndexOptions {
  classNames: string[] | null;
  shuffle: boolean;
  seed: number;
  followLinks: boolean;
  verbose: boolean;
}

/** The files found: paths (directory joined), their labels (null without labels) and the class names. */
export interface IndexedFiles {
  filePaths: string[];
  labels: number[] | null;
  classNames: string[] | null;
}

/** Whether `p` is a folder (following a link, as Python's os.path.isdir). */
async function isDir(p: string): Promise<boolean> {
  try {
    return (await fs.promises.stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Every allowed file below `root` as [folder, name] pairs, in Keras's order: folders sorted by path,
 * names sorted within each. Linked folders are entered only with followLinks (os.walk's followlinks).
 */
async function walk(root: string, followLinks: boolean, formats: readonly string[]): Promise<Array<[string, string]>> {
  const folders: Array<[string, string[]]> = [];
  const visit = async (dir: string): Promise<void> => {
    const entries = await fs.promises.readdir(dir, { withFileTypes: true });
    const files: string[] = [];
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) await visit(full);
      else if (e.isSymbolicLink()) {
        const stat = await fs.promises.stat(full).catch(() => null);
        if (stat?.isDirectory()) {
          if (followLinks) await visit(full);
        } else if (stat?.isFile()) files.push(e.name);
      } else if (e.isFile()) files.push(e.name);
    }
    folders.push([dir, files.filter((f) => formats.some((ext) => f.toLowerCase().endsWith(ext))).sort()]);
  };
  await visit(root);
  folders.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return folders.flatMap(([dir, files]) => files.map((f): [string, string] => [dir, f]));
}

/** Keras's index_directory, shuffling included (the same permutation for paths and labels). */
export async function indexDirectory(directory: string, labels: 'inferred' | null | number[], kind: IndexKind, options: IndexOptions): Promise<IndexedFiles> {
  const { where, noun } = kind;
  if (!(await isDir(directory))) {
    throw new ValueError(`${where}: '${directory}' is not a folder. help: pass the folder that holds one subfolder of ${noun} files per class.`);
  }
  let subdirs = [''];
  if (labels === 'inferred') {
    const names = (await fs.promises.readdir(directory)).sort();
    subdirs = [];
    for (const name of names) if (!name.startsWith('.') && (await isDir(path.join(directory, name)))) subdirs.push(name);
    if (options.classNames !== null) {
      const missing = options.classNames.filter((c) => !subdirs.includes(c));
      if (missing.length > 0) {
        throw new ValueError(
          `${where}: the classNames ${JSON.stringify(missing)} are not subfolders of '${directory}' (its subfolders are ${JSON.stringify(subdirs)}). ` +
            'help: pass classNames that name subfolders (a subset of them, in the order wanted), or leave classNames out.',
        );
      }
      subdirs = options.classNames;
    }
  }
  const filePaths: string[] = [];
  const found: number[] = [];
  for (const [index, sub] of subdirs.entries()) {
    for (const [dir, name] of await walk(path.join(directory, sub), options.followLinks, kind.formats)) {
      filePaths.push(path.join(dir, name));
      found.push(index);
    }
  }
  let classNames: string[] | null = subdirs;
  let fileLabels: number[] | null = found;
  if (labels === null) {
    classNames = null;
    fileLabels = null;
  } else if (labels !== 'inferred') {
    if (labels.length !== filePaths.length) {
      throw new ValueError(
        `${where}: labels has ${labels.length} entries but '${directory}' holds ${filePaths.length} ${noun} files. ` +
          'help: give one label per file, in the order of the sorted file paths (folder by folder, names sorted), or pass labels: "inferred" to take the classes from the subfolders.',
      );
    }
    fileLabels = labels.slice();
    classNames = [...new Set(labels)].sort((a, b) => a - b).map(String);
  }
  const log = getLogger();
  if (options.verbose) {
    log.write(classNames === null ? `Found ${filePaths.length} files.\n` : `Found ${filePaths.length} files belonging to ${classNames.length} classes.\n`);
  }
  if (options.shuffle) {
    const order = seededPermutation(filePaths.length, options.seed);
    const paths = order.map((i) => filePaths[i]);
    filePaths.splice(0, filePaths.length, ...paths);
    if (fileLabels !== null) fileLabels = order.map((i) => fileLabels![i]);
  }
  return { filePaths, labels: fileLabels, classNames };
}

/**
 * Keras's get_training_or_validation_split: the last `validationSplit` share of the (shuffled)
 * files is the validation subset, the rest the training one; logs how many files each uses.
 */
export function splitFiles(files: IndexedFiles, validationSplit: number | null, subset: 'training' | 'validation', verbose: boolean): IndexedFiles {
  if (!validationSplit) return files;
  const n = files.filePaths.length;
  const numVal = Math.trunc(validationSplit * n);
  const [from, to] = subset === 'training' ? [0, n - numVal] : [n - numVal, n];
  if (verbose) getLogger().write(subset === 'training' ? `Using ${n - numVal} files for training.\n` : `Using ${numVal} files for validation.\n`);
  return { filePaths: files.filePaths.slice(from, to), labels: files.labels?.slice(from, to) ?? null, classNames: files.classNames };
}

/** What check_validation_split_arg reads. */
export interface SplitArgs {
  validationSplit: number | null;
  subset: string | null;
  shuffle: boolean;
  seed: number | undefined;
}

/** Keras's check_validation_split_arg: a share in (0, 1), given with a subset, and a seed when shuffling. */
export function checkSplitArgs(args: SplitArgs, where: string): void {
  const { validationSplit: split, subset, shuffle, seed } = args;
  if (split !== null && !(typeof split === 'number' && split > 0 && split < 1)) {
    throw new ValueError(`${where}: validationSplit must be between 0 and 1, got ${split}. help: e.g. {validationSplit: 0.2, subset: 'training', seed: 1337}.`);
  }
  if ((split !== null) !== (subset !== null)) {
    throw new ValueError(`${where}: validationSplit and subset go together (got validationSplit ${split}, subset ${JSON.stringify(subset)}). help: pass both, e.g. {validationSplit: 0.2, subset: 'both', seed: 1337}, or neither.`);
  }
  if (subset !== null && !['training', 'validation', 'both'].includes(subset)) {
    throw new ValueError(`${where}: subset must be 'training', 'validation' or 'both', got ${JSON.stringify(subset)}. help: e.g. {subset: 'both'} returns [training, validation].`);
  }
  if (split !== null && shuffle && seed === undefined) {
    throw new ValueError(
      `${where}: validationSplit with shuffle needs a seed, so that the training and validation subsets (made by separate calls) do not overlap. ` +
        'help: pass a seed, e.g. {seed: 1337}, the same in both calls (or use subset: \'both\').',
    );
  }
}
