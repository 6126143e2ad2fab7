/**
 * File plumbing for saving: atomic writes (temporary file, then rename, so a crash never leaves a
 * truncated model where a good one was), zip archives on fflate with their entries checked, and
 * reading a file a model points to only when it lies inside the model's own folder.
 */
import * as fs from 'fs';
import * as path from 'path';
import { unzipSync, zipSync } from 'fflate';
import { FileFormatError, ValueError } from '../../engine/errors';

/** Writes `data` to `file` atomically: a temporary file beside it, flushed, then renamed over it. */
export function writeFileAtomic(file: string, data: Uint8Array | string): void {
  const dir = path.dirname(path.resolve(file));
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fs.fsyncSync(fd);
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fs.closeSync(fd);
  try {
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** Reads a whole file, with a message that names it when it is missing. */
export function readFileBytes(file: string, what: string): Uint8Array {
  try {
    return new Uint8Array(fs.readFileSync(file));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ValueError(`${what}: no such file '${file}'. help: check the path.`);
    if (code === 'EISDIR') throw new ValueError(`${what}: '${file}' is a folder. help: pass a file, or the folder of a tfjs model.json.`);
    throw e;
  }
}

/**
 * Resolves `relative` (a path written in a file) against `dir` and refuses it unless the result,
 * with symbolic links followed, lies inside `dir`: absolute paths and `..` are refused outright.
 */
export function pathInside(dir: string, relative: unknown, what: string): string {
  if (typeof relative !== 'string' || relative.length === 0 || relative.includes('\0')) {
    throw new FileFormatError(`${what}: a file path in it is ${JSON.stringify(relative)}, not a file name. help: the file is corrupt.`);
  }
  const parts = relative.split(/[\\/]/);
  if (path.isAbsolute(relative) || /^[a-zA-Z]:/.test(relative) || parts.includes('..')) {
    throw new FileFormatError(`${what}: refusing the path '${relative}', which leaves the model's folder. help: weight files must lie beside model.json.`);
  }
  const root = fs.realpathSync(dir);
  const full = path.join(root, relative);
  let real: string;
  try {
    real = fs.realpathSync(full);
  } catch {
    throw new FileFormatError(`${what}: the weight file '${relative}' it names is missing from ${dir}. help: copy every file of the model, not only model.json.`);
  }
  if (real !== root && !real.startsWith(root + path.sep)) {
    throw new FileFormatError(`${what}: refusing '${relative}', which leads outside the model's folder (to ${real}). help: weight files must lie beside model.json.`);
  }
  return real;
}

/** The largest entry a zip may claim (bigger claims are refused before anything is inflated). */
const MAX_ENTRY_BYTES = 2 ** 31 - 1;

/** The entries of a zip archive by name; names with `..`, absolute names and oversized entries are refused. */
export function readZip(bytes: Uint8Array, what: string): Map<string, Uint8Array> {
  if (!(bytes[0] === 0x50 && bytes[1] === 0x4b)) throw new FileFormatError(`${what}: not a zip archive. help: a .keras file is a zip archive written by model.save.`);
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, {
      filter: (file) => {
        const parts = file.name.split(/[\\/]/);
        if (parts.includes('..') || file.name.startsWith('/') || /^[a-zA-Z]:/.test(file.name)) {
          throw new FileFormatError(`${what}: refusing the zip entry '${file.name}', whose name leaves the archive. help: the file is corrupt or was made to attack.`);
        }
        if (!(file.originalSize >= 0 && file.originalSize <= MAX_ENTRY_BYTES)) {
          throw new FileFormatError(`${what}: the zip entry '${file.name}' claims ${file.originalSize} bytes. help: the file is corrupt.`);
        }
        return true;
      },
    });
  } catch (e) {
    if (e instanceof FileFormatError) throw e;
    throw new FileFormatError(`${what}: not a readable zip archive (${(e as Error).message}). help: the file is corrupt or truncated.`);
  }
  return new Map(Object.entries(entries));
}

/** A zip archive of the given entries, stored uncompressed as Keras writes .keras files. */
export function writeZip(entries: Record<string, Uint8Array | string>): Uint8Array {
  const files = Object.fromEntries(
    Object.entries(entries).map(([name, data]) => [name, typeof data === 'string' ? new Uint8Array(Buffer.from(data, 'utf8')) : data]),
  );
  return zipSync(files, { level: 0 });
}
