/**
 * Zip entries inflate the same in Node (zlib, inflate.ts) and in the browser build (fflate,
 * inflate.browser.ts, tested here in Node): the bytes, the CRC-32 (values from
 * test/reference/deflate_reference.py, Python's zlib), and the refusal of output past the bound.
 */
import * as zlib from 'zlib';
import * as node from '../../src/saving/io/inflate';
import * as browser from '../../src/saving/io/inflate.browser';

const bytes = (parts: Array<number[] | string>, times: number[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p, i) => Array.from({ length: times[i] }, () => (typeof p === 'string' ? [...Buffer.from(p)] : p)).flat(2)));
const range = Array.from({ length: 256 }, (_, i) => i);

// [data, deflate level, length, CRC-32] (deflate_reference.py's cases)
const CASES: Record<string, [Uint8Array, number, number, number]> = {
  text: [bytes([range, 'keras-ts '], [4, 100]), 9, 1924, 2780255954],
  stored: [bytes([range], [2]), 0, 512, 476132726],
  zeros: [new Uint8Array(100000), 9, 100000, 3557922173],
};

describe.each([
  ['zlib (Node)', node],
  ['fflate (browser build)', browser],
])('%s', (_name, impl) => {
  test.each(Object.keys(CASES))('%s: inflates to the original bytes, with the reference CRC-32', (c) => {
    const [data, level, length, crc] = CASES[c];
    const raw = new Uint8Array(zlib.deflateRawSync(data, { level }));
    const out = impl.inflateRaw(raw, length);
    expect(out.length).toBe(length);
    expect(Buffer.from(out).equals(Buffer.from(data))).toBe(true);
    expect(impl.crc32(out)).toBe(crc);
  });

  test.each(Object.keys(CASES))('%s: one byte more than allowed is refused as InflateLimitError', (c) => {
    const [data, level, length] = CASES[c];
    const raw = new Uint8Array(zlib.deflateRawSync(data, { level }));
    expect(() => impl.inflateRaw(raw, length - 1)).toThrow(impl.InflateLimitError);
  });

  test('a corrupt stream throws something other than InflateLimitError', () => {
    let thrown: unknown;
    try {
      impl.inflateRaw(Uint8Array.from([0xff, 0xff, 0xff, 0xff]), 100);
    } catch (e) {
      thrown = e;
    }
    expect(typeof (thrown as Error).message).toBe('string'); // zlib's errors come from Node's realm, not Jest's
    expect(thrown).not.toBeInstanceOf(impl.InflateLimitError);
  });
});
