/**
 * What a user's data gets wrong in the first hour, refused before training with the fix; the model
 * trains afterwards on good data.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectNoLeak } from '../helpers';

beforeAll(async () => {
  await k.setBackend('cpu');
});

function classifier(loss: string): k.Sequential {
  const model = new k.Sequential([new k.layers.Dense({ units: 3, activation: 'softmax', inputShape: [2] })]);
  model.compile({ optimizer: new k.optimizers.SGD({ learningRate: 0.1 }), loss: loss as never, metrics: ['accuracy'] });
  return model;
}

const X = [[1, 2], [3, 4], [5, 6]];

async function trainsAfterwards(model: k.Sequential, y: number[] | number[][]): Promise<void> {
  const history = await model.fit(X, y, { epochs: 2, verbose: 0 });
  expect(history.history.loss).toHaveLength(2);
  expect(history.history.loss.every(Number.isFinite)).toBe(true);
}

test.each([
  ['strings in x', [['1', '2'], ['3', '4'], ['5', '6']], [0, 1, 2], /fit: x holds strings \(the first is "1" at x\[0\]\[0\]\), not numbers\. help: convert the values to numbers first/],
  ['number strings in y', X, ['0', '1', '2'], /fit: y holds strings \(the first is "0" at y\[0\]\), not numbers\. help: convert the labels to numbers first, e\.g\. y\.map\(Number\)/],
  ['class names in y', X, ['cat', 'dog', 'cat'], /fit: y holds strings \(the first is "cat" at y\[0\]\).*help: labels must be numbers: map each class name to an index/],
  ['NaN in x', [[1, 2], [3, NaN], [5, 6]], [0, 1, 2], /fit: x contains NaN at x\[1\]\[1\] \(sample 1\).*help: remove those samples or replace the missing values/],
  ['Infinity in x', [[1, 2], [3, 4], [Infinity, 6]], [0, 1, 2], /fit: x contains Infinity at x\[2\]\[0\] \(sample 2\)/],
  ['a label out of range', X, [0, 1, 3], /sparse label y\[2\] = 3 for output 'dense\w*' is not an integer in \[0, 3\).*help/],
])('sparse cross-entropy, %s: refused with the fix, and the model still trains', async (_name, x, y, message) => {
  const model = classifier('sparse_categorical_crossentropy');
  await expect(model.fit(x as never, y as never, { epochs: 1, verbose: 0 })).rejects.toThrow(message);
  await trainsAfterwards(model, [0, 1, 2]);
  model.dispose();
});

test('one-hot labels given to sparse cross-entropy after a first fit: the fix, not "Can\'t squeeze axis 1"', async () => {
  const model = classifier('sparse_categorical_crossentropy');
  await trainsAfterwards(model, [0, 1, 2]);
  const oneHot = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  await expect(model.fit(X, oneHot, { epochs: 1, verbose: 0 })).rejects.toThrow(
    /labels of shape \[3,3\] for output '\w+' look one-hot \(3 columns\), but the loss is sparse_categorical_crossentropy.*help: use loss 'categorical_crossentropy' for one-hot labels/,
  );
  await expect(model.evaluate(X, oneHot)).rejects.toThrow(/look one-hot/);
  await trainsAfterwards(model, [2, 1, 0]);
  model.dispose();
});

test('NaN in y for categorical cross-entropy, in validationData, and in evaluate', async () => {
  const model = classifier('categorical_crossentropy');
  const bad = [[1, 0, 0], [0, NaN, 0], [0, 0, 1]];
  await expect(model.fit(X, bad, { epochs: 1, verbose: 0 })).rejects.toThrow(/fit: y contains NaN at y\[1\]\[1\] \(sample 1\)/);
  const good = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  await expect(model.fit(X, good, { epochs: 1, verbose: 0, validationData: [[[NaN, 1]], [[1, 0, 0]]] })).rejects.toThrow(/fit: validationData: x contains NaN/);
  await expect(model.evaluate([[1, Infinity]], [[1, 0, 0]])).rejects.toThrow(/evaluate: x contains Infinity/);
  await trainsAfterwards(model, good);
  model.dispose();
});

test('predict refuses strings; the refused calls leak nothing', async () => {
  const model = classifier('sparse_categorical_crossentropy');
  await trainsAfterwards(model, [0, 1, 2]);
  await expectNoLeak(async () => {
    expect(() => model.predict([['1', '2']] as never)).toThrow(/predict: x holds strings/);
    await expect(model.fit([[1, NaN]], [0], { verbose: 0 })).rejects.toThrow(/contains NaN/);
    await expect(model.fit(X, ['a', 'b', 'c'] as never, { verbose: 0 })).rejects.toThrow(/holds strings/);
  });
  model.dispose();
});

test('a disposed model refuses predict, fit and evaluate instead of making fresh random weights', async () => {
  const model = classifier('sparse_categorical_crossentropy');
  await trainsAfterwards(model, [0, 1, 2]);
  model.dispose();
  expect(() => model.predict(X)).toThrow(/sequential\w*\.predict: the model was disposed and its weights freed\. help: build or load a new one/);
  await expect(model.fit(X, [0, 1, 2])).rejects.toThrow(/fit: the model was disposed/);
  await expect(model.evaluate(X, [0, 1, 2])).rejects.toThrow(/evaluate: the model was disposed/);
  expect(() => model.getWeights()).toThrow(/getWeights: the model was disposed/);
  const dense = model.layers[0];
  expect(() => dense.apply(tfc.zeros([1, 2]))).toThrow(/dense\w*\.apply: the layer was disposed/);
});
