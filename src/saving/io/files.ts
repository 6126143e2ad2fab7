/**
 * File plumbing for saving: atomic writes (temporary file, then rename, so a crash never leaves a
 * truncated model where a good one was), writing zip archives (fflate; zip_archive.ts reads them),
 * reading regular files only, within a load's budget, and reading a file a model points to only
 * when it lies inside the model's own folder.
 */
import * as fs from 'fs';
import * as path from 'path';
import { zipSync } from 'fflate';
import { FileFormatError, ValueError } from '../../engine/errors';
import type { LoadBudget } from '../load_budget';

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

/**
 * Reads a whole regular file, with a message that names it when it is missing. Only regular files
 * are read (a FIFO, device or socket is refused: it could block or never end; opened non-blocking, so
 * the refusal itself cannot hang), and with a budget its size is taken from it before a byte is read.
 */
export function readFileBytes(file: string, what: string, budget?: LoadBudget): Uint8Array {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ValueError(`${what}: no such file '${file}'. help: check the path.`);
    const st = fs.statSync(file, { throwIfNoEntry: false });
    if (st !== undefined && !st.isFile() && !st.isDirectory()) throw notRegular(what, file, st);
    throw e;
  }
  try {
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) throw new ValueError(`${what}: '${file}' is a folder. help: pass a file, or the folder of a tfjs model.json.`);
    if (!st.isFile()) throw notRegular(what, file, st);
    budget?.spend(st.size, `${what}: '${file}'`);
    const buf = Buffer.allocUnsafe(st.size);
    let at = 0;
    while (at < st.size) {
      const n = fs.readSync(fd, buf, at, st.size - at, at);
      if (n === 0) break;
      at += n;
    }
    if (at !== st.size) throw new FileFormatError(`${what}: '${file}' shrank from ${st.size} to ${at} bytes while it was read. help: read it again once nothing writes to it.`);
    return new Uint8Array(buf.buffer, buf.byteOffset, at);
  } finally {
    fs.closeSync(fd);
  }
}

/** The size of a regular file (a FIFO, socket or device is refused by its kind, without opening it). */
export function regularFileSize(file: string, what: string): number {
  const st = fs.statSync(file);
  if (!st.isFile()) throw notRegular(what, file, st);
  return st.size;
}

/** What lies at `file` (trailing separators ignored), or undefined when nothing does. */
export function statPath(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file.replace(/[\\/]+$/, '') || file, { throwIfNoEntry: false });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw e;
  }
}

function notRegular(what: string, file: string, st: fs.Stats): FileFormatError {
  const kind = st.isFIFO() ? 'named pipe (FIFO)' : st.isSocket() ? 'socket' : st.isCharacterDevice() || st.isBlockDevice() ? 'device' : 'special file';
  return new FileFormatError(`${what}: '${file}' is a ${kind}, not a regular file. help: keras-ts reads models only from regular files.`);
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

/** A zip archive of the given entries, stored uncompressed as Keras writes .keras files. */
export function writeZip(entries: Record<string, Uint8Array | string>): Uint8Array {
  const files = Object.fromEntries(
    Object.entries(entries).map(([name, data]) => [name, typeof data === 'string' ? new TextEncoder().encode(data) : data]),
  );
  return zipSync(files, { level: 0 });
}
