/**
 * A pre-trained network no one here trained: the Keras 2.2.4 InceptionV3 that the npm package
 * nsfwjs ships (its base, input to `mixed10`, via ./nsfwjs_inception_v3.ts), its weights copied into
 * k.applications.InceptionV3({includeTop: false}) layer for layer, gives the same features.
 *
 * InceptionV3's convolutions are unnamed in Keras, so the layers pair by creation order: Keras 2
 * numbered its default names from 1 in creation order (conv2d_1 ... conv2d_94), and ours count up the
 * same way from wherever this process's counters stand.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { testBackend } from '../helpers';
import { counts } from './app_checks';
import { loadNsfwjsInceptionV3Base } from './nsfwjs_inception_v3';

beforeAll(async () => {
  await k.setBackend(testBackend());
});

/** The number of a default name: 'conv2d' 0, 'conv2d_7' 7. */
const index = (l: k.Layer): number => Number(/_(\d+)$/.exec(l.name)?.[1] ?? 0);

/** The layers of `model` of one class, in the order their default names were given (`conv2d`, `conv2d_1`, ...). */
function inCreationOrder(model: k.Model, className: string): k.Layer[] {
  return model.layers.filter((l) => l.className === className).sort((a, b) => index(a) - index(b));
}

/** The layers with weights in `model.layers` order, each as `Class#n` (n: its place in its class's creation order). */
function weightedOrder(model: k.Model): string[] {
  const weighted = model.layers.filter((l) => l.weights.length > 0);
  const first = new Map<string, number>();
  for (const l of weighted) first.set(l.className, Math.min(first.get(l.className) ?? Infinity, index(l)));
  return weighted.map((l) => `${l.className}#${index(l) - (first.get(l.className) as number)}`);
}

test("nsfwjs's Keras InceptionV3, copied layer for layer into ours, gives the same mixed10 features", async () => {
  const size = 107; // the smallest input with a 2x2 mixed10 map
  const ours = await k.applications.InceptionV3({ includeTop: false, weights: null, inputShape: [size, size, 3] });
  const theirs = await loadNsfwjsInceptionV3Base(size);
  // 21,802,784 parameters, as Keras's InceptionV3 without the top (nsfwjs froze part of theirs: compare totals)
  expect(theirs.countParams()).toBe(21802784);
  expect(counts(ours)[0]).toBe(21802784);
  let copied = 0;
  for (const className of ['Conv2D', 'BatchNormalization']) {
    const a = inCreationOrder(theirs, className);
    const b = inCreationOrder(ours, className);
    expect(b.length).toBe(a.length);
    a.forEach((layer, i) => {
      b[i].setWeights(layer.getWeights()); // refuses a shape that differs
      copied += 1;
    });
  }
  expect(copied).toBe(188); // 94 convolutions and their BNs
  // Keras loads its .h5 application files by this order (legacy load_weights without by_name): ours is Keras's.
  expect(weightedOrder(ours)).toEqual(weightedOrder(theirs));
  const x = tfc.randomUniform([2, size, size, 3], -1, 1, 'float32', 11); // 'tf'-preprocessed pixels
  const a = theirs.predict(x) as tfc.Tensor;
  const b = ours.predict(x) as tfc.Tensor;
  expect(b.shape).toEqual([2, 2, 2, 2048]);
  const maxDiff = (await tfc.max(tfc.abs(tfc.sub(a, b))).data())[0];
  const scale = (await tfc.max(tfc.abs(a)).data())[0];
  // eslint-disable-next-line no-console
  console.log(`nsfwjs InceptionV3 vs k.applications.InceptionV3 mixed10 features: max |diff| ${maxDiff.toExponential(3)} (max |feature| ${scale.toFixed(3)})`);
  expect(scale).toBeGreaterThan(0.5);
  expect(maxDiff).toBeLessThan(1e-4 * Math.max(1, scale));
  tfc.dispose([x, a, b]);
  theirs.dispose();
  ours.dispose();
});
