/**
 * The browser's side of inflate.ts (scripts/build_browser.js swaps it in): fflate inflates into a
 * buffer of the allowed size plus one byte, so an entry that inflates past the bound is caught
 * without holding more; CRC-32 from crc-32.
 */
import { inflateSync } from 'fflate';
import { buf as crc32Signed } from 'crc-32';

/** Thrown when the entry inflates to more than the bytes allowed. */
export class InflateLimitError extends Error {
  override name = 'InflateLimitError';
}

/** The raw-deflate `raw`, inflated; throws InflateLimitError past `maxBytes` bytes of output. */
export function inflateRaw(raw: Uint8Array, maxBytes: number): Uint8Array {
  const out = new Uint8Array(maxBytes + 1); // fflate drops (or, for stored blocks, refuses) bytes past its end
  let data: Uint8Array;
  try {
    data = inflateSync(raw, { out });
  } catch (err) {
    if (err instanceof RangeError) throw new InflateLimitError(`more than ${maxBytes} bytes`);
    throw err;
  }
  if (data.length > maxBytes) throw new InflateLimitError(`more than ${maxBytes} bytes`);
  return data;
}

/** CRC-32 (zip's), unsigned. */
export function crc32(data: Uint8Array): number {
  return crc32Signed(data) >>> 0;
}
