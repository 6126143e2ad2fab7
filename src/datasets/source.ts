/**
 * Where Keras's datasets come from: Keras's own file names, origins and hashes (from
 * keras/src/datasets/*.py), fetched through getFile into Keras's cache, so that a file a Keras user
 * already has is used as it is. Every loadData also takes these options, which Keras does not have:
 * `cacheDir` (Keras reads $KERAS_HOME), `originFolder` (a mirror, or a test server, that serves
 * Keras's file names) and `checkHash` (false only for files that are not Keras's own).
 */
import { getFile } from '../utils/files/get_file';

/** Keras's storage of its datasets. */
export const KERAS_DATASETS = 'https://storage.googleapis.com/tensorflow/tf-keras-datasets/';

export interface DatasetSourceOptions {
  /** The cache folder. Keras: none (Keras's reads $KERAS_HOME) @default $KERAS_HOME, else ~/.keras */
  cacheDir?: string;
  /**
   * A URL folder that serves Keras's file names (a mirror), used instead of Keras's origin. Keras: none
   * @default Keras's origin (storage.googleapis.com/tensorflow/tf-keras-datasets/, www.cs.toronto.edu for CIFAR)
   */
  originFolder?: string;
  /** Check Keras's hash of the file; false only for files that are not Keras's own (tests). Keras: none @default true */
  checkHash?: boolean;
}

export interface DatasetFile {
  fname: string;
  origin: string;
  fileHash?: string;
  cacheSubdir?: string;
  extract?: boolean;
}

export const SOURCE_KEYS = ['cacheDir', 'originFolder', 'checkHash'] as const;

/** The local path of `file` (downloaded when not cached), with the source options applied. */
export async function datasetFile(file: DatasetFile, opts: DatasetSourceOptions): Promise<string> {
  const origin = opts.originFolder === undefined ? file.origin : new URL(file.origin.slice(file.origin.lastIndexOf('/') + 1), withSlash(opts.originFolder)).href;
  return getFile(file.fname, {
    origin,
    fileHash: opts.checkHash === false ? undefined : file.fileHash,
    cacheDir: opts.cacheDir,
    cacheSubdir: file.cacheSubdir,
    extract: file.extract,
  });
}

function withSlash(folder: string): string {
  return folder.endsWith('/') ? folder : `${folder}/`;
}
