/**
 * Inflating one zip entry with a bound on its output, and its CRC-32: Node's zlib here (its
 * inflate stops at `maxOutputLength`); the browser build swaps in inflate.browser.ts (fflate).
 */
import * as zlib from 'zlib';

/** Thrown when the entry inflates to more than the bytes allowed. */
export class InflateLimitError extends Error {
  override name = 'InflateLimitError';
}

/** The raw-deflate `raw`, inflated; throws InflateLimitError past `maxBytes` bytes of output. */
export function inflateRaw(raw: Uint8Array, maxBytes: number): Uint8Array {
  try {
    const out = zlib.inflateRawSync(raw, { maxOutputLength: Math.max(maxBytes, 1) });
    return new Uint8Array(out.buffer, out.byteOffset, out.length); // a plain Uint8Array, not a Buffer
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new InflateLimitError(`more than ${maxBytes} bytes`);
    throw err;
  }
}

/** CRC-32 (zip's), unsigned. */
export function crc32(data: Uint8Array): number {
  return zlib.crc32(data) >>> 0;
}
