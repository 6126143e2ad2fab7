/**
 * TFRecord framing, as TensorFlow writes event files: for each record,
 *   uint64 length (little-endian) | uint32 masked CRC-32C of those 8 bytes | data | uint32 masked CRC-32C of data.
 * A reader that meets a short or corrupt record stops there, so a file cut mid-record keeps every
 * earlier record readable.
 */
import * as CRC32C from 'crc-32/crc32c';

const MASK_DELTA = 0xa282ead8;

/** CRC-32C (Castagnoli) of `data`, as an unsigned 32-bit number. */
export function crc32c(data: Uint8Array): number {
  return CRC32C.buf(data, 0) >>> 0;
}

/** TensorFlow's masked CRC: rotate right by 15 bits and add a constant, so CRCs of CRCs stay useful. */
export function maskedCrc32c(data: Uint8Array): number {
  const crc = crc32c(data);
  return (((crc >>> 15) | (crc << 17)) + MASK_DELTA) >>> 0;
}

/** One record: header, data and footer in one buffer. */
export function frameRecord(data: Uint8Array): Uint8Array {
  const out = Buffer.alloc(8 + 4 + data.length + 4);
  out.writeBigUInt64LE(BigInt(data.length), 0);
  out.writeUInt32LE(maskedCrc32c(out.subarray(0, 8)), 8);
  out.set(data, 12);
  out.writeUInt32LE(maskedCrc32c(data), 12 + data.length);
  return out;
}
