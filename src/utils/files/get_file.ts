/**
 * `await k.utils.getFile(fname, {origin, ...})`, Keras's `keras.utils.get_file`: the file at
 * `origin` in Keras's download cache, downloaded only when it is not there yet (or its hash is
 * wrong, or `forceDownload`), and its path returned. The cache is Keras's own folder, so files a
 * Keras user already has are reused: `cacheDir` (default `$KERAS_HOME`, else `~/.keras`, else
 * `/tmp/.keras` where that is not writable) / `cacheSubdir` (default 'datasets') / `fname`.
 * With `extract`, the archive is unpacked (tar, tar.gz, zip; archive.ts) and the folder returned,
 * under Keras's names: fname 'x.tar.gz' -> archive 'x.tar.gz', folder 'x_extracted'; fname 'x'
 * -> archive 'x_archive', folder 'x'. The download itself (atomic, hashed, offline errors naming
 * where to place the file by hand) is download.ts.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ValueError } from '../../engine/errors';
import { checkOptions, optionKeys } from '../../engine/options';
import { logLine, warn } from '../logger';
import { ArchiveFormat, extractArchive } from './archive';
import { download } from './download';
import { HashAlgorithm, resolveHashAlgorithm, validateFile } from './hash';

export interface GetFileOptions {
  /** The URL of the file (http or https). Keras: `origin` */
  origin: string;
  /** Deprecated in Keras in favour of `extract`: extract a tar archive. Keras: `untar` @default false */
  untar?: boolean;
  /** Deprecated in Keras in favour of `fileHash`: the file's md5 hash. Keras: `md5_hash` @default undefined */
  md5Hash?: string;
  /** The expected sha256 or md5 hash (hex) of the file; a file with another is refused. Keras: `file_hash` @default undefined (no check) */
  fileHash?: string;
  /** The folder under the cache folder; an absolute path is used as it is. Keras: `cache_subdir` @default 'datasets' */
  cacheSubdir?: string;
  /** 'sha256', 'md5', or 'auto' (sha256 for a 64-character hash, else md5). Keras: `hash_algorithm` @default 'auto' */
  hashAlgorithm?: HashAlgorithm;
  /** Extract the archive (tar, tar.gz, zip) and return the folder. Keras: `extract` @default false */
  extract?: boolean;
  /** The archive formats to try: 'auto' (tar, then zip), 'tar', 'zip', a list, or null for none. Keras: `archive_format` @default 'auto' */
  archiveFormat?: ArchiveFormat | ArchiveFormat[] | null;
  /** The cache folder. Keras: `cache_dir` @default $KERAS_HOME, else ~/.keras (/tmp/.keras where that is not writable) */
  cacheDir?: string;
  /** Download even when the file is cached. Keras: `force_download` @default false */
  forceDownload?: boolean;
}

const KEYS = optionKeys<GetFileOptions>()('origin', 'untar', 'md5Hash', 'fileHash', 'cacheSubdir', 'hashAlgorithm', 'extract', 'archiveFormat', 'cacheDir', 'forceDownload');

/** Keras's home folder: $KERAS_HOME, else ~/.keras, else /tmp/.keras where the home folder is not writable. */
export function kerasHome(): string {
  const env = process.env.KERAS_HOME;
  if (env !== undefined && env !== '') return env;
  const home = os.homedir();
  return path.join(writable(home) ? home : '/tmp', '.keras');
}

/** The path of the file (or, with `extract`, of its folder) in the cache; see the module header. */
export async function getFile(fname: string | null | undefined, opts: GetFileOptions): Promise<string> {
  const what = `getFile(${JSON.stringify(fname ?? null)})`;
  checkOptions('getFile', opts, KEYS);
  if (typeof opts?.origin !== 'string' || !/^https?:\/\//i.test(opts.origin)) {
    throw new ValueError(`${what}: \`origin\` must be an http(s) URL, got ${JSON.stringify(opts?.origin)}. help: pass {origin: 'https://.../file.tar.gz'}.`);
  }
  if (opts.hashAlgorithm !== undefined && !['auto', 'sha256', 'md5'].includes(opts.hashAlgorithm)) {
    throw new ValueError(`${what}: \`hashAlgorithm\` must be 'auto', 'sha256' or 'md5', got ${JSON.stringify(opts.hashAlgorithm)}. help: pass {hashAlgorithm: 'sha256'}, or leave it out ('auto' tells them by length).`);
  }
  const plan = planPaths(fname, opts, what);
  let fileHash = opts.fileHash;
  let algorithm = opts.hashAlgorithm ?? 'auto';
  if (opts.md5Hash !== undefined && fileHash === undefined) [fileHash, algorithm] = [opts.md5Hash, 'md5'];
  const downloaded = await ensureDownloaded({ target: plan.target, origin: opts.origin, fileHash, algorithm, force: opts.forceDownload === true, what });
  if (opts.extract !== true && opts.untar !== true) return plan.target;
  const dest = plan.extractionDir as string;
  if (downloaded || !fs.existsSync(dest)) {
    const format = opts.untar === true ? 'tar' : opts.archiveFormat === undefined ? 'auto' : opts.archiveFormat;
    if (!(await extractArchive(plan.target, dest, { formats: format, what }))) warn(`${what}: could not extract ${plan.target}: it is not a ${JSON.stringify(format)} archive.`);
  }
  return dest;
}

interface Plan {
  target: string;
  extractionDir?: string;
}

/** Where the download goes and, when extracting, the folder: Keras's names (module header). */
function planPaths(fname: string | null | undefined, opts: GetFileOptions, what: string): Plan {
  const datadir = cacheFolder(opts);
  let name = fname ?? '';
  if (name === '') {
    name = path.posix.basename(new URL(opts.origin).pathname);
    if (name === '' || name === '.' || name === '..') {
      throw new ValueError(`${what}: can't take a file name from the origin '${opts.origin}'. help: pass the file name as the first argument.`);
    }
  } else if (name.includes('/') || name.includes('\\') || name === '.' || name === '..') {
    throw new ValueError(`${what}: a file name, not a path, is expected, got '${name}'. help: name the folder with {cacheDir} or {cacheSubdir} and pass only the file's name.`);
  }
  if (opts.extract !== true && opts.untar !== true) return { target: path.join(datadir, name) };
  if (fname && name.includes('.')) {
    const stem = name.slice(0, name.indexOf('.'));
    return { target: path.join(datadir, name), extractionDir: path.join(datadir, `${stem}_extracted`) };
  }
  return { target: path.join(datadir, `${name}_archive`), extractionDir: path.join(datadir, name) };
}

/** `cacheDir`/`cacheSubdir`, made; the cache falls back to /tmp/.keras where `cacheDir` cannot be written, as Keras's does. */
function cacheFolder(opts: GetFileOptions): string {
  let base = expandHome(opts.cacheDir ?? kerasHome());
  try {
    fs.mkdirSync(base, { recursive: true });
  } catch {
    // not writable: the fallback below
  }
  if (!writable(base)) base = path.join(fs.existsSync('/tmp') ? '/tmp' : os.tmpdir(), '.keras');
  const datadir = path.resolve(base, opts.cacheSubdir ?? 'datasets');
  fs.mkdirSync(datadir, { recursive: true });
  return datadir;
}

interface CacheEntry {
  target: string;
  origin: string;
  fileHash: string | undefined;
  algorithm: HashAlgorithm;
  force: boolean;
  what: string;
}

/** Downloads `target` unless a good copy is there; true when it downloaded. */
async function ensureDownloaded({ target, origin, fileHash, algorithm, force, what }: CacheEntry): Promise<boolean> {
  if (!force && fs.existsSync(target)) {
    if (fileHash === undefined || (await validateFile(target, fileHash, algorithm))) return false;
    logLine(
      `A local file was found, but it seems to be incomplete or outdated because the ${algorithm} file hash does not match the original value of ${fileHash} so we will re-download the data.`,
    );
  }
  await download({ url: origin, target, fileHash, algorithm: resolveHashAlgorithm(algorithm, fileHash), what });
  return true;
}

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p;
}

function writable(dir: string): boolean {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
