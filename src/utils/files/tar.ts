/**
 * A tar archive (plain or gzipped) read as a stream and written under a folder, safely: each entry's
 * path must stay inside the folder (no absolute path, no `..`, no path through a symbolic link that
 * leads out), a symbolic link must point inside the folder, a hard link must name a file already
 * extracted (it is copied), and devices and FIFOs are refused, as Python's tarfile 'data' filter
 * that Keras uses refuses them. A refused entry stops the extraction with an error naming it.
 * Reads ustar, GNU long names ('L', 'K') and pax headers ('x'; path, linkpath and size).
 */
import * as fs from 'fs';
import * as zlib from 'zlib';
import { FileFormatError } from '../../engine/errors';
import { ChunkReader } from './chunk_reader';
import { SafeFolder } from './safe_folder';

const BLOCK = 512;

interface Header {
  name: string;
  linkname: string;
  size: number;
  type: string;
  mode: number;
}

/** Whether `block` is a tar header (its checksum is right). */
export function isTarHeader(block: Uint8Array): boolean {
  if (block.length < BLOCK) return false;
  const stored = parseOctal(block.subarray(148, 156));
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : block[i];
  return stored === sum;
}

/** The stream of the file's bytes, gunzipped when it starts with gzip's magic bytes. */
export function tarStream(file: string, gzipped: boolean): AsyncIterable<Buffer> {
  const raw = fs.createReadStream(file);
  return gzipped ? raw.pipe(zlib.createGunzip()) : raw;
}

/** Extracts the tar at `file` into `folder` (see the module header). */
export async function extractTar(file: string, gzipped: boolean, folder: SafeFolder): Promise<void> {
  const what = folder.what;
  const reader = new ChunkReader(tarStream(file, gzipped));
  const truncated = (): FileFormatError => new FileFormatError(`${what}: the tar archive ${file} is truncated. help: delete it and download it again.`);
  let longName: string | null = null;
  let longLink: string | null = null;
  let pax: Record<string, string> = {};
  for (;;) {
    const block = await reader.exactly(BLOCK);
    if (block === null) return; // some writers omit the two zero blocks
    if (block.every((b) => b === 0)) return;
    if (!isTarHeader(block)) throw new FileFormatError(`${what}: ${file} has a damaged tar header. help: delete it and download it again.`);
    const h = parseHeader(block);
    if (pax.size !== undefined) h.size = Number(pax.size);
    const padded = Math.ceil(h.size / BLOCK) * BLOCK;
    if (h.type === 'L' || h.type === 'K' || h.type === 'x' || h.type === 'g') {
      const body = await reader.exactly(padded);
      if (body === null) throw truncated();
      const text = body.subarray(0, h.size).toString('utf8');
      if (h.type === 'L') longName = cString(text);
      else if (h.type === 'K') longLink = cString(text);
      else if (h.type === 'x') pax = parsePax(text);
      continue;
    }
    h.name = pax.path ?? longName ?? h.name;
    h.linkname = pax.linkpath ?? longLink ?? h.linkname;
    longName = longLink = null;
    pax = {};
    await writeEntry(h, reader, folder);
    if (padded > h.size && (await reader.exactly(padded - h.size)) === null) throw truncated();
  }
}

async function writeEntry(h: Header, reader: ChunkReader, folder: SafeFolder): Promise<void> {
  const what = folder.what;
  const truncated = (): FileFormatError => new FileFormatError(`${what}: the tar archive ends inside '${h.name}'. help: delete it and download it again.`);
  switch (h.type) {
    case '5':
      folder.mkdir(h.name);
      break;
    case '2':
      folder.symlink(h.name, h.linkname);
      break;
    case '1':
      folder.copyInside(h.linkname, h.name);
      break;
    case '3':
    case '4':
    case '6':
      throw new FileFormatError(`${what}: refusing the archive entry '${h.name}', a device or FIFO. help: the archive is corrupt or made to attack; do not extract it.`);
    default: {
      // '0', '\0', '7' and unknown types: a regular file (POSIX)
      const fd = folder.createFile(h.name, h.mode);
      try {
        if (!(await reader.forEach(h.size, (piece) => fs.writeSync(fd, piece)))) throw truncated();
      } finally {
        fs.closeSync(fd);
      }
      return;
    }
  }
  if (h.size > 0 && !(await reader.forEach(h.size, () => undefined))) throw truncated();
}

function parseHeader(block: Buffer): Header {
  const name = cString(block.subarray(0, 100).toString('utf8'));
  const ustar = block.subarray(257, 262).toString('latin1') === 'ustar';
  const prefix = ustar ? cString(block.subarray(345, 500).toString('utf8')) : '';
  return {
    name: prefix !== '' ? `${prefix}/${name}` : name,
    linkname: cString(block.subarray(157, 257).toString('utf8')),
    size: parseSize(block.subarray(124, 136)),
    type: String.fromCharCode(block[156] || 0x30),
    mode: parseOctal(block.subarray(100, 108)),
  };
}

/** A size field: octal text, or GNU's base-256 (high bit set) for sizes past 8 GiB. */
function parseSize(field: Uint8Array): number {
  if ((field[0] & 0x80) === 0) return parseOctal(field);
  let v = field[0] & 0x7f;
  for (let i = 1; i < field.length; i++) v = v * 256 + field[i];
  return v;
}

function parseOctal(field: Uint8Array): number {
  const text = Buffer.from(field).toString('latin1').replace(/\0.*$/s, '').trim();
  return text === '' ? 0 : parseInt(text, 8);
}

function cString(s: string): string {
  const end = s.indexOf('\0');
  return end < 0 ? s : s.slice(0, end);
}

/** pax records: `<length> <key>=<value>\n`. */
function parsePax(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^\d+ ([^=]+)=(.*)$/s.exec(line);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

