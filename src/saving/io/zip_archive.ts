/**
 * Reading zip archives from strangers: the central directory is parsed and checked first (entry
 * names that leave the archive, duplicate names, encrypted or unknown compression methods, entries
 * whose bytes lie outside the file or overlap another entry's: all refused), and an entry's bytes
 * are inflated only when it is read, bounded by its declared size and by the caller's cap, then
 * checked against its CRC-32. An archive of entries nobody reads costs nothing to open.
 *
 * Why our own reader: fflate's unzipSync inflates every entry at once and trusts the declared sizes
 * and CRCs; inflate.ts inflates with an output limit and computes CRC-32 (Node's zlib; fflate in the
 * browser build), so the reader here is the directory parsing and the checks, about 150 lines.
 */
import { crc32, inflateRaw, InflateLimitError } from './inflate';
import { FileFormatError } from '../../engine/errors';

const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const EOCD64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** Deflate cannot expand more than about 1032:1; a claim beyond this ratio is a bomb or corrupt. */
const MAX_INFLATE_RATIO = 1100;

export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly crc: number;
  readonly compressedSize: number;
  readonly size: number;
  /** Offset of the entry's data (after its local header) in the archive. */
  readonly dataOffset: number;
}

export class ZipArchive {
  private constructor(
    private readonly bytes: Uint8Array,
    private readonly byName: Map<string, ZipEntry>,
    /** The archive's name, for messages. */
    readonly what: string,
  ) {}

  /** Parses and checks the archive's directory; nothing is inflated. */
  static open(bytes: Uint8Array, what: string): ZipArchive {
    if (!(bytes[0] === 0x50 && bytes[1] === 0x4b)) throw corrupt(what, 'not a zip archive', 'a .keras file is a zip archive written by model.save');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const { count, offset } = centralDirectory(view, what);
    const entries = new Map<string, ZipEntry>();
    let at = offset;
    for (let i = 0; i < count; i++) {
      const entry = readCentralEntry(view, bytes, at, what);
      if (entries.has(entry.name)) {
        throw corrupt(what, `the zip entry '${entry.name}' appears twice (Keras would take the last; keras-ts refuses the ambiguity)`, 'the file was edited or made to attack');
      }
      entries.set(entry.name, entry.entry);
      at = entry.next;
    }
    checkNoOverlap([...entries.values()], what);
    return new ZipArchive(bytes, entries, what);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** Whether the entry is stored uncompressed (reading it allocates nothing). */
  isStored(name: string): boolean {
    return this.byName.get(name)?.method === 0;
  }

  /** The entry's declared (inflated) size, known before anything is inflated. */
  sizeOf(name: string): number | undefined {
    return this.byName.get(name)?.size;
  }

  /**
   * The bytes of one entry, inflated only up to its declared size, which must not exceed `maxBytes`
   * (the caller's cap for this entry, named by `capName` in the refusal), CRC-32 checked.
   */
  read(name: string, maxBytes: number, capName: string): Uint8Array {
    const e = this.byName.get(name);
    if (e === undefined) throw corrupt(this.what, `the archive has no entry '${name}'`, 'pass a file written by model.save');
    const where = `${this.what}: the zip entry '${name}'`;
    if (e.size > maxBytes) {
      throw new FileFormatError(`${where} declares ${e.size} bytes, more than the ${maxBytes} allowed (${capName}). help: if the file is honest, raise ${capName}.`);
    }
    const raw = this.bytes.subarray(e.dataOffset, e.dataOffset + e.compressedSize);
    let data: Uint8Array;
    if (e.method === 0) {
      if (e.compressedSize !== e.size) throw corrupt(this.what, `the stored zip entry '${name}' has ${e.compressedSize} bytes but declares ${e.size}`, 'the file is corrupt');
      data = raw;
    } else {
      if (e.size > MAX_INFLATE_RATIO * Math.max(e.compressedSize, 1)) {
        throw corrupt(this.what, `the zip entry '${name}' claims to inflate ${e.compressedSize} bytes to ${e.size} (beyond deflate's limit)`, 'the file is corrupt or a zip bomb');
      }
      try {
        data = inflateRaw(raw, e.size);
      } catch (err) {
        if (err instanceof InflateLimitError) throw corrupt(this.what, `the zip entry '${name}' inflates to more than the ${e.size} bytes it declares`, 'the file is corrupt or a zip bomb');
        throw corrupt(this.what, `the zip entry '${name}' does not inflate (${(err as Error).message})`, 'the file is corrupt or truncated');
      }
      if (data.length !== e.size) throw corrupt(this.what, `the zip entry '${name}' inflates to ${data.length} bytes but declares ${e.size}`, 'the file is corrupt or truncated');
    }
    const crc = crc32(data);
    if (crc !== e.crc) {
      throw corrupt(this.what, `the zip entry '${name}' fails its CRC-32 check (${hex(crc)} computed, ${hex(e.crc)} recorded)`, 'the file was damaged in transfer or on disk; get a fresh copy');
    }
    return data;
  }
}

function corrupt(what: string, problem: string, fix: string): FileFormatError {
  return new FileFormatError(`${what}: ${problem}. help: ${fix}.`);
}

const hex = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;

function u64(view: DataView, at: number, what: string): number {
  const v = view.getBigUint64(at, true);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt(what, `a zip64 field holds ${v}`, 'the file is corrupt');
  return Number(v);
}

/** Where the central directory starts and how many entries it has (zip64 aware). */
function centralDirectory(view: DataView, what: string): { count: number; offset: number } {
  const n = view.byteLength;
  let eocd = -1;
  for (let at = n - 22; at >= Math.max(0, n - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) === EOCD) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw corrupt(what, 'no zip end-of-directory record (the archive is truncated or not a zip)', 'the file is corrupt or truncated');
  let count = view.getUint16(eocd + 10, true);
  let size = view.getUint32(eocd + 12, true);
  let offset = view.getUint32(eocd + 16, true);
  if (view.getUint16(eocd + 4, true) !== 0 || view.getUint16(eocd + 6, true) !== 0) throw corrupt(what, 'a multi-part (spanned) zip archive', 'join the parts into one file');
  if ((count === 0xffff || offset === 0xffffffff || size === 0xffffffff) && eocd >= 20 && view.getUint32(eocd - 20, true) === EOCD64_LOCATOR) {
    const at = u64(view, eocd - 20 + 8, what);
    if (at + 56 > n || view.getUint32(at, true) !== EOCD64) throw corrupt(what, 'a broken zip64 end-of-directory record', 'the file is corrupt');
    count = u64(view, at + 32, what);
    size = u64(view, at + 40, what);
    offset = u64(view, at + 48, what);
  }
  // Each central entry takes at least 46 bytes: a count the directory cannot hold is a lie.
  if (offset + size > n || count * 46 > size) throw corrupt(what, `the zip directory (${count} entries, ${size} bytes at ${offset}) does not fit in the file's ${n} bytes`, 'the file is corrupt or truncated');
  return { count, offset };
}

function readCentralEntry(view: DataView, bytes: Uint8Array, at: number, what: string): { name: string; entry: ZipEntry; next: number } {
  if (at + 46 > view.byteLength || view.getUint32(at, true) !== CENTRAL) throw corrupt(what, `a broken zip directory entry at byte ${at}`, 'the file is corrupt');
  const flags = view.getUint16(at + 8, true);
  const method = view.getUint16(at + 10, true);
  const crc = view.getUint32(at + 16, true);
  let compressedSize = view.getUint32(at + 20, true);
  let size = view.getUint32(at + 24, true);
  const nameLength = view.getUint16(at + 28, true);
  const extraLength = view.getUint16(at + 30, true);
  const commentLength = view.getUint16(at + 32, true);
  let localOffset = view.getUint32(at + 42, true);
  const next = at + 46 + nameLength + extraLength + commentLength;
  if (next > view.byteLength) throw corrupt(what, `a zip directory entry at byte ${at} runs past the end of the file`, 'the file is corrupt or truncated');
  const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
  const parts = name.split(/[\\/]/);
  if (parts.includes('..') || name.startsWith('/') || /^[a-zA-Z]:/.test(name) || name.includes('\0')) {
    throw corrupt(what, `refusing the zip entry '${name}', whose name leaves the archive`, 'the file is corrupt or was made to attack');
  }
  if (flags & 1) throw corrupt(what, `the zip entry '${name}' is encrypted`, 'keras-ts reads only unencrypted archives');
  if (method !== 0 && method !== 8) throw corrupt(what, `the zip entry '${name}' uses compression method ${method}`, 'keras-ts reads stored and deflated entries, as Keras writes them');
  // zip64 extra field: the sizes and offset that were 0xffffffff, in this order.
  for (let e = at + 46 + nameLength; e + 4 <= at + 46 + nameLength + extraLength; ) {
    const id = view.getUint16(e, true);
    const len = view.getUint16(e + 2, true);
    if (id === 0x0001) {
      let p = e + 4;
      if (size === 0xffffffff) (size = u64(view, p, what)), (p += 8);
      if (compressedSize === 0xffffffff) (compressedSize = u64(view, p, what)), (p += 8);
      if (localOffset === 0xffffffff) localOffset = u64(view, p, what);
    }
    e += 4 + len;
  }
  if (localOffset + 30 > view.byteLength || view.getUint32(localOffset, true) !== LOCAL) throw corrupt(what, `the zip entry '${name}' points at byte ${localOffset}, where no entry starts`, 'the file is corrupt');
  const dataOffset = localOffset + 30 + view.getUint16(localOffset + 26, true) + view.getUint16(localOffset + 28, true);
  if (dataOffset + compressedSize > view.byteLength) throw corrupt(what, `the zip entry '${name}' (${compressedSize} bytes at ${dataOffset}) runs past the end of the file (${view.byteLength} bytes)`, 'the file is truncated');
  return { name, entry: { name, method, crc, compressedSize, size, dataOffset }, next };
}

/** Entries whose bytes overlap (the trick of overlapping zip bombs) are refused. */
function checkNoOverlap(entries: ZipEntry[], what: string): void {
  const spans = entries.map((e) => ({ name: e.name, start: e.dataOffset, end: e.dataOffset + e.compressedSize })).sort((a, b) => a.start - b.start);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i].start < spans[i - 1].end) {
      throw corrupt(what, `the zip entries '${spans[i - 1].name}' and '${spans[i].name}' share bytes (an overlapping-entry zip bomb, or corruption)`, 'the file is corrupt or was made to attack');
    }
  }
}
