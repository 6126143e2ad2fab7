/**
 * k.utils.padSequences against Keras's docstring examples (worked by hand) and NumPy's int32 cast;
 * k.utils.normalize against NumPy (test/reference/utils_references.py prints the numbers);
 * packXYSampleWeight / unpackXYSampleWeight as Keras's tuples; isKerasTensor and getSourceInputs on
 * a small functional graph; leak counts.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectNoLeak } from '../helpers';

beforeAll(async () => {
  await k.setBackend('cpu');
});

function take(t: tfc.Tensor): unknown {
  const v = t.arraySync();
  t.dispose();
  return v;
}

describe('padSequences (Keras docstring: sequence = [[1], [2, 3], [4, 5, 6]])', () => {
  const seqs = [[1], [2, 3], [4, 5, 6]];
  test('defaults: pre-padding with 0, int32, to the longest length', () => {
    const t = k.utils.padSequences(seqs);
    expect(t.dtype).toBe('int32');
    expect(take(t)).toEqual([[0, 0, 1], [0, 2, 3], [4, 5, 6]]);
  });
  test('value -1, padding post, maxlen 2 (pre-truncating)', () => {
    expect(take(k.utils.padSequences(seqs, { value: -1 }))).toEqual([[-1, -1, 1], [-1, 2, 3], [4, 5, 6]]);
    expect(take(k.utils.padSequences(seqs, { padding: 'post' }))).toEqual([[1, 0, 0], [2, 3, 0], [4, 5, 6]]);
    expect(take(k.utils.padSequences(seqs, { maxlen: 2 }))).toEqual([[0, 1], [2, 3], [5, 6]]);
  });
  test('truncating post, longer maxlen, an empty sequence, float32', () => {
    expect(take(k.utils.padSequences(seqs, { maxlen: 2, truncating: 'post' }))).toEqual([[0, 1], [2, 3], [4, 5]]);
    expect(take(k.utils.padSequences([[], [7]], { maxlen: 3, padding: 'post' }))).toEqual([[0, 0, 0], [7, 0, 0]]);
    expect(take(k.utils.padSequences([[0.5], [1.25, 2]], { dtype: 'float32', value: 0.5 }))).toEqual([[0.5, 0.5], [1.25, 2]]);
  });
  test("int32 casts as NumPy (toward zero): [[-1, 1, -2], [3, 4, 5]] from utils_references.py", () => {
    const t = k.utils.padSequences([[1.7, -2.7], [3.2, 4.9, 5.1, 6.0]], { maxlen: 3, truncating: 'post', value: -1.5 });
    expect(take(t)).toEqual([[-1, 1, -2], [3, 4, 5]]);
  });
  test('bad options are refused with a help', () => {
    expect(() => k.utils.padSequences(seqs, { padding: 'middle' as 'pre' })).toThrow(/padding must be 'pre' or 'post'.*help:/);
    expect(() => k.utils.padSequences([[1], 2 as unknown as number[]])).toThrow(/sequence 1 is 2, not a sequence/);
    expect(() => k.utils.padSequences(seqs, { maxlen: -1 })).toThrow(/maxlen must be a non-negative integer/);
  });
});

describe('normalize (NumPy references from test/reference/utils_references.py)', () => {
  const x = [[3, -4, 0], [1, 2, 2], [0, 0, 0]];
  const cases: Array<[number, number, number[][]]> = [
    [2, -1, [[0.6, -0.8, 0], [0.333333, 0.666667, 0.666667], [0, 0, 0]]],
    [2, 0, [[0.948683, -0.894427, 0], [0.316228, 0.447214, 1], [0, 0, 0]]],
    [1, -1, [[0.428571, -0.571429, 0], [0.2, 0.4, 0.4], [0, 0, 0]]],
    [1, 0, [[0.75, -0.666667, 0], [0.25, 0.333333, 1], [0, 0, 0]]],
    [Infinity, -1, [[0.75, -1, 0], [0.5, 1, 1], [0, 0, 0]]],
    [Infinity, 0, [[1, -1, 0], [0.333333, 0.5, 1], [0, 0, 0]]],
  ];
  test.each(cases)('order %p, axis %p', (order, axis, expected) => {
    const got = take(k.utils.normalize(x, { order, axis })) as number[][];
    got.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(expected[i][j], 5)));
  });
  test('a tensor in, the default L2 over the last axis; bad axis and order refused', () => {
    const t = tfc.tensor1d([3, 4]);
    expect(Array.from(take(k.utils.normalize(t)) as number[])).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)]);
    expect(() => k.utils.normalize(t, { axis: 1 })).toThrow(/axis 1 is out of range.*help:/);
    expect(() => k.utils.normalize(t, { order: 0 })).toThrow(/order must be a positive/);
    t.dispose();
  });
});

describe('packXYSampleWeight / unpackXYSampleWeight (Keras tuples as arrays)', () => {
  test('pack', () => {
    expect(k.utils.packXYSampleWeight('x')).toBe('x');
    expect(k.utils.packXYSampleWeight(['x1', 'x2'])).toEqual([['x1', 'x2']]);
    expect(k.utils.packXYSampleWeight('x', 'y')).toEqual(['x', 'y']);
    expect(k.utils.packXYSampleWeight('x', 'y', 'w')).toEqual(['x', 'y', 'w']);
  });
  test('unpack, and unpack(pack(...)) gives the parts back', () => {
    expect(k.utils.unpackXYSampleWeight('x')).toEqual(['x', undefined, undefined]);
    expect(k.utils.unpackXYSampleWeight(['x'])).toEqual(['x', undefined, undefined]);
    expect(k.utils.unpackXYSampleWeight(['x', 'y'])).toEqual(['x', 'y', undefined]);
    expect(k.utils.unpackXYSampleWeight(['x', 'y', 'w'])).toEqual(['x', 'y', 'w']);
    expect(k.utils.unpackXYSampleWeight(k.utils.packXYSampleWeight(['x1', 'x2']))).toEqual([['x1', 'x2'], undefined, undefined]);
    expect(() => k.utils.unpackXYSampleWeight([1, 2, 3, 4])).toThrow(/array of 4 items.*help:/);
  });
});

describe('isKerasTensor / getSourceInputs', () => {
  test('the inputs a functional output comes from, each once, and only those', () => {
    const a = k.Input({ shape: [2], name: 'a' });
    const b = k.Input({ shape: [2], name: 'b' });
    const unused = k.Input({ shape: [2], name: 'unused' });
    const shared = new k.layers.Dense({ units: 2 });
    const sum = new k.layers.Add().apply([shared.apply(a), shared.apply(b), shared.apply(a)]);
    const out = new k.layers.Dense({ units: 1 }).apply(sum);
    expect(k.utils.getSourceInputs(out)).toEqual([a, b]);
    expect(k.utils.getSourceInputs(a)).toEqual([a]);
    expect(k.utils.getSourceInputs(unused)).toEqual([unused]);
    expect(k.utils.isKerasTensor(out)).toBe(true);
    const eager = tfc.ones([1]);
    expect(k.utils.isKerasTensor(eager)).toBe(false);
    expect(k.utils.isKerasTensor([a])).toBe(false);
    expect(() => k.utils.getSourceInputs(eager as never)).toThrow(/expected a symbolic tensor.*help:/);
    eager.dispose();
  });
});

test('padSequences and normalize leave no tensor behind', async () => {
  const t = tfc.tensor2d([[1, 2], [3, 4]]);
  await expectNoLeak(() => {
    tfc.dispose([k.utils.padSequences([[1], [2, 3]]), k.utils.normalize(t), k.utils.normalize([[1, 0]], { order: 1 })]);
  });
  t.dispose();
});
