import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import * as k from '../../src';

test('the embedded digits: 8,000 train and 2,000 test, 80/20 per digit, pixels in [0, 1]', () => {
  const { train, test: held } = k.data.loadMnist();
  expect(train.count + held.count).toBe(10000);
  expect(train.x.length).toBe(train.count * 784);
  const perDigit = (y: Uint8Array): number[] => Array.from({ length: 10 }, (_, d) => y.filter((v) => v === d).length);
  // the npm package's counts per digit: 1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978
  const totals = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];
  perDigit(train.y).forEach((n, d) => expect(n).toBe(Math.round(totals[d] * 0.8)));
  perDigit(held.y).forEach((n, d) => expect(n).toBe(totals[d] - Math.round(totals[d] * 0.8)));
  expect(Math.max(...train.x.subarray(0, 784 * 10))).toBeLessThanOrEqual(1);
  expect(Math.min(...train.x.subarray(0, 784 * 10))).toBeGreaterThanOrEqual(0);
  // deterministic, and shuffled (not sorted by digit)
  expect(k.data.loadMnist().train.y).toEqual(train.y);
  expect(new Set(train.y.subarray(0, 50)).size).toBeGreaterThan(5);
});

function idx(kind: 1 | 3, dims: number[], data: number[]): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt8(0x08, 2);
  header.writeUInt8(kind, 3);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(data)]);
}

test('reads IDX files from a directory, gzipped or not', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idx-'));
  const pixels = Array.from({ length: 2 * 784 }, (_, i) => i % 256);
  fs.writeFileSync(path.join(dir, 'train-images-idx3-ubyte.gz'), zlib.gzipSync(idx(3, [2, 28, 28], pixels)));
  fs.writeFileSync(path.join(dir, 'train-labels-idx1-ubyte'), idx(1, [2], [7, 3]));
  fs.writeFileSync(path.join(dir, 't10k-images-idx3-ubyte'), idx(3, [1, 28, 28], pixels.slice(0, 784)));
  fs.writeFileSync(path.join(dir, 't10k-labels-idx1-ubyte.gz'), zlib.gzipSync(idx(1, [1], [9])));
  const data = k.data.loadMnist({ dir });
  expect(data.train.count).toBe(2);
  expect(Array.from(data.train.y)).toEqual([7, 3]);
  expect(data.train.x[255]).toBeCloseTo(1, 6);
  expect(data.train.x[1]).toBeCloseTo(1 / 255, 6);
  expect(Array.from(data.test.y)).toEqual([9]);
  fs.rmSync(dir, { recursive: true });
});

test('a truncated or foreign file is refused with the reason', () => {
  expect(() => k.data.parseIdx(new Uint8Array([0x50, 0x4b, 3, 4]), 'x.zip')).toThrow(/x.zip: not an IDX file/);
  const truncated = idx(1, [5], [1, 2]);
  expect(() => k.data.parseIdx(new Uint8Array(truncated), 'labels')).toThrow(/header says 5 values .* holds 2/);
});

test('toCategorical', () => {
  const onehot = k.utils.toCategorical([2, 0], 3);
  expect(onehot.shape).toEqual([2, 3]);
  expect(onehot.arraySync()).toEqual([[0, 0, 1], [1, 0, 0]]);
  onehot.dispose();
  expect(() => k.utils.toCategorical([3], 3)).toThrow(/label 3 at index 0 is not an integer in \[0, 3\)/);
});
