/**
 * FeatureSpace's hashed, discretized and crossed features: Keras's documented Hashing and
 * Discretization examples, FarmHash bins from Google's C++ (as the layers' own tests), and cross
 * bins worked from TensorFlow's C++ in plain Python (test/reference/feature_space_references.py).
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectNoLeak, testBackend } from '../helpers';

const FS = k.utils.FeatureSpace;
const ints = (t: tfc.Tensor): number[] => Array.from(t.dataSync());
const argmaxRows = (t: tfc.Tensor): number[] => tfc.tidy(() => ints(tfc.argMax(t, -1)));

beforeAll(async () => {
  await k.setBackend(testBackend());
});

describe('FeatureSpace hashed and discretized features', () => {
  test("stringHashed(3): Keras's Hashing example A..E -> [1, 0, 1, 1, 2]; integerHashed(7): 12345, -7 -> [6, 2] (farmhash_fingerprints.cc)", () => {
    const fs = new FS({ features: { s: FS.stringHashed(3), i: FS.integerHashed(7, { outputMode: 'int' }) }, outputMode: 'dict' });
    const out = fs.call({ s: ['A', 'B', 'C', 'D', 'E'], i: [12345, -7, 12345, 12345, -7] }) as Record<string, tfc.Tensor>;
    expect(out.s.shape).toEqual([5, 3]);
    expect(ints(out.s)).toEqual([0, 1, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1]);
    expect(out.i.shape).toEqual([5, 1]);
    expect(ints(out.i)).toEqual([6, 2, 6, 6, 2]);
    tfc.dispose(Object.values(out));
    fs.dispose();
  });

  test("floatDiscretized: Keras's Discretization examples (fixed boundaries [0, 1, 2]; adapted, 4 bins), concatenated after sorting", () => {
    const column = [-1.5, 1.0, 3.4, 0.5, 0.0, 3.0, 1.3, 0.0];
    const fs = new FS({ features: { b: FS.floatDiscretized(4), a: FS.floatDiscretized(4, { binBoundaries: [0, 1, 2] }) } });
    expect(() => fs.call({ a: column, b: column })).toThrow(/features b must be adapted first.*help:/);
    fs.adapt({ a: column, b: column });
    const out = fs.call({ a: column, b: column }) as tfc.Tensor;
    expect(out.shape).toEqual([8, 8]);
    expect(argmaxRows(tfc.slice(out, [0, 0], [8, 4]))).toEqual([0, 2, 3, 1, 1, 3, 2, 1]);
    expect(argmaxRows(tfc.slice(out, [0, 4], [8, 4]))).toEqual([0, 2, 3, 2, 1, 3, 3, 1]);
    expect(ints(tfc.sum(out, -1))).toEqual(Array(8).fill(2));
    out.dispose();
    fs.dispose();
  });

  test('presets take hashingDim and numDiscretizationBins; nothing to adapt needs no adapt', () => {
    const fs = new FS({ features: { h: 'string_hashed', d: 'float_discretized' }, hashingDim: 3, numDiscretizationBins: 2 });
    expect(fs.features.h).toMatchObject({ kind: 'string_hashed', numBins: 3, outputMode: 'one_hot' });
    expect(fs.features.d).toMatchObject({ kind: 'float_discretized', numBins: 2, binBoundaries: null });
    const hashed = new FS({ features: { h: 'string_hashed' }, hashingDim: 3 });
    const out = hashed.call({ h: ['A', 'B'] }) as tfc.Tensor;
    expect(ints(out)).toEqual([0, 1, 0, 1, 0, 0]);
    out.dispose();
    hashed.dispose();
    fs.dispose();
  });
});

describe('FeatureSpace crosses', () => {
  const train = { a: [5, 5, 5, 6, 6, 8], b: [1, 2, 2, 3, 3, 3] };
  const query = { a: [5, 6, 8, 9], b: [1, 3, 3, 4] };

  test('cross of two integer_categorical features: HashedCrossing of their indices (Python from TF C++: [1, 1, 3, 4] mod 5, [3, 4, 4, 8] mod 16)', () => {
    const spec = { a: FS.integerCategorical({ outputMode: 'int' }), b: FS.integerCategorical({ outputMode: 'int' }) };
    const fs = new FS({ features: spec, crosses: [FS.cross(['a', 'b'], 5, { outputMode: 'int' })], outputMode: 'dict' });
    fs.adapt(train);
    const out = fs.call(query) as Record<string, tfc.Tensor>;
    expect(Object.keys(out)).toEqual(['a', 'b', 'a_X_b']);
    expect(ints(out.a)).toEqual([1, 2, 3, 0]);
    expect(ints(out.b)).toEqual([3, 1, 1, 0]);
    expect(ints(out.a_X_b)).toEqual([1, 1, 3, 4]);
    tfc.dispose(Object.values(out));
    fs.dispose();
  });

  test("crosses as name lists take crossingDim, one-hot after the features in 'concat'", () => {
    const fs = new FS({ features: { b: 'integer_categorical', a: 'integer_categorical' }, crosses: [['a', 'b']], crossingDim: 16 });
    expect(fs.crosses).toEqual([{ featureNames: ['a', 'b'], crossingDim: 16, outputMode: 'one_hot' }]);
    fs.adapt(train);
    const out = fs.call(query) as tfc.Tensor;
    expect(out.shape).toEqual([4, 4 + 4 + 16]);
    expect(argmaxRows(tfc.slice(out, [0, 0], [4, 4]))).toEqual([1, 2, 3, 0]);
    expect(argmaxRows(tfc.slice(out, [0, 4], [4, 4]))).toEqual([3, 1, 1, 0]);
    expect(argmaxRows(tfc.slice(out, [0, 8], [4, 16]))).toEqual([3, 4, 4, 8]);
    expect(ints(tfc.sum(out, -1))).toEqual([3, 3, 3, 3]);
    out.dispose();
    fs.dispose();
  });

  test('refusals name the value and the fix', () => {
    expect(() => new FS({ features: { a: 'integer_categorical' }, crosses: [['a', 'z']] })).toThrow(/names features not in `features`: z.*help:/);
    expect(() => new FS({ features: { a: 'integer_categorical' }, crosses: [['a']] })).toThrow(/two or more features.*help:/);
    expect(() => new FS({ features: { a: 'integer_categorical', f: 'float' }, crosses: [['a', 'f']] })).toThrow(/float features \(f\).*help:/);
    expect(() => new FS({ features: { a: 'integer_categorical', b: 'string_hashed' }, crosses: [FS.cross(['a', 'b'], 4, { outputMode: 'int' })] })).toThrow(/'a_X_b' has outputMode 'int'.*help:/);
    expect(() => FS.cross(['a', 'b'], 0)).toThrow(/`crossingDim` must be a positive integer, got 0.*help:/);
    expect(() => FS.stringHashed(2.5)).toThrow(/`numBins` must be a positive integer, got 2.5.*help:/);
    expect(() => FS.floatDiscretized(3, { binBoundaries: [0, 1, 2] })).toThrow(/3 binBoundaries make 4 bins, but numBins is 3.*help: pass numBins 4/);
    expect(() => FS.integerHashed(4, { outputMode: 'multi_hot' as 'int' })).toThrow(/must be 'one_hot' or 'int', got "multi_hot".*help:/);
  });

  test('adapt and call leak no tensors', async () => {
    const fs = new FS({ features: { a: 'integer_categorical', b: 'integer_categorical', h: FS.stringHashed(4), d: FS.floatDiscretized(3) }, crosses: [['a', 'b']] });
    const data = { ...train, h: ['x', 'y', 'z', 'x', 'y', 'z'], d: [0, 1, 2, 3, 4, 5] };
    await expectNoLeak(() => fs.adapt(data));
    await expectNoLeak(() => (fs.call(data) as tfc.Tensor).dispose());
    fs.dispose();
  });
});
