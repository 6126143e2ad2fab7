/**
 * The file side of imageDatasetFromDirectory, as Keras's utils/dataset_utils.py: index_directory
 * (which files, which labels, which class names), the one seeded shuffle of the file list, and the
 * training / validation split taken from that shuffled list (so the two subsets are disjoint, and
 * reproducible from the seed). Keras's rules: with labels 'inferred' the classes are the sorted
 * names of the folder's subfolders (hidden ones skipped) and each class takes every allowed file
 * below its subfolder, nested folders included; files directly in the folder are ignored. Files are
 * listed folder by folder (sorted by path), names sorted, extensions compared case-insensitively.
 * Nothing here decodes an image.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ValueError } from '../../engine/errors';
import { getLogger } from '../logger';
import { mulberry32 } from '../random';

/** Keras's ALLOWLIST_FORMATS for images. */
export const IMAGE_FORMATS: readonly string[] = ['.bmp', '.gif', '.jpeg', '.jpg', '.png'];

const WHERE = 'imageDatasetFromDirectory';

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
export async function indexDirectory(
  directory: string,
  labels: 'inferred' | null | number[],
  options: { classNames: string[] | null; shuffle: boolean; seed: number; followLinks: boolean; verbose: boolean },
): Promise<IndexedFiles> {
  if (!(await isDir(directory))) {
    throw new ValueError(`${WHERE}: '${directory}' is not a folder. help: pass the folder that holds one subfolder of images per class.`);
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
          `${WHERE}: the classNames ${JSON.stringify(missing)} are not subfolders of '${directory}' (its subfolders are ${JSON.stringify(subdirs)}). ` +
            'help: pass classNames that name subfolders (a subset of them, in the order wanted), or leave classNames out.',
        );
      }
      subdirs = options.classNames;
    }
  }
  const filePaths: string[] = [];
  const found: number[] = [];
  for (const [index, sub] of subdirs.entries()) {
    for (const [dir, name] of await walk(path.join(directory, sub), options.followLinks, IMAGE_FORMATS)) {
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
        `${WHERE}: labels has ${labels.length} entries but '${directory}' holds ${filePaths.length} image files. ` +
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
    const order = permutation(filePaths.length, options.seed);
    const paths = order.map((i) => filePaths[i]);
    filePaths.splice(0, filePaths.length, ...paths);
    if (fileLabels !== null) fileLabels = order.map((i) => fileLabels![i]);
  }
  return { filePaths, labels: fileLabels, classNames };
}

/** A Fisher-Yates permutation of 0..n-1 from `seed`. */
function permutation(n: number, seed: number): number[] {
  const random = mulberry32(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
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
