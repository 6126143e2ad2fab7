/**
 * `training` when nobody gives it: Keras resolves `training=None` per layer, from the layer's call
 * signature. Augmentation layers and Pipeline default to True (so `augment(images)` and Keras's
 * `dataset.map(lambda x, y: (augment(x), y))` augment), Dropout and BatchNormalization to False; fit,
 * evaluate and predict always pass it explicitly.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { flat, testBackend } from '../helpers';

const L = k.layers;

/** 16 distinct 2x3 single-channel images, each row [a, b, c]: a mirrored one reads [c, b, a]. */
function images(): tfc.Tensor4D {
  return tfc.tensor4d(Array.from({ length: 16 * 6 }, (_, i) => i), [16, 2, 3, 1]);
}

/** Per image: 'same', 'mirror' (left-right) or 'other'. */
function classify(x: tfc.Tensor, y: tfc.Tensor): string[] {
  const a = flat(x);
  const b = flat(y);
  return Array.from({ length: 16 }, (_, n) => {
    const img = a.slice(n * 6, n * 6 + 6);
    const out = b.slice(n * 6, n * 6 + 6);
    const mirror = [img[2], img[1], img[0], img[5], img[4], img[3]];
    if (out.every((v, i) => v === img[i])) return 'same';
    if (out.every((v, i) => v === mirror[i])) return 'mirror';
    return 'other';
  });
}

describe('training when none is given', () => {
  beforeAll(async () => {
    await k.setBackend(testBackend());
  });

  test('an augmentation layer called alone augments; with training false it does not', () => {
    const x = images();
    const before = tfc.memory().numTensors;
    const flip = new L.RandomFlip('horizontal', { seed: 3 });
    const alone = flip.apply(x) as tfc.Tensor;
    const kinds = classify(x, alone);
    expect(kinds).not.toContain('other');
    expect(kinds).toContain('mirror'); // 16 images at probability 1/2: all kept has probability 2^-16
    expect(kinds).toContain('same');
    const inference = flip.apply(x, { training: false }) as tfc.Tensor;
    expect(classify(x, inference).every((kind) => kind === 'same')).toBe(true);
    tfc.dispose([alone, inference]);
    expect(tfc.memory().numTensors).toBe(before);
    x.dispose();
  });

  test('a Sequential of augmentation and Dropout called alone: each layer takes its own default (flip on, dropout off)', () => {
    const x = images();
    const model = new k.Sequential([new L.RandomFlip('horizontal', { seed: 5 }), new L.Dropout(0.9, { seed: 1 })]);
    const y = model.apply(x) as tfc.Tensor;
    const kinds = classify(x, y);
    expect(kinds).not.toContain('other'); // Dropout at 0.9 in training would zero most pixels
    expect(kinds).toContain('mirror');
    const predicted = model.predict(x, { verbose: 0 }) as tfc.Tensor;
    expect(classify(x, predicted).every((kind) => kind === 'same')).toBe(true);
    tfc.dispose([x, y, predicted]);
  });

  test('Pipeline called alone runs its layers in training mode (Keras passes training=True to each)', () => {
    const x = images();
    const pipeline = new L.Pipeline([new L.RandomFlip('horizontal', { seed: 7 }), new L.Dropout(0.999, { seed: 1 })]);
    const y = pipeline.apply(x) as tfc.Tensor;
    // Dropout in training at rate 0.999 zeroes nearly every value of the 96 (those kept are scaled by 1000).
    expect(flat(y).filter((v) => v === 0).length).toBeGreaterThan(80);
    const inference = pipeline.apply(x, { training: false }) as tfc.Tensor;
    expect(flat(inference)).toEqual(flat(x));
    tfc.dispose([x, y, inference]);
  });
});
