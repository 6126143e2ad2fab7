/**
 * Hand-made zip archives for the hostile-file test: each entry's bytes, declared sizes, CRC,
 * method and flags can lie, and central entries can point at another entry's data (overlapping
 * entries, the trick of non-recursive zip bombs). Written from the zip specification (APPNOTE.TXT).
 */
import * as zlib from 'zlib';

export interface CraftEntry {
  name: string;
  /** The bytes stored in the archive (already deflated when method is 8). */
  stored: Uint8Array;
  method?: 0 | 8 | number;
  /** The inflated size the headers declare (default: stored.length for method 0). */
  size?: number;
  /** The CRC-32 the headers declare (default: the true CRC of `plain`, or of `stored` when method 0). */
  crc?: number;
  /** The plain bytes, for the default CRC of a deflated entry. */
  plain?: Uint8Array;
  flags?: number;
  /** Point this central entry at the local header of entry number `shareWith` instead of its own. */
  shareWith?: number;
}

/** A stored (uncompressed) entry. */
export function stored(name: string, data: Uint8Array | string): CraftEntry {
  const bytes = typeof data === 'string' ? new Uint8Array(Buffer.from(data)) : data;
  return { name, stored: bytes, method: 0 };
}

/** A deflated entry with true sizes and CRC. */
export function deflated(name: string, data: Uint8Array): CraftEntry {
  return { name, stored: zlib.deflateRawSync(data), method: 8, size: data.length, plain: data };
}

/** Raw deflate of `mib` MiB of zeros, made in 1 MiB steps (a few hundred KB of output). */
export async function deflatedZeros(mib: number): Promise<Uint8Array> {
  const d = zlib.createDeflateRaw({ level: 9 });
  const chunks: Buffer[] = [];
  d.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    d.on('end', resolve);
    d.on('error', reject);
  });
  const zeros = Buffer.alloc(1 << 20);
  for (let i = 0; i < mib; i++) if (!d.write(zeros)) await new Promise((r) => d.once('drain', r));
  d.end();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}

export function craftZip(entries: CraftEntry[]): Uint8Array {
  const parts: Buffer[] = [];
  const offsets: number[] = [];
  let at = 0;
  const headers = entries.map((e) => {
    const method = e.method ?? 0;
    const size = e.size ?? e.stored.length;
    const crc = e.crc ?? zlib.crc32(method === 0 ? e.stored : (e.plain ?? new Uint8Array(0))) >>> 0;
    return { e, method, size, crc, name: Buffer.from(e.name, 'utf8') };
  });
  for (const h of headers) {
    offsets.push(at);
    if (h.e.shareWith !== undefined) continue;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(h.e.flags ?? 0, 6);
    local.writeUInt16LE(h.method, 8);
    local.writeUInt32LE(h.crc, 14);
    local.writeUInt32LE(h.e.stored.length, 18);
    local.writeUInt32LE(h.size >>> 0, 22);
    local.writeUInt16LE(h.name.length, 26);
    parts.push(local, h.name, Buffer.from(h.e.stored));
    at += 30 + h.name.length + h.e.stored.length;
  }
  const cdStart = at;
  for (const [i, h] of headers.entries()) {
    const target = h.e.shareWith ?? i;
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(h.e.flags ?? 0, 8);
    central.writeUInt16LE(h.method, 10);
    central.writeUInt32LE(h.crc, 16);
    central.writeUInt32LE(headers[target].e.stored.length, 20);
    central.writeUInt32LE(h.size >>> 0, 24);
    central.writeUInt16LE(h.name.length, 28);
    central.writeUInt32LE(offsets[target], 42);
    parts.push(central, h.name);
    at += 46 + h.name.length;
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(at - cdStart, 12);
  end.writeUInt32LE(cdStart, 16);
  parts.push(end);
  return new Uint8Array(Buffer.concat(parts));
}
