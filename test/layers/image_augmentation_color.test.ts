/**
 * The colour and mixing augmentation layers (RandomHue, RandomSaturation, RandomSharpness,
 * RandomColorDegeneration, RandomColorJitter, Equalization, MixUp, CutMix) and the colour op
 * (src/ops/color.ts): numbers from test/reference/color_reference.py (Python's colorsys, Keras 3's
 * equalization algorithm and the sharpness kernel in NumPy), inference identity, training invariants,
 * value ranges, seeding, one image and batches, configs through .keras and .h5, and leaks.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { hsvToRgb, rgbToGrayscale, rgbToHsv } from '../../src/ops/color';
import { beta, dirichlet, gamma, permutation } from '../../src/layers/preprocessing/image/sampling';
import { mulberry32 } from '../../src/utils/random';
import { expectClose, flat, testedBackends } from '../helpers';

const L = k.layers;

// From `python3 test/reference/color_reference.py`.
const REF: Record<string, number[]> = {
  hsv: [0.583333, 1.000000, 0.415686, 0.210181, 0.957547, 0.831373, 0.583333, 0.630952, 0.658824, 0.956486, 0.918552, 0.866667, 0.583333, 0.460870, 0.901961, 0.583333, 0.796992, 0.521569, 0.210181, 0.849372, 0.937255, 0.583333, 0.543590, 0.764706, 0.956486, 0.818548, 0.972549, 0.210181, 0.995098, 0.800000, 0.583333, 0.662500, 0.627451, 0.956486, 0.953052, 0.835294],
  hue_plus_0_2: [74.200000, 0.000000, 106.000000, 9.000000, 212.000000, 102.600000, 136.200000, 62.000000, 168.000000, 221.000000, 208.600000, 18.000000, 198.200000, 124.000000, 230.000000, 101.200000, 27.000000, 133.000000, 36.000000, 239.000000, 129.600000, 163.200000, 89.000000, 195.000000, 248.000000, 235.600000, 45.000000, 1.000000, 204.000000, 94.600000, 128.200000, 54.000000, 160.000000, 213.000000, 200.600000, 10.000000],
  hue_minus_0_2: [0.000000, 106.000000, 31.800000, 212.000000, 21.400000, 9.000000, 62.000000, 168.000000, 93.800000, 127.400000, 18.000000, 221.000000, 124.000000, 230.000000, 155.800000, 27.000000, 133.000000, 58.800000, 239.000000, 48.400000, 36.000000, 89.000000, 195.000000, 120.800000, 154.400000, 45.000000, 248.000000, 204.000000, 13.400000, 1.000000, 54.000000, 160.000000, 85.800000, 119.400000, 10.000000, 213.000000],
  saturation_third: [70.666667, 88.333333, 106.000000, 194.333333, 212.000000, 144.333333, 132.666667, 150.333333, 168.000000, 221.000000, 153.333333, 171.000000, 194.666667, 212.333333, 230.000000, 97.666667, 115.333333, 133.000000, 221.333333, 239.000000, 171.333333, 159.666667, 177.333333, 195.000000, 248.000000, 180.333333, 198.000000, 186.333333, 204.000000, 136.333333, 124.666667, 142.333333, 160.000000, 213.000000, 145.333333, 163.000000],
  equalize_256: [0.000000, 168.000000, 100.000000, 221.000000, 121.000000, 100.000000, 174.000000, 74.000000, 100.000000, 128.000000, 27.000000, 100.000000, 81.000000, 248.000000, 100.000000, 34.000000, 201.000000, 100.000000, 255.000000, 154.000000, 100.000000, 208.000000, 107.000000, 100.000000, 161.000000, 60.000000, 100.000000, 114.000000, 13.000000, 100.000000, 67.000000, 235.000000, 100.000000, 20.000000, 188.000000, 100.000000, 242.000000, 141.000000, 100.000000, 195.000000, 94.000000, 100.000000, 148.000000, 47.000000, 100.000000, 101.000000, 0.000000, 100.000000, 54.000000, 221.000000, 100.000000, 7.000000, 174.000000, 100.000000, 228.000000, 128.000000, 100.000000, 181.000000, 81.000000, 100.000000, 134.000000, 34.000000, 100.000000, 87.000000, 255.000000, 100.000000, 40.000000, 208.000000, 100.000000, 0.000000, 168.000000, 100.000000, 221.000000, 121.000000, 100.000000, 174.000000, 74.000000, 100.000000, 128.000000, 27.000000, 100.000000, 81.000000, 248.000000, 100.000000, 34.000000, 201.000000, 100.000000, 255.000000, 154.000000, 100.000000, 208.000000, 107.000000, 100.000000, 161.000000, 60.000000, 100.000000, 114.000000, 13.000000, 100.000000, 67.000000, 235.000000, 100.000000, 20.000000, 188.000000, 100.000000, 242.000000, 141.000000, 100.000000, 195.000000, 94.000000, 100.000000, 148.000000, 47.000000, 100.000000, 101.000000, 0.000000, 100.000000, 54.000000, 221.000000, 100.000000],
  equalize_16_unit: [0.000000, 0.666667, 0.392157, 0.890196, 0.443137, 0.392157, 0.674510, 0.250980, 0.392157, 0.513726, 0.082353, 0.392157, 0.298039, 0.972549, 0.392157, 0.109804, 0.803922, 0.392157, 1.000000, 0.584314, 0.392157, 0.811765, 0.388235, 0.392157, 0.674510, 0.250980, 0.392157, 0.431373, 0.000000, 0.392157, 0.243137, 0.917647, 0.392157, 0.109804, 0.721569, 0.392157, 0.945098, 0.529412, 0.392157, 0.811765, 0.388235, 0.392157, 0.568627, 0.137255, 0.392157, 0.376471, 0.000000, 0.392157, 0.243137, 0.917647, 0.392157, 0.000000, 0.666667, 0.392157, 0.890196, 0.529412, 0.392157, 0.701961, 0.278431, 0.392157, 0.513726, 0.082353, 0.392157, 0.376471, 1.000000, 0.392157, 0.133333, 0.803922, 0.392157, 0.000000, 0.666667, 0.392157, 0.890196, 0.443137, 0.392157, 0.674510, 0.250980, 0.392157, 0.513726, 0.082353, 0.392157, 0.298039, 0.972549, 0.392157, 0.109804, 0.803922, 0.392157, 1.000000, 0.584314, 0.392157, 0.811765, 0.388235, 0.392157, 0.674510, 0.250980, 0.392157, 0.431373, 0.000000, 0.392157, 0.243137, 0.917647, 0.392157, 0.109804, 0.721569, 0.392157, 0.945098, 0.529412, 0.392157, 0.811765, 0.388235, 0.392157, 0.568627, 0.137255, 0.392157, 0.376471, 0.000000, 0.392157, 0.243137, 0.917647, 0.392157],
  sharpen_1: [0.000000, 49.538462, 142.615385, 226.153846, 255.000000, 0.000000, 47.692308, 132.615385, 237.230769, 255.000000, 0.000000, 84.000000, 155.307692, 240.230769, 255.000000, 0.000000, 40.615385, 152.692308, 225.384615, 255.000000, 0.000000, 87.153846, 191.769231, 255.000000, 255.000000, 37.230769, 130.307692, 194.769231, 255.000000, 0.000000, 36.000000, 120.923077, 225.538462, 255.000000, 0.000000, 71.692308],
  smooth_0: [23.846154, 56.461538, 69.384615, 91.846154, 132.615385, 55.230769, 76.307692, 97.384615, 98.769231, 110.923077, 45.076923, 58.000000, 92.692308, 113.769231, 115.153846, 86.076923, 119.384615, 113.307692, 146.615385, 160.230769, 75.384615, 90.846154, 92.230769, 113.307692, 118.615385, 52.769231, 65.692308, 107.230769, 128.307692, 50.923077, 72.000000, 93.076923, 94.461538, 107.230769, 41.384615, 54.307692],
};

/** The reference script's inputs: RGB [1, 3, 4, 3] and EQ [2, 4, 5, 3] (channel 2 all 100). */
const rgb = (): tfc.Tensor4D => tfc.tensor4d(Array.from({ length: 36 }, (_, i) => (i * 53) % 256), [1, 3, 4, 3]);
const eq = (): tfc.Tensor4D => tfc.tensor4d(Array.from({ length: 120 }, (_, i) => (i % 3 === 2 ? 100 : ((i * 37) % 23) * 11)), [2, 4, 5, 3]);
/** A batch [n, h, w, c] of distinct values in [0, 255). */
const batch = (shape: number[]): tfc.Tensor => {
  const size = shape.reduce((a, b) => a * b, 1);
  return tfc.tensor(Array.from({ length: size }, (_, i) => (i * 37) % 251), shape);
};
const train = (layer: k.Layer, x: tfc.Tensor): tfc.Tensor => layer.apply(x, { training: true }) as tfc.Tensor;
const image = (x: tfc.Tensor, i: number): number[] => flat(tfc.tidy(() => tfc.slice(x, [i], [1])));

beforeAll(async () => {
  await k.setBackend('cpu');
});

describe('ops: rgbToHsv, hsvToRgb, rgbToGrayscale', () => {
  test('HSV as colorsys computes it; back to RGB; the luma', () => {
    tfc.tidy(() => {
      const x = tfc.div(rgb(), 255);
      const hsv = rgbToHsv(x);
      expectClose(hsv, REF.hsv, 1e-5);
      expectClose(hsvToRgb(hsv), flat(x), 1e-5);
      const v = flat(x);
      expectClose(rgbToGrayscale(x), Array.from({ length: 12 }, (_, p) => 0.2989 * v[3 * p] + 0.587 * v[3 * p + 1] + 0.114 * v[3 * p + 2]), 1e-6);
      // A grey pixel has hue and saturation 0; black has saturation 0; hue 1.25 is hue 0.25.
      expectClose(rgbToHsv(tfc.tensor2d([[0.5, 0.5, 0.5], [0, 0, 0]])), [0, 0, 0.5, 0, 0, 0], 0);
      expectClose(hsvToRgb(tfc.tensor2d([[1.25, 1, 1], [0.25, 1, 1]])), [0.5, 1, 0, 0.5, 1, 0], 1e-6);
    });
    expect(() => rgbToHsv(tfc.zeros([2, 2, 4]))).toThrow(/3 channels.*help/);
  });

  test('the ops leave no tensors behind', () => {
    const x = tfc.randomUniform([2, 3, 3, 3], 0, 1, 'float32', 1);
    const before = tfc.memory().numTensors;
    tfc.dispose([rgbToHsv(x), hsvToRgb(x), rgbToGrayscale(x)]);
    expect(tfc.memory().numTensors).toBe(before);
    x.dispose();
  });
});

describe('sampling (MixUp, CutMix, AugMix draws)', () => {
  test('Gamma, Beta and Dirichlet have their means; a permutation is one', () => {
    const draw = mulberry32(5);
    const mean = (f: () => number, n = 20000): number => Array.from({ length: n }, f).reduce((a, b) => a + b, 0) / n;
    expect(mean(() => gamma(draw, 2.5))).toBeCloseTo(2.5, 1);
    expect(mean(() => gamma(draw, 0.3))).toBeCloseTo(0.3, 1);
    expect(mean(() => beta(draw, 2, 5))).toBeCloseTo(2 / 7, 2);
    // Beta(0.2, 0.2) piles up near 0 and 1: its variance is 1 / (4 · 1.4).
    const b = Array.from({ length: 20000 }, () => beta(draw, 0.2, 0.2));
    expect(b.reduce((s, v) => s + (v - 0.5) ** 2, 0) / b.length).toBeCloseTo(1 / 5.6, 2);
    const d = dirichlet(draw, 1, 3);
    expect(d.reduce((a, c) => a + c, 0)).toBeCloseTo(1, 10);
    expect([...permutation(draw, 7)].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});

const RANDOM: Array<[string, (seed?: number) => k.Layer]> = [
  ['RandomHue', (seed) => new L.RandomHue(0.5, { seed })],
  ['RandomSaturation', (seed) => new L.RandomSaturation(0.8, { seed })],
  ['RandomSharpness', (seed) => new L.RandomSharpness(1, { seed })],
  ['RandomColorDegeneration', (seed) => new L.RandomColorDegeneration(0.8, { seed })],
  ['RandomColorJitter', (seed) => new L.RandomColorJitter([0, 255], { brightnessFactor: 0.2, contrastFactor: 0.3, saturationFactor: 0.5, hueFactor: 0.2, seed })],
  ['MixUp', (seed) => new L.MixUp(0.2, { seed })],
  ['CutMix', (seed) => new L.CutMix(1, { seed })],
  ['AugMix', (seed) => new L.AugMix([0, 255], { seed })],
  ['RandAugment', (seed) => new L.RandAugment([0, 255], { seed })],
];
const ALL: Array<[string, (seed?: number) => k.Layer]> = [...RANDOM, ['Equalization', () => new L.Equalization()]];

describe('every new layer', () => {
  test.each(ALL)('%s is the identity in inference, on a batch and on one image, as float32', (_name, make) => {
    const layer = make(1);
    const before = tfc.memory().numTensors;
    const x = tfc.tidy(() => tfc.cast(batch([2, 5, 6, 3]), 'int32'));
    const y = layer.apply(x, { training: false }) as tfc.Tensor;
    expect(y.dtype).toBe('float32');
    expect(flat(y)).toEqual(flat(x));
    const one = tfc.tidy(() => layer.apply(tfc.slice(x, [1], [1]).squeeze([0]), { training: false }) as tfc.Tensor);
    expect(one.shape).toEqual([5, 6, 3]);
    expect(flat(one)).toEqual(flat(x).slice(90));
    tfc.dispose([x, y, one]);
    expect(tfc.memory().numTensors).toBe(before);
  });

  test.each(RANDOM)('%s with a seed: a new draw at each step, the same sequence from a second layer; one image; no leaks', (_name, make) => {
    const x = batch([4, 6, 7, 3]);
    const run = (layer: k.Layer): number[][] => [0, 1, 2].map(() => tfc.tidy(() => flat(train(layer, x))));
    const before = tfc.memory().numTensors;
    const first = run(make(7));
    expect(tfc.memory().numTensors).toBe(before);
    expect(first[1]).not.toEqual(first[0]);
    expect(first[2]).not.toEqual(first[1]);
    expect(run(make(7))).toEqual(first);
    k.utils.setRandomSeed(99); // the global seed does not move a seeded layer
    expect(run(make(7))).toEqual(first);
    expect(run(make(8))[0]).not.toEqual(first[0]);
    const one = tfc.tidy(() => train(make(7), tfc.slice(x, [0], [1]).squeeze([0])));
    expect(one.shape).toEqual([6, 7, 3]);
    one.dispose();
    x.dispose();
  });

  test.each(ALL)('%s stays within [0, 255], and within [0, 1] given valueRange [0, 1]', (name, make) => {
    const x = batch([6, 5, 5, 3]);
    const y = flat(train(make(3), x));
    expect(Math.min(...y)).toBeGreaterThanOrEqual(-1e-3);
    expect(Math.max(...y)).toBeLessThanOrEqual(255 + 1e-3);
    if (name === 'MixUp' || name === 'CutMix') return; // no valueRange: they mix pixels of the batch
    const cls = (L as unknown as Record<string, new (o: object) => k.Layer>)[name];
    const config = { ...make(3).getConfig(), valueRange: [0, 1] } as Record<string, unknown>;
    delete config.name;
    const unit = flat(train(new cls(config), tfc.div(x, 255)));
    expect(Math.min(...unit)).toBeGreaterThanOrEqual(-1e-6);
    expect(Math.max(...unit)).toBeLessThanOrEqual(1 + 1e-6);
  });

  test.each(ALL)('%s: getConfig -> fromConfig -> getConfig, and through a .keras and a .h5 file', async (_name, make) => {
    const layer = make(4);
    const cls = layer.constructor as unknown as { fromConfig(c: object): k.Layer };
    expect(cls.fromConfig(layer.getConfig()).getConfig()).toEqual(layer.getConfig());
    const inputs = k.Input({ shape: [5, 5, 3] });
    const model = new k.Model({ inputs, outputs: layer.apply(inputs) });
    const configs = (m: k.Model): unknown[] => m.layers.filter((l) => !(l instanceof L.InputLayer)).map((l) => [l.className, l.getConfig()]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'augcolor-'));
    const x = batch([2, 5, 5, 3]);
    for (const file of ['m.keras', 'm.h5']) {
      await model.save(path.join(dir, file));
      const loaded = await k.models.loadModel(path.join(dir, file));
      expect(configs(loaded)).toEqual(configs(model));
      expect(flat(loaded.predict(x) as tfc.Tensor)).toEqual(flat(x));
      loaded.dispose();
    }
    fs.rmSync(dir, { recursive: true, force: true });
    x.dispose();
  });

  test('the layers leave no tensors behind (training and inference)', () => {
    const x = batch([3, 6, 7, 3]);
    for (const [, make] of ALL) {
      const layer = make(1);
      layer.apply(x, { training: true }).dispose(); // builds
      const before = tfc.memory().numTensors;
      (layer.apply(x, { training: true }) as tfc.Tensor).dispose();
      (layer.apply(x) as tfc.Tensor).dispose();
      expect(tfc.memory().numTensors).toBe(before);
    }
    x.dispose();
  });
});

describe('each layer\'s effect (training)', () => {
  test('RandomHue: factor 0 leaves the image; [0.4, 0.4] turns each image by +0.2 or -0.2 of a turn (colorsys), both occur', () => {
    const x = tfc.tile(rgb(), [8, 1, 1, 1]);
    expectClose(train(new L.RandomHue(0), x), flat(x), 1e-3);
    const y = train(new L.RandomHue([0.4, 0.4], { seed: 2 }), x);
    const signs = Array.from({ length: 8 }, (_, i) => {
      const got = image(y, i);
      const plus = got.every((v, j) => Math.abs(v - REF.hue_plus_0_2[j]) < 1e-3);
      const minus = got.every((v, j) => Math.abs(v - REF.hue_minus_0_2[j]) < 1e-3);
      expect(plus !== minus).toBe(true);
      return plus ? '+' : '-';
    });
    expect(new Set(signs)).toEqual(new Set(['+', '-']));
    // valueRange [0, 1]: the same turn on images scaled to [0, 1].
    const unit = train(new L.RandomHue([0.4, 0.4], { seed: 2, valueRange: [0, 1] }), tfc.div(x, 255));
    expectClose(unit, flat(y).map((v) => v / 255), 1e-5);
  });

  test('RandomSaturation: [0.5, 0.5] leaves the image, [0, 0] makes it grey (r = g = b = max), [0.25, 0.25] scales saturation by 1/3 (colorsys)', () => {
    const x = rgb();
    expectClose(train(new L.RandomSaturation([0.5, 0.5]), x), flat(x), 1e-3);
    const grey = flat(train(new L.RandomSaturation([0, 0]), x));
    const xv = flat(x);
    expectClose(grey, Array.from({ length: 12 }, (_, p) => Math.max(xv[3 * p], xv[3 * p + 1], xv[3 * p + 2])).flatMap((m) => [m, m, m]), 1e-3);
    expectClose(train(new L.RandomSaturation([0.25, 0.25]), x), REF.saturation_third, 1e-3);
    // Fully saturated (f / (1 - f) huge): the saturation is clipped at 1, the values stay in range.
    const full = flat(train(new L.RandomSaturation([1, 1]), x));
    expect(Math.min(...full)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...full)).toBeLessThanOrEqual(255);
  });

  test('RandomSharpness: [0.5, 0.5] is exactly the identity; [0, 0] the smoothed image and [1, 1] the sharpened one (NumPy kernel)', () => {
    const x = rgb();
    expect(flat(train(new L.RandomSharpness([0.5, 0.5]), x))).toEqual(flat(x));
    expectClose(train(new L.RandomSharpness([0, 0]), x), REF.smooth_0, 1e-3);
    expectClose(train(new L.RandomSharpness([1, 1]), x), REF.sharpen_1, 1e-3);
  });

  test('RandomColorDegeneration: [0, 0] is the identity, [1, 1] the luma in every channel, [0.5, 0.5] half way', () => {
    const x = batch([2, 3, 4, 3]);
    const xv = flat(x);
    const luma = Array.from({ length: xv.length / 3 }, (_, p) => 0.2989 * xv[3 * p] + 0.587 * xv[3 * p + 1] + 0.114 * xv[3 * p + 2]);
    expect(flat(train(new L.RandomColorDegeneration([0, 0]), x))).toEqual(xv);
    expectClose(train(new L.RandomColorDegeneration([1, 1]), x), luma.flatMap((v) => [v, v, v]), 1e-3);
    expectClose(train(new L.RandomColorDegeneration([0.5, 0.5]), x), xv.map((v, j) => (v + luma[Math.floor(j / 3)]) / 2), 1e-3);
    expect(() => train(new L.RandomColorDegeneration(0.5), batch([1, 2, 2, 4]))).toThrow(/3 channels.*help/);
  });

  test('RandomColorJitter: neutral factors leave the image; a saturation step alone at [0, 0] greys it; the factors are kept as given', () => {
    const x = rgb();
    const neutral = new L.RandomColorJitter(undefined, { brightnessFactor: [0, 0], contrastFactor: [0, 0], saturationFactor: [0.5, 0.5], hueFactor: 0, seed: 1 });
    expectClose(train(neutral, x), flat(x), 1e-2);
    const grey = flat(train(new L.RandomColorJitter([0, 255], { saturationFactor: [0, 0] }), x));
    for (let p = 0; p < 12; p++) expect(new Set([grey[3 * p], grey[3 * p + 1], grey[3 * p + 2]].map((v) => v.toFixed(3))).size).toBe(1);
    expect(flat(train(new L.RandomColorJitter(), x))).toEqual(flat(x)); // no step given: nothing to do
    const config = new L.RandomColorJitter([0, 1], { brightnessFactor: 0.2, hueFactor: [0.1, 0.3] }).getConfig();
    expect([config.valueRange, config.brightnessFactor, config.contrastFactor, config.saturationFactor, config.hueFactor]).toEqual([[0, 1], 0.2, null, null, [0.1, 0.3]]);
  });

  test('Equalization: Keras 3\'s algorithm (NumPy reference), 256 bins on [0, 255] and 16 bins on [0, 1]; a one-bin channel is kept', () => {
    const x = eq();
    const y = train(new L.Equalization(), x);
    expectClose(y, REF.equalize_256, 1e-3);
    expect(flat(y).filter((_, j) => j % 3 === 2).every((v) => v === 100)).toBe(true);
    expectClose(train(new L.Equalization([0, 1], { bins: 16 }), tfc.div(x, 255)), REF.equalize_16_unit, 1e-5);
    expect(flat(new L.Equalization().apply(x) as tfc.Tensor)).toEqual(flat(x)); // inference
  });

  /** Images of distinct random values, and labels = the identity (each image its own class), so a mixed label row is the mixing coefficients. */
  const pair = (n: number, h = 6, w = 7): [tfc.Tensor, tfc.Tensor] => [tfc.randomUniform([n, h, w, 3], 0, 255, 'float32', 3), tfc.eye(n)];

  test('MixUp: each image is w · its own + (1 - w) · another image of the batch, w the weight its label row carries', () => {
    const [x, labels] = pair(6);
    const [y, mixed] = new L.MixUp(0.4, { seed: 3 }).apply([x, labels], { training: true }) as unknown as tfc.Tensor[];
    expect(y.shape).toEqual([6, 6, 7, 3]);
    const rows = tfc.tidy(() => tfc.unstack(mixed).map((r) => flat(r)));
    let mixedCount = 0;
    rows.forEach((row, i) => {
      expect(row.every((v) => v >= 0)).toBe(true);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(row.filter((v) => v > 0).length).toBeLessThanOrEqual(2);
      expect(row[i]).toBeGreaterThan(0);
      if (row[i] < 1 - 1e-6) mixedCount++;
      expectClose(tfc.tidy(() => tfc.slice(y, [i], [1])), flat(tfc.tidy(() => tfc.sum(tfc.mul(tfc.tensor(row).reshape([6, 1, 1, 1]), x), 0))), 1e-2);
    });
    expect(mixedCount).toBeGreaterThan(0);
    // The images alone: the same first draw gives the same images.
    expect(flat(train(new L.MixUp(0.4, { seed: 3 }), x))).toEqual(flat(y));
    tfc.dispose([x, labels, y, mixed]);
  });

  test('CutMix: each image changes in one rectangle, copied from another image; the label weights follow its area', () => {
    const [x, labels] = pair(6, 8, 9);
    const [y, mixed] = new L.CutMix(1, { seed: 5 }).apply([x, labels], { training: true }) as unknown as tfc.Tensor[];
    const rows = tfc.tidy(() => tfc.unstack(mixed).map((r) => flat(r)));
    let cut = 0;
    for (let i = 0; i < 6; i++) {
      const [xi, yi] = [image(x, i), image(y, i)];
      const changed: Array<[number, number]> = [];
      for (let r = 0; r < 8; r++) for (let c = 0; c < 9; c++) if (xi[(r * 9 + c) * 3] !== yi[(r * 9 + c) * 3]) changed.push([r, c]);
      const others = rows[i].map((v, j) => [v, j]).filter(([v, j]) => j !== i && v > 0);
      if (changed.length === 0) continue;
      cut++;
      expect(others.length).toBe(1);
      const j = others[0][1];
      const [r0, r1] = [Math.min(...changed.map((p) => p[0])), Math.max(...changed.map((p) => p[0]))];
      const [c0, c1] = [Math.min(...changed.map((p) => p[1])), Math.max(...changed.map((p) => p[1]))];
      expect(changed.length).toBe((r1 - r0 + 1) * (c1 - c0 + 1)); // a filled rectangle
      const xj = image(x, j);
      for (const [r, c] of changed) for (let ch = 0; ch < 3; ch++) expect(yi[(r * 9 + c) * 3 + ch]).toBe(xj[(r * 9 + c) * 3 + ch]);
      expect(Math.abs(changed.length / 72 - others[0][0])).toBeLessThanOrEqual((8 + 9 + 1) / 72);
    }
    expect(cut).toBeGreaterThan(0);
    tfc.dispose([x, labels, y, mixed]);
  });

  test('MixUp and CutMix: one image passes unchanged; the pair form in inference; bad label shapes are refused; no leaks', () => {
    const [x, labels] = pair(3);
    for (const layer of [new L.MixUp(0.2, { seed: 1 }), new L.CutMix(1, { seed: 1 })]) {
      const single = tfc.tidy(() => tfc.slice(x, [0], [1]).squeeze([0]));
      expectClose(train(layer, single), flat(single), 1e-4);
      const before = tfc.memory().numTensors;
      const inference = layer.apply([x, labels], { training: false }) as unknown as tfc.Tensor[];
      expect(flat(inference[0])).toEqual(flat(x));
      expect(flat(inference[1])).toEqual(flat(labels));
      tfc.dispose(inference);
      tfc.dispose(layer.apply([x, labels], { training: true }) as unknown as tfc.Tensor[]);
      expect(tfc.memory().numTensors).toBe(before);
      expect(() => layer.apply([x, tfc.tensor1d([0, 1, 2])], { training: true })).toThrow(/labels.*help: one-hot/);
      single.dispose();
    }
    tfc.dispose([x, labels]);
  });

  /** What each of RandAugment's and AugMix's augmentations does at factor [0, 0], by the layers alone. */
  const neutralOps = (x: tfc.Tensor): Record<string, number[]> => ({
    same: flat(x), // shear, translation, rotation, brightness, contrast and colour degeneration by 0
    smoothed: flat(train(new L.RandomSharpness([0, 0]), x)),
    posterized: flat(train(new L.RandomPosterization([1, 1]), x)),
    solarized: flat(train(new L.Solarization([0, 0]), x)),
    autoContrast: flat(new L.AutoContrast().apply(x) as tfc.Tensor),
    equalized: flat(train(new L.Equalization(), x)),
  });

  test('RandAugment: numOps 0 is the identity; with one op at factor 0 each step gives what one of the augmentations gives, several occur', () => {
    const x = batch([2, 5, 6, 3]);
    expect(flat(train(new L.RandAugment(undefined, { numOps: 0 }), x))).toEqual(flat(x));
    const ops = neutralOps(x);
    const layer = new L.RandAugment([0, 255], { numOps: 1, factor: [0, 0], seed: 3 });
    const seen = new Set<string>();
    for (let step = 0; step < 12; step++) {
      const y = flat(train(layer, x));
      const match = Object.entries(ops).filter(([, v]) => v.every((e, j) => Math.abs(e - y[j]) < 1e-3)).map(([name]) => name);
      expect(match.length).toBeGreaterThan(0);
      seen.add(match[0]);
    }
    expect(seen.size).toBeGreaterThan(2);
  });

  test('AugMix: one chain of one op at factor 0 gives w · x + (1 - w) · op(x), op one of the augmentations (or none), clipped', () => {
    const x = batch([2, 5, 6, 3]);
    const ops = neutralOps(x);
    const xv = flat(x);
    const layer = new L.AugMix([0, 255], { numChains: 1, chainDepth: 1, factor: [0, 0], allOps: false, seed: 2 });
    const seen = new Set<string>();
    for (let step = 0; step < 10; step++) {
      const y = flat(train(layer, x));
      const fits = Object.entries(ops).filter(([, o]) => {
        const j = o.findIndex((v, i) => Math.abs(v - xv[i]) > 1);
        if (j === -1) return y.every((v, i) => Math.abs(v - xv[i]) < 1e-3);
        const w = (y[j] - o[j]) / (xv[j] - o[j]);
        return w >= -1e-6 && w <= 1 + 1e-6 && y.every((v, i) => Math.abs(v - (w * xv[i] + (1 - w) * o[i])) < 1e-2);
      });
      expect(fits.length).toBeGreaterThan(0);
      seen.add(fits[0][0]);
    }
    expect(seen.size).toBeGreaterThan(1);
  });

  test('bad options are refused with the fix', () => {
    expect(() => new L.AugMix(undefined, { numChains: 0 })).toThrow(/numChains.*help/);
    expect(() => new L.AugMix(undefined, { interpolation: 'cubic' as never })).toThrow(/interpolation.*help/);
    expect(() => new L.RandAugment(undefined, { factor: 1.5 })).toThrow(/factor.*help/);
    expect(() => new L.RandomHue(1.5)).toThrow(/factor.*\[0, 1\].*help/);
    expect(() => new L.RandomSaturation(-2)).toThrow(/factor.*help/);
    expect(() => new L.RandomSharpness([0.2, 1.2])).toThrow(/factor.*help/);
    expect(() => new L.Equalization(undefined, { bins: 1 })).toThrow(/bins.*help/);
    expect(() => new L.MixUp(0)).toThrow(/alpha.*help/);
    expect(() => new L.CutMix(2)).toThrow(/factor.*help/);
    expect(() => new L.RandomHue(0.2).apply(tfc.zeros([1, 2, 2, 1]), { training: true })).toThrow(/3 channels.*help/);
  });
});

describe('in a pipeline and a model', () => {
  test('MixUp in dataset.map on batches of [images, oneHotLabels], as docs/data-and-images.md shows', async () => {
    const x = tfc.randomUniform([8, 4, 4, 3], 0, 255, 'float32', 2);
    const y = tfc.oneHot(tfc.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32'), 3);
    const mixUp = new L.MixUp(0.2, { seed: 1 });
    const ds = k.data.Dataset.fromTensorSlices([x, y]).batch(4).map(([images, labels]: tfc.Tensor[]) => mixUp.apply([images, labels], { training: true }) as unknown as tfc.Tensor[]);
    let batches = 0;
    for await (const [images, labels] of ds) {
      expect((images as tfc.Tensor).shape).toEqual([4, 4, 4, 3]);
      expectClose(tfc.sum(labels as tfc.Tensor, 1), [1, 1, 1, 1], 1e-5);
      batches++;
    }
    expect(batches).toBe(2);
    tfc.dispose([x, y]);
  });

  test('CutMix on the pair in a functional graph: two outputs, the identity in predict', () => {
    const images = k.Input({ shape: [4, 4, 3] });
    const labels = k.Input({ shape: [3] });
    const outputs = new L.CutMix(1, { seed: 1 }).apply([images, labels]) as unknown as k.SymbolicTensor[];
    expect(outputs.map((o) => o.shape)).toEqual([[null, 4, 4, 3], [null, 3]]);
    const model = new k.Model({ inputs: [images, labels], outputs });
    const [x, y] = [batch([2, 4, 4, 3]), tfc.eye(2, 3)];
    const [px, py] = model.predict([x, y]) as unknown as tfc.Tensor[];
    expect([flat(px), flat(py)]).toEqual([flat(x), flat(y)]);
    tfc.dispose([x, y, px, py]);
  });

  test('a model with the colour layers trains with fit', async () => {
    const model = new k.Sequential([
      new L.InputLayer({ shape: [8, 8, 3] }),
      new L.RandomColorJitter([0, 1], { brightnessFactor: 0.1, contrastFactor: 0.1, saturationFactor: [0.4, 0.6], hueFactor: 0.1, seed: 1 }),
      new L.RandomSharpness(0.5, { valueRange: [0, 1], seed: 2 }),
      new L.RandomColorDegeneration([0, 0.3], { valueRange: [0, 1], seed: 3 }),
      new L.Equalization([0, 1]),
      new L.CutMix(1, { seed: 4 }),
      new L.MixUp(0.2, { seed: 5 }),
      new L.Flatten(),
      new L.Dense({ units: 2, activation: 'softmax' }),
    ]);
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
    const x = tfc.randomUniform([16, 8, 8, 3], 0, 1, 'float32', 1);
    const y = tfc.tensor1d(Array.from({ length: 16 }, (_, i) => i % 2), 'float32');
    const history = await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
    expect(history.history.loss.every((v) => Number.isFinite(v as number))).toBe(true);
    expect(flat(model.predict(x) as tfc.Tensor)).toEqual(flat(model.predict(x) as tfc.Tensor));
    tfc.dispose([x, y]);
  });
});

describe.each(testedBackends())('on %s', (backend) => {
  afterAll(async () => {
    await k.setBackend('cpu');
  });

  test('every new layer gives what it gives on cpu (the same seed, the same draws), and the pair form too', async () => {
    const run = (): number[][] => {
      const x = tfc.tidy(() => tfc.add(tfc.mul(tfc.sin(tfc.range(0, 4 * 5 * 6 * 3).reshape([4, 5, 6, 3])), 120), 127.5));
      const labels = tfc.eye(4);
      const out = ALL.map(([, make]) => {
        const y = train(make(11), x);
        const values = flat(y);
        y.dispose();
        return values;
      });
      const pairs = [new L.MixUp(0.3, { seed: 1 }), new L.CutMix(1, { seed: 2 })].flatMap((layer) => {
        const ys = layer.apply([x, labels], { training: true }) as unknown as tfc.Tensor[];
        const values = ys.map((t) => flat(t));
        tfc.dispose(ys);
        return values;
      });
      tfc.dispose([x, labels]);
      return [...out, ...pairs];
    };
    await k.setBackend('cpu');
    const expected = run();
    await k.setBackend(backend);
    const before = tfc.memory().numTensors;
    run().forEach((values, i) => expectClose(values, expected[i], 1e-2));
    expect(tfc.memory().numTensors).toBe(before);
  });
});
