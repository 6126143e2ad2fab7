/**
 * Preprocessing layers and Lambda. Expected values are worked by hand or are the examples in
 * Keras's own documentation of each layer (which they reproduce exactly).
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import type { LayerConfig } from '../../src/engine/layer';
import { expectClose, expectNoLeak } from '../helpers';

const L = k.layers;
const rows = (t: tfc.Tensor): unknown => t.arraySync();

beforeAll(async () => {
  await k.setBackend('wasm');
});

describe('Normalization', () => {
  test('adapt learns each feature\'s mean and variance (in one batch or several); invert undoes it', () => {
    const data = [[1, 2], [3, 6], [5, 10]];
    const n = new L.Normalization();
    n.adapt(data);
    // mean [3, 6], population variance [8/3, 32/3]
    expectClose(n.getWeights()[0], [3, 6], 1e-6);
    expectClose(n.getWeights()[1], [8 / 3, 32 / 3], 1e-5);
    expectClose(n.getWeights()[2], [3], 0);
    const y = n.apply(tfc.tensor2d(data));
    const s = [Math.sqrt(8 / 3), Math.sqrt(32 / 3)];
    expectClose(y, [-2 / s[0], -4 / s[1], 0, 0, 2 / s[0], 4 / s[1]], 1e-5);
    const batched = new L.Normalization();
    batched.adapt([tfc.tensor2d([[1, 2]]), tfc.tensor2d([[3, 6], [5, 10]])]);
    expectClose(batched.getWeights()[1], [8 / 3, 32 / 3], 1e-5);
    const inv = new L.Normalization({ invert: true });
    inv.adapt(data);
    expectClose(inv.apply(y), [1, 2, 3, 6, 5, 10], 1e-5);
  });

  test('given mean and variance, axis null, config round trip, errors', () => {
    const n = new L.Normalization({ mean: 2, variance: 4 });
    expectClose(n.apply(tfc.tensor2d([[2, 4], [0, 6]])), [0, 1, -1, 2], 1e-6);
    const all = new L.Normalization({ axis: null });
    all.adapt([[1, 3], [5, 7]]); // mean 4, variance 5
    expectClose(all.apply(tfc.tensor2d([[4, 9]])), [0, 5 / Math.sqrt(5)], 1e-5);
    const again = L.Normalization.fromConfig(n.getConfig());
    expect(again.getConfig()).toEqual(n.getConfig());
    expect(() => new L.Normalization({ mean: 1 })).toThrow(/give both `mean` and `variance`/);
    expect(() => new L.Normalization({ axis: 3 }).adapt([[1, 2]])).toThrow(/axis \[3\] must name known, non-batch axes/);
  });
});

test('Rescaling: x · scale + offset', () => {
  expectClose(new L.Rescaling({ scale: 1 / 127.5, offset: -1 }).apply(tfc.tensor1d([0, 127.5, 255])), [-1, 0, 1], 1e-6);
  expect(() => new L.Rescaling({ scale: NaN })).toThrow(/must be finite numbers/);
});

test('CategoryEncoding: Keras\'s documented examples', () => {
  const ids = tfc.tensor2d([[0, 1], [0, 0], [1, 2], [3, 1]], undefined, 'int32');
  expect(rows(new L.CategoryEncoding({ numTokens: 4, outputMode: 'multi_hot' }).apply(ids))).toEqual([[1, 1, 0, 0], [1, 0, 0, 0], [0, 1, 1, 0], [0, 1, 0, 1]]);
  expect(rows(new L.CategoryEncoding({ numTokens: 4, outputMode: 'count' }).apply(ids))).toEqual([[1, 1, 0, 0], [2, 0, 0, 0], [0, 1, 1, 0], [0, 1, 0, 1]]);
  expect(rows(new L.CategoryEncoding({ numTokens: 4, outputMode: 'one_hot' }).apply(tfc.tensor1d([3, 2, 0, 1], 'int32')))).toEqual([[0, 0, 0, 1], [0, 0, 1, 0], [1, 0, 0, 0], [0, 1, 0, 0]]);
  expect(() => new L.CategoryEncoding({ numTokens: 3 }).apply(ids)).toThrow(/the value 3, outside \[0, 3\).*help:/);
  expect(new L.CategoryEncoding({ numTokens: 4 }).computeOutputShape([null, 2])).toEqual([null, 4]);
});

describe('StringLookup and IntegerLookup (Keras\'s documented examples)', () => {
  const data = (): tfc.Tensor => tfc.tensor([['a', 'c', 'd'], ['d', 'z', 'b']]);

  test('a given vocabulary; unknown strings take the OOV index', () => {
    const lookup = new L.StringLookup({ vocabulary: ['a', 'b', 'c', 'd'] });
    expect(rows(lookup.apply(data()))).toEqual([[1, 3, 4], [4, 0, 2]]);
    expect(lookup.getVocabulary()).toEqual(['[UNK]', 'a', 'b', 'c', 'd']);
    expect(lookup.vocabularySize()).toBe(5);
  });

  test('adapt: the most frequent first, ties by token descending', () => {
    const lookup = new L.StringLookup();
    lookup.adapt(data());
    expect(lookup.getVocabulary()).toEqual(['[UNK]', 'd', 'z', 'c', 'b', 'a']);
    expect(rows(lookup.apply(data()))).toEqual([[5, 3, 1], [1, 2, 4]]);
    const ints = new L.IntegerLookup();
    ints.adapt(tfc.tensor2d([[12, 1138, 42], [42, 1000, 36]], undefined, 'int32'));
    expect(ints.getVocabulary()).toEqual([-1, 42, 1138, 1000, 36, 12]);
  });

  test('multi_hot, count, tf_idf, mask token, invert', () => {
    const vocab = ['a', 'b', 'c', 'd'];
    const more = tfc.tensor([['a', 'c', 'd', 'd'], ['d', 'z', 'b', 'z']]);
    expect(rows(new L.StringLookup({ vocabulary: vocab, outputMode: 'multi_hot' }).apply(more))).toEqual([[0, 1, 0, 1, 1], [1, 0, 1, 0, 1]]);
    expect(rows(new L.StringLookup({ vocabulary: vocab, outputMode: 'count' }).apply(more))).toEqual([[0, 1, 0, 1, 2], [2, 0, 1, 0, 1]]);
    // OOV's idf is the mean of the given weights (0.5): two unknown 'z' give 1.0.
    const tfidf = new L.StringLookup({ vocabulary: vocab, outputMode: 'tf_idf', idfWeights: [0.25, 0.75, 0.6, 0.4] });
    expectClose(tfidf.apply(more), [0, 0.25, 0, 0.6, 0.8, 1.0, 0, 0.75, 0, 0.4], 1e-6);
    expect(rows(new L.StringLookup({ vocabulary: vocab, maskToken: '[MASK]' }).apply(data()))).toEqual([[2, 4, 5], [5, 1, 3]]);
    const inverse = new L.StringLookup({ vocabulary: vocab, invert: true });
    expect(rows(inverse.apply(tfc.tensor2d([[1, 3, 4], [4, 0, 2]], undefined, 'int32')))).toEqual([['a', 'c', 'd'], ['d', '[UNK]', 'b']]);
    const ints = new L.IntegerLookup({ vocabulary: [12, 36, 1138, 42] });
    expect(rows(ints.apply(tfc.tensor2d([[12, 1138, 42], [42, 1000, 36]], undefined, 'int32')))).toEqual([[1, 3, 4], [4, 0, 2]]);
    expect(rows(new L.IntegerLookup({ vocabulary: [12, 36, 1138, 42], numOovIndices: 2 }).apply(tfc.tensor1d([1000, 1001, 36], 'int32')))).toEqual([0, 1, 3]);
  });

  test('adapt with tf_idf: idf = log(1 + documents / (1 + documents with the token))', () => {
    const lookup = new L.StringLookup({ outputMode: 'tf_idf' });
    lookup.adapt(tfc.tensor([['x', 'y'], ['x', 'x'], ['z', 'x']]));
    expect(lookup.getVocabulary()).toEqual(['[UNK]', 'x', 'z', 'y']);
    const idf = [Math.log(1 + 3 / 4), Math.log(1 + 3 / 2), Math.log(1 + 3 / 2)];
    expectClose(lookup.idfWeights as number[], [idf.reduce((a, b) => a + b) / 3, ...idf], 1e-6);
  });

  test('config round trip and errors', () => {
    const lookup = new L.StringLookup({ vocabulary: ['a', 'b'], maskToken: '', outputMode: 'int' });
    expect(L.StringLookup.fromConfig(lookup.getConfig()).getConfig()).toEqual(lookup.getConfig());
    expect(() => new L.StringLookup({ vocabulary: ['a', 'a'] })).toThrow(/holds 'a' twice/);
    expect(() => new L.StringLookup({ vocabulary: ['a'], numOovIndices: 0 }).apply(tfc.tensor(['b']))).toThrow(/'b' is not in the vocabulary and numOovIndices is 0/);
    expect(() => new L.StringLookup({ outputMode: 'tf_idf', vocabulary: ['a'] })).toThrow(/needs idfWeights/);
    expect(() => new L.StringLookup({ outputMode: 'one_hots' as 'one_hot' })).toThrow(/unknown `outputMode` 'one_hots'/);
  });
});

describe('TextVectorization', () => {
  test('standardizes, splits and looks up words; pads to outputSequenceLength with 0, unknown words are 1', () => {
    const tv = new L.TextVectorization({ outputSequenceLength: 5 });
    tv.adapt(['The cat sat.', 'The dog sat!', 'the cat, THE CAT']);
    // counts: the 4, cat 3, sat 2, dog 1
    expect(tv.getVocabulary()).toEqual(['', '[UNK]', 'the', 'cat', 'sat', 'dog']);
    expect(rows(tv.apply(['The bird sat', 'dog dog the cat sat sat']))).toEqual([[2, 1, 4, 0, 0], [5, 5, 2, 3, 4]]);
    expect(rows(tv.apply(tfc.tensor([['cat'], ['a b c d e f g']])))).toEqual([[3, 0, 0, 0, 0], [1, 1, 1, 1, 1]]);
  });

  test('ngrams, character split, custom standardize, multi_hot / count / tf_idf', () => {
    const bigrams = new L.TextVectorization({ ngrams: 2, standardize: null, outputMode: 'count' });
    bigrams.setVocabulary(['a', 'b', 'a b']);
    expect(bigrams.tokenize('a b a')).toEqual(['a', 'b', 'a', 'a b', 'b a']);
    expect(rows(bigrams.apply(['a b a']))).toEqual([[1, 2, 1, 1]]);
    const chars = new L.TextVectorization({ split: 'character', standardize: (s) => s.toUpperCase(), vocabulary: ['A', 'B'] });
    expect(rows(chars.apply(['abca']))).toEqual([[2, 3, 1, 2]]);
    const hot = new L.TextVectorization({ outputMode: 'multi_hot', vocabulary: ['x', 'y'] });
    expect(rows(hot.apply(['y y', 'q', '']))).toEqual([[0, 0, 1], [1, 0, 0], [0, 0, 0]]);
    const tfidf = new L.TextVectorization({ outputMode: 'tf_idf' });
    tfidf.adapt(['x y', 'x']);
    // idf(x) = log(1 + 2/3), idf(y) = log(1 + 2/2); OOV: their mean
    const ix = Math.log(1 + 2 / 3);
    const iy = Math.log(2);
    expectClose(tfidf.apply(['x x y']), [0, 2 * ix, iy], 1e-6);
  });

  test('config round trip and bad input', () => {
    const tv = new L.TextVectorization({ maxTokens: 10, outputSequenceLength: 3, vocabulary: ['a', 'b'] });
    expect(L.TextVectorization.fromConfig(tv.getConfig()).getConfig()).toEqual(tv.getConfig());
    expect(() => tv.apply(tfc.tensor2d([[1, 2]]))).toThrow(/expects strings, got a float32 tensor/);
    expect(() => new L.TextVectorization({ outputMode: 'count', outputSequenceLength: 4 })).toThrow(/with outputMode 'int' only/);
    expect(() => new L.TextVectorization({ split: 'words' as 'whitespace' })).toThrow(/unknown `split` "words"/);
  });
});

describe('Lambda', () => {
  test('wraps a function; infers the output shape; passes arguments', () => {
    const inputs = k.Input({ shape: [3] });
    const lambda = new L.Lambda({ function: (x, a) => tfc.mul(tfc.concat([x as tfc.Tensor, x as tfc.Tensor], -1), a.factor as number), arguments: { factor: 3 } });
    const y = lambda.apply(inputs);
    expect(y.shape).toEqual([null, 6]);
    const model = new k.Model({ inputs, outputs: y });
    expectClose(model.predict(tfc.tensor2d([[1, 2, 3]])) as tfc.Tensor, [3, 6, 9, 3, 6, 9], 0);
  });

  test('a registered function round-trips through the config; an unregistered one is refused', () => {
    k.layers.registerLambdaFunction('halve', (x) => tfc.div(x as tfc.Tensor, 2));
    const lambda = new L.Lambda({ function: 'halve' });
    const again = L.Lambda.fromConfig(lambda.getConfig());
    expectClose(again.apply(tfc.tensor1d([4, 6])), [2, 3], 0);
    const config = new L.Lambda({ function: (x) => x as tfc.Tensor }).getConfig();
    expect(config.function).toBeNull();
    expect(() => L.Lambda.fromConfig(config as LayerConfig)).toThrow(/wraps an unregistered function, which a config cannot hold.*help:/);
    expect(() => new L.Lambda({ function: 'nope' })).toThrow(/no function registered as 'nope'.*registered: halve/);
  });
});

test('no tensors leak from adapt and apply of the preprocessing layers and Lambda', async () => {
  const tv = new L.TextVectorization({ outputSequenceLength: 4 });
  const hot = new L.TextVectorization({ outputMode: 'tf_idf' });
  const lookup = new L.StringLookup({ outputMode: 'multi_hot' });
  const norm = new L.Normalization();
  const lambda = new L.Lambda({ function: (x) => tfc.mul(x as tfc.Tensor, 2) });
  const warm = (): void => {
    tv.adapt(['a b c', 'b c']);
    hot.adapt(['a b c', 'b c']);
    lookup.adapt([['x', 'y'], ['y', 'z']]);
    norm.adapt([[1, 2], [3, 4]]);
  };
  warm(); // builds the weights
  const input = tfc.tensor([['x', 'q'], ['z', 'y']]);
  const numbers = tfc.tensor2d([[1, 2]]);
  const ids = tfc.tensor1d([0, 2], 'int32');
  await expectNoLeak(() => {
    warm();
    tfc.dispose([tv.apply(['a c d']), hot.apply(['a a']), lookup.apply(input), norm.apply(numbers), lambda.apply(numbers)]);
    tfc.dispose([new L.CategoryEncoding({ numTokens: 3 }).apply(ids), new L.Rescaling({ scale: 2 }).apply(numbers)]);
  }, 0);
});
