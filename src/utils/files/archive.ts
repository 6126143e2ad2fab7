/**
 * Keras's extract_archive: a tar (plain, gzipped) or zip archive written out as the folder `dest`,
 * trying the formats in `formats` order ('auto' is tar, then zip) and returning false when none
 * matches. The archive is extracted into a temporary folder beside `dest` and renamed to it only
 * when every entry passed the checks of SafeFolder, so a refused or broken archive leaves no folder
 * (and an earlier `dest` is replaced only by a complete one). A tar streams from the disk; a zip is
 * read whole (fflate, the reader of .keras files), and its symbolic links are written as plain files.
 * bzip2 and xz tars are refused with a help (Node has no decoder for them).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { FileFormatError } from '../../engine/errors';
import { ZipArchive } from '../../saving/io/zip_archive';
import { SafeFolder } from './safe_folder';
import { extractTar, isTarHeader } from './tar';

export type ArchiveFormat = 'auto' | 'tar' | 'zip';

/** Extracts `file` into the folder `dest`; false when it is none of `formats`. */
export interface ExtractRequest {
  /** The formats to try. */
  formats: ArchiveFormat | ArchiveFormat[] | null;
  /** The caller's name, for messages. */
  what: string;
}

export async function extractArchive(file: string, dest: string, { formats, what }: ExtractRequest): Promise<boolean> {
  if (formats === null) return false;
  const list = (Array.isArray(formats) ? formats : [formats]).flatMap((f) => (f === 'auto' ? (['tar', 'zip'] as const) : [f]));
  const head = readHead(file, 4096);
  for (const format of list) {
    if (format === 'tar') {
      const kind = tarKind(head, file, what);
      if (kind !== null) {
        await intoFolder(dest, what, (folder) => extractTar(file, kind === 'gzip', folder));
        return true;
      }
    } else if (format === 'zip') {
      if (head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5)) {
        await intoFolder(dest, what, async (folder) => extractZip(file, folder));
        return true;
      }
    } else {
      throw new FileFormatError(`${what}: unknown archiveFormat '${String(format)}'. help: pass 'auto', 'tar', 'zip', a list of them, or null.`);
    }
  }
  return false;
}

/** 'plain' or 'gzip' when `head` starts a tar archive, null when it does not. */
function tarKind(head: Buffer, file: string, what: string): 'plain' | 'gzip' | null {
  if (head[0] === 0x1f && head[1] === 0x8b) {
    let inner: Buffer;
    try {
      inner = zlib.gunzipSync(head, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    } catch {
      return null;
    }
    return isTarHeader(inner.subarray(0, 512)) ? 'gzip' : null;
  }
  if (head.subarray(0, 3).toString('latin1') === 'BZh' || head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) {
    throw new FileFormatError(`${what}: ${file} is a bzip2 or xz archive, which keras-ts cannot decompress. help: decompress it first (e.g. bunzip2, unxz) and pass the .tar.`);
  }
  return isTarHeader(head.subarray(0, 512)) ? 'plain' : null;
}

async function extractZip(file: string, folder: SafeFolder): Promise<void> {
  const zip = ZipArchive.open(new Uint8Array(fs.readFileSync(file)), folder.what);
  for (const name of zip.names()) {
    if (name.endsWith('/')) folder.mkdir(name);
    else folder.writeFile(name, zip.read(name, 2 ** 32, "a zip entry's 4 GiB limit")); // inflated one at a time, CRC-checked
  }
}

/** Runs `fill` on a fresh temporary folder beside `dest`, then puts it in place of `dest`. */
async function intoFolder(dest: string, what: string, fill: (folder: SafeFolder) => Promise<void>): Promise<void> {
  const parent = path.dirname(path.resolve(dest));
  fs.mkdirSync(parent, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(parent, `.${path.basename(dest)}.extracting-`));
  try {
    const folder = new SafeFolder(tmp, what);
    await fill(folder);
    folder.checkLinks();
    fs.rmSync(dest, { recursive: true, force: true });
    fs.renameSync(tmp, dest);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function readHead(file: string, n: number): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    const got = fs.readSync(fd, buf, 0, n, 0);
    return buf.subarray(0, got);
  } finally {
    fs.closeSync(fd);
  }
}
