/**
 * Discretization, Hashing and HashedCrossing against Keras's documented examples (worked by TF and
 * printed in Keras's docstrings), FarmHash fingerprints from Google's C++ (test/reference/
 * farmhash_fingerprints.cc), SipHash-2-4's published test vectors, and Keras's quantile summary
 * transcribed in NumPy (test/reference/layers5_references.py); configs, .keras/.h5, leaks, refusals.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { fingerprint64, sipHash24 } from '../../src/layers/preprocessing/hash/fingerprint';
import { expectClose, expectNoLeak, testBackend } from '../helpers';
import { expectModelRoundTrip, expectRoundTrip, seq } from './layers5_helpers';
import { LAYERS5_REFS } from './layers5_refs';

const L = k.layers;
const ints = (t: tfc.Tensor | tfc.Tensor[]): number[] => Array.from((t as tfc.Tensor).dataSync());
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

beforeAll(async () => {
  await k.setBackend(testBackend());
});

describe('the hashes', () => {
  test('Fingerprint64 equals Google FarmHash on every length branch (farmhash_fingerprints.cc)', () => {
    const big = Array.from({ length: 200 }, (_, i) => String.fromCharCode(97 + ((i * 7) % 26))).join('');
    const expected: Array<[string, string]> = [
      ['', '11160318154034397263'], ['A', '16915294056622060564'], ['Hello', '15404698994557526151'], ['keras-ts', '17271917815633135123'],
      ['seventeen bytes!!', '5799120529764292453'], ['a string of thirty-three bytes..!', '17733442875610383619'],
      ['this one is longer than sixty-four bytes, to run the main loop of the hash', '14860208401310019161'],
      ['12345', '16550883754376084728'], ['-7', '9381026191229130062'], [big, '15075557378531049012'],
    ];
    for (const [s, fp] of expected) expect([s.slice(0, 12), fingerprint64(utf8(s)).toString()]).toEqual([s.slice(0, 12), fp]);
  });

  test('SipHash-2-4 equals the published vectors (key 00..0f; messages of 0 and 15 bytes 00, 01, ...)', () => {
    const [k0, k1] = [0x0706050403020100n, 0x0f0e0d0c0b0a0908n];
    expect(sipHash24(k0, k1, new Uint8Array(0)).toString(16)).toBe('726fdb47dd0e0e31');
    expect(sipHash24(k0, k1, Uint8Array.from({ length: 15 }, (_, i) => i)).toString(16)).toBe('a129ca6149be45e5');
  });
});

describe('Hashing', () => {
  const letters = (...s: string[]): tfc.Tensor => tfc.tensor(s.map((v) => [v]));

  test.each([
    ['FarmHash64', {}, ['A', 'B', 'C', 'D', 'E'], [1, 0, 1, 1, 2]],
    ['FarmHash64 with a mask value', { maskValue: '' }, ['A', 'B', '', 'C', 'D'], [1, 1, 0, 2, 2]],
    ['SipHash64, salt [133, 137]', { salt: [133, 137] }, ['A', 'B', 'C', 'D', 'E'], [1, 2, 1, 0, 2]],
    ['SipHash64, salt 133 (= [133, 133])', { salt: 133 }, ['A', 'B', 'C', 'D', 'E'], [0, 0, 2, 1, 0]],
  ] as Array<[string, k.layers.HashingArgs, string[], number[]]>)('Keras\'s documented example, %s: numBins 3', (_name, options, input, bins) => {
    const x = letters(...input);
    const y = new L.Hashing(3, options).apply(x) as tfc.Tensor;
    expect(y.shape).toEqual([5, 1]);
    expect(y.dtype).toBe('int32');
    expect(ints(y)).toEqual(bins);
    tfc.dispose([x, y]);
  });

  test('integers hash as their decimal text, floats truncated first (as TF\'s as_string of int64); Fingerprint64 mod 7 from farmhash_fingerprints.cc', () => {
    // 12345 -> 16550883754376084728 mod 7 = 6, -7 -> 9381026191229130062 mod 7 = 2
    const x = tfc.tensor([12345, -7], [2], 'int32');
    expect(ints(new L.Hashing(7).apply(x))).toEqual([6, 2]);
    const f = tfc.tensor([12345.9, -7.2]);
    expect(ints(new L.Hashing(7).apply(f))).toEqual([6, 2]);
    tfc.dispose([x, f]);
  });

  test('one_hot, multi_hot and count output; symbolic shapes; no leaks', async () => {
    const x = letters('A', 'B', 'C', 'D', 'E');
    expect(ints(new L.Hashing(3, { outputMode: 'one_hot' }).apply(x))).toEqual([0, 1, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1]);
    const rows = tfc.tensor([['A', 'C', 'E'], ['B', 'B', 'D']]);
    expect(ints(new L.Hashing(3, { outputMode: 'multi_hot' }).apply(rows))).toEqual([0, 1, 1, 1, 1, 0]);
    expect(ints(new L.Hashing(3, { outputMode: 'count' }).apply(rows))).toEqual([0, 2, 1, 2, 1, 0]);
    expect(new L.Hashing(3, { outputMode: 'count' }).apply(k.Input({ shape: [4], dtype: 'string' })).shape).toEqual([null, 3]);
    expect(new L.Hashing(3).apply(k.Input({ shape: [4], dtype: 'string' })).shape).toEqual([null, 4]);
    const layer = new L.Hashing(3, { outputMode: 'count', salt: 5 });
    await expectNoLeak(() => tfc.dispose(layer.apply(rows)));
    tfc.dispose([x, rows]);
  });

  test('config, .keras/.h5 round trip and refusals', async () => {
    const layer = new L.Hashing(5, { salt: 7, maskValue: 'm', outputMode: 'one_hot' });
    expect(layer.getConfig()).toMatchObject({ numBins: 5, salt: [7, 7], maskValue: 'm', outputMode: 'one_hot', sparse: false });
    expect(new L.Hashing(layer.getConfig() as never).getConfig()).toEqual({ ...layer.getConfig(), name: expect.any(String) });
    const x = tfc.tensor([3, 17, 2024], [3], 'int32');
    await expectRoundTrip(() => new L.Hashing(11, { salt: [1, 2] }), [], x, 'int32');
    expect(() => new L.Hashing(0)).toThrow(/`numBins` must be a positive integer, got 0.*help:/);
    expect(() => new L.Hashing(3, { salt: [1, 2, 3] as never })).toThrow(/`salt` must be a non-negative integer or a pair of them.*help:/);
    expect(() => new L.Hashing(3, { sparse: true })).toThrow(/sparse.*help:/);
    x.dispose();
  });
});

describe('HashedCrossing', () => {
  test('Keras\'s documented examples: numBins 5, strings crossed with integers, int and one_hot', () => {
    const a = tfc.tensor(['A', 'B', 'A', 'B', 'A']);
    const b = tfc.tensor([101, 101, 101, 102, 102], [5], 'int32');
    expect(ints(new L.HashedCrossing(5).apply([a, b]))).toEqual([1, 4, 1, 1, 3]);
    const a2 = tfc.reshape(a, [5, 1]);
    const b2 = tfc.reshape(b, [5, 1]);
    const hot = new L.HashedCrossing(5, { outputMode: 'one_hot' }).apply([a2, b2]);
    expect(hot.shape).toEqual([5, 5]);
    expect(ints(hot)).toEqual([0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0]);
    tfc.dispose([a, b, a2, b2, hot]);
  });

  test('three features, symbolic shape, .keras/.h5, leaks and refusals', async () => {
    const [a, b, c] = [tfc.tensor(['x', 'y']), tfc.tensor([1, 2], [2], 'int32'), tfc.tensor(['p', 'q'])];
    const layer = new L.HashedCrossing(100);
    const y = layer.apply([a, b, c]);
    expect(ints(y).every((v) => v >= 0 && v < 100)).toBe(true);
    await expectNoLeak(() => tfc.dispose(layer.apply([a, b, c])));
    const i1 = k.Input({ shape: [], dtype: 'string' });
    const i2 = k.Input({ shape: [], dtype: 'int32' });
    expect(new L.HashedCrossing(4).apply([i1, i2]).shape).toEqual([null]);
    expect(() => new L.HashedCrossing(4).apply([a])).toThrow(/two or more features.*help:/);
    expect(() => new L.HashedCrossing(4).apply([tfc.zeros([2, 2]), tfc.zeros([2, 2])])).toThrow(/\(batch, 1\).*help:/);
    expect(() => new L.HashedCrossing(4).apply([tfc.tensor([0.5, 1]), tfc.zeros([2])])).toThrow(/float32 values with fractions.*help:/);
    expect(new L.HashedCrossing(9, { outputMode: 'one_hot' }).getConfig()).toMatchObject({ numBins: 9, outputMode: 'one_hot', sparse: false });
    const ids = tfc.tensor([[1], [2], [3]], [3, 1], 'int32');
    const xi = k.Input({ shape: [1], dtype: 'int32' });
    await expectModelRoundTrip(new k.Model({ inputs: xi, outputs: new L.HashedCrossing(7).apply([xi, xi]) }), ids);
    tfc.dispose([a, b, c, y, ids]);
  });
});

describe('Discretization', () => {
  const input = (): tfc.Tensor => tfc.tensor([[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.3, 0.0]]);

  test('Keras\'s documented examples: given boundaries, and adapt with numBins 4', () => {
    const x = input();
    expect(ints(new L.Discretization({ binBoundaries: [0, 1, 2] }).apply(x))).toEqual([0, 2, 3, 1, 1, 3, 2, 1]);
    const layer = new L.Discretization({ numBins: 4, epsilon: 0.01 });
    layer.adapt(x);
    expect(ints(layer.apply(x))).toEqual([0, 2, 3, 2, 1, 3, 3, 1]);
    x.dispose();
  });

  test.each([
    ['Discretization adapt 3 batches, 5 bins, epsilon 0.05', 5, 0.05, true],
    ['Discretization adapt one batch, 4 bins, epsilon 0.01', 4, 0.01, false],
  ] as Array<[string, number, number, boolean]>)('%s: the boundaries of Keras\'s quantile summary (NumPy)', (name, numBins, epsilon, batched) => {
    const data = seq([3, 40], 0.3, 10);
    const layer = new L.Discretization({ numBins, epsilon });
    layer.adapt(batched ? tfc.unstack(data) : tfc.reshape(data, [120]));
    expectClose(layer.binBoundaries as number[], LAYERS5_REFS[name].values, 1e-5);
    data.dispose();
  });

  test('one_hot, multi_hot and count; symbolic shapes; no leaks', async () => {
    const x = input();
    const layer = new L.Discretization({ binBoundaries: [0, 1, 2], outputMode: 'count' });
    expect(ints(layer.apply(x))).toEqual([1, 1, 1, 1, 0, 2, 1, 1]);
    expect(ints(new L.Discretization({ binBoundaries: [0, 1, 2], outputMode: 'multi_hot' }).apply(x))).toEqual([1, 1, 1, 1, 0, 1, 1, 1]);
    const oneHot = new L.Discretization({ binBoundaries: [1], outputMode: 'one_hot' }).apply(tfc.tensor([0.5, 1.5]));
    expect(ints(oneHot)).toEqual([1, 0, 0, 1]);
    expect(layer.apply(k.Input({ shape: [4] })).shape).toEqual([null, 4]);
    expect(new L.Discretization({ binBoundaries: [0, 1, 2] }).apply(k.Input({ shape: [4] })).shape).toEqual([null, 4]);
    await expectNoLeak(() => tfc.dispose(layer.apply(x)));
    const adapted = new L.Discretization({ numBins: 3 });
    await expectNoLeak(() => adapted.adapt(x));
    tfc.dispose([x, oneHot]);
  });

  test('an adapted layer\'s config holds numBins and the boundaries and rebuilds it; .keras/.h5; refusals', async () => {
    const x = input();
    const layer = new L.Discretization({ numBins: 3 });
    layer.adapt(x);
    const config = layer.getConfig();
    expect(config).toMatchObject({ numBins: 3, binBoundaries: layer.binBoundaries, epsilon: 0.01, outputMode: 'int' });
    const rebuilt = L.Discretization.fromConfig(config);
    expect(ints(rebuilt.apply(x))).toEqual(ints(layer.apply(x)));
    await expectRoundTrip(() => new L.Discretization({ binBoundaries: [-1, 0.2, 2.5], outputMode: 'one_hot' }), [4], x);
    expect(() => new L.Discretization()).toThrow(/give `binBoundaries` or `numBins`.*help:/);
    expect(() => new L.Discretization({ binBoundaries: [1], numBins: 2 })).toThrow(/not both.*help:/);
    expect(() => new L.Discretization({ binBoundaries: [2, 1] })).toThrow(/sorted list.*help:/);
    expect(() => new L.Discretization({ numBins: 3 }).apply(x)).toThrow(/no bin boundaries yet.*help: call adapt/);
    expect(() => new L.Discretization({ binBoundaries: [1] }).adapt(x)).toThrow(/help: create it with \{numBins\}/);
    x.dispose();
  });
});
