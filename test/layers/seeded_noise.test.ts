/**
 * A random layer given a seed is reproducible across runs, not frozen across steps (as Keras's
 * SeedGenerator): each call in training draws a new mask; a second layer with the same seed draws
 * the same sequence.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';

beforeAll(async () => {
  await k.setBackend('cpu');
});

const L = k.layers;
const CASES: Array<[string, () => k.Layer, number[]]> = [
  ['Dropout', () => new L.Dropout({ rate: 0.5, seed: 7 }), [4, 64]],
  ['SpatialDropout2D', () => new L.SpatialDropout2D({ rate: 0.5, seed: 7 }), [2, 3, 3, 32]],
  ['GaussianNoise', () => new L.GaussianNoise({ stddev: 1, seed: 7 }), [4, 64]],
  ['GaussianDropout', () => new L.GaussianDropout({ rate: 0.5, seed: 7 }), [4, 64]],
];

function steps(layer: k.Layer, shape: number[], n: number): number[][] {
  const x = tfc.ones(shape);
  const out = Array.from({ length: n }, () => {
    const y = layer.apply(x, { training: true }) as tfc.Tensor;
    const values = Array.from(y.dataSync());
    y.dispose();
    return values;
  });
  x.dispose();
  return out;
}

test.each(CASES)('%s with a seed: a new mask at each step, the same sequence in a second run', (_name, make, shape) => {
  const before = tfc.memory().numTensors;
  const first = steps(make(), shape, 3);
  expect(first[1]).not.toEqual(first[0]);
  expect(first[2]).not.toEqual(first[1]);
  const again = steps(make(), shape, 3);
  expect(again).toEqual(first);
  k.utils.setRandomSeed(123); // the global seed does not move a seeded layer's sequence
  expect(steps(make(), shape, 2)).toEqual(first.slice(0, 2));
  expect(tfc.memory().numTensors).toBe(before);
});

test('an unseeded layer follows setRandomSeed', () => {
  k.utils.setRandomSeed(5);
  const a = steps(new L.Dropout({ rate: 0.5 }), [4, 64], 2);
  k.utils.setRandomSeed(5);
  const b = steps(new L.Dropout({ rate: 0.5 }), [4, 64], 2);
  expect(b).toEqual(a);
  expect(a[1]).not.toEqual(a[0]);
});

test('the seed survives a config round trip', () => {
  const d = new L.Dropout({ rate: 0.3, seed: 11 });
  const copy = L.Dropout.fromConfig(d.getConfig());
  expect(steps(copy, [4, 64], 2)).toEqual(steps(new L.Dropout({ rate: 0.3, seed: 11 }), [4, 64], 2));
});
