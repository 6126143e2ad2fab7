/** crc-32 ships CRC-32C as `crc-32/crc32c`, with the same API as its CRC-32 (typed for that one only). */
declare module 'crc-32/crc32c' {
  export * from 'crc-32';
}
